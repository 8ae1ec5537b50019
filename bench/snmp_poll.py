#!/usr/bin/env python3
"""bench/snmp_poll: lanwatch's SNMP polling against prometheus-snmp-exporter and snmpbulkwalk.

One real snmpd runs inside a network namespace holding 24 veth pairs (48 ports), listening on
N loopback addresses 127.1.x.y, each a "device". For N = 50 and 200, in the same run:
  - lanwatch (bench/snmp_poll_bench: lanwatchd's client, all devices at once, one thread)
  - prometheus-snmp-exporter (module if_mib, numeric OIDs), scraped with concurrency 16
  - snmpbulkwalk -P16: 16 walks of ifTable + ifXTable at a time
Prints wall time per round, CPU ms per device poll (the poller's, and the agent's), and the
ratios the core issue targets. Needs root (ip netns). Touches nothing outside the namespace.
Usage: sudo bench/snmp_poll.py [--rounds 3] [--sizes 50,200]
"""
import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_BIN = os.path.join(ROOT, "build", "release", "bench", "snmp_poll_bench")
COMMUNITY = "public"
CONCURRENCY = 16
TICKS = os.sysconf("SC_CLK_TCK")

EXPORTER_CONFIG = """\
if_mib:
  version: 2
  auth:
    community: %(community)s
  walk:
  - 1.3.6.1.2.1.2
  - 1.3.6.1.2.1.31.1.1
  get:
  - 1.3.6.1.2.1.1.3.0
  max_repetitions: 25
  retries: 1
  timeout: 5s
  metrics:
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3, type: gauge, help: sysUpTime}
%(columns)s
"""
COLUMNS = [  # name, oid, type
    ("ifAdminStatus", "1.3.6.1.2.1.2.2.1.7", "gauge"),
    ("ifOperStatus", "1.3.6.1.2.1.2.2.1.8", "gauge"),
    ("ifSpeed", "1.3.6.1.2.1.2.2.1.5", "gauge"),
    ("ifInOctets", "1.3.6.1.2.1.2.2.1.10", "counter"),
    ("ifInDiscards", "1.3.6.1.2.1.2.2.1.13", "counter"),
    ("ifInErrors", "1.3.6.1.2.1.2.2.1.14", "counter"),
    ("ifOutOctets", "1.3.6.1.2.1.2.2.1.16", "counter"),
    ("ifOutDiscards", "1.3.6.1.2.1.2.2.1.19", "counter"),
    ("ifOutErrors", "1.3.6.1.2.1.2.2.1.20", "counter"),
    ("ifHCInOctets", "1.3.6.1.2.1.31.1.1.1.6", "counter"),
    ("ifHCOutOctets", "1.3.6.1.2.1.31.1.1.1.10", "counter"),
    ("ifHighSpeed", "1.3.6.1.2.1.31.1.1.1.15", "gauge"),
]
LOOKUP = """    lookups:
    - labels: [ifIndex]
      labelname: ifName
      oid: 1.3.6.1.2.1.31.1.1.1.1
      type: DisplayString"""


def exporter_config():
    cols = []
    for name, oid, kind in COLUMNS:
        cols.append(f"  - name: {name}\n    oid: {oid}\n    type: {kind}\n    help: {name}\n"
                    f"    indexes:\n    - labelname: ifIndex\n      type: gauge\n{LOOKUP}")
    return EXPORTER_CONFIG % {"community": COMMUNITY, "columns": "\n".join(cols)}


def addresses(n):
    return [f"127.1.{i // 250}.{i % 250 + 1}" for i in range(n)]


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children_cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


class Namespace:
    def __init__(self):
        self.name = f"lwbench{os.getpid()}"
        self.procs = []

    def __enter__(self):
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        self.run(["ip", "link", "set", "lo", "up"])
        for k in range(1, 25):  # 24 veth pairs: 48 ports for snmpd to report
            self.run(["ip", "link", "add", f"port{k:02d}a", "type", "veth", "peer", "name",
                      f"port{k:02d}b"])
            self.run(["ip", "link", "set", f"port{k:02d}a", "up"])
            self.run(["ip", "link", "set", f"port{k:02d}b", "up"])
        return self

    def run(self, argv, **kw):
        return subprocess.run(["ip", "netns", "exec", self.name] + argv, check=True, **kw)

    def start(self, argv, **kw):
        p = subprocess.Popen(["ip", "netns", "exec", self.name] + argv, **kw)
        self.procs.append(p)
        return p

    def __exit__(self, *exc):
        for p in self.procs:  # by PID, never by name
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        subprocess.run(["ip", "netns", "del", self.name], check=False)


def wait_answers(ns, address):
    for _ in range(100):
        r = subprocess.run(["ip", "netns", "exec", ns.name, "snmpget", "-m", "", "-v2c", "-c",
                            COMMUNITY, "-t", "0.3", "-r", "0", address, "1.3.6.1.2.1.1.3.0"],
                           capture_output=True)
        if r.returncode == 0:
            return
        time.sleep(0.1)
    sys.exit(f"snmpd does not answer on {address}")


def measure(agent_pid, fn):
    """Runs fn(), returns (wall seconds, agent CPU seconds)."""
    agent_before = proc_cpu_seconds(agent_pid)
    start = time.monotonic()
    fn()
    return time.monotonic() - start, proc_cpu_seconds(agent_pid) - agent_before


def bench_lanwatch(ns, agent, targets, rounds):
    out = {}

    def run():
        r = ns.run([BENCH_BIN, "--community", COMMUNITY, "--rounds", str(rounds)] + targets,
                   capture_output=True, text=True)
        out.update(json.loads(r.stdout))
    _, agent_cpu = measure(agent.pid, run)
    return {"round_s": out["round_wall_s_median"], "cpu_ms": out["cpu_ms_per_device_poll"],
            "agent_cpu_ms": agent_cpu * 1000 / (rounds * len(targets)),
            "interfaces": out["interfaces_per_device"]}


def bench_exporter(ns, agent, exporter, port, targets, rounds):
    urls = "\n".join(f"http://127.0.0.1:{port}/snmp?target={t}&module=if_mib" for t in targets)
    walls, cpu_before, agent_cpu = [], proc_cpu_seconds(exporter.pid), 0.0
    for _ in range(rounds):
        def run():
            ns.run(["sh", "-c", f"xargs -P{CONCURRENCY} -n1 curl -sf -o /dev/null"],
                   input=urls, text=True)
        wall, a = measure(agent.pid, run)
        walls.append(wall)
        agent_cpu += a
    cpu = proc_cpu_seconds(exporter.pid) - cpu_before
    n = rounds * len(targets)
    return {"round_s": sorted(walls)[len(walls) // 2], "cpu_ms": cpu * 1000 / n,
            "agent_cpu_ms": agent_cpu * 1000 / n}


def bench_bulkwalk(ns, agent, targets, rounds):
    walk = (f"snmpbulkwalk -m '' -On -v2c -c {COMMUNITY} -Cr25 {{}} 1.3.6.1.2.1.2 >/dev/null && "
            f"snmpbulkwalk -m '' -On -v2c -c {COMMUNITY} -Cr25 {{}} 1.3.6.1.2.1.31.1.1 >/dev/null")
    walls, cpu_before, agent_cpu = [], children_cpu_seconds(), 0.0
    for _ in range(rounds):
        def run():
            ns.run(["sh", "-c", f"xargs -P{CONCURRENCY} -I{{}} sh -c \"{walk}\""],
                   input="\n".join(targets), text=True)
        wall, a = measure(agent.pid, run)
        walls.append(wall)
        agent_cpu += a
    n = rounds * len(targets)
    return {"round_s": sorted(walls)[len(walls) // 2],
            "cpu_ms": (children_cpu_seconds() - cpu_before) * 1000 / n,
            "agent_cpu_ms": agent_cpu * 1000 / n}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="50,200")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/snmp_poll.py needs root for ip netns")
    for tool in ("snmpd", "snmpbulkwalk", "prometheus-snmp-exporter", "curl"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: run deploy/install-deps.sh")
    if not os.path.exists(BENCH_BIN):
        subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", "release", "--target", "snmp_poll_bench"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="lanwatch-bench-")
    try:
        with Namespace() as ns:
            everyone = addresses(max(sizes))
            with open(os.path.join(work, "snmpd.conf"), "w") as f:
                f.write(f"rocommunity {COMMUNITY}\ndontLogTCPWrappersConnects yes\n")
            agent = ns.start(["snmpd", "-f", "-C", "-c", os.path.join(work, "snmpd.conf"),
                              "-Lf", os.path.join(work, "snmpd.log"),
                              ",".join(f"udp:{a}:161" for a in everyone)],
                             env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=work + "/state"))
            wait_answers(ns, everyone[-1])
            with open(os.path.join(work, "snmp.yml"), "w") as f:
                f.write(exporter_config())
            exporter = ns.start(["prometheus-snmp-exporter",
                                 f"--config.file={work}/snmp.yml",
                                 "--web.listen-address=127.0.0.1:9116", "--log.level=error"],
                                stderr=subprocess.DEVNULL)
            time.sleep(1)
            # Warm-up: fills the agent's caches so no tool pays for them alone.
            bench_lanwatch(ns, agent, everyone, 1)
            results = {}
            for n in sizes:
                targets = everyone[:n]
                results[n] = {
                    "lanwatch": bench_lanwatch(ns, agent, targets, args.rounds),
                    "snmp_exporter": bench_exporter(ns, agent, exporter, 9116, targets,
                                                    args.rounds),
                    "snmpbulkwalk -P16": bench_bulkwalk(ns, agent, targets, args.rounds),
                }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"SNMP poll of 48-port devices ({results[sizes[0]]['lanwatch']['interfaces']} "
          f"interfaces each), median of {args.rounds} rounds, one snmpd in a namespace")
    print(f"{'devices':>7}  {'tool':<18} {'round s':>8} {'CPU ms/poll':>12} {'agent ms/poll':>14}")
    for n in sizes:
        for tool, r in results[n].items():
            print(f"{n:>7}  {tool:<18} {r['round_s']:>8.3f} {r['cpu_ms']:>12.3f} "
                  f"{r['agent_cpu_ms']:>14.3f}")
    print()
    for n in sizes:
        lw, ex, bw = (results[n][t] for t in ("lanwatch", "snmp_exporter", "snmpbulkwalk -P16"))
        print(f"N={n}: lanwatch CPU/poll = {lw['cpu_ms'] / ex['cpu_ms']:.3f} x snmp_exporter's "
              f"(target <= 0.2); round wall = {lw['round_s'] / bw['round_s']:.3f} x "
              f"snmpbulkwalk -P16's (target <= 1); = {lw['round_s'] / ex['round_s']:.3f} x "
              f"snmp_exporter's")


if __name__ == "__main__":
    main()
