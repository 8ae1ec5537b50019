#!/usr/bin/python3
"""bench/alert_latency: from a cut fiber to the alert mail accepted by the SMTP server, for
lanwatch and, in the same run, for Prometheus + Alertmanager (root; lab namespaces only).

In the bureau lab's monitor namespace: lanwatchd polls every 5 s with config/lab.yaml and
mails through its own SMTP server (127.0.0.1:2525). Prometheus scrapes lanwatchd's /metrics
every 5 s and evaluates, every 5 s, the equivalent rule (lanwatch_link_up == 0 for a unit link
that is administratively up, `for: 0s`); Alertmanager, with its default grouping (group_wait
30s, group_interval 5m), mails through a second SMTP server (127.0.0.1:2526). Each round cuts
another unit's fiber (a group of its own for Alertmanager), waits for both firing mails and
restores it. Target: lanwatch <= poll interval + group wait + 2 s (9 s in the lab).
Usage: sudo bench/alert_latency.py [ROUNDS]   (needs a release build: cmake --preset release)
"""
import email
import email.policy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANWATCHD = os.path.join(ROOT, "build", "release", "daemon", "lanwatchd")
BUREAU = os.path.join(ROOT, "tests", "lab", "bureau")
SINK = os.path.join(ROOT, "tests", "agents", "smtp_sink.py")
UNITS = ["panji", "maoji", "datong", "fengtai", "xiejiaji"]
BOUND = 5 + 2 + 2

PROMETHEUS_YML = """
global: {scrape_interval: 5s, evaluation_interval: 5s}
rule_files: [rules.yml]
alerting:
  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:9093']}]}]
scrape_configs:
  - job_name: lanwatch
    static_configs: [{targets: ['127.0.0.1:9731']}]
"""
RULES_YML = """
groups:
  - name: lanwatch
    rules:
      - alert: LinkDown
        expr: lanwatch_link_up == 0 and on (link) lanwatch_link_info{kind="subordinate"}
        for: 0s
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.link }} is down"}
"""
# Alertmanager's defaults for grouping (group_wait 30s, group_interval 5m), stated.
ALERTMANAGER_YML = """
global:
  smtp_smarthost: 127.0.0.1:2526
  smtp_from: alertmanager@bureau.example
  smtp_require_tls: false
route:
  receiver: it
  group_by: [alertname, link]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: it
    email_configs: [{to: it@bureau.example, send_resolved: true}]
"""


def in_monitor(*cmd, **kw):
    return subprocess.Popen(["ip", "netns", "exec", "lw-monitor", *cmd], **kw)


def wait_until(what, check, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if check():
            return
        time.sleep(0.1)
    sys.exit(f"alert_latency: {what} did not happen within {timeout} s")


def ready(port, path):
    r = subprocess.run(["ip", "netns", "exec", "lw-monitor", "curl", "-sf",
                        f"http://127.0.0.1:{port}{path}"], capture_output=True)
    return r.returncode == 0


def firing_mail(directory, unit, after):
    """When the first firing mail about `unit` that came after `after` arrived, or None."""
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".eml")):
        path = os.path.join(directory, name)
        arrived = os.stat(path).st_mtime
        if arrived < after:
            continue
        msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
        lanwatch = msg["X-Lanwatch-Kind"] == "firing" and unit in str(msg["X-Lanwatch-Alerts"])
        body = msg.get_body(preferencelist=("html", "plain"))
        text = body.get_content() if body else ""
        alertmanager = "[FIRING" in str(msg["Subject"]) and unit in text
        if lanwatch or alertmanager:
            return arrived
    return None


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    if not os.path.exists(LANWATCHD):
        sys.exit("alert_latency: build first: cmake --preset release && "
                 "cmake --build --preset release --target lanwatchd")
    work = tempfile.mkdtemp(prefix="lanwatch-alert-bench-")
    os.chmod(work, 0o755)
    for name, text in (("prometheus.yml", PROMETHEUS_YML), ("rules.yml", RULES_YML),
                       ("alertmanager.yml", ALERTMANAGER_YML)):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    procs = []
    subprocess.run([BUREAU, "up", "--traffic", "low"], check=True, stdout=subprocess.DEVNULL)
    try:
        for port, box in ((2525, "lanwatch"), (2526, "alertmanager")):
            ready_file = os.path.join(work, f"{box}.ready")
            procs.append(in_monitor("/usr/bin/python3", SINK, "--port", str(port), "--dir",
                                    os.path.join(work, box), "--ready-file", ready_file,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_until(f"the SMTP server on {port}", lambda f=ready_file: os.path.exists(f))
        log = open(os.path.join(work, "lanwatchd.log"), "w")
        procs.append(in_monitor(LANWATCHD, "-c", os.path.join(ROOT, "config", "lab.yaml"),
                                "--state-dir", os.path.join(work, "state"), stderr=log))
        procs.append(in_monitor("prometheus-alertmanager",
                                f"--config.file={work}/alertmanager.yml",
                                f"--storage.path={work}/am", "--web.listen-address=127.0.0.1:9093",
                                "--cluster.listen-address=", stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL))
        procs.append(in_monitor("prometheus", f"--config.file={work}/prometheus.yml",
                                f"--storage.tsdb.path={work}/tsdb",
                                "--web.listen-address=127.0.0.1:9090", stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL))
        wait_until("lanwatchd ready", lambda: ready(9731, "/-/ready"))
        wait_until("alertmanager ready", lambda: ready(9093, "/-/ready"))
        wait_until("prometheus ready", lambda: ready(9090, "/-/ready"))
        time.sleep(15)  # a few scrapes and rounds: rates and rule state settle
        results = {"lanwatch": [], "alertmanager": []}
        for i in range(rounds):
            # Another unit each round: Alertmanager groups by link, so each cut meets its
            # group_wait, and no resolved notice of an earlier round is mistaken for this one.
            unit = UNITS[i % len(UNITS)]
            cut = time.time()
            subprocess.run([BUREAU, "fault", "cut", unit], check=True)
            for box in results:
                d = os.path.join(work, box)
                wait_until(f"{box}'s mail for {unit}",
                           lambda d=d: firing_mail(d, unit, cut) is not None, timeout=120)
                results[box].append(firing_mail(d, unit, cut) - cut)
            subprocess.run([BUREAU, "fault", "restore", unit], check=True)
            time.sleep(10)  # lanwatch's resolved notice, and the link settled
            print(f"round {i + 1} ({unit}): lanwatch {results['lanwatch'][-1]:.2f} s, "
                  f"Prometheus + Alertmanager {results['alertmanager'][-1]:.2f} s", flush=True)
        lw = statistics.median(results["lanwatch"])
        am = statistics.median(results["alertmanager"])
        print()
        print("| path | median fault -> mail accepted (s) | max (s) |")
        print("|---|---:|---:|")
        print(f"| lanwatch (poll 5 s, group_wait 2 s) | {lw:.2f} | {max(results['lanwatch']):.2f} |")
        print(f"| Prometheus (scrape/eval 5 s) + Alertmanager (defaults) | {am:.2f} | "
              f"{max(results['alertmanager']):.2f} |")
        print(f"\nlanwatch takes {lw / am:.2f}x the time of Prometheus + Alertmanager; "
              f"target <= {BOUND} s: {'met' if max(results['lanwatch']) <= BOUND else 'NOT met'}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([BUREAU, "down"], stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
