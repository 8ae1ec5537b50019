#!/usr/bin/env python3
"""bench/capture_live: what live capture costs and loses (root; namespaces only).

1. The bureau lab with its 10 Mbit/s uplink saturated for 20 s: lanwatchd's CPU (polling
   and capturing the SPAN port) as a share of one core (target <= 1%).
2. iperf3 TCP flat out across a bare veth pair for 10 s, lanwatchd capturing one end (32 MiB
   ring): the
   packets it counted against the interface's own count, and pcap's drop counters.
Usage: sudo bench/capture_live.py
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANWATCHD = os.path.join(ROOT, "build", "release", "daemon", "lanwatchd")
BUREAU = os.path.join(ROOT, "tests", "lab", "bureau")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def metrics(ns, port):
    out = subprocess.run(["ip", "netns", "exec", ns, "curl", "-sf",
                          f"http://127.0.0.1:{port}/metrics"], capture_output=True, text=True)
    values = {}
    for line in out.stdout.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def wait_ready(ns, port):
    for _ in range(100):
        if subprocess.run(["ip", "netns", "exec", ns, "curl", "-sf",
                           f"http://127.0.0.1:{port}/-/ready"], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    sys.exit("lanwatchd did not become ready")


def saturated_uplink():
    subprocess.run([BUREAU, "up", "--traffic", "off"], check=True, stdout=subprocess.DEVNULL)
    daemon = subprocess.Popen(["ip", "netns", "exec", "lw-monitor", LANWATCHD, "-c",
                               os.path.join(ROOT, "config", "lab.yaml")],
                              stderr=subprocess.DEVNULL)
    try:
        wait_ready("lw-monitor", 9731)
        time.sleep(2)
        saturate = subprocess.Popen([BUREAU, "fault", "saturate", "22"])
        time.sleep(1)
        before, start = cpu_seconds(daemon.pid), time.monotonic()
        time.sleep(20)
        cpu = (cpu_seconds(daemon.pid) - before) / (time.monotonic() - start)
        m = metrics("lw-monitor", 9731)
        saturate.wait()
        util = m.get('lanwatch_link_utilization_ratio{link="uplink",direction="out"}', 0)
        pps = m.get('lanwatch_capture_throughput_bits_per_second{capture="uplink",direction="out"}', 0)
        return cpu, util, pps
    finally:
        daemon.terminate()
        daemon.wait()
        subprocess.run([BUREAU, "down"], stdout=subprocess.DEVNULL)


def flat_out_veth():
    a, b = f"lwcapa{os.getpid()}", f"lwcapb{os.getpid()}"
    work = tempfile.mkdtemp(prefix="lanwatch-bench-")
    procs = []
    try:
        for ns in (a, b):
            subprocess.run(["ip", "netns", "add", ns], check=True)
            subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "link", "add", "vcap0", "netns", a, "type", "veth", "peer", "name",
                        "vcap1", "netns", b], check=True)
        subprocess.run(["ip", "-n", a, "addr", "add", "198.18.50.1/30", "dev", "vcap0"], check=True)
        subprocess.run(["ip", "-n", b, "addr", "add", "198.18.50.2/30", "dev", "vcap1"], check=True)
        for ns, dev in ((a, "vcap0"), (b, "vcap1")):
            subprocess.run(["ip", "-n", ns, "link", "set", dev, "up"], check=True)
        config = os.path.join(work, "veth.yaml")
        with open(config, "w") as f:
            f.write("listen: 127.0.0.1:9732\ndevices: []\ncaptures:\n"
                    "  - {name: veth, interface: vcap1, local_networks: [198.18.50.2/32], buffer_mib: 32}\n")
        os.chmod(work, 0o755)
        os.chmod(config, 0o644)
        daemon = subprocess.Popen(["ip", "netns", "exec", b, LANWATCHD, "-c", config],
                                  stderr=subprocess.DEVNULL)
        procs.append(daemon)
        wait_ready(b, 9732)
        server = subprocess.Popen(["ip", "netns", "exec", b, "iperf3", "-s", "-1"],
                                  stdout=subprocess.DEVNULL)
        procs.append(server)
        time.sleep(0.5)
        rx_before = int(subprocess.run(["ip", "netns", "exec", b, "cat",
                                        "/sys/class/net/vcap1/statistics/rx_packets"],
                                       capture_output=True, text=True).stdout)
        before = metrics(b, 9732)
        out = subprocess.run(["ip", "netns", "exec", a, "iperf3", "-c", "198.18.50.2", "-t", "10"],
                             capture_output=True, text=True).stdout
        time.sleep(1.5)
        after = metrics(b, 9732)
        rx = int(subprocess.run(["ip", "netns", "exec", b, "cat",
                                 "/sys/class/net/vcap1/statistics/rx_packets"],
                                capture_output=True, text=True).stdout) - rx_before
        key = 'lanwatch_capture_packets_total{capture="veth",direction="in"}'
        counted = after.get(key, 0) - before.get(key, 0)
        drops = after.get('lanwatch_capture_drops_total{capture="veth",where="kernel"}', 0)
        rate = re.findall(r"([\d.]+ [GM]bits/sec)\s+\d*\s*receiver", out)
        return rx, counted, drops, rate[0] if rate else "?"
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        for ns in (a, b):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def main():
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces)")
    subprocess.run(["cmake", "--build", "--preset", "release", "--target", "lanwatchd"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    cpu, util, in_bps = saturated_uplink()
    print(f"lab uplink saturated: lanwatchd CPU {cpu * 100:.2f}% of one core "
          f"(target <= 1%); uplink utilization {util * 100:.0f}%, capture sees "
          f"{in_bps / 1e6:.2f} Mbit/s out")
    rx, counted, drops, rate = flat_out_veth()
    print(f"veth flat out ({rate}): interface received {rx:,} packets, capture counted "
          f"{int(counted):,} ({counted / max(rx, 1) * 100:.2f}%), kernel drops {int(drops)}")


if __name__ == "__main__":
    main()
