#!/usr/bin/env python3
"""bench/pcap: lanwatch replay against a bare libpcap loop, tcpdump and tshark, side by side.

Generates a large capture (default 10 million packets, realistic size mix; about 6 GB, kept
in the page cache after a first read), then times on the same file (best of two runs, tshark
once):
  - pcap_count: a bare pcap_loop that only adds up bytes (the practical limit)
  - lanwatch replay --json (full decoding, directions, protocols, top talkers per second)
  - tcpdump -r FILE -w /dev/null
  - tshark -q -z io,stat,1
Prints packets/s for each and the ratios the capture issue targets (lanwatch >= 0.8x the bare
loop, >= 40x tshark). Usage: bench/pcap.py [--packets 10000000] [--keep FILE]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "release")


def timed(argv, env=None):
    start = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=10_000_000)
    ap.add_argument("--keep", help="write the capture here and keep it")
    ap.add_argument("--skip-tshark", action="store_true", help="tshark takes minutes")
    args = ap.parse_args()
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "--target", "lanwatch",
                    "make_capture", "pcap_count"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    path = args.keep or os.path.join(tempfile.mkdtemp(prefix="lanwatch-bench-"), "big.pcap")
    try:
        if not os.path.exists(path):
            subprocess.run([os.path.join(BUILD, "bench", "make_capture"), path,
                            str(args.packets)], check=True)
        size = os.path.getsize(path)
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # into page cache
        env = dict(os.environ, TZ="UTC")
        tools = {
            "bare pcap_loop": [os.path.join(BUILD, "bench", "pcap_count"), path],
            "lanwatch replay": [os.path.join(BUILD, "daemon", "lanwatch"), "replay", path,
                                "--json"],
            "tcpdump -w /dev/null": ["tcpdump", "-r", path, "-w", "/dev/null"],
        }
        if not args.skip_tshark:
            tools["tshark io,stat,1"] = ["tshark", "-r", path, "-q", "-z", "io,stat,1"]
        # Best of two for the fast ones (the first may still fault pages in); tshark once.
        results = {name: min(timed(argv, env) for _ in range(1 if "tshark" in name else 2))
                   for name, argv in tools.items()}
    finally:
        if not args.keep:
            os.unlink(path)
    print(f"{args.packets:,} packets, {size / 1e9:.2f} GB (page cache)")
    print(f"{'tool':<22} {'seconds':>8} {'Mpackets/s':>11}")
    for name, secs in results.items():
        print(f"{name:<22} {secs:>8.2f} {args.packets / secs / 1e6:>11.2f}")
    lw, bare = results["lanwatch replay"], results["bare pcap_loop"]
    print(f"\nlanwatch replay = {bare / lw:.2f} x the bare loop's packets/s (target >= 0.8)")
    if "tshark io,stat,1" in results:
        print(f"lanwatch replay = {results['tshark io,stat,1'] / lw:.1f} x tshark's packets/s "
              f"(target >= 40)")


if __name__ == "__main__":
    sys.exit(main())
