#!/usr/bin/env python3
"""bench/scale: lanwatchd's memory, CPU, round time and scrape time as the device count grows.

One real snmpd inside a network namespace holding 24 veth pairs (48 ports and lo), answering on
N loopback addresses 127.1.x.y, each a "device". For each N, in one run:
  - lanwatchd (release build) polling all N devices, scraped at its poll interval
  - prometheus-snmp-exporter (if_mib module, numeric OIDs) scraped for all N at the same pace,
    for N <= 1,000 (beyond that one agent and the exporter cannot keep up on 2 cores)
Reports peak RSS (VmHWM, including the scrapes), CPU per device poll, round wall time, the time
and size of a full /metrics scrape (plain and gzip), and memory and CPU per device as N grows.
Needs root (ip netns). Touches nothing outside the namespace.
Usage: sudo bench/scale.py [--sizes 1,200,1000,5000] [--rounds 4]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import snmp_poll  # noqa: E402  (the namespace, the agent and the exporter's module)

ROOT = snmp_poll.ROOT
LANWATCHD = os.environ.get("LANWATCHD", os.path.join(ROOT, "build", "release", "daemon", "lanwatchd"))
LISTEN_PORT = 9731
EXPORTER_PORT = 9116
LONG_INTERVAL_FROM = 2000  # devices; at and beyond this size lanwatchd polls every 60 s


def addresses(n):
    return [f"127.1.{i // 250}.{i % 250 + 1}" for i in range(n)]


def write_config(path, targets, interval_s, state_dir, concurrency=None):
    with open(path, "w") as f:
        if concurrency:
            f.write(f"poll_concurrency: {concurrency}\n")
        f.write(f"site: scale bench\npoll_interval: {interval_s}s\n"
                f"listen: 127.0.0.1:{LISTEN_PORT}\nstate_dir: {state_dir}\n"
                f"snmp: {{community: {snmp_poll.COMMUNITY}, timeout: 2s, retries: 1}}\n"
                "devices:\n")
        for k, a in enumerate(targets):
            f.write(f"  - {{name: sw{k:05d}, role: switch, address: {a}}}\n")


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        m = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M)
    return int(m.group(1))


def scrape(ns, port, gzip=False):
    """Returns (seconds, bytes) of one full scrape of lanwatchd's /metrics."""
    argv = ["curl", "-sf", "-o", "/dev/null", "-w", "%{time_total} %{size_download}"]
    if gzip:
        argv += ["-H", "Accept-Encoding: gzip"]
    r = ns.run(argv + [f"http://127.0.0.1:{port}/metrics"], capture_output=True, text=True)
    secs, size = r.stdout.split()
    return float(secs), int(size)


def metric(text, name):
    m = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def read_metrics(ns, port):
    r = ns.run(["curl", "-sf", f"http://127.0.0.1:{port}/metrics"], capture_output=True,
               text=True)
    return r.stdout


def bench_lanwatchd(ns, work, targets, interval_s, rounds, concurrency=None):
    state = os.path.join(work, f"state{len(targets)}")
    os.makedirs(state, exist_ok=True)
    os.chmod(state, 0o777)  # lanwatchd started as root runs as nobody
    config = os.path.join(work, f"scale{len(targets)}.yaml")
    write_config(config, targets, interval_s, state, concurrency)
    daemon = ns.start([LANWATCHD, "--config", config, "--log-level", "warn"],
                      stdout=subprocess.DEVNULL)
    try:
        # The first round opens every session and sees every interface for the first time.
        deadline = time.monotonic() + interval_s * 3 + 60
        text = ""
        while time.monotonic() < deadline:
            time.sleep(1)
            try:
                text = read_metrics(ns, LISTEN_PORT)
            except subprocess.CalledProcessError:
                continue
            if (metric(text, "lanwatch_poll_rounds_total") or 0) >= 1:
                break
        else:
            sys.exit(f"lanwatchd did not finish a round of {len(targets)} devices")
        first = metric(text, "lanwatch_poll_rounds_total")
        cpu_before = snmp_poll.proc_cpu_seconds(daemon.pid)
        round_times, scrapes, gz = [], [], []
        anon_peak = 0
        while True:
            for _ in range(max(1, interval_s // 2)):  # the private part's peak, sampled
                time.sleep(0.5)
                anon_peak = max(anon_peak, status_kb(daemon.pid, "RssAnon"))
            secs, size = scrape(ns, LISTEN_PORT)  # a scrape per interval, as Prometheus does
            anon_peak = max(anon_peak, status_kb(daemon.pid, "RssAnon"))
            scrapes.append((secs, size))
            text = read_metrics(ns, LISTEN_PORT)
            done = metric(text, "lanwatch_poll_rounds_total") - first
            round_times.append(metric(text, "lanwatch_poll_round_duration_seconds"))
            if done >= rounds:
                break
        cpu = snmp_poll.proc_cpu_seconds(daemon.pid) - cpu_before
        gz.append(scrape(ns, LISTEN_PORT, gzip=True))
        up = sum(1 for line in text.splitlines()
                 if line.startswith("lanwatch_device_up{") and line.endswith(" 1"))
        interfaces = sum(1 for line in text.splitlines()
                         if line.startswith("lanwatch_interface_up{"))
        return {
            "peak_rss_mb": status_kb(daemon.pid, "VmHWM") / 1024,
            # Of the resident memory now: the heap and stacks, and the mapped binaries
            # (shared libraries' pages count too, though other processes share them).
            "anon_mb": status_kb(daemon.pid, "RssAnon") / 1024,
            "anon_peak_mb": anon_peak / 1024,
            "file_mb": status_kb(daemon.pid, "RssFile") / 1024,
            "rss_mb": status_kb(daemon.pid, "VmRSS") / 1024,
            "cpu_ms_per_device_poll": cpu * 1000 / (done * len(targets)),
            "cpu_percent": cpu * 100 / (done * interval_s),
            "round_s": sorted(round_times)[len(round_times) // 2],
            "scrape_s": sorted(s for s, _ in scrapes)[len(scrapes) // 2],
            "scrape_mb": scrapes[-1][1] / 1e6,
            "gzip_scrape_s": gz[0][0], "gzip_scrape_mb": gz[0][1] / 1e6,
            "devices_up": up, "interfaces": interfaces,
        }
    finally:
        daemon.terminate()
        daemon.wait(30)
        ns.procs.remove(daemon)


def bench_exporter(ns, work, targets, interval_s, rounds):
    with open(os.path.join(work, "snmp.yml"), "w") as f:
        f.write(snmp_poll.exporter_config())
    exporter = ns.start(["prometheus-snmp-exporter", f"--config.file={work}/snmp.yml",
                         f"--web.listen-address=127.0.0.1:{EXPORTER_PORT}", "--log.level=error"],
                        stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        urls = "\n".join(f"http://127.0.0.1:{EXPORTER_PORT}/snmp?target={t}&module=if_mib"
                         for t in targets)
        cpu_before = snmp_poll.proc_cpu_seconds(exporter.pid)
        walls = []
        for _ in range(rounds):
            start = time.monotonic()
            ns.run(["sh", "-c", f"xargs -P{snmp_poll.CONCURRENCY} -n1 curl -sf -o /dev/null"],
                   input=urls, text=True)
            wall = time.monotonic() - start
            walls.append(wall)
            time.sleep(max(0.0, interval_s - wall))
        cpu = snmp_poll.proc_cpu_seconds(exporter.pid) - cpu_before
        elapsed = sum(max(w, interval_s) for w in walls)
        return {"peak_rss_mb": status_kb(exporter.pid, "VmHWM") / 1024,
                "cpu_ms_per_device_poll": cpu * 1000 / (rounds * len(targets)),
                "cpu_percent": cpu * 100 / elapsed,
                "round_s": sorted(walls)[len(walls) // 2]}
    finally:
        exporter.terminate()
        exporter.wait(30)
        ns.procs.remove(exporter)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,200,1000,5000")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--interval", type=int, default=10, help="seconds, below 2,000 devices")
    ap.add_argument("--long-interval", type=int, default=60, help="seconds, from 2,000 devices")
    ap.add_argument("--no-exporter", action="store_true")
    ap.add_argument("--concurrency", type=int, help="poll_concurrency (default: lanwatchd's)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--no-build", action="store_true", help="use build/release as it is")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/scale.py needs root for ip netns")
    for tool in ("snmpd", "prometheus-snmp-exporter", "curl"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: run deploy/install-deps.sh")
    if not args.no_build:
        subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", "release", "--target", "lanwatchd"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="lanwatch-scale-")
    os.chmod(work, 0o755)
    results = {}
    try:
        with snmp_poll.Namespace() as ns:
            everyone = addresses(max(sizes))
            conf = os.path.join(work, "snmpd.conf")
            with open(conf, "w") as f:
                f.write(f"rocommunity {snmp_poll.COMMUNITY}\ndontLogTCPWrappersConnects yes\n")
            # One socket on every address of the namespace's lo: 127.0.0.0/8 is all local.
            agent = ns.start(["snmpd", "-f", "-C", "-c", conf, "-Lf", work + "/snmpd.log",
                              "udp:0.0.0.0:161"],
                             env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=work + "/st"))
            snmp_poll.wait_answers(ns, everyone[-1])
            for n in sizes:
                interval = args.long_interval if n >= LONG_INTERVAL_FROM else args.interval
                row = {"interval_s": interval}
                agent_before = snmp_poll.proc_cpu_seconds(agent.pid)
                row["lanwatchd"] = bench_lanwatchd(ns, work, everyone[:n], interval, args.rounds,
                                                   args.concurrency)
                row["agent_cpu_s"] = snmp_poll.proc_cpu_seconds(agent.pid) - agent_before
                if n <= 1000 and not args.no_exporter:
                    row["snmp_exporter"] = bench_exporter(ns, work, everyone[:n], interval,
                                                          args.rounds)
                results[n] = row
                print(json.dumps({n: row}), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    report(results)


def report(results):
    print("lanwatchd polling N 48-port devices (one snmpd in a namespace), peak RSS including "
          "full /metrics scrapes")
    print(f"{'devices':>7} {'poll':>5} {'peak RSS MB':>11} {'private MB':>10} {'files MB':>8} "
          f"{'CPU %':>6} {'CPU ms/poll':>11} {'round s':>8} {'scrape s':>8} {'scrape MB':>9} "
          f"{'gzip s':>7} {'gzip MB':>7} {'KB/device':>9}")
    for n, row in results.items():
        lw = row["lanwatchd"]
        private = lw.get("anon_peak_mb", lw["anon_mb"])
        print(f"{n:>7} {row['interval_s']:>4}s {lw['peak_rss_mb']:>11.1f} {private:>10.1f} "
              f"{lw['file_mb']:>8.1f} "
              f"{lw['cpu_percent']:>6.2f} {lw['cpu_ms_per_device_poll']:>11.3f} "
              f"{lw['round_s']:>8.2f} {lw['scrape_s']:>8.3f} {lw['scrape_mb']:>9.1f} "
              f"{lw['gzip_scrape_s']:>7.3f} {lw['gzip_scrape_mb']:>7.2f} "
              f"{private * 1024 / n:>9.1f}")
        if lw["devices_up"] != n:
            print(f"        only {lw['devices_up']} of {n} devices answered")
    exporters = {n: row for n, row in results.items() if "snmp_exporter" in row}
    if exporters:
        print("\nprometheus-snmp-exporter at the same pace, same run")
        print(f"{'devices':>7} {'peak RSS MB':>11} {'CPU %':>6} {'CPU ms/poll':>11} "
              f"{'round s':>8}   lanwatchd CPU/poll ratio")
        for n, row in exporters.items():
            ex, lw = row["snmp_exporter"], row["lanwatchd"]
            print(f"{n:>7} {ex['peak_rss_mb']:>11.1f} {ex['cpu_percent']:>6.2f} "
                  f"{ex['cpu_ms_per_device_poll']:>11.3f} {ex['round_s']:>8.2f}   "
                  f"{lw['cpu_ms_per_device_poll'] / ex['cpu_ms_per_device_poll']:.3f}x")
    print("\nprivate MB: the heap and stacks (RssAnon), its peak sampled every 0.5 s; files MB: "
          "mapped binaries and shared libraries (RssFile), shared with other processes; "
          "KB/device: private MB per device")
    print("targets: peak RSS <= 30 MB at 200 devices, <= 60 MB at 1,200, <= 150 MB at 5,000")


if __name__ == "__main__":
    main()
