#!/usr/bin/env bash
# The main job on a fresh machine: installs what it needs, builds lanwatch and shows it at work.
#
#   deploy/demo.sh                 the bureau in a box (root): namespaces for the ISP, router,
#                                  core switch, server, monitor and seven units, real snmpd
#                                  agents and office traffic; lanwatchd polls it from the
#                                  monitor namespace with config/lab.yaml
#   deploy/demo.sh --loopback      no namespaces: demo agents on 127.0.0.1 (config/demo.yaml);
#                                  also what runs without root
#   deploy/demo.sh --config FILE   your own network: lanwatchd with FILE on this host
#   --once                         print the check and stop, instead of running until Ctrl-C
#
# Ctrl-C, a failure at any step, or the end of --once stops everything the demo started and
# removes the lab (no namespace is left: `ip netns list`).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=lab once=0 config=""
while [ $# -gt 0 ]; do
  case $1 in
    --once) once=1 ;;
    --loopback) mode=loopback ;;
    --config) mode=config; config=${2:?--config needs a file}; shift ;;
    *) echo "usage: deploy/demo.sh [--once] [--loopback | --config FILE]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$mode" = lab ] && [ "$(id -u)" -ne 0 ]; then
  echo "demo: the bureau lab needs root (it creates network namespaces); running the loopback demo instead." >&2
  mode=loopback
fi

# The demo's lab is the default one (namespaces lw-NODE), whatever LANWATCH_LAB a shell has set.
unset LANWATCH_LAB
deploy/install-deps.sh
work=$(mktemp -d /tmp/lanwatch-demo-XXXXXX)
chmod 755 "$work"

# Armed before anything starts, so that every way out (a failed step, Ctrl-C, --once, the end)
# stops what the demo started, by PID, and takes the lab down.
pids=()
lab_started=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$lab_started" = 1 ] && ! tests/lab/bureau down >/dev/null; then
    echo "demo: could not take the lab down: run 'tests/lab/bureau down'" >&2
    rc=1
  fi
  case $rc in
    0) rm -rf "$work" ;;
    130) rm -rf "$work"; echo "demo: stopped" >&2 ;;
    *) echo "demo: failed (exit $rc); its logs are in $work" >&2 ;;
  esac
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "demo: building lanwatch (release)..."
if ! { cmake --preset release && cmake --build --preset release --target lanwatch lanwatchd; } \
  >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  echo "demo: build failed" >&2
  exit 1
fi
bin=$PWD/build/release/daemon

wait_for() {  # WHAT PID CMD...: waits until CMD succeeds while PID runs
  local what=$1 pid=$2; shift 2
  for _ in $(seq 1 100); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "demo: $what exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "demo: $what did not come up" >&2
  exit 1
}
answers() { snmpget -m '' -On -v2c -c "$2" -t 0.3 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0; }

run_in=()        # prefix that runs a command where lanwatchd runs
case $mode in
  lab)
    config=config/lab.yaml
    lab_started=1   # before `up`: a half-built lab comes down too
    tests/lab/bureau up --traffic low
    run_in=(ip netns exec lw-monitor)
    # The IT section's mail server, as config/lab.yaml has it: every alert mail that arrives
    # is printed here (decoded subject and first lines) and kept in $work/mail.
    ip netns exec lw-monitor /usr/bin/python3 tests/agents/smtp_sink.py --port 2525 \
      --dir "$work/mail" --ready-file "$work/smtp.ready" --print 2>"$work/smtp.log" &
    pids+=($!)
    wait_for "the SMTP server (see $work/smtp.log)" "${pids[-1]}" test -f "$work/smtp.ready"
    state_dir=(--state-dir "$work/state")
    ;;
  loopback)
    config=config/demo.yaml
    cat >"$work/snmpd.conf" <<CONF
rocommunity demo 127.0.0.1
sysName demo-server
dontLogTCPWrappersConnects yes
CONF
    SNMP_PERSISTENT_DIR="$work/snmpd-state" MIBS= snmpd -f -C -c "$work/snmpd.conf" \
      -Lf "$work/snmpd.log" udp:127.0.0.1:16161 &
    pids+=($!)
    /usr/bin/python3 tests/agents/make_recordings.py "$work/recordings"
    chmod 755 "$work/recordings"
    mkdir -m 777 "$work/snmpsim-cache"
    snmpsimd --data-dir="$work/recordings" --agent-udpv4-endpoint=127.0.0.1:16162 \
      --cache-dir="$work/snmpsim-cache" --process-user=nobody --process-group=nogroup \
      --logging-method=null &
    pids+=($!)
    wait_for "snmpd" "${pids[0]}" answers 16161 demo
    wait_for "snmpsimd" "${pids[1]}" answers 16162 router_hc
    ;;
  config)
    "$bin/lanwatch" validate -c "$config"
    ;;
esac

state_dir=${state_dir:-}
"${run_in[@]}" "$bin/lanwatchd" -c "$config" ${state_dir[@]+"${state_dir[@]}"} 2>"$work/lanwatchd.log" &
pids+=($!)
listen=$(sed -n 's/^listen: *\([^ #]*\).*/\1/p' "$config" | head -1)
port=${listen##*:}
port=${port:-9731}
daemon_pid=${pids[-1]}
wait_for "lanwatchd (see $work/lanwatchd.log)" "$daemon_pid" \
  "${run_in[@]}" curl -sf "http://127.0.0.1:$port/-/ready"
if [ "$mode" = lab ]; then
  # The status page from the host's browser: 127.0.0.1:PORT here is forwarded to lanwatchd's
  # 127.0.0.1:PORT in the monitor namespace, one socat per connection.
  socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
    EXEC:"ip netns exec lw-monitor socat STDIO TCP\:127.0.0.1\:$port" 2>"$work/forward.log" &
  pids+=($!)
  wait_for "the forwarder to the monitor namespace (see $work/forward.log; is port $port taken?)" \
    "${pids[-1]}" curl -sf "http://127.0.0.1:$port/-/ready"
fi

echo
echo "  status page:  http://127.0.0.1:$port/"
echo
echo "lanwatchd is polling the devices of $config."
if [ "$mode" = lab ]; then
  echo "  metrics:  sudo ip netns exec lw-monitor curl -s http://127.0.0.1:$port/metrics"
  echo "  faults:   sudo tests/lab/bureau fault cut panji   (see tests/lab/bureau for more);"
  echo "            each alert mail arrives at the lab's SMTP server and is printed here"
  echo "  alerts:   sudo ip netns exec lw-monitor $bin/lanwatch check --explain -c $config --state-dir $work/state"
else
  echo "  metrics:  http://127.0.0.1:$port/metrics"
fi
# The page answers, with every link on it.
links=$(curl -sf "http://127.0.0.1:$port/" | grep -o 'data-link="[^"]*"' | sort -u | wc -l || true)
echo "  the status page shows $links links"
echo "  log:      $work/lanwatchd.log"
echo
echo "\$ lanwatch check -c $config"
set +e
"${run_in[@]}" "$bin/lanwatch" check -c "$config"
echo "(exit code $?: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"
set -e
if [ "$mode" = lab ]; then
  # What the IT section would receive: cut a unit's fiber, wait for the mail, mend it.
  echo
  echo "\$ sudo tests/lab/bureau fault cut panji"
  tests/lab/bureau fault cut panji
  for _ in $(seq 1 60); do
    [ -n "$(ls "$work/mail"/*.eml 2>/dev/null)" ] && break
    sleep 0.5
  done
  [ -n "$(ls "$work/mail"/*.eml 2>/dev/null)" ] || { echo "demo: no alert mail within 30 s" >&2; exit 1; }
  sleep 1
  echo
  echo "\$ sudo tests/lab/bureau fault restore panji"
  tests/lab/bureau fault restore panji
  for _ in $(seq 1 60); do
    [ "$(ls "$work/mail"/*.eml | wc -l)" -ge 2 ] && break
    sleep 0.5
  done
  sleep 1
fi
[ "$once" = 1 ] && exit 0
echo
echo "Press Ctrl-C to stop the demo."
rc=0
wait "$daemon_pid" || rc=$?
echo "demo: lanwatchd exited (status $rc); see $work/lanwatchd.log" >&2
exit $((rc == 0 ? 1 : rc))
