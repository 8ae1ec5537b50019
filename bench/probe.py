#!/usr/bin/env python3
"""bench/probe: lanwatch's ICMP echo prober against fping, 500 targets probed every second.

Inside a network namespace of its own (lo up: every 127/8 address answers there), N
loopback addresses 127.0.1.1 ... are each probed once a second for D seconds by, in the
same run and one after another:
  - fping -c D -p 1000 -i 1 -q -f TARGETS (one request per target per period; -i 1, its
    minimum, lets 500 requests fit in each second)
  - lanwatch, raw sockets (bench/probe_bench --mode raw; the namespace's ping_group_range
    is "1 0", as in a fresh one)
  - lanwatch, datagram sockets (ping_group_range set to "0 2147483647" first)
One after another, not side by side: a raw ICMP socket gets every echo reply the namespace
receives, so two probers running at once would each read and discard the other's replies,
and each would be charged for the other's work. Each tool's CPU is its whole process's
user + sys (os.wait4, start-up included), per probe sent; "% of a core" is that times the
probes a second asked (N / 1 s), so fping, whose D rounds end a period early, is not
charged for a shorter run. probe_bench also reports its own getrusage over its own wall time
from the first probe on. Checks that every tool got its replies (a prober that sends
nothing, or is not answered, is cheap), then prints % of a core for each, the ratio
lanwatch / fping, and whether the targets (<= 2 % of a core, <= fping's CPU) are met.
Needs root (ip netns). Exits 1 when a check or a target fails.
Usage: sudo bench/probe.py [--targets 500] [--seconds 30] [--rounds 1] [--build release|dev]
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_CORE_PERCENT = 2.0
MIN_ANSWERED = 0.99  # of the probes each tool sent; loopback loses nothing
FPING_SUMMARY = re.compile(r"^(\S+)\s+: xmt/rcv/%loss = (\d+)/(\d+)/")


def addresses(n):
    """The same list probe_bench builds: target k is 127.0.(1 + k / 250).(1 + k % 250)."""
    return [f"127.0.{1 + k // 250}.{1 + k % 250}" for k in range(n)]


class Namespace:
    """A network namespace with lo up, and the processes started in it; both go on exit,
    processes by PID, whatever happened."""

    def __init__(self):
        self.name = f"lwbench-probe-{os.getpid()}"
        self.running = []  # Popen objects not yet reaped

    def __enter__(self):
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            self.run(["ip", "link", "set", "lo", "up"])
        except BaseException:
            subprocess.run(["ip", "netns", "del", self.name], check=False)
            raise
        return self

    def run(self, argv, **kw):
        return subprocess.run(["ip", "netns", "exec", self.name] + argv, check=True, **kw)

    def measure(self, argv, out, err):
        """Runs argv in the namespace to the end; returns (exit code, CPU s, wall s).
        `ip netns exec` execs the command in place, so wait4's rusage is the tool's own."""
        start = time.monotonic()
        p = subprocess.Popen(["ip", "netns", "exec", self.name] + argv, stdout=out, stderr=err)
        self.running.append(p)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        self.running.remove(p)
        return p.returncode, usage.ru_utime + usage.ru_stime, wall

    def __exit__(self, *exc):
        for p in self.running:  # by PID, never by name
            p.send_signal(signal.SIGTERM)
        for p in self.running:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        subprocess.run(["ip", "netns", "del", self.name], check=False)


def run_fping(ns, work, targets, seconds):
    path = os.path.join(work, "targets")
    with open(path, "w") as f:
        f.write("\n".join(addresses(targets)) + "\n")
    out_path, err_path = os.path.join(work, "fping.out"), os.path.join(work, "fping.err")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        rc, cpu, wall = ns.measure(["fping", "-c", str(seconds), "-p", "1000", "-i", "1", "-q",
                                    "-f", path], out, err)
    sent = answered = seen = 0
    with open(err_path) as f:  # -q -c: one summary line per target, on stderr
        text = f.read()
    for line in text.splitlines():
        m = FPING_SUMMARY.match(line)
        if m:
            seen += 1
            sent += int(m.group(2))
            answered += int(m.group(3))
    if seen != targets:
        sys.exit(f"fping (exit {rc}) summed up {seen} of {targets} targets:\n{text[-2000:]}")
    return {"tool": "fping", "mode": "raw", "cpu_s": cpu, "wall_s": wall, "sent": sent,
            "answered": answered, "expected": targets * seconds}


def run_lanwatch(ns, work, binary, targets, seconds, mode):
    out_path = os.path.join(work, f"lanwatch-{mode}.out")
    with open(out_path, "w") as out:
        rc, cpu, wall = ns.measure([binary, "--targets", str(targets), "--interval-ms", "1000",
                                    "--seconds", str(seconds), "--mode", mode], out, None)
    with open(out_path) as f:
        text = f.read()
    if rc != 0:
        sys.exit(f"probe_bench --mode {mode} failed (exit {rc}): {text}")
    own = json.loads(text)
    if own["mode"] != mode:
        sys.exit(f"probe_bench asked for {mode} sockets, got {own['mode']}")
    return {"tool": "lanwatch", "mode": mode, "cpu_s": cpu, "wall_s": wall,
            "sent": own["probes"], "answered": own["answered"],
            "expected": targets * seconds, "own": own}


def check_answered(r):
    """A tool must have sent nearly every probe asked of it and got nearly all answered."""
    problems = []
    if r["sent"] < 0.98 * r["expected"]:
        problems.append(f"sent {r['sent']} of the {r['expected']} probes asked")
    if r["answered"] < MIN_ANSWERED * max(r["sent"], 1):
        problems.append(f"{r['answered']} of {r['sent']} probes answered")
    return problems


def ensure_binary(build):
    binary = os.path.join(ROOT, "build", build, "bench", "probe_bench")
    if not os.path.exists(binary):
        subprocess.run(["cmake", "--preset", build], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", build, "--target", "probe_bench"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return binary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=1,
                    help="fping, lanwatch raw, lanwatch datagram, this many times; medians")
    ap.add_argument("--build", default="release", choices=["release", "dev"],
                    help="which preset's probe_bench to run (built when missing)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/probe.py needs root for ip netns")
    if not shutil.which("fping"):
        sys.exit("missing fping: run deploy/install-deps.sh")
    binary = ensure_binary(args.build)

    work = tempfile.mkdtemp(prefix="lanwatch-bench-probe-")
    results = []
    try:
        with Namespace() as ns:
            for round_number in range(1, args.rounds + 1):
                ns.run(["sysctl", "-q", "-w", "net.ipv4.ping_group_range=1 0"])  # a new one's
                for r in (run_fping(ns, work, args.targets, args.seconds),
                          run_lanwatch(ns, work, binary, args.targets, args.seconds, "raw")):
                    results.append(dict(r, round=round_number))
                ns.run(["sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647"])
                results.append(dict(run_lanwatch(ns, work, binary, args.targets, args.seconds,
                                                 "datagram"), round=round_number))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"ICMP echo, {args.targets} loopback targets, one probe per target per second, "
          f"{args.seconds} s each, one after another in one namespace, {args.rounds} round(s) "
          f"(lanwatch: {args.build} build)")
    print(f"{'round':>5} {'tool':<9} {'sockets':<9} {'sent':>7} {'answered':>9} {'CPU s':>7} "
          f"{'wall s':>7} {'% core':>7} {'us/probe':>9} {'own % core':>11}")
    for r in results:
        r["cpu_per_probe_s"] = r["cpu_s"] / max(r["sent"], 1)
        r["core_percent"] = r["cpu_per_probe_s"] * args.targets * 100  # one probe/s each
        own = f"{r['own']['core_percent']:>11.3f}" if "own" in r else f"{'':>11}"
        print(f"{r['round']:>5} {r['tool']:<9} {r['mode']:<9} {r['sent']:>7} "
              f"{100 * r['answered'] / max(r['sent'], 1):>8.2f}% {r['cpu_s']:>7.3f} "
              f"{r['wall_s']:>7.2f} {r['core_percent']:>7.3f} "
              f"{r['cpu_per_probe_s'] * 1e6:>9.2f} {own}")
    print()
    failed = False
    for r in results:
        for problem in check_answered(r):
            print(f"CHECK FAILED: round {r['round']}, {r['tool']} ({r['mode']}): {problem}")
            failed = True

    def median_per_probe(tool, mode):
        return statistics.median(r["cpu_per_probe_s"] for r in results
                                 if r["tool"] == tool and r["mode"] == mode)

    fping = median_per_probe("fping", "raw")
    print(f"fping: {fping * args.targets * 100:.3f} % of a core (median)")
    for mode in ("raw", "datagram"):
        lanwatch = median_per_probe("lanwatch", mode)
        core_percent, ratio = lanwatch * args.targets * 100, lanwatch / fping
        under_core = core_percent <= TARGET_CORE_PERCENT
        under_fping = ratio <= 1
        failed |= not (under_core and under_fping)
        print(f"lanwatch {mode}: {core_percent:.3f} % of a core (target <= "
              f"{TARGET_CORE_PERCENT:g} %: {'met' if under_core else 'NOT met'}); "
              f"{ratio:.3f} x fping's CPU (target <= 1: {'met' if under_fping else 'NOT met'})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
