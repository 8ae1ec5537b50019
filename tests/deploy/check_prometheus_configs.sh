#!/usr/bin/env bash
# One check of deploy/prometheus and deploy/alertmanager, by the Prometheus ecosystem's own
# tools (Debian's promtool, amtool, prometheus-alertmanager) and a real lanwatchd:
#   check_prometheus_configs.sh config|rules|rules-test|alertmanager|routes|inhibition
#   check_prometheus_configs.sh metrics LANWATCHD
# Exits non-zero on any mismatch, and when a tool or agent does not start (never a skip).
# Everything listens on 127.0.0.1 and is stopped by its PID.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
prom=$src/deploy/prometheus
am_config=$src/deploy/alertmanager/alertmanager.yml
python=/usr/bin/python3

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() {  # $1: tcp or udp
  "$python" -c 'import socket,sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

wait_for() {  # $1: seconds, $2...: a command that succeeds once ready
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Expected receiver for representative alerts, as lanwatch and these rules label them.
routes() {
  local ok=1
  expect() {  # $1: receiver, $2...: labels
    local want=$1; shift
    # stdout: the receivers it resolved; stderr: amtool's own warnings.
    if amtool config routes test --config.file="$am_config" --verify.receivers="$want" "$@" \
      >"$scratch/route.out" 2>/dev/null; then
      echo "ok   $want <- $*"
    else
      echo "FAIL $* routed to $(head -1 "$scratch/route.out"), expected $want" >&2
      ok=0
    fi
  }
  expect it-email alertname=LinkDown severity=critical site=bureau device=core-switch link=datong
  expect it-email alertname=LinkUtilization severity=warning site=bureau device=router link=uplink
  expect it-email alertname=DeviceUnreachable severity=critical site=bureau device=core-switch
  expect it-email alertname=ReceiverFailing severity=warning site=bureau device=lanwatch link=email
  expect it-email alertname=LanwatchTest severity=warning site=bureau device=lanwatch
  expect blackhole alertname=ParentUnreachable severity=none device=unit-switch parent=core-switch
  expect blackhole alertname=LanwatchHeartbeat severity=none site=bureau
  ((ok)) || fail "routes"
}

# The inhibition rules on a real Alertmanager: which of a set of alerts it marks inhibited.
inhibition() {
  local port mail_port
  port=$(free_port tcp)
  mail_port=$(free_port tcp)  # nothing listens there: no mail leaves the test
  sed "s/^  smtp_smarthost: .*/  smtp_smarthost: 127.0.0.1:$mail_port/" "$am_config" >"$scratch/am.yml"
  grep -q "127.0.0.1:$mail_port" "$scratch/am.yml" || fail "smtp_smarthost not found in $am_config"
  prometheus-alertmanager --config.file="$scratch/am.yml" --storage.path="$scratch/am-data" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
    >"$scratch/am.log" 2>&1 &
  pids+=($!)
  wait_for 20 curl -sf "http://127.0.0.1:$port/-/ready" ||
    fail "alertmanager did not start: $(cat "$scratch/am.log")"
  "$python" - "$port" <<'PY'
import json, sys, time, urllib.request
port = sys.argv[1]
base = {"site": "bureau"}
# (labels, inhibited?)
cases = [
    # The core switch is unreachable: its own links' alerts go quiet, and everything of the
    # devices reached through it (ParentUnreachable carries the child's device).
    ({"alertname": "DeviceUnreachable", "severity": "critical", "device": "core-switch"}, False),
    ({"alertname": "LinkDown", "severity": "critical", "device": "core-switch", "link": "datong"}, True),
    ({"alertname": "ParentUnreachable", "severity": "none", "device": "unit-switch", "parent": "core-switch"}, False),
    ({"alertname": "DeviceUnreachable", "severity": "critical", "device": "unit-switch", "parent": "core-switch"}, True),
    ({"alertname": "LinkDown", "severity": "critical", "device": "unit-switch", "link": "unit-lan", "parent": "core-switch"}, True),
    # Critical over warning of the same alert; another link's warning stays.
    ({"alertname": "LinkUtilization", "severity": "critical", "device": "router", "link": "uplink"}, False),
    ({"alertname": "LinkUtilization", "severity": "warning", "device": "router", "link": "uplink"}, True),
    ({"alertname": "LinkUtilization", "severity": "warning", "device": "dist", "link": "lab"}, False),
    # Link down over its far end; no light over link down.
    ({"alertname": "LinkDown", "severity": "critical", "device": "dist", "link": "panji"}, False),
    ({"alertname": "FarEndUnreachable", "severity": "critical", "device": "dist", "link": "panji"}, True),
    ({"alertname": "FiberNoLight", "severity": "critical", "device": "dist", "link": "fiber1"}, False),
    ({"alertname": "LinkDown", "severity": "critical", "device": "dist", "link": "fiber1"}, True),
    # Flapping folds the port's far-end alerts into its own notice.
    ({"alertname": "LinkFlapping", "severity": "warning", "device": "dist", "link": "flap1"}, False),
    ({"alertname": "FarEndLoss", "severity": "warning", "device": "dist", "link": "flap1"}, True),
    # A far end on another link is not inhibited by panji's link down.
    ({"alertname": "FarEndLoss", "severity": "warning", "device": "dist", "link": "lab"}, False),
]
alerts = [{"labels": dict(base, **labels)} for labels, _ in cases]
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/alerts", data=json.dumps(alerts).encode(),
                             headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(req, timeout=5).read()
def key(labels):
    return tuple(sorted(labels.items()))
want = {key(dict(base, **labels)): inhibited for labels, inhibited in cases}
got = {}
deadline = time.time() + 15
while time.time() < deadline:  # inhibition is computed as alerts arrive; give it a moment
    body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/alerts", timeout=5))
    got = {key(a["labels"]): bool(a["status"]["inhibitedBy"]) for a in body}
    if got == want:
        break
    time.sleep(0.5)
bad = 0
for k, inhibited in want.items():
    state = got.get(k)
    mark = "ok  " if state == inhibited else "FAIL"
    bad += state != inhibited
    print(f"{mark} {'inhibited' if inhibited else 'sent     '} {dict(k)}" +
          ("" if state == inhibited else f" (got {state})"))
sys.exit(1 if bad else 0)
PY
}

# Every lanwatch_* name the rules read is a family lanwatchd really exports: lanwatchd against
# an snmpsimd agent on loopback, its /metrics read once it has polled.
metrics() {
  local lanwatchd=$1 snmp_port http_port
  [[ -x $lanwatchd ]] || fail "no lanwatchd at '$lanwatchd'"
  "$python" "$src/tests/agents/make_recordings.py" "$scratch/data" >/dev/null
  # snmpsimd runs as nobody: world-readable data, a cache only it writes.
  chmod -R a+rX "$scratch"
  mkdir -p "$scratch/cache" && chown nobody "$scratch/cache" 2>/dev/null || chmod 0777 "$scratch/cache"
  snmp_port=$(free_port udp)
  snmpsimd --data-dir="$scratch/data" --agent-udpv4-endpoint="127.0.0.1:$snmp_port" \
    --cache-dir="$scratch/cache" --process-user=nobody --process-group=nogroup \
    --logging-method=null >"$scratch/snmpsimd.log" 2>&1 &
  pids+=($!)
  http_port=$(free_port tcp)
  mkdir -p "$scratch/state"
  cat >"$scratch/lanwatch.yaml" <<YAML
site: deploy check
poll_interval: 1s
snmp: {timeout: 1s, retries: 1}
devices:
  - {name: core-switch, role: switch, address: 127.0.0.1, snmp: {community: switch48_c32, port: $snmp_port}}
  - {name: router, role: router, address: 127.0.0.1, parent: core-switch, snmp: {community: router_hc, port: $snmp_port}}
links:
  - {name: uplink, kind: uplink, device: router, interface: wan0, capacity: 10Mbit}
  - {name: datong, kind: subordinate, device: core-switch, interface: {index: 1}, capacity: 100Mbit}
YAML
  "$lanwatchd" -c "$scratch/lanwatch.yaml" --listen "127.0.0.1:$http_port" \
    --state-dir "$scratch/state" >"$scratch/lanwatchd.log" 2>&1 &
  pids+=($!)
  # Polled for real: the router answered through snmpsimd, and has a parent.
  wait_for 30 sh -c "curl -sf http://127.0.0.1:$http_port/metrics | \
    grep -q '^lanwatch_device_topology_info{device=\"router\",role=\"router\",parent=\"core-switch\"} 1' && \
    curl -sf http://127.0.0.1:$http_port/metrics | grep -q '^lanwatch_device_up{device=\"router\",role=\"router\"} 1'" ||
    fail "lanwatchd did not poll the agent: $(tail -20 "$scratch/lanwatchd.log") $(cat "$scratch/snmpsimd.log")"
  curl -sf "http://127.0.0.1:$http_port/metrics" >"$scratch/metrics.txt"
  # The rules compare with the link's own thresholds: here the defaults.
  grep -q '^lanwatch_link_threshold{link="datong",measure="utilization",level="warning"} 0.8$' \
    "$scratch/metrics.txt" || fail "no utilization threshold for datong in /metrics"
  "$python" - "$prom/lanwatch.rules.yml" "$scratch/metrics.txt" <<'PY'
import re, sys, yaml
rules_file, metrics_file = sys.argv[1:]
exported = set()
for line in open(metrics_file, encoding="utf-8"):
    m = re.match(r"# TYPE (\S+) (\S+)", line)
    if m:
        exported.add(m.group(1))
        if m.group(2) == "histogram":
            exported.update(m.group(1) + s for s in ("_bucket", "_sum", "_count"))
used = {}
for group in yaml.safe_load(open(rules_file, encoding="utf-8"))["groups"]:
    for rule in group["rules"]:
        # Label values and regexes are strings, never metric names: drop them first. A name
        # with a colon is a recording rule's output, not a family of lanwatchd's.
        expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', rule["expr"])
        for name in re.findall(r"\b[a-zA-Z_][a-zA-Z0-9_:]*", expr):
            if name.startswith("lanwatch_") and ":" not in name:
                used.setdefault(name, rule.get("alert") or rule.get("record"))
missing = sorted(n for n in used if n not in exported)
print(f"{len(used)} lanwatch_* families used by the rules, {len(exported)} exported")
for n in missing:
    print(f"FAIL {n} (used by {used[n]}) is not in lanwatchd's /metrics", file=sys.stderr)
if not used:
    sys.exit("FAIL no lanwatch_* name found in the rules: the parse is broken")
sys.exit(1 if missing else 0)
PY
}

case "${1:-}" in
  config) promtool check config "$prom/prometheus.yml" ;;
  rules) promtool check rules "$prom/lanwatch.rules.yml" ;;
  rules-test) cd "$prom" && promtool test rules lanwatch.rules_test.yml ;;
  alertmanager) amtool check-config "$am_config" ;;
  routes) routes ;;
  inhibition) inhibition ;;
  metrics) metrics "${2:-}" ;;
  *) fail "usage: $0 config|rules|rules-test|alertmanager|routes|inhibition|metrics LANWATCHD" ;;
esac
