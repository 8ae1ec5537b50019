#!/usr/bin/env python3
"""Static checks of lanwatch's Grafana dashboards and provisioning (deploy/grafana/).

  check_dashboards.py [--lanwatchd BINARY]    check; exit 1 with one line per problem
  check_dashboards.py --print-queries --link L --capture C [--rate-interval 30s]
                                              every panel's PromQL, variables substituted,
                                              as JSON (the lab test runs them on Prometheus)

Checked: every dashboard is valid JSON with a `datasource` variable (type datasource, query
prometheus); every panel has a title, a unit (fieldConfig.defaults.unit) and that variable as
its data source, and so has each of its queries; no data source uid is written out anywhere;
every range in a query is $__rate_interval (rate, irate, increase); every lanwatch_* metric a
query names is in README's Metrics table or in what a real lanwatchd serves on /metrics
(--lanwatchd: started on loopback with a device that never answers, scraped once: every
family is present from the first scrape). The provisioning files parse and point at the
dashboards' install path.
"""
import argparse
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DASHBOARDS = os.path.join(ROOT, "deploy", "grafana", "dashboards")
PROVISIONING = os.path.join(ROOT, "deploy", "grafana", "provisioning")
INSTALL_PATH = "/usr/share/lanwatch/grafana/dashboards"
DATASOURCE_REFS = ("${datasource}", "$datasource")

METRIC = re.compile(r"\blanwatch_[a-z0-9_]+")
RANGE = re.compile(r"\[([^\]]*)\]")
COUNTER_FUNCTION = re.compile(r"\b(rate|irate|increase)\s*\(")


def expand(name):
    """`lanwatch_a_{x,y}_b` -> lanwatch_a_x_b, lanwatch_a_y_b (every group)."""
    parts = re.split(r"\{([^}]*)\}", name)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return {"".join(c) for c in itertools.product(*choices)}


def readme_metrics():
    names = set()
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("### Metrics"):]
    for line in section.splitlines():
        if not line.startswith("| `lanwatch_"):
            continue
        cell = line.split("|")[1]
        first = None
        for raw in re.findall(r"`([^`]+)`", cell):
            if raw.startswith("_") and first:
                # `lanwatch_interface_up`, `_admin_up`: the same family group, another name
                raw = "lanwatch_" + first.split("_")[1] + raw
            first = first or raw
            names |= expand(raw)
    return names


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_metrics(lanwatchd):
    """Family names a real lanwatchd serves, from one scrape (`# TYPE` lines)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "lanwatch.yaml")
        with open(config, "w") as f:
            f.write(f"""site: dashboard check
poll_interval: 1s
snmp: {{timeout: 200ms, retries: 0}}
devices:
  - {{name: nobody-home, address: 127.0.0.1, snmp: {{port: {free_port(socket.SOCK_DGRAM)}}}}}
links:
  - {{name: nowhere, device: nobody-home, interface: eth0}}
""")
        port = free_port(socket.SOCK_STREAM)
        log = open(os.path.join(tmp, "lanwatchd.log"), "w")
        daemon = subprocess.Popen([lanwatchd, "-c", config, "--listen", f"127.0.0.1:{port}",
                                   "--state-dir", os.path.join(tmp, "state")],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
                        body = r.read().decode("utf-8")
                    break
                except OSError:
                    if daemon.poll() is not None or time.monotonic() > deadline:
                        log.close()
                        sys.exit("lanwatchd did not serve /metrics:\n" +
                                 open(os.path.join(tmp, "lanwatchd.log")).read())
                    time.sleep(0.2)
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
            log.close()
    return set(re.findall(r"^# TYPE (\S+) ", body, re.M))


def panels(dashboard):
    for p in dashboard.get("panels", []):
        yield p
        yield from p.get("panels", [])  # a collapsed row holds its panels


def hard_coded_uids(node, path="$"):
    """Every datasource uid that is not a variable, anywhere in the dashboard."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "datasource" and isinstance(v, dict) and "uid" in v:
                if v["uid"] not in DATASOURCE_REFS:
                    yield f"{path}.datasource.uid = {v['uid']!r}"
            elif k == "datasource" and isinstance(v, str) and v not in DATASOURCE_REFS:
                yield f"{path}.datasource = {v!r}"
            yield from hard_coded_uids(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from hard_coded_uids(v, f"{path}[{i}]")


def uses_variable(ds):
    return isinstance(ds, dict) and ds.get("uid") in DATASOURCE_REFS or ds in DATASOURCE_REFS


def function_ranges(expr):
    """The range of each rate()/irate()/increase() in `expr` (None: it has none)."""
    for m in COUNTER_FUNCTION.finditer(expr):
        depth, i = 1, m.end()
        while i < len(expr) and depth:
            depth += {"(": 1, ")": -1}.get(expr[i], 0)
            i += 1
        ranges = RANGE.findall(expr[m.end():i])
        yield m.group(1), ranges[-1] if ranges else None


def queried_metrics(expr):
    names = set()
    for name in METRIC.findall(expr):
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name != name[: -len(suffix)]:
                names.add(name[: -len(suffix)])
                break
        else:
            names.add(name)
    return names


def load_dashboards():
    out = {}
    for name in sorted(os.listdir(DASHBOARDS)):
        if name.endswith(".json"):
            with open(os.path.join(DASHBOARDS, name), encoding="utf-8") as f:
                out[name] = f.read()
    return out


def check(known):
    problems = []
    texts = load_dashboards()
    for required in ("lanwatch-overview.json", "lanwatch-link.json"):
        if required not in texts:
            problems.append(f"{required}: missing")
    for name, text in texts.items():
        try:
            d = json.loads(text)
        except json.JSONDecodeError as e:
            problems.append(f"{name}: not valid JSON: {e}")
            continue
        variables = d.get("templating", {}).get("list", [])
        ds_vars = [v for v in variables if v.get("name") == "datasource"]
        if not ds_vars or ds_vars[0].get("type") != "datasource" or ds_vars[0].get("query") != "prometheus":
            problems.append(f"{name}: no `datasource` variable of type datasource, query prometheus")
        for v in variables:
            if v.get("type") == "query":
                q = v.get("query")
                q = q.get("query", "") if isinstance(q, dict) else q or ""
                if not uses_variable(v.get("datasource")):
                    problems.append(f"{name}: variable {v.get('name')}: not on ${{datasource}}")
                for metric in queried_metrics(q) - known:
                    problems.append(f"{name}: variable {v.get('name')}: unknown metric {metric}")
        problems += [f"{name}: hard-coded data source: {p}" for p in hard_coded_uids(d)]
        if not d.get("uid"):
            problems.append(f"{name}: no uid (links and provisioning need a stable one)")
        count = 0
        for p in panels(d):
            if p.get("type") == "row":
                continue
            count += 1
            where = f"{name}: panel {p.get('id')} {p.get('title', '')!r}"
            if not p.get("title"):
                problems.append(f"{where}: no title")
            if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"):
                problems.append(f"{where}: no unit (fieldConfig.defaults.unit)")
            if not uses_variable(p.get("datasource")):
                problems.append(f"{where}: data source is not ${{datasource}}")
            targets = p.get("targets") or []
            if not targets:
                problems.append(f"{where}: no query")
            for t in targets:
                expr = t.get("expr", "")
                if not expr:
                    problems.append(f"{where}: query {t.get('refId')} is empty")
                if not uses_variable(t.get("datasource")):
                    problems.append(f"{where}: query {t.get('refId')}: data source is not ${{datasource}}")
                for function, window in function_ranges(expr):
                    if window != "$__rate_interval":
                        problems.append(f"{where}: {function}() over [{window}], not [$__rate_interval]")
                for window in RANGE.findall(expr):
                    if window != "$__rate_interval":
                        problems.append(f"{where}: range [{window}], not [$__rate_interval]")
                for metric in sorted(queried_metrics(expr) - known):
                    problems.append(f"{where}: {metric} is neither in README's Metrics table "
                                    "nor served by lanwatchd")
        if count == 0:
            problems.append(f"{name}: no panels")
    problems += check_provisioning()
    return problems


def check_provisioning():
    import yaml  # Debian's python3-yaml, for /usr/bin/python3
    problems = []
    path = os.path.join(PROVISIONING, "dashboards", "lanwatch.yaml")
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
        paths = [p["options"]["path"] for p in doc["providers"] if p.get("type") == "file"]
        if INSTALL_PATH not in paths:
            problems.append(f"{path}: no file provider at {INSTALL_PATH}")
    except (OSError, KeyError, TypeError, yaml.YAMLError) as e:
        problems.append(f"{path}: {e!r}")
    path = os.path.join(PROVISIONING, "datasources", "lanwatch.yaml")
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
        if not any(ds.get("type") == "prometheus" for ds in doc["datasources"]):
            problems.append(f"{path}: no prometheus data source")
    except (OSError, KeyError, TypeError, yaml.YAMLError) as e:
        problems.append(f"{path}: {e!r}")
    return problems


def print_queries(link, capture, rate_interval):
    out = []
    for name, text in load_dashboards().items():
        for p in panels(json.loads(text)):
            for t in p.get("targets") or []:
                expr = t.get("expr", "")
                expr = expr.replace("$__rate_interval", rate_interval)
                expr = expr.replace("${link}", link).replace("$link", link)
                expr = expr.replace("${capture}", capture).replace("$capture", capture)
                metrics = queried_metrics(expr)
                out.append({"dashboard": name, "panel": p.get("title"), "refId": t.get("refId"),
                            "expr": expr, "metrics": sorted(metrics)})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lanwatchd")
    ap.add_argument("--print-queries", action="store_true")
    ap.add_argument("--link", default="uplink")
    ap.add_argument("--capture", default="uplink")
    ap.add_argument("--rate-interval", default="30s")
    args = ap.parse_args()
    if args.print_queries:
        print_queries(args.link, args.capture, args.rate_interval)
        return 0
    known = readme_metrics()
    if args.lanwatchd:
        known |= served_metrics(args.lanwatchd)
    problems = check(known)
    for p in problems:
        print(p)
    if problems:
        return 1
    n = sum(1 for t in load_dashboards().values() for p in panels(json.loads(t)) if p.get("type") != "row")
    print(f"ok: {len(load_dashboards())} dashboards, {n} panels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
