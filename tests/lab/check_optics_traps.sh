#!/usr/bin/env bash
# Checks the bureau lab's optics and traps (tests/lab/bureau) with net-snmp's own tools from
# the monitor namespace, as lanwatchd would see them: the transceivers' levels and how they
# map to interfaces, each optical fault changing them within 1 s, a linkDown trap within 2 s
# of `fault cut`, v1 traps from the server, no authenticationFailure traps. Prints what it
# measured: the time from `fault cut` to the trap's arrival (5 tries) and the walk time of the
# switch's ENTITY-SENSOR-MIB subtree through its proxy.
#
#   tests/lab/check_optics_traps.sh [UNIT]   (root; UNIT default datong)
#
# Ups the lab (traffic off) when it is down, and downs it again at the end, checking that
# `down` leaves no namespace and no process; a lab that was up stays up, its faults restored
# (but UNIT's transceiver stays swapped: a swap is not undone). Exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUREAU=$HERE/bureau
# shellcheck source=tests/lab/lab_names.sh
source "$HERE/lab_names.sh"
UNIT=${1:-datong}
SWITCH=198.18.1.2 ROUTER=198.18.1.1 SERVER=198.18.1.10 MONITOR=198.18.1.20
SENSOR=.1.3.6.1.2.1.99.1.1.1 ENT=.1.3.6.1.2.1.47.1.1.1.1 ALIAS=.1.3.6.1.2.1.47.1.3.2.1.2
H3C=.1.3.6.1.4.1.25506.2.70.1.1.1
LINK_DOWN=.1.3.6.1.6.3.1.1.5.3 LINK_UP=.1.3.6.1.6.3.1.1.5.4
NO_LIGHT=-4000  # hundredths of a dBm

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
fatal() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fatal "needs root (the lab's network namespaces)"
command -v snmptrapd >/dev/null || fatal "snmptrapd is not installed (Debian package snmptrapd)"

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }  # seconds
in_monitor() { "$BUREAU" exec monitor "$@"; }
get() {  # ADDR COMMUNITY OID: the value alone, or nothing
  in_monitor snmpget -m '' -On -Oqv -v2c -c "$2" -t 1 -r 1 "$1" "$3" 2>/dev/null | tr -d '"' || true
}
ifindex() { "$BUREAU" exec "$1" cat "/sys/class/net/$2/ifindex"; }
# Polls `get ADDR COMMUNITY OID` until it prints WANT, for at most LIMIT seconds from START;
# prints how long it took, or fails saying what it saw.
await_value() {  # START LIMIT WHAT ADDR COMMUNITY OID WANT
  local start=$1 limit=$2 what=$3 want=$7 v
  while :; do
    v=$(get "$4" "$5" "$6")
    if [ "$v" = "$want" ]; then pass "$what: $v after $(since "$start") s"; return 0; fi
    if awk -v t="$(since "$start")" -v l="$limit" 'BEGIN { exit !(t > l) }'; then
      fail "$what: $6 is '$v', not '$want', $limit s after the fault"
      return 1
    fi
    sleep 0.05
  done
}

# --- the lab -----------------------------------------------------------------------------
upped=0 trapd_pid="" reader_pid="" tmp=$(mktemp -d /tmp/lanwatch-check-optics-XXXXXX)
touched=()  # ports whose faults we restore at the end
cleanup() {
  local rc=$?
  local p
  for p in "${touched[@]}"; do
    "$BUREAU" fault restore "$p" >/dev/null 2>&1 || true
    "$BUREAU" fault undim "$p" >/dev/null 2>&1 || true
  done
  if [ -n "$trapd_pid" ]; then
    kill "$trapd_pid" 2>/dev/null || true
    wait "$trapd_pid" 2>/dev/null || true
  fi
  [ -n "$reader_pid" ] && { wait "$reader_pid" 2>/dev/null || true; }
  if [ "$upped" = 1 ]; then
    local pids; pids=$(cat "$LAB"/*.pid 2>/dev/null || true)
    "$BUREAU" down >/dev/null
    local left; left=$(lab_namespaces)
    [ -z "$left" ] || { echo "FAIL: bureau down left namespaces: $left" >&2; rc=1; }
    local pid
    for pid in $pids; do
      # A zombie is gone for good (PID 1 here may not reap it); a live process is not.
      if [ -r "/proc/$pid/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat"; then
        echo "FAIL: bureau down left pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline")" >&2
        rc=1
      fi
    done
    [ "$rc" = 0 ] && echo "ok: bureau down left no namespace and none of its $(wc -w <<<"$pids") processes"
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f "$LAB/up" ]; then
  start=$(now)
  "$BUREAU" up --traffic off >"$tmp/up.log" 2>&1 || fatal "bureau up failed: $(cat "$tmp/up.log")"
  upped=1
  echo "measured: bureau up --traffic off took $(since "$start") s"
fi
if "$BUREAU" status | grep -E "fault: (link|dim)-($UNIT|uplink):"; then
  fatal "the lab has optical faults on $UNIT or uplink already: restore them first"
fi
touched=("$UNIT" uplink)

# --- a trap receiver in the monitor namespace ---------------------------------------------
# snmptrapd runs under `ip netns exec` (which execs it), so $! is its own PID. One line per
# trap: TIME|security (version, community)|UDP source|v1 agent-addr|v1 generic type|varbinds,
# TIME (epoch seconds) added on arrival by the reader, since snmptrapd stamps whole seconds.
printf 'authCommunity log lab-traps\n' >"$tmp/snmptrapd.conf"
mkfifo "$tmp/traps.fifo"
while IFS= read -r line; do printf '%s|%s\n' "$EPOCHREALTIME" "$line"; done \
  <"$tmp/traps.fifo" >"$tmp/traps.log" &
reader_pid=$!
mkdir -p "$tmp/trapd-state"
SNMP_PERSISTENT_DIR="$tmp/trapd-state" MIBS="" ip netns exec "$(ns monitor)" stdbuf -oL \
  snmptrapd -f -Lo -C -c "$tmp/snmptrapd.conf" -m '' -On -F 'TRAP|%P|%b|%A|%w|%v\n' \
  "udp:$MONITOR:162" >"$tmp/traps.fifo" 2>&1 </dev/null &
trapd_pid=$!

# Waits for a trap that arrived after START and holds every PATTERN (fixed strings), for at
# most LIMIT seconds after START; prints its arrival, in seconds after START.
await_trap() {  # START LIMIT PATTERN...
  local start=$1 limit=$2; shift 2
  local patterns; patterns=$(printf '%s\037' "$@")
  while :; do
    local at
    at=$(awk -F'|' -v start="$start" -v pats="$patterns" '
      BEGIN { n = split(pats, p, "\037") - 1 }
      $2 == "TRAP" && $1 > start {
        for (i = 1; i <= n; i++) if (index($0, p[i]) == 0) next
        printf "%.3f\n", $1 - start; exit
      }' "$tmp/traps.log")
    [ -n "$at" ] && { echo "$at"; return 0; }
    awk -v t="$(since "$start")" -v l="$limit" 'BEGIN { exit !(t > l) }' && return 1
    sleep 0.02
  done
}

# Ready once a trap of our own (a coldStart from the monitor itself) comes through.
ready=0
for _ in $(seq 1 20); do
  grep -q '^[0-9]* (.*) [ZX]' "/proc/$trapd_pid/stat" 2>/dev/null &&
    fatal "snmptrapd exited: $(cat "$tmp/traps.log")"
  start=$(now)
  in_monitor snmptrap -m '' -v2c -c lab-traps "$MONITOR:162" '' .1.3.6.1.6.3.1.1.5.1 \
    >/dev/null 2>&1 || true
  if await_trap "$start" 0.5 "UDP: [$MONITOR]" >/dev/null; then ready=1; break; fi
done
[ "$ready" = 1 ] || fatal "snmptrapd in the monitor namespace received nothing: $(cat "$tmp/traps.log")"
pass "snmptrapd listens on $MONITOR:162"

# --- the switch's transceivers -----------------------------------------------------------
in_monitor snmpbulkwalk -m '' -On -Oq -v2c -c lab-switch "$SWITCH" .1.3.6.1.2.1.47 \
  >"$tmp/entity.txt" || fail "walk of the switch's ENTITY-MIB"
in_monitor snmpbulkwalk -m '' -On -Oq -v2c -c lab-switch "$SWITCH" .1.3.6.1.2.1.99 \
  >"$tmp/sensor.txt" || fail "walk of the switch's ENTITY-SENSOR-MIB"
cat "$tmp/entity.txt" "$tmp/sensor.txt" | sed 's/"//g' >"$tmp/switch.txt"
col() { awk -v o="$1" '$1 == o { $1 = ""; sub(/^ /, ""); print; exit }' "$tmp/switch.txt"; }
index_named() { awk -v p="$ENT.7." -v n="$1" 'index($1, p) == 1 { v = $0; sub(/^[^ ]* /, "", v)
  if (v == n) { sub(p, "", $1); print $1; exit } }' "$tmp/switch.txt"; }

declare -A rx_of
for unit in datong tianjiaan xiejiaji bagongshan panji maoji fengtai; do
  ifname=sw-$unit
  port=$(index_named "$ifname") module=$(index_named "$ifname transceiver")
  rx=$(index_named "$ifname Rx Power") tx=$(index_named "$ifname Tx Power")
  temp=$(index_named "$ifname Temperature")
  if [ -z "$port" ] || [ -z "$module" ] || [ -z "$rx" ] || [ -z "$tx" ] || [ -z "$temp" ]; then
    fail "$ifname: entities missing (port '$port' transceiver '$module' sensors '$rx' '$tx' '$temp')"
    continue
  fi
  want_alias=.1.3.6.1.2.1.2.2.1.1.$(ifindex switch "$ifname")
  problems=()
  [ "$(col "$ALIAS.$port.0")" = "$want_alias" ] || problems+=("port not mapped to $want_alias")
  [ "$(col "$ENT.5.$module")" = 9 ] || problems+=("transceiver class not module(9)")
  [ "$(col "$ENT.4.$module")" = "$port" ] || problems+=("transceiver not in the port")
  [ -n "$(col "$ENT.11.$module")" ] || problems+=("no serial")
  [ -n "$(col "$ENT.12.$module")" ] || problems+=("no manufacturer")
  for s in "$rx" "$tx" "$temp"; do
    [ "$(col "$ENT.4.$s")" = "$module" ] || problems+=("sensor $s not in the transceiver")
  done
  for s in "$rx" "$tx"; do
    [ "$(col "$SENSOR.1.$s") $(col "$SENSOR.2.$s") $(col "$SENSOR.3.$s")" = "14 9 2" ] ||
      problems+=("sensor $s not dBm, units, precision 2")
  done
  [ "$(col "$SENSOR.1.$temp")" = 8 ] || problems+=("temperature sensor not celsius(8)")
  rxv=$(col "$SENSOR.4.$rx") txv=$(col "$SENSOR.4.$tx")
  { [ "$rxv" -le -400 ] && [ "$rxv" -ge -900 ]; } 2>/dev/null || problems+=("Rx $rxv not in -4..-9 dBm")
  { [ "$txv" -le -400 ] && [ "$txv" -ge -600 ]; } 2>/dev/null || problems+=("Tx $txv not about -5 dBm")
  for other in "${!rx_of[@]}"; do
    [ "${rx_of[$other]}" != "$rxv" ] || problems+=("Rx $rxv the same as $other's")
  done
  rx_of[$unit]=$rxv
  if [ ${#problems[@]} -eq 0 ]; then
    pass "$ifname: transceiver $(col "$ENT.11.$module"), Rx $rxv Tx $txv (0.01 dBm), $(col "$SENSOR.4.$temp") (0.1 °C)"
  else
    fail "$ifname: $(IFS=';'; echo "${problems[*]}")"
  fi
done

# --- faults on UNIT ----------------------------------------------------------------------
ifname=sw-$UNIT
port=$(index_named "$ifname") module=$(index_named "$ifname transceiver")
rx=$(index_named "$ifname Rx Power")
[ -n "$rx" ] || fatal "$ifname has no Rx sensor"
RX=$SENSOR.4.$rx SERIAL=$ENT.11.$module
n=$(ifindex switch "$ifname")
OPER=.1.3.6.1.2.1.2.2.1.8.$n
base=$(get $SWITCH lab-switch "$RX")
down_trap=("UDP: [$SWITCH]" "SNMP v2c, community lab-traps" "OID: $LINK_DOWN"
  ".1.3.6.1.2.1.2.2.1.1.$n = INTEGER: $n")
up_trap=("UDP: [$SWITCH]" "OID: $LINK_UP" ".1.3.6.1.2.1.2.2.1.1.$n = INTEGER: $n")

latencies=()
for try in 1 2 3 4 5; do
  # The agents look every second: a cut at a random point of that second, not always just
  # after the look that sent the last linkUp.
  sleep "0.$((RANDOM % 10))"
  start=$(now)
  "$BUREAU" fault cut "$UNIT"
  if [ "$try" = 1 ]; then  # the trap's arrival is stamped by the reader: it can wait
    await_value "$start" 1 "cut $UNIT: Rx no light" $SWITCH lab-switch "$RX" "$NO_LIGHT" || true
    await_value "$start" 2 "cut $UNIT: port down" $SWITCH lab-switch "$OPER" 2 || true
  fi
  if at=$(await_trap "$start" 2 "${down_trap[@]}"); then
    latencies+=("$at")
  else
    fail "cut $UNIT (try $try): no linkDown trap for ifIndex $n within 2 s"
  fi
  start=$(now)
  "$BUREAU" fault restore "$UNIT"
  [ "$try" = 1 ] && { await_value "$start" 1 "restore $UNIT: Rx back" $SWITCH lab-switch "$RX" "$base" || true; }
  await_trap "$start" 3 "${up_trap[@]}" >/dev/null || fail "restore $UNIT: no linkUp trap within 3 s"
done
[ ${#latencies[@]} -gt 0 ] && echo "measured: fault cut -> linkDown trap, s: ${latencies[*]}"
[ ${#latencies[@]} -eq 5 ] && pass "5 linkDown traps within 2 s of fault cut"

start=$(now)
"$BUREAU" fault dim "$UNIT" 3
await_value "$start" 1 "dim $UNIT 3: Rx 3 dB lower" $SWITCH lab-switch "$RX" $((base - 300)) || true
sleep 1.5  # the monitors run every second: time enough for a linkDown
[ "$(get $SWITCH lab-switch "$OPER")" = 1 ] || fail "dim $UNIT: the link went down"
! await_trap "$start" 0 "${down_trap[@]}" >/dev/null || fail "dim $UNIT: a linkDown trap"
start=$(now)
"$BUREAU" fault undim "$UNIT"
await_value "$start" 1 "undim $UNIT: Rx back" $SWITCH lab-switch "$RX" "$base" || true

start=$(now)
"$BUREAU" fault txcut "$UNIT"
await_value "$start" 2 "txcut $UNIT: port down" $SWITCH lab-switch "$OPER" 2 || true
await_trap "$start" 2 "${down_trap[@]}" >/dev/null || fail "txcut $UNIT: no linkDown trap within 2 s"
[ "$(get $SWITCH lab-switch "$RX")" = "$base" ] && pass "txcut $UNIT: Rx unchanged, $base" ||
  fail "txcut $UNIT: Rx changed to $(get $SWITCH lab-switch "$RX"), not $base"
start=$(now)
"$BUREAU" fault restore "$UNIT"
await_value "$start" 3 "restore $UNIT after txcut: port up" $SWITCH lab-switch "$OPER" 1 || true

serial=$(get $SWITCH lab-switch "$SERIAL")
start=$(now)
"$BUREAU" fault swap "$UNIT"
await_value "$start" 1 "swap $UNIT: Rx 1.5 dB better" $SWITCH lab-switch "$RX" $((base + 150)) || true
new_serial=$(get $SWITCH lab-switch "$SERIAL")
[ -n "$new_serial" ] && [ "$new_serial" != "$serial" ] && pass "swap $UNIT: serial $serial -> $new_serial" ||
  fail "swap $UNIT: serial '$serial' -> '$new_serial'"

# --- the router's uplink (HH3C-TRANSCEIVER-INFO-MIB, by ifIndex) ----------------------------
wan=$(ifindex router wan0)
URX=$H3C.12.$wan
ubase=$(get $ROUTER lab-router "$URX")
{ [ "$ubase" -le -400 ] && [ "$ubase" -ge -900 ]; } 2>/dev/null && pass "router wan0: Rx $ubase (0.01 dBm)" ||
  fail "router wan0: Rx '$ubase' not in -4..-9 dBm"
userial=$(get $ROUTER lab-router "$H3C.5.$wan")
in_monitor snmpbulkwalk -m '' -On -Oq -v2c -c lab-router "$ROUTER" .1.3.6.1.2.1.47 | tr -d '"' \
  >"$tmp/router-entity.txt" || fail "walk of the router's ENTITY-MIB"
grep -q "^$ALIAS\.[0-9]*\.0 .1.3.6.1.2.1.2.2.1.1.$wan$" "$tmp/router-entity.txt" &&
  grep -q "^$ENT\.11\.[0-9]* $userial$" "$tmp/router-entity.txt" &&
  pass "router wan0: ENTITY-MIB maps a port to ifIndex $wan and names module $userial" ||
  fail "router wan0: ENTITY-MIB has no port mapped to ifIndex $wan or no module $userial"
start=$(now)
"$BUREAU" fault cut uplink
await_value "$start" 1 "cut uplink: router Rx no light" $ROUTER lab-router "$URX" "$NO_LIGHT" || true
if at=$(await_trap "$start" 2 "UDP: [$ROUTER]" "OID: $LINK_DOWN" ".1.3.6.1.2.1.2.2.1.1.$wan = INTEGER: $wan"); then
  pass "cut uplink: linkDown trap from the router after $at s"
else
  fail "cut uplink: no linkDown trap from the router within 2 s"
fi
start=$(now)
"$BUREAU" fault restore uplink
await_value "$start" 1 "restore uplink: router Rx back" $ROUTER lab-router "$URX" "$ubase" || true
await_value "$start" 3 "restore uplink: wan0 up" $ROUTER lab-router ".1.3.6.1.2.1.2.2.1.8.$wan" 1 || true
"$BUREAU" exec "$UNIT" ping -q -c 1 -W 2 198.18.0.1 >/dev/null &&
  pass "restore uplink: $UNIT reaches the ISP again" || fail "restore uplink: $UNIT cannot reach the ISP"

# --- v1 traps, and none for a wrong community ----------------------------------------------
start=$(now)
"$BUREAU" fault agent restart server
if at=$(await_trap "$start" 5 "UDP: [$SERVER]" "SNMP v1, community lab-traps" "|$SERVER|0|"); then
  pass "server restart: v1 coldStart, agent-addr $SERVER, after $at s"
else
  fail "server restart: no v1 coldStart trap from $SERVER within 5 s"
fi
start=$(now)
in_monitor snmpget -m '' -v2c -c not-the-community -t 0.3 -r 0 $SWITCH .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 || true
in_monitor snmpget -m '' -v1 -c not-the-community -t 0.3 -r 0 $SERVER .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 || true
sleep 1
if await_trap "$start" 0 "OID: .1.3.6.1.6.3.1.1.5.5" >/dev/null ||
  await_trap "$start" 0 "UDP: [$SERVER]" "|4|" >/dev/null; then
  fail "a wrong community sent an authenticationFailure trap"
else
  pass "a wrong community sends no authenticationFailure trap"
fi

# --- walk time through the proxy -----------------------------------------------------------
rows=$(wc -l <"$tmp/sensor.txt")
for tool in snmpbulkwalk snmpwalk; do
  times=()
  for _ in 1 2 3 4 5; do
    start=$(now)
    in_monitor "$tool" -m '' -On -v2c -c lab-switch "$SWITCH" .1.3.6.1.2.1.99 >/dev/null ||
      fail "$tool of the switch's ENTITY-SENSOR-MIB"
    times+=("$(since "$start")")
  done
  echo "measured: $tool of the switch's ENTITY-SENSOR-MIB ($rows objects, through the proxy), s: ${times[*]}"
done

if [ "$failures" -gt 0 ]; then
  echo "check_optics_traps: $failures failed" >&2
  exit 1
fi
echo "check_optics_traps: all passed"
