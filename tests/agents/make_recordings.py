#!/usr/bin/env python3
"""Writes the snmpsim recordings lanwatch's integration tests serve, into OUTDIR.

  switch48_c32.snmprec  a 48-port access switch with only 32-bit ifTable counters (no
                        ifXTable), counters moving at known rates, one of them about to wrap
  router_hc.snmprec     a router with ifXTable and 64-bit HC counters moving at known rates
  h3c_optics.snmprec    an H3C switch: transceiver levels in hundredths of a dBm by ifIndex,
                        an ENTITY-SENSOR dBm sensor mapped to its port through ENTITY-MIB,
                        sysUpTime above 2^31 and a Counter64 above 2^53
  longnames.snmprec     60 ports whose ifDescr, ifName and ifAlias are 600-character strings:
                        a GETBULK of 50 rows makes a reply over 64 KiB, which snmpsimd cannot
                        send, so it stays silent (as some real agents do on large replies)
  gbk_switch.snmprec    a Chinese-localised Huawei switch: sysName, sysDescr, ifDescr, ifAlias,
                        hrStorageDescr and an entPhysicalName in GBK bytes (hex, type 4x), as
                        such devices send them; one port's name is UTF-8 cut inside a character
  no_sysuptime.snmprec  a ZTE switch that answers without sysUpTime.0 (as real ZTE, TP-Link and
                        Cisco switches do) but has hrSystemUptime and snmpEngineBoots/Time
  no_clock.snmprec      a TP-Link switch with none of those clocks at all

With a second argument `toobig`, it writes instead (for snmpsimd started with
--variation-modules-dir=OUTDIR/variation) the agents that answer tooBig:
  toobig.snmprec        answers tooBig to any request for more than 4 interface objects at once
                        (the variation module variation/toobig.py), as agents with small
                        buffers do
  toobig_alias.snmprec  the same for its system scalars too, and its ifAlias does not fit in a
                        reply even alone

Rates are what the tests assert against: port k of the switch receives k * 10,000 B/s and
sends k * 5,000 B/s; the router's wan0 receives 750,000 B/s (6 Mbit/s, 60% of its 10 Mbit/s).
Files are sorted by OID, as snmpsim requires, and end with an object after the walked tables
(otherwise snmpsim repeats the last OID on GETBULK).
"""
import os
import shutil
import sys

SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"


def oid_key(line):
    return [int(p) for p in line.split("|", 1)[0].split(".")]


def system(descr, object_id, name):
    return [
        f"{SYS}.1.0|4|{descr}",
        f"{SYS}.2.0|6|{object_id}",
        f"{SYS}.3.0|67:numeric|rate=100,initial=360000",
        f"{SYS}.5.0|4|{name}",
        "1.3.6.1.2.1.2.1.0|2|{n}",
    ]


def switch48():
    lines = system("Access switch 48x1G (lanwatch test)", "1.3.6.1.4.1.2011.2.23.1", "sw48")
    lines[-1] = lines[-1].format(n=48)
    for k in range(1, 49):
        up = k not in (47, 48)  # two ports unplugged
        lines += [
            f"{IF}.1.{k}|2|{k}",
            f"{IF}.2.{k}|4|GigabitEthernet0/0/{k}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|1000000000",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|{1 if up else 2}",
            f"{IF}.9.{k}|67|100",
            f"{IF}.13.{k}|65|0",
            f"{IF}.14.{k}|65|{k}",
            f"{IF}.19.{k}|65|0",
            f"{IF}.20.{k}|65|0",
        ]
        # Port 1 starts 8 s before its Counter32 wraps: a test that starts this agent itself
        # sees the wrap inside its window.
        initial_in = 4294967296 - 80000 if k == 1 else k * 1000
        rate_in, rate_out = (k * 10000, k * 5000) if up else (0, 0)
        lines += [
            f"{IF}.10.{k}|65:numeric|rate={rate_in},initial={initial_in},wrap=1",
            f"{IF}.16.{k}|65:numeric|rate={rate_out},initial={k * 7},wrap=1",
        ]
    lines.append("1.3.6.1.2.1.4.1.0|2|2")
    return lines


def router():
    lines = system("Edge router (lanwatch test)", "1.3.6.1.4.1.9.1.1", "edge")
    lines[-1] = lines[-1].format(n=2)
    ports = {1: ("wan0", "ISP fiber uplink", 750000, 250000, 1000000000),
             2: ("lan0", "to core switch", 250000, 1000000, 1000000000)}
    for k, (name, alias, rin, rout, speed) in ports.items():
        lines += [
            f"{IF}.2.{k}|4|{name}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|{speed}",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|1",
            f"{IF}.9.{k}|67|100",
            f"{IF}.10.{k}|65|123",  # stale 32-bit counters: HC must win
            f"{IF}.14.{k}|65|0",
            f"{IF}.16.{k}|65|456",
            f"{IF}.20.{k}|65|0",
            f"{IFX}.1.{k}|4|{name}",
            f"{IFX}.6.{k}|70:numeric|rate={rin},initial=9000000000000",
            f"{IFX}.10.{k}|70:numeric|rate={rout},initial=5000000000000",
            f"{IFX}.15.{k}|66|{speed // 1000000}",
            f"{IFX}.18.{k}|4|{alias}",
        ]
    lines.append("1.3.6.1.2.1.4.1.0|2|1")
    return lines


def h3c_optics():
    lines = [
        f"{SYS}.1.0|4|H3C S5130 (lanwatch test)",
        f"{SYS}.2.0|6|1.3.6.1.4.1.25506.1.1",
        f"{SYS}.3.0|67|3000000000",  # 347 days: above 2^31, as many real agents report
        f"{SYS}.5.0|4|county-sw",
        "1.3.6.1.2.1.2.1.0|2|4",
    ]
    ports = {1: ("GE1/0/1", "", 1), 2: ("XGE1/0/49", "Panji district fiber", 1),
             3: ("XGE1/0/50", "ISP uplink", 1), 4: ("XGE1/0/51", "spare", 2)}
    for k, (name, alias, oper) in ports.items():
        lines += [
            f"{IF}.2.{k}|4|{name}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|4294967295",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|{oper}",
            f"{IFX}.1.{k}|4|{name}",
            f"{IFX}.6.{k}|70|{18014398509481985 + k}",  # 2^54 + k: not exact as a double
            f"{IFX}.10.{k}|70|{k}",
            f"{IFX}.15.{k}|66|{1000 if k == 1 else 10000}",
            f"{IFX}.18.{k}|4|{alias}",
        ]
    # ENTITY-MIB: port entity 1003 is ifIndex 3; sensor 1103 sits in it.
    lines += [
        "1.3.6.1.2.1.47.1.1.1.1.4.1003|2|1",
        "1.3.6.1.2.1.47.1.1.1.1.4.1103|2|1003",
        "1.3.6.1.2.1.47.1.1.1.1.7.1003|4|XGE1/0/50",
        "1.3.6.1.2.1.47.1.1.1.1.7.1103|4|XGE1/0/50 Rx Power",
        "1.3.6.1.2.1.47.1.3.2.1.2.1003.0|6|1.3.6.1.2.1.2.2.1.1.3",
        # ENTITY-SENSOR: dBm (14), units (9), 2 decimals: -5.12 dBm
        "1.3.6.1.2.1.99.1.1.1.1.1103|2|14",
        "1.3.6.1.2.1.99.1.1.1.2.1103|2|9",
        "1.3.6.1.2.1.99.1.1.1.3.1103|2|2",
        "1.3.6.1.2.1.99.1.1.1.4.1103|2|-512",
        # HH3C-TRANSCEIVER-INFO-MIB, by ifIndex, hundredths of a dBm; 2147483647 = no module
        "1.3.6.1.4.1.25506.2.70.1.1.1.9.2|2|-180",
        "1.3.6.1.4.1.25506.2.70.1.1.1.12.2|2|-250",
        "1.3.6.1.4.1.25506.2.70.1.1.1.12.4|2|2147483647",
        "1.3.6.1.4.1.25506.2.70.1.1.1.99.1|2|0",  # after the table, so walks end cleanly
    ]
    return lines


def longnames():
    lines = system("Switch with verbose port names (lanwatch test)", "1.3.6.1.4.1.25506.1.1",
                   "longnames")
    lines[-1] = lines[-1].format(n=60)
    for k in range(1, 61):
        text = f"port {k:02d} " + "x" * 591
        lines += [
            f"{IF}.2.{k}|4|{text}",
            f"{IF}.8.{k}|2|1",
            f"{IFX}.1.{k}|4|{text}",
            f"{IFX}.18.{k}|4|{text}",
        ]
    lines.append("1.3.6.1.2.1.4.1.0|2|2")
    return lines


def gbk(text):
    """An OCTET STRING holding `text` in GBK, the way Chinese-localised agents send it."""
    return "4x|" + text.encode("gbk").hex()


def gbk_switch():
    """Names in GBK (hex-encoded: snmprec type 4x). Port 1: a subordinate unit's fiber, alias
    大同分局光纤; port 2: the uplink, no ifName, so its ifDescr (上联电信出口) is its name; port 3:
    a UTF-8 alias cut in the middle of its last character, as agents truncate at a byte count.
    Rates: port 1 receives 1,000,000 B/s, port 2 250,000 B/s (HC counters)."""
    lines = [
        f"{SYS}.1.0|{gbk('Huawei S5720 核心交换机 (lanwatch test)')}",
        f"{SYS}.2.0|6|1.3.6.1.4.1.2011.2.23.1",
        f"{SYS}.3.0|67:numeric|rate=100,initial=360000",
        f"{SYS}.5.0|{gbk('核心交换机')}",
        "1.3.6.1.2.1.2.1.0|2|3",
    ]
    cut = "田家庵区光纤".encode("utf-8")[:-1].hex()
    ports = {1: (gbk("GigabitEthernet0/0/1"), "4|GE0/0/1", gbk("大同分局光纤"), 1000000),
             2: (gbk("上联电信出口"), None, gbk("上联电信"), 250000),
             3: ("4|GigabitEthernet0/0/3", "4|GE0/0/3", "4x|" + cut, 0)}
    for k, (descr, name, alias, rate) in ports.items():
        lines += [
            f"{IF}.2.{k}|{descr}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|1000000000",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|1",
            f"{IF}.14.{k}|65|0",
            f"{IF}.20.{k}|65|0",
            f"{IFX}.6.{k}|70:numeric|rate={rate},initial=1000000",
            f"{IFX}.10.{k}|70:numeric|rate={rate // 2},initial=1000000",
            f"{IFX}.15.{k}|66|1000",
            f"{IFX}.18.{k}|{alias}",
        ]
        if name:
            lines.append(f"{IFX}.1.{k}|{name}")
    # HOST-RESOURCES storage (for a `role: server` poll of the same agent): RAM named in GBK.
    HRS = "1.3.6.1.2.1.25.2.3.1"
    lines += [
        f"{HRS}.2.1|6|1.3.6.1.2.1.25.2.1.2",
        f"{HRS}.3.1|{gbk('物理内存')}",
        f"{HRS}.4.1|2|1024",
        f"{HRS}.5.1|2|4194304",
        f"{HRS}.6.1|2|1048576",
        "1.3.6.1.2.1.25.3.3.1.2.196608|2|7",
        # ENTITY-MIB: port entity 1001 is ifIndex 1; its Rx sensor 1101 is named in GBK.
        "1.3.6.1.2.1.47.1.1.1.1.4.1001|2|1",
        "1.3.6.1.2.1.47.1.1.1.1.4.1101|2|1001",
        f"1.3.6.1.2.1.47.1.1.1.1.7.1001|{gbk('大同分局光纤端口')}",
        f"1.3.6.1.2.1.47.1.1.1.1.7.1101|{gbk('GE0/0/1 Rx 收光功率')}",
        "1.3.6.1.2.1.47.1.3.2.1.2.1001.0|6|1.3.6.1.2.1.2.2.1.1.1",
        "1.3.6.1.2.1.99.1.1.1.1.1101|2|14",
        "1.3.6.1.2.1.99.1.1.1.2.1101|2|9",
        "1.3.6.1.2.1.99.1.1.1.3.1101|2|1",
        "1.3.6.1.2.1.99.1.1.1.4.1101|2|-35",
        "1.3.6.1.6.3.1.1.6.1.0|2|2",  # after every walked table, so walks end cleanly
    ]
    return lines


def no_sysuptime():
    lines = [
        f"{SYS}.1.0|4|ZXR10 5928E, an agent without sysUpTime (lanwatch test)",
        f"{SYS}.2.0|6|1.3.6.1.4.1.3902.3.100.5928",
        f"{SYS}.5.0|4|zte-nouptime",
        "1.3.6.1.2.1.2.1.0|2|4",
        "1.3.6.1.2.1.25.1.1.0|67:numeric|rate=100,initial=720000",  # the host's uptime
        "1.3.6.1.6.3.10.2.1.2.0|2|3",  # snmpEngineBoots
        "1.3.6.1.6.3.10.2.1.3.0|2:numeric|rate=1,initial=7200",  # snmpEngineTime
        "1.3.6.1.6.3.10.2.1.4.0|2|1500",  # after what is walked or read
    ]
    return lines + small_if_table(4)


def no_clock():
    lines = [
        f"{SYS}.1.0|4|TL-SG3428, an agent without any uptime clock (lanwatch test)",
        f"{SYS}.2.0|6|1.3.6.1.4.1.11863.1.1.3",
        f"{SYS}.5.0|4|tplink-noclock",
        "1.3.6.1.2.1.2.1.0|2|4",
        "1.3.6.1.2.1.4.1.0|2|2",
    ]
    return lines + small_if_table(4)


def small_if_table(n):
    """n up ports with 32-bit counters moving at k * 1000 B/s in and out."""
    lines = []
    for k in range(1, n + 1):
        lines += [
            f"{IF}.2.{k}|4|port{k}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|100000000",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|1",
            f"{IF}.10.{k}|65:numeric|rate={k * 1000},initial={k},wrap=1",
            f"{IF}.16.{k}|65:numeric|rate={k * 1000},initial={k},wrap=1",
        ]
    return lines


def toobig(alias_fits):
    """The interface tables through variation/toobig.py: a request for more than 4 of their
    objects is tooBig. With alias_fits False, the system scalars are limited too, and ifAlias
    never fits (ifConnectorPresent sits between it and ifHighSpeed, as in IF-MIB, so that the
    column before it still ends)."""
    def big(oid, tag, value, limit=4):
        return f"{oid}|{tag}:toobig|{limit},{value}"

    def scalar(oid, tag, value):
        return f"{oid}|{tag}|{value}" if alias_fits else big(oid, tag, value)
    lines = [
        scalar(f"{SYS}.1.0", 4, "Switch with a small reply buffer (lanwatch test)"),
        scalar(f"{SYS}.2.0", 6, "1.3.6.1.4.1.2011.2.23.1"),
        scalar(f"{SYS}.3.0", 67, 360000),
        scalar(f"{SYS}.5.0", 4, "smallbuf"),
        "1.3.6.1.2.1.2.1.0|2|8",
    ]
    for k in range(1, 9):
        lines += [
            big(f"{IF}.2.{k}", 4, f"GigabitEthernet0/0/{k}"),
            big(f"{IF}.3.{k}", 2, 6),
            big(f"{IF}.5.{k}", 66, 1000000000),
            big(f"{IF}.7.{k}", 2, 1),
            big(f"{IF}.8.{k}", 2, 1),
            big(f"{IF}.10.{k}", 65, k * 100),
            big(f"{IF}.16.{k}", 65, k * 200),
            big(f"{IFX}.1.{k}", 4, f"GE0/0/{k}"),
            big(f"{IFX}.6.{k}", 70, k * 1000),
            big(f"{IFX}.10.{k}", 70, k * 2000),
            big(f"{IFX}.15.{k}", 66, 1000),
            f"{IFX}.17.{k}|2|1",
            big(f"{IFX}.18.{k}", 4, f"office {k}", limit=4 if alias_fits else 0),
        ]
    lines.append("1.3.6.1.2.1.4.1.0|2|2")
    return lines


def write_toobig(out):
    os.makedirs(os.path.join(out, "variation"), exist_ok=True)
    module = os.path.join(os.path.dirname(os.path.abspath(__file__)), "variation", "toobig.py")
    shutil.copy(module, os.path.join(out, "variation", "toobig.py"))
    os.chmod(os.path.join(out, "variation"), 0o755)
    os.chmod(os.path.join(out, "variation", "toobig.py"), 0o644)
    write(os.path.join(out, "toobig.snmprec"), toobig(alias_fits=True))
    write(os.path.join(out, "toobig_alias.snmprec"), toobig(alias_fits=False))


def write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(sorted(lines, key=oid_key)) + "\n")
    os.chmod(path, 0o644)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    if sys.argv[2:] == ["toobig"]:
        write_toobig(out)
        sys.exit(0)
    write(os.path.join(out, "no_sysuptime.snmprec"), no_sysuptime())
    write(os.path.join(out, "no_clock.snmprec"), no_clock())
    write(os.path.join(out, "switch48_c32.snmprec"), switch48())
    write(os.path.join(out, "router_hc.snmprec"), router())
    write(os.path.join(out, "longnames.snmprec"), longnames())
    write(os.path.join(out, "h3c_optics.snmprec"), h3c_optics())
    write(os.path.join(out, "gbk_switch.snmprec"), gbk_switch())
