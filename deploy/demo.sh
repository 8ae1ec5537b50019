#!/usr/bin/env bash
# The main job on a fresh machine: installs what it needs, builds lanwatch, starts a private
# SNMP agent for the server (its own config and port, never the system snmpd) and snmpsimd for
# the router and core switch, all on 127.0.0.1; runs lanwatchd with config/demo.yaml, prints
# where the metrics are and a `lanwatch check` table. Ctrl-C stops and cleans up everything.
#   deploy/demo.sh           run until Ctrl-C
#   deploy/demo.sh --once    print the check and stop (for scripts)
set -euo pipefail
cd "$(dirname "$0")/.."
once=0
[ "${1:-}" = "--once" ] && once=1

deploy/install-deps.sh
work=$(mktemp -d /tmp/lanwatch-demo-XXXXXX)
chmod 755 "$work"
echo "demo: building lanwatch (release)..."
if ! { cmake --preset release && cmake --build --preset release; } >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "demo: build failed" >&2
  exit 1
fi
bin=build/release/daemon

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

answers() {  # PORT COMMUNITY
  snmpget -m '' -On -v2c -c "$2" -t 0.3 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
}
wait_for() {  # what, then a command that succeeds when it is up
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" && return 0; sleep 0.2; done
  echo "demo: $what did not come up" >&2; exit 1
}

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
wait_for "snmpd" answers 16161 demo
wait_for "snmpsimd" answers 16162 router_hc

"$bin/lanwatchd" -c config/demo.yaml 2>"$work/lanwatchd.log" &
pids+=($!)
wait_for "lanwatchd" curl -sf http://127.0.0.1:9731/-/ready -o /dev/null

echo
echo "lanwatchd is polling the demo devices every 5 s."
echo "  metrics:  http://127.0.0.1:9731/metrics"
echo "  log:      $work/lanwatchd.log"
echo
echo "\$ lanwatch check -c config/demo.yaml"
set +e
"$bin/lanwatch" check -c config/demo.yaml
echo "(exit code $?: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"
set -e
[ "$once" = 1 ] && exit 0
echo
echo "Press Ctrl-C to stop the demo."
wait "${pids[2]}"
