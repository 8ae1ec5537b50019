#!/usr/bin/python3
"""deploy/scale-out for real, on loopback: two lanwatchd shards, each polling its own devices
from snmpsimd agents; one Prometheus scraping both with deploy/scale-out/prometheus.yml and
deploy/prometheus/lanwatch.rules.yml; a two-peer Alertmanager cluster (gossip) running
deploy/alertmanager/alertmanager.yml; an SMTP sink (tests/agents/smtp_sink.py).

  check_scale_out.py LANWATCHD

The incidents, and what must arrive:
  1. shard a's leaf device stops answering (its agent is SIGSTOPped, so its clocks carry on
     when it resumes and no reboot is seen): exactly one FIRING mail, though both peers hold
     the alert (the cluster's notification log dedups).
  2. the peer that sent it is killed (SIGKILL), shard b's leaf stops answering: exactly one
     FIRING mail, from the survivor.
  3. both agents resume: exactly one RESOLVED mail each, from the survivor.
  4. shard b's lanwatchd is killed: exactly one FIRING mail, LanwatchDown, for shard="b".
Nothing else may be mailed (lanwatchd has no email; no other rule may fire).

Test copies, each made from the shipped file by a stated change only:
  rules         every `for:` hold divided by 20 (DeviceUnreachable's 1m becomes 3s,
                LanwatchDown's 2m 6s): the same rules, in a test's time.
  prometheus    scrape and evaluation every 1s; targets and rule path on this run's ports.
  alertmanager  smarthost the sink; group_wait 1s, group_interval 2s; one extra header,
                X-Test-Peer, naming the peer that sent the mail (the only difference between
                the two peers' files: it says which peer to kill and who sent what).
  cluster       --cluster.peer-timeout 3s (15s by default): how long the second peer waits
                for the first's notification before it sends itself.
Exits non-zero on any mismatch and when a tool or agent does not start (never a skip). Only
127.0.0.1; every process is stopped by its PID, the temp dir removed."""

import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

SRC = Path(__file__).resolve().parents[2]
DEPLOY = SRC / "deploy"
PYTHON = "/usr/bin/python3"
HOLD_DIVISOR = 20
PEER_TIMEOUT_S = 3
# After the first mail of an incident, how long a second one would take to show up: the
# second peer's wait, a group interval, and slack for a loaded machine.
SETTLE_S = 2 * PEER_TIMEOUT_S + 2 + 4


class Fail(Exception):
    pass


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def free_ports(count):
    """Distinct loopback ports free for TCP and UDP both (a cluster peer listens on both)."""
    held, ports = [], []
    while len(ports) < count:
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind(("127.0.0.1", port))
        except OSError:
            tcp.close()
            continue
        held += [tcp, udp]
        ports.append(port)
    for s in held:
        s.close()
    return ports


def http_json(url, timeout=3):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_for(what, seconds, predicate, on_fail=lambda: ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, KeyError):
            pass  # not up yet
        time.sleep(0.2)
    raise Fail(f"{what} within {seconds}s. {on_fail()}")


class Processes:
    """Everything this test starts, by PID; stop() and stop_all() end them by that PID."""

    def __init__(self, scratch):
        self.scratch = scratch
        self.procs = {}

    def start(self, name, argv, **kwargs):
        out = open(self.scratch / f"{name}.log", "wb")
        self.procs[name] = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, **kwargs)
        return self.procs[name]

    def log_tail(self, name, lines=15):
        path = self.scratch / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name}.log:\n" + "\n".join(text.splitlines()[-lines:])

    def alive(self, name):
        return self.procs[name].poll() is None

    def send(self, name, sig):
        os.kill(self.procs[name].pid, sig)

    def stop(self, name, sig=signal.SIGTERM):
        p = self.procs[name]
        if p.poll() is None:
            os.kill(p.pid, sig)
            os.kill(p.pid, signal.SIGCONT)  # a stopped agent takes its SIGTERM once resumed
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()

    def stop_all(self):
        for name in reversed(list(self.procs)):
            self.stop(name)


def shortened_rules(text):
    """lanwatch.rules.yml with every `for:` hold divided by HOLD_DIVISOR, nothing else."""
    units = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000}

    def shorten(m):
        ms = int(m.group(2)) * units[m.group(3)] // HOLD_DIVISOR
        return f"{m.group(1)}{ms}ms"

    out, n = re.subn(r"^(\s+for: )(\d+)(ms|s|m|h)\b", shorten, text, flags=re.M)
    if n < 10:
        raise Fail(f"only {n} `for:` holds found in lanwatch.rules.yml: the transformation is stale")
    return out


def prometheus_config(rules_path, shard_ports, am_ports):
    cfg = yaml.safe_load((DEPLOY / "scale-out/prometheus.yml").read_text())
    if cfg["rule_files"] != ["../prometheus/lanwatch.rules.yml"]:
        raise Fail(f"scale-out prometheus.yml loads {cfg['rule_files']}, not deploy/prometheus's rules")
    cfg["rule_files"] = [str(rules_path)]
    cfg["global"].update(scrape_interval="1s", scrape_timeout="900ms", evaluation_interval="1s")
    ams = cfg["alerting"]["alertmanagers"]
    if len(ams) != 1 or len(ams[0]["static_configs"][0]["targets"]) != 2:
        raise Fail("scale-out prometheus.yml must send to both Alertmanager peers")
    ams[0]["static_configs"][0]["targets"] = [f"127.0.0.1:{p}" for p in am_ports]
    (job,) = cfg["scrape_configs"]
    shards = {sc["labels"]["shard"]: sc for sc in job["static_configs"]}
    if sorted(shards) != ["a", "b"]:
        raise Fail(f"scale-out prometheus.yml labels its targets {sorted(shards)}, not shards a and b")
    for shard, port in shard_ports.items():
        shards[shard]["targets"] = [f"127.0.0.1:{port}"]
    return cfg


def alertmanager_config(peer, smtp_port):
    cfg = yaml.safe_load((DEPLOY / "alertmanager/alertmanager.yml").read_text())
    cfg["global"]["smtp_smarthost"] = f"127.0.0.1:{smtp_port}"
    cfg["route"].update(group_wait="1s", group_interval="2s")
    (email_config,) = next(r for r in cfg["receivers"] if r["name"] == "it-email")["email_configs"]
    email_config["headers"]["X-Test-Peer"] = peer
    return cfg


def lanwatchd_config(shard, agent_ports):
    """A shard's config: the shipped file's site and notify (no email, no Alertmanager) and
    two devices on this run's agents, the leaf's parent on the same shard."""
    shipped = yaml.safe_load((DEPLOY / f"scale-out/lanwatchd-{shard}.yaml").read_text())
    notify = shipped.get("notify", {})
    if "email" in notify or (notify.get("alertmanager") or {}).get("urls"):
        raise Fail(f"lanwatchd-{shard}.yaml notifies by itself: mail would have two paths")
    return {
        "site": shipped["site"],
        "poll_interval": "1s",
        "snmp": {"timeout": "300ms", "retries": 0},
        "notify": notify,
        "devices": [
            {"name": f"core-{shard}", "role": "switch", "address": "127.0.0.1",
             "snmp": {"community": "switch48_c32", "port": agent_ports[f"core-{shard}"]}},
            {"name": f"leaf-{shard}", "role": "router", "address": "127.0.0.1",
             "parent": f"core-{shard}",
             "snmp": {"community": "router_hc", "port": agent_ports[f"leaf-{shard}"]}},
        ],
    }


def read_mails(mail_dir):
    """[(peer, status, device, subject)] in the order the sink took them."""
    mails = []
    for path in sorted(mail_dir.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        subject = str(msg["Subject"])
        m = re.match(r"\[lanwatch (\S+)\] (FIRING|RESOLVED) (\S+): ", subject)
        if not m:
            raise Fail(f"{path.name}: unexpected subject {subject!r}")
        mails.append((str(msg["X-Test-Peer"]), m.group(2), m.group(3), subject))
    return mails


def main():
    lanwatchd = sys.argv[1] if len(sys.argv) > 1 else ""
    if not os.access(lanwatchd, os.X_OK):
        raise Fail(f"no lanwatchd at {lanwatchd!r}")
    for tool in ("snmpsimd", "prometheus", "prometheus-alertmanager"):
        if not shutil.which(tool):
            raise Fail(f"{tool} is not installed")
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="lanwatch-scale-out-"))
    procs = Processes(scratch)
    try:
        run(lanwatchd, scratch, procs)
    finally:
        procs.stop_all()
        shutil.rmtree(scratch, ignore_errors=True)
    log(f"PASS in {time.monotonic() - started:.0f}s")


def run(lanwatchd, scratch, procs):
    devices = ["core-a", "leaf-a", "core-b", "leaf-b"]
    ports = free_ports(len(devices) + 2 + 2 + 2 + 2)  # agents, shards, peers (web, cluster), prometheus, smtp
    agent_ports = dict(zip(devices, ports[0:4]))
    shard_ports = {"a": ports[4], "b": ports[5]}
    am_web = {"a": ports[6], "b": ports[7]}
    am_cluster = {"a": ports[8], "b": ports[9]}
    prom_port, smtp_port = ports[10], ports[11]

    # The agents: one snmpsimd per device, so that each can stop on its own. snmpsimd runs
    # as nobody: world-readable data, a cache directory each of its own.
    data = scratch / "data"
    subprocess.run([PYTHON, str(SRC / "tests/agents/make_recordings.py"), str(data)], check=True,
                   stdout=subprocess.DEVNULL)
    os.chmod(scratch, 0o755)
    for device, port in agent_ports.items():
        cache = scratch / f"cache-{device}"
        cache.mkdir()
        shutil.chown(cache, "nobody")
        procs.start(f"agent-{device}", [
            "snmpsimd", f"--data-dir={data}", f"--agent-udpv4-endpoint=127.0.0.1:{port}",
            f"--cache-dir={cache}", "--process-user=nobody", "--process-group=nogroup",
            "--logging-method=null"])

    mail_dir = scratch / "mail"
    mail_dir.mkdir()
    procs.start("smtp", [PYTHON, str(SRC / "tests/agents/smtp_sink.py"), "--port", str(smtp_port),
                         "--dir", str(mail_dir), "--ready-file", str(scratch / "smtp.ready")])

    for shard in ("a", "b"):
        cfg = scratch / f"lanwatchd-{shard}.yaml"
        cfg.write_text(yaml.safe_dump(lanwatchd_config(shard, agent_ports), allow_unicode=True))
        state = scratch / f"state-{shard}"
        state.mkdir()
        procs.start(f"lanwatchd-{shard}", [lanwatchd, "-c", str(cfg), "--listen",
                                           f"127.0.0.1:{shard_ports[shard]}",
                                           "--state-dir", str(state)])

    for peer, other in (("a", "b"), ("b", "a")):
        cfg = scratch / f"alertmanager-{peer}.yml"
        cfg.write_text(yaml.safe_dump(alertmanager_config(peer, smtp_port), allow_unicode=True))
        procs.start(f"alertmanager-{peer}", [
            "prometheus-alertmanager", f"--config.file={cfg}",
            f"--storage.path={scratch / f'am-data-{peer}'}",
            f"--web.listen-address=127.0.0.1:{am_web[peer]}",
            f"--cluster.listen-address=127.0.0.1:{am_cluster[peer]}",
            f"--cluster.peer=127.0.0.1:{am_cluster[other]}",
            f"--cluster.peer-timeout={PEER_TIMEOUT_S}s", "--log.level=debug"])

    rules = scratch / "lanwatch.rules.yml"
    rules.write_text(shortened_rules((DEPLOY / "prometheus/lanwatch.rules.yml").read_text()))
    prom_cfg = scratch / "prometheus.yml"
    prom_cfg.write_text(yaml.safe_dump(
        prometheus_config(rules, shard_ports, [am_web["a"], am_web["b"]]), allow_unicode=True))
    check = subprocess.run(["promtool", "check", "config", str(prom_cfg)], capture_output=True,
                           text=True)
    if check.returncode != 0:
        raise Fail(f"promtool rejects the test copy: {check.stdout}{check.stderr}")
    procs.start("prometheus", [
        "prometheus", f"--config.file={prom_cfg}", f"--storage.tsdb.path={scratch / 'prom-data'}",
        f"--web.listen-address=127.0.0.1:{prom_port}"])

    prom = f"http://127.0.0.1:{prom_port}"

    def query(expr):
        url = f"{prom}/api/v1/query?query={urllib.parse.quote(expr)}"
        return http_json(url)["data"]["result"]

    def tails(*names):
        return lambda: "\n".join(procs.log_tail(n) for n in names)

    # --- everything up: the sink, both peers clustered, both shards polled and scraped ---
    wait_for("the SMTP sink did not start", 20, lambda: (scratch / "smtp.ready").exists(),
             tails("smtp"))

    def clustered(peer):
        status = http_json(f"http://127.0.0.1:{am_web[peer]}/api/v2/status")
        return status["cluster"]["status"] == "ready" and len(status["cluster"]["peers"]) == 2

    wait_for("the Alertmanager peers did not form a cluster of two", 90,
             lambda: clustered("a") and clustered("b"), tails("alertmanager-a", "alertmanager-b"))
    wait_for("Prometheus did not start", 30, lambda: http_ok(f"{prom}/-/ready"), tails("prometheus"))
    wait_for("Prometheus does not see both Alertmanager peers", 30,
             lambda: len(http_json(f"{prom}/api/v1/alertmanagers")["data"]["activeAlertmanagers"]) == 2,
             tails("prometheus"))

    def all_up():
        scraped = {r["metric"]["shard"] for r in query('up{job="lanwatch"} == 1')}
        polled = {(r["metric"]["shard"], r["metric"]["device"]) for r in query("lanwatch_device_up == 1")}
        return scraped == {"a", "b"} and polled == {
            ("a", "core-a"), ("a", "leaf-a"), ("b", "core-b"), ("b", "leaf-b")}

    wait_for("Prometheus does not scrape both shards with all four devices up", 60, all_up,
             tails("lanwatchd-a", "lanwatchd-b", "prometheus"))
    # Parents cross no shard: each leaf's topology names its own shard's core.
    topology = {(r["metric"]["shard"], r["metric"]["device"], r["metric"].get("parent", ""))
                for r in query("lanwatch_device_topology_info")}
    if ("a", "leaf-a", "core-a") not in topology or ("b", "leaf-b", "core-b") not in topology:
        raise Fail(f"topology as scraped: {sorted(topology)}")
    # Past LanwatchDown's shortened hold with both shards scraped: nothing may be firing.
    time.sleep(2 * 6)
    firing = [r["metric"] for r in query('ALERTS{alertstate="firing"}')]
    if firing:
        raise Fail(f"alerts firing before any incident: {firing}")
    if read_mails(mail_dir):
        raise Fail(f"mail before any incident: {read_mails(mail_dir)}")
    log("up: 4 agents, 2 lanwatchd, Prometheus, 2 Alertmanager peers clustered, SMTP sink")

    def wait_mails(count, incident):
        t0 = time.monotonic()
        wait_for(f"{incident}: no mail", 90, lambda: len(read_mails(mail_dir)) >= count,
                 lambda: f"mails: {read_mails(mail_dir)} " + tails("alertmanager-a", "alertmanager-b")())
        took = time.monotonic() - t0
        time.sleep(SETTLE_S)  # a duplicate, if the cluster fails to dedup, arrives by now
        mails = read_mails(mail_dir)
        if len(mails) != count:
            raise Fail(f"{incident}: {len(mails)} mails in all, expected {count}: {mails}")
        return mails, took

    def peer_alerts(peer, device):
        alerts = http_json(f"http://127.0.0.1:{am_web[peer]}/api/v2/alerts?active=true")
        return [a for a in alerts if a["labels"].get("device") == device
                and a["labels"]["alertname"] == "DeviceUnreachable"]

    # --- incident 1: leaf-a stops answering ---
    procs.send("agent-leaf-a", signal.SIGSTOP)
    mails, took = wait_mails(1, "leaf-a unreachable")
    sender, status, device, subject = mails[0]
    if (status, device) != ("FIRING", "leaf-a") or sender not in ("a", "b"):
        raise Fail(f"first mail: {mails[0]}")
    for peer in ("a", "b"):
        if not peer_alerts(peer, "leaf-a"):
            raise Fail(f"Alertmanager peer {peer} does not hold DeviceUnreachable leaf-a")
    log(f"incident 1: one mail from peer {sender} {took:.1f}s "
        f"after the agent stopped, both peers hold the alert: {subject}")

    # --- the sender dies; incident 2: leaf-b stops answering ---
    survivor = "b" if sender == "a" else "a"
    procs.stop(f"alertmanager-{sender}", signal.SIGKILL)
    procs.send("agent-leaf-b", signal.SIGSTOP)
    mails, took = wait_mails(2, "leaf-b unreachable after a peer died")
    if mails[1][:3] != (survivor, "FIRING", "leaf-b"):
        raise Fail(f"second mail: {mails[1]}, expected FIRING leaf-b from peer {survivor}")
    log(f"incident 2: one mail from the survivor {survivor} "
        f"{took:.1f}s after the agent stopped: {mails[1][3]}")

    # --- both agents resume: one resolved mail each, from the survivor ---
    procs.send("agent-leaf-a", signal.SIGCONT)
    procs.send("agent-leaf-b", signal.SIGCONT)
    wait_for("resolved mails", 90,
             lambda: len(read_mails(mail_dir)) >= 4,
             lambda: f"mails: {read_mails(mail_dir)} " + tails(f"alertmanager-{survivor}")())
    time.sleep(SETTLE_S)
    mails = read_mails(mail_dir)
    resolved = sorted(m[:3] for m in mails[2:])
    if len(mails) != 4 or resolved != [(survivor, "RESOLVED", "leaf-a"), (survivor, "RESOLVED", "leaf-b")]:
        raise Fail(f"after the agents resumed: {mails}")
    log("resolved: one mail each for leaf-a and leaf-b, from the survivor")

    # --- shard b's lanwatchd dies: LanwatchDown, naming the shard ---
    procs.stop("lanwatchd-b", signal.SIGKILL)
    mails, took = wait_mails(5, "lanwatchd-b killed")
    if mails[4][:3] != (survivor, "FIRING", "lanwatch"):
        raise Fail(f"fifth mail: {mails[4]}, expected FIRING lanwatch (LanwatchDown) from {survivor}")
    down = [r["metric"] for r in query('ALERTS{alertname="LanwatchDown", alertstate="firing"}')]
    if [a.get("shard") for a in down] != ["b"]:
        raise Fail(f"LanwatchDown firing for {down}, expected shard b only")
    log(f"lanwatchd-b killed: one LanwatchDown mail for shard b {took:.1f}s later: {mails[4][3]}")
    for peer, status, device, subject in mails:
        log(f"  mail from {peer}: {subject}")
    for name in ("lanwatchd-a", "prometheus", f"alertmanager-{survivor}", "smtp"):
        if not procs.alive(name):
            raise Fail(f"{name} died during the test. {procs.log_tail(name)}")


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
