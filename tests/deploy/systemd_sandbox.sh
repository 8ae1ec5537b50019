#!/usr/bin/env bash
# lanwatchd under what lanwatchd.service gives it, built without systemd (this machine's PID 1
# is not systemd, and there is no systemd-nspawn): a mount namespace with the unit's file-system
# protection (ProtectSystem=strict, ProtectHome, PrivateTmp, PrivateDevices, ProcSubset=pid,
# ProtectProc=invisible, read-only /sys, a writable StateDirectory), a non-root user holding only
# the unit's ambient and bounding capabilities with no_new_privs (setpriv), and the unit's
# SystemCallFilter= as a seccomp filter (unit_seccomp.py). Not emulated: RestrictAddressFamilies,
# RestrictNamespaces, MemoryDenyWriteExecute, LockPersonality, ProtectClock/Hostname, the
# Protect* flags' capability and device side, LimitNOFILE, the watchdog (the notify test covers it).
#
# lanwatchd must then poll a real snmpd, capture on lo (AF_PACKET, CAP_NET_RAW), probe over raw
# ICMP (CAP_NET_RAW), take traps on port 162 (CAP_NET_BIND_SERVICE), keep its state, and hold
# no capability once running (its own drop: capset under the filter). Root only.
set -euo pipefail
unit=${1:?usage: $0 UNIT_FILE LANWATCHD}
lanwatchd=${2:?usage: $0 UNIT_FILE LANWATCHD}
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }

work=$(mktemp -d /tmp/lanwatch-sandbox.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c "import socket,sys; s=socket.socket(type=socket.$1); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
snmp_port=$(free_port SOCK_DGRAM)
http_port=$(free_port SOCK_STREAM)
# Traps on the real port 162, on a loopback address of its own so that no other test's
# receiver is in the way.
trap_addr=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).162

printf 'rocommunity lwtest 127.0.0.1\ndontLogTCPWrappersConnects yes\n' >"$work/snmpd.conf"
SNMP_PERSISTENT_DIR=$work/snmpd MIBS= snmpd -f -C -c "$work/snmpd.conf" -Lf "$work/snmpd.log" \
  "udp:127.0.0.1:$snmp_port" >/dev/null 2>&1 &
pids+=($!)

cat >"$work/lanwatch.yaml" <<YAML
site: sandbox
poll_interval: 2s
listen: 127.0.0.1:$http_port
snmp: {timeout: 1s, retries: 1}
probes: {interval: 200ms, window: 2s, timeout: 1s, mode: raw}
traps: {listen: "$trap_addr:162", communities: [lwtest]}
devices:
  - {name: server, role: server, address: 127.0.0.1, snmp: {community: lwtest, port: $snmp_port}}
links:
  - {name: lan, kind: other, device: server, interface: lo, capacity: 100Mbit, peer: 127.0.0.1}
captures:
  - {name: loop, interface: lo, interval: 1s}
YAML
# The config as the .deb leaves it: root:GROUP 0640, readable by the service's group only.
chown root:nogroup "$work/lanwatch.yaml"
chmod 0640 "$work/lanwatch.yaml"
cp "$lanwatchd" "$work/lanwatchd"
cp "$here/unit_seccomp.py" "$work/unit_seccomp.py"
cp "$unit" "$work/unit.service"
# setpriv names capabilities without their prefix: CAP_NET_RAW is +net_raw.
caps=$(sed -n 's/^AmbientCapabilities=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ /,+/g; s/^/+/')
bounding=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ /,+/g; s/^/+/')
[ -n "$caps" ] && [ -n "$bounding" ]

# Inside the namespace: /mnt is the sandbox's own (config, StateDirectory, the programs), the
# rest read-only; then the user, the capabilities, the filter.
cat >"$work/inside.sh" <<INSIDE
set -eu
mount -t tmpfs -o mode=755 tmpfs /mnt
mkdir -p /mnt/etc /mnt/state /mnt/bin /mnt/dev
cp -a $work/lanwatch.yaml /mnt/etc/
cp $work/lanwatchd $work/unit_seccomp.py $work/unit.service /mnt/bin/
chown nobody:nogroup /mnt/state && chmod 750 /mnt/state
mount -o remount,bind,ro /                                       # ProtectSystem=strict
mount -t tmpfs -o mode=1777 tmpfs /tmp                           # PrivateTmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
for d in /root /home /run/user; do                               # ProtectHome
  [ -d \$d ] && mount -t tmpfs -o ro,mode=000 tmpfs \$d
done
# PrivateDevices: a /dev of its own, built on /mnt (writable wherever / is read-only).
mount -t tmpfs -o mode=755 tmpfs /mnt/dev
for n in null zero full random urandom tty; do
  touch /mnt/dev/\$n && mount --bind /dev/\$n /mnt/dev/\$n
done
mkdir /mnt/dev/pts /mnt/dev/shm && mount --rbind /mnt/dev /dev
mount -t proc -o subset=pid,hidepid=invisible proc /proc          # ProcSubset, ProtectProc
mount -o remount,bind,ro /sys 2>/dev/null || mount -t sysfs -o ro sysfs /sys
# LeakSanitizer (the asan build) stops the world with ptrace at exit, which the unit's filter
# rightly forbids: leaks are looked for by the other tests, not under the sandbox.
export ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0"
exec setpriv --reuid=nobody --regid=nogroup --init-groups \
  --inh-caps=-all,$caps --ambient-caps=$caps --bounding-set=-all,$bounding --no-new-privs \
  /usr/bin/python3 /mnt/bin/unit_seccomp.py /mnt/bin/unit.service -- \
  /mnt/bin/lanwatchd -c /mnt/etc/lanwatch.yaml --state-dir /mnt/state --log-level debug
INSIDE
unshare --mount --propagation private sh "$work/inside.sh" >"$work/lanwatchd.log" 2>&1 &
pids+=($!)
daemon=$!

fail() {
  echo "FAIL: $*" >&2
  echo "--- lanwatchd.log" >&2
  cat "$work/lanwatchd.log" >&2
  exit 1
}
metrics() { curl -s --max-time 2 "http://127.0.0.1:$http_port/metrics"; }
ready=0
for _ in $(seq 1 100); do
  kill -0 "$daemon" 2>/dev/null || fail "lanwatchd exited"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$http_port/-/ready")" = 200 ]; then
    ready=1
    break
  fi
  sleep 0.2
done
[ $ready = 1 ] || fail "not ready within 20 s"
# A trap to port 162, from the device, so it is taken (then polled).
snmptrap -m '' -v2c -c lwtest "$trap_addr:162" '' 1.3.6.1.6.3.1.1.5.3 \
  1.3.6.1.2.1.2.2.1.1.1 i 1 >/dev/null 2>&1 || true
sleep 4
m=$(metrics)
has() { grep -Eq "$1" <<<"$m" || fail "no '$1' in /metrics"; }
has '^lanwatch_device_up\{[^}]*device="server"[^}]*\} 1$'
has '^lanwatch_capture_up\{[^}]*capture="loop"[^}]*\} 1$'
has '^lanwatch_probe_mode_info\{mode="raw"\} 1$'
has '^lanwatch_probe_up\{[^}]*target="127.0.0.1"[^}]*\} 1$'
has '^lanwatch_snmp_traps_(ignored_)?total(\{[^}]*\})? [1-9]'
grep -Eq "no trap receiver|cannot drop|cannot (set|clear)|Operation not permitted|refusing" \
  "$work/lanwatchd.log" &&
  fail "lanwatchd reported a privilege or sandbox failure"

# The running daemon: user nobody, no capability left, no_new_privs, state written.
pid=$daemon  # unshare, sh, setpriv and unit_seccomp.py each exec the next: one process
status=/proc/$pid/status
grep -q '^Name:.*lanwatchd' "$status" || fail "pid $pid is not lanwatchd"
[ "$(awk '/^Uid:/ {print $2}' "$status")" = "$(id -u nobody)" ] || fail "not running as nobody"
for set in CapInh CapPrm CapEff CapAmb; do
  grep -q "^$set:[[:space:]]*0000000000000000$" "$status" || fail "$(grep "^$set:" "$status")"
done
grep -q '^NoNewPrivs:[[:space:]]*1$' "$status" || fail "no_new_privs not set"
grep -q '^Seccomp:[[:space:]]*2$' "$status" || fail "no seccomp filter"
nsenter -t "$pid" -m ls /mnt/state | grep -q lanwatch.db || fail "no state in StateDirectory"

kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.2; done
wait "$daemon" || fail "lanwatchd exited $? on SIGTERM"
echo "sandbox: lanwatchd polled, captured, probed and took a trap as nobody with caps [$caps]"
