#!/usr/bin/env bash
# Checks the bureau lab's reachability parts (tests/lab/bureau) with ping and curl from the
# monitor namespace, as lanwatchd's probes would see them: the ISP's next hop and the host
# beyond it answer through the uplink (and its delay); `fault isp dark` silences both while the
# router and its wan0 stay up; loss on the uplink reaches both; saturating the uplink makes
# pings to the ISP queue and drop; the server's web site and office-automation system answer,
# and a stopped one refuses connections; loss and delay on a unit's link read what was asked.
# Prints what it measured (loss ratios, RTTs).
#
#   tests/lab/check_reachability.sh [UNIT]   (root; UNIT default datong)
#
# Ups the lab (traffic off) when it is down, and downs it again at the end, checking that
# `down` leaves no namespace and no process; a lab that was up stays up, the faults this
# script made undone. Exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUREAU=$HERE/bureau
# shellcheck source=tests/lab/lab_names.sh
source "$HERE/lab_names.sh"
UNIT=${1:-datong}
ISP=198.18.0.1 INTERNET=198.19.0.2 ROUTER=198.18.1.1 SERVER=198.18.1.10
UNITS=(datong tianjiaan xiejiaji bagongshan panji maoji fengtai)

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }
check() {  # WHAT CMD...: PASS when CMD succeeds
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
fatal() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fatal "needs root (the lab's network namespaces)"

unit_address() {
  local i
  for i in "${!UNITS[@]}"; do [ "${UNITS[$i]}" = "$1" ] && { echo "198.18.1.$((101 + i))"; return; }; done
  fatal "no unit '$1' (units: ${UNITS[*]})"
}
UNIT_ADDR=$(unit_address "$UNIT")

in_monitor() { "$BUREAU" exec monitor "$@"; }
# Pings ADDR COUNT times, INTERVAL s apart, from the monitor; prints "LOSS_PCT AVG_MS MIN_MS"
# (the RTTs "-" when nothing came back).
ping_stats() {  # ADDR COUNT INTERVAL
  { in_monitor ping -q -n -c "$2" -i "$3" -W 2 "$1" 2>&1 || true; } | awk '
    /packet loss/ { for (i = 1; i <= NF; i++) if ($i ~ /%$/) { loss = $i; sub(/%/, "", loss) } }
    /^rtt/ { split($4, r, "/"); min = r[1]; avg = r[2] }
    END { printf "%s %s %s\n", (loss == "" ? 100 : loss), (avg == "" ? "-" : avg), (min == "" ? "-" : min) }'
}
loss_of() { ping_stats "$@" | cut -d' ' -f1; }
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "-" && x >= lo && x <= hi) }'; }
# Whether a TCP connect to ADDR:PORT from the monitor is refused (not timed out, not accepted).
refused() {  # ADDR PORT
  local out
  out=$(in_monitor timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>&1) && return 1
  grep -q "Connection refused" <<<"$out"
}
web_ok() { in_monitor curl -sI --max-time 3 "http://$SERVER/" 2>/dev/null | head -1 | grep -q '^HTTP/1.1 200'; }
oa_ok() { [ "$(in_monitor curl -s --connect-timeout 1 --max-time 3 "$SERVER:8080" 2>/dev/null)" = "200 /" ]; }
wan0_up() {  # the router's own view (sysfs) and what its agent tells the monitor
  local wan; wan=$("$BUREAU" exec router cat /sys/class/net/wan0/ifindex)
  [ "$("$BUREAU" exec router cat /sys/class/net/wan0/operstate)" = up ] &&
    [ "$(in_monitor snmpget -m '' -On -Oqv -v2c -c lab-router -t 1 -r 1 "$ROUTER" \
      ".1.3.6.1.2.1.2.2.1.8.$wan" 2>/dev/null)" = 1 ]
}
fault_listed() { "$BUREAU" status | grep -q "fault: $1:"; }  # NAME

# --- the lab -----------------------------------------------------------------------------
upped=0 saturate_pid="" tmp=$(mktemp -d /tmp/lanwatch-check-reach-XXXXXX)
cleanup() {
  local rc=$?
  [ -n "$saturate_pid" ] && { wait "$saturate_pid" 2>/dev/null || true; }
  if [ -f "$LAB/up" ]; then  # undo whatever this script did, had it stopped half-way
    "$BUREAU" fault isp light >/dev/null 2>&1 || true
    "$BUREAU" fault noloss uplink >/dev/null 2>&1 || true
    "$BUREAU" fault noloss "$UNIT" >/dev/null 2>&1 || true
    "$BUREAU" fault nodelay "$UNIT" >/dev/null 2>&1 || true
    "$BUREAU" fault service web start >/dev/null 2>&1 || true
    "$BUREAU" fault service oa start >/dev/null 2>&1 || true
  fi
  if [ "$upped" = 1 ]; then
    local pids; pids=$(cat "$LAB"/*.pid 2>/dev/null || true)
    "$BUREAU" down >/dev/null
    local left; left=$(lab_namespaces)
    if [ -n "$left" ]; then echo "FAIL: bureau down left namespaces: $left" >&2; rc=1; fi
    local pid
    for pid in $pids; do
      # A zombie is gone for good (PID 1 here may not reap it); a live process is not.
      if [ -r "/proc/$pid/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat"; then
        echo "FAIL: bureau down left pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline")" >&2
        rc=1
      fi
    done
    [ "$rc" = 0 ] && echo "PASS: bureau down left no namespace and none of its $(wc -w <<<"$pids") processes"
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f "$LAB/up" ]; then
  "$BUREAU" up --traffic off >"$tmp/up.log" 2>&1 || fatal "bureau up failed: $(cat "$tmp/up.log")"
  upped=1
fi
if "$BUREAU" status | grep -E "fault: (isp|loss-uplink|loss-$UNIT|delay-$UNIT|service-[a-z]*|link-uplink|speed):"; then
  fatal "the lab has faults this script would change or be misled by: undo them first"
fi
[ "$(cat "$LAB/traffic" 2>/dev/null || echo off)" = off ] ||
  echo "note: background traffic is on ($(cat "$LAB/traffic")): the loss figures may read higher"

# --- beyond the uplink ---------------------------------------------------------------------
read -r loss avg min <<<"$(ping_stats "$ISP" 3 0.2)"
check "monitor -> ISP $ISP: 3 pings, $loss% loss, avg $avg ms" [ "$loss" = 0 ]
read -r loss avg min <<<"$(ping_stats "$INTERNET" 3 0.2)"
check "monitor -> internet $INTERNET: 3 pings, $loss% loss, avg $avg ms" [ "$loss" = 0 ]
wan_delay=$(sed -n 's/ms$//p' "$LAB/fault-delay-uplink" 2>/dev/null || true)
if [ -n "$wan_delay" ]; then
  check "the uplink's ${wan_delay} ms delay lies on the way to the internet (min RTT $min ms)" \
    between "$min" "$wan_delay" 1000
else
  echo "note: the uplink has no added delay ($(cat "$LAB/note-delay" 2>/dev/null || echo no fault-delay-uplink))"
fi

# --- the ISP goes dark ---------------------------------------------------------------------
"$BUREAU" fault isp dark
check "isp dark: ISP $ISP 100% loss" [ "$(loss_of "$ISP" 5 0.2)" = 100 ]
check "isp dark: internet $INTERNET 100% loss" [ "$(loss_of "$INTERNET" 5 0.2)" = 100 ]
check "isp dark: router $ROUTER answers" [ "$(loss_of "$ROUTER" 5 0.2)" = 0 ]
check "isp dark: router wan0 oper up (sysfs and ifOperStatus)" wan0_up
check "isp dark: status lists the fault" fault_listed isp
"$BUREAU" fault isp light
check "isp light: ISP answers again" [ "$(loss_of "$ISP" 3 0.2)" = 0 ]
check "isp light: internet answers again" [ "$(loss_of "$INTERNET" 3 0.2)" = 0 ]
if fault_listed isp; then fail "isp light: status still lists the fault"
else pass "isp light: status no longer lists the fault"; fi

# --- loss on the uplink reaches the ISP and beyond -------------------------------------------
# 30 % over 200 pings: the standard deviation is 3.2 points, so 18..42 is nearly 4 of them.
"$BUREAU" fault loss uplink 30
for target in "$ISP" "$INTERNET"; do
  loss=$(loss_of "$target" 200 0.02)
  echo "measured: fault loss uplink 30: $target $loss% loss over 200 pings"
  check "loss uplink 30: $target loses 30% +- 12 ($loss%)" between "$loss" 18 42
done
"$BUREAU" fault noloss uplink
check "noloss uplink: ISP without loss again" [ "$(loss_of "$ISP" 20 0.05)" = 0 ]

# --- saturation: the uplink's queue fills ---------------------------------------------------
read -r loss base _ <<<"$(ping_stats "$ISP" 10 0.1)"
"$BUREAU" fault saturate 8 &
saturate_pid=$!
sleep 2  # the queue fills within a second at three times the line's rate
read -r loss avg _ <<<"$(ping_stats "$ISP" 20 0.2)"
echo "measured: fault saturate: ISP $loss% loss, avg RTT $avg ms (idle $base ms)"
if [ "$loss" != 0 ] || between "$avg" 100 100000; then
  pass "saturate: pings to the ISP see loss or delay ($loss%, $avg ms)"
else
  fail "saturate: pings to the ISP see neither loss nor delay ($loss%, $avg ms)"
fi
wait "$saturate_pid" || true
saturate_pid=""
sleep 1.5  # the queue drains
check "after saturate: the ISP answers without loss" [ "$(loss_of "$ISP" 10 0.1)" = 0 ]

# --- the server's services -----------------------------------------------------------------
check "web: curl -sI http://$SERVER/ is 200" web_ok
check "oa: curl $SERVER:8080 answers" oa_ok
"$BUREAU" fault service web stop
check "service web stop: a connect to $SERVER:80 is refused" refused "$SERVER" 80
check "service web stop: oa still answers" oa_ok
check "service web stop: status lists the fault" fault_listed service-web
"$BUREAU" fault service web start
check "service web start: 200 again" web_ok
"$BUREAU" fault service oa stop
check "service oa stop: a connect to $SERVER:8080 is refused" refused "$SERVER" 8080
check "service oa stop: web still answers" web_ok
"$BUREAU" fault service oa start
check "service oa start: answers again" oa_ok

# --- loss and delay on a unit's link --------------------------------------------------------
# 20 % over 200 pings: the standard deviation is 2.8 points; 10..30 is 3.5 of them.
"$BUREAU" fault loss "$UNIT" 20
loss=$(loss_of "$UNIT_ADDR" 200 0.05)
echo "measured: fault loss $UNIT 20: $loss% loss over 200 pings at -i 0.05"
check "loss $UNIT 20: $UNIT_ADDR loses 20% +- 10 ($loss%)" between "$loss" 10 30
"$BUREAU" fault noloss "$UNIT"
check "noloss $UNIT: no loss again" [ "$(loss_of "$UNIT_ADDR" 20 0.05)" = 0 ]

read -r loss base _ <<<"$(ping_stats "$UNIT_ADDR" 20 0.05)"
"$BUREAU" fault delay "$UNIT" 50
read -r loss avg _ <<<"$(ping_stats "$UNIT_ADDR" 20 0.05)"
added=$(awk -v a="$avg" -v b="$base" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a - b }')
echo "measured: fault delay $UNIT 50: avg RTT $avg ms, idle $base ms: $added ms added"
check "delay $UNIT 50: adds 50 +- 5 ms ($added ms)" between "$added" 45 55
"$BUREAU" fault nodelay "$UNIT"
read -r loss avg _ <<<"$(ping_stats "$UNIT_ADDR" 10 0.05)"
check "nodelay $UNIT: RTT back below 5 ms ($avg ms)" between "$avg" 0 5

if [ "$failures" -gt 0 ]; then
  echo "check_reachability: $failures failed" >&2
  exit 1
fi
echo "check_reachability: all passed"
