#!/usr/bin/env bash
# Background traffic that behaves like an office: bursts of web and file transfers from the
# units to the server and out the uplink, a few seconds each, with pauses. Run by
# `bureau traffic LEVEL`; stops when killed. Talks only to lab addresses (198.18.1.10, .0.1).
set -u
level=${1:-low}
case $level in
  low) workers=1 max_mbit=1 ;;
  medium) workers=2 max_mbit=3 ;;
  high) workers=3 max_mbit=6 ;;
  *) echo "level: low, medium or high" >&2; exit 2 ;;
esac
# shellcheck source=tests/lab/lab_names.sh
source "$(dirname "$0")/lab_names.sh"
UNITS=(datong tianjiaan xiejiaji bagongshan panji maoji fengtai)
worker() {
  while true; do
    local unit=${UNITS[$((RANDOM % ${#UNITS[@]}))]}
    local target=198.18.1.10
    ((RANDOM % 3 == 0)) && target=198.18.0.1  # a third of it goes out to the internet
    local mbit=$((RANDOM % max_mbit + 1)) secs=$((RANDOM % 4 + 1))
    local reverse=""
    ((RANDOM % 2)) && reverse="-R"  # downloads as well as uploads
    ip netns exec "$(ns "$unit")" iperf3 -c "$target" -p 5201 -t "$secs" -b "${mbit}M" $reverse \
      >/dev/null 2>&1
    sleep "0.$((RANDOM % 10))"
  done
}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 0' TERM INT
for _ in $(seq 1 "$workers"); do worker & pids+=($!); done
wait
