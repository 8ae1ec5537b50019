#!/usr/bin/env python3
"""Writes the snmpsim recordings lanwatch's integration tests serve, into OUTDIR.

  switch48_c32.snmprec  a 48-port access switch with only 32-bit ifTable counters (no
                        ifXTable), counters moving at known rates, one of them about to wrap
  router_hc.snmprec     a router with ifXTable and 64-bit HC counters moving at known rates
                        (octets, and unicast/multicast/broadcast packets)
  h3c_optics.snmprec    an H3C switch: HH3C-TRANSCEIVER-INFO-MIB by ifIndex (levels in 0.01 dBm,
                        temperature, voltage, bias, vendor, serial, and the module's limits),
                        an ENTITY-SENSOR dBm sensor mapped to its port through ENTITY-MIB,
                        sysUpTime above 2^31 and a Counter64 above 2^53
  entity_sensor_optics.snmprec  a Cisco-like switch: an SFP in ENTITY-SENSOR-MIB (milli-dBm
                        and 0.01 dBm scales, °C, V, mA, no limits), an SFP in CISCO-ENTITY-
                        SENSOR-MIB with its entSensorThresholdTable, a QSFP with Lane 1-4
                        sensors; modules inside port entities, mapped to ifIndex by ENTITY-MIB
  huawei_ne8000_optics.snmprec  a Huawei NE8000 M8: hwOpticalModuleInfoTable with Rx in 0.01 dBm
                        (one of them positive) and Tx in microwatts, thresholds, identity
  optics_placeholders.snmprec  every "nothing there" and "no light" form at once: a Huawei
                        empty cage (-1, -255, ""), Rx "-Inf" as text, thresholds of 0, an
                        ENTITY-SENSOR Rx of -99 dBm, H3C rows of 2147483647, a non-UTF-8 name
  optics_no_light.snmprec  a Cisco switch whose two SFPs read at the floor: -40.0 dBm
                        (precision 1, raw -400) and -40 dBm (precision 0)
  optics_declining.snmprec  a Cisco switch whose Rx declines with agent uptime (numeric
                        variation; sysUpTime starts at 0): Gi1/0/1 from -5.00 dBm by 0.5 dB a
                        second (-5 - 0.5 t), floor -30.00 after 50 s; Gi1/0/2 from -5.00 by
                        10 dB a second, at its floor of -30.00 from 2.5 s on
  longnames.snmprec     60 ports whose ifDescr, ifName and ifAlias are 600-character strings:
                        a GETBULK of 50 rows makes a reply over 64 KiB, which snmpsimd cannot
                        send, so it stays silent (as some real agents do on large replies)
  gbk_switch.snmprec    a Chinese-localised Huawei switch: sysName, sysDescr, ifDescr, ifAlias,
                        hrStorageDescr and an entPhysicalName in GBK bytes (hex, type 4x), as
                        such devices send them; one port's name is UTF-8 cut inside a character
  no_sysuptime.snmprec  a ZTE switch that answers without sysUpTime.0 (as real ZTE, TP-Link and
                        Cisco switches do) but has hrSystemUptime and snmpEngineBoots/Time
  no_clock.snmprec      a TP-Link switch with none of those clocks at all

With a second argument `optics_timeline`, it writes instead (for snmpsimd started with
--variation-modules-dir=OUTDIR/variation):
  optics_swap.snmprec   a Cisco switch whose Gi1/0/1 module is replaced: 4 s after the first
                        request that reads any of its objects (variation/swap.py), serial,
                        part and levels change (FNS1111AAAA GLC-LH-SMD Rx -3.50 Tx -2.50 ->
                        FNS2222BBBB GLC-SX-MMD Rx -6.20 Tx -5.10)

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
    # HC packets a second, ifXTable .7 .8 .9 in and .11 .12 .13 out (unicast, multicast,
    # broadcast)
    packets = {1: {7: 600, 8: 12, 9: 3, 11: 250, 12: 2, 13: 1},
               2: {7: 220, 8: 30, 9: 40, 11: 900, 12: 5, 13: 7}}
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
            *(f"{IFX}.{column}.{k}|70:numeric|rate={rate},initial={column * 1000000000}"
              for column, rate in packets[k].items()),
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
    ]
    # HH3C-TRANSCEIVER-INFO-MIB, by ifIndex; 2147483647 = no module. XGE1/0/49 (ifIndex 2): a
    # 10GBASE-LR SFP+, Rx -2.50 dBm, Tx -1.80 dBm (0.01 dBm), 36 °C, 3.29 V (0.01 V), 31.50 mA
    # (0.01 mA); limits: temperature in 0.001 °C, Vcc in 0.0001 V, bias in uA, power in 0.1 uW
    # (Rx low alarm 363 = -14.40 dBm, Rx low warning 457 = -13.40 dBm, Tx high alarm 15849 =
    # +2.00 dBm, Tx low alarm 1585 = -8.00 dBm); temperature low warning 0: none.
    x = "1.3.6.1.4.1.25506.2.70.1.1.1"
    xge49 = {2: "4|SFP_10G_LR", 4: "4|H3C", 5: "4|210231A0A6X123000456", 9: "2|-180",
             12: "2|-250", 15: "2|36", 16: "2|329", 17: "2|3150",
             18: "2|75000", 19: "2|-5000", 20: "2|70000", 21: "2|0",
             22: "2|36300", 23: "2|29700", 24: "2|34650", 25: "2|31350",
             26: "2|100000", 27: "2|2000", 28: "2|90000", 29: "2|3000",
             30: "2|15849", 31: "2|1585", 32: "2|12589", 33: "2|1995",
             34: "2|12589", 35: "2|363", 36: "2|10000", 37: "2|457"}
    lines += [f"{x}.{c}.2|{v}" for c, v in xge49.items()]
    # XGE1/0/51 (ifIndex 4): an empty cage.
    lines += [f"{x}.{c}.4|2|2147483647" for c in (9, 12, 15, 16, 17)]
    lines.append(f"{x}.99.1|2|0")  # after the table, so walks end cleanly
    return lines


def optics_device(descr, object_id, name, ports, uptime="67|360000"):
    """System group, ifTable and ifXTable of a switch whose `ports` are
    {ifIndex: (name, alias, oper_status, speed in Mbit/s)}."""
    lines = [
        f"{SYS}.1.0|4|{descr}",
        f"{SYS}.2.0|6|{object_id}",
        f"{SYS}.3.0|{uptime}",
        f"{SYS}.5.0|4|{name}",
        f"1.3.6.1.2.1.2.1.0|2|{len(ports)}",
    ]
    for k, (port, alias, oper, mbps) in ports.items():
        lines += [
            f"{IF}.1.{k}|2|{k}",
            f"{IF}.2.{k}|4|{port}",
            f"{IF}.3.{k}|2|6",
            f"{IF}.5.{k}|66|{min(mbps * 1000000, 4294967295)}",
            f"{IF}.7.{k}|2|1",
            f"{IF}.8.{k}|2|{oper}",
            f"{IF}.10.{k}|65:numeric|rate={k * 1000},initial={k},wrap=1",
            f"{IF}.16.{k}|65:numeric|rate={k * 500},initial={k},wrap=1",
            f"{IFX}.1.{k}|4|{port}",
            f"{IFX}.6.{k}|70:numeric|rate={k * 1000},initial={k}",
            f"{IFX}.10.{k}|70:numeric|rate={k * 500},initial={k}",
            f"{IFX}.15.{k}|66|{mbps}",
            f"{IFX}.18.{k}|4|{alias}",
        ]
    return lines


ENT = "1.3.6.1.2.1.47.1.1.1.1"
ALIAS = "1.3.6.1.2.1.47.1.3.2.1.2"
ESENSOR = "1.3.6.1.2.1.99.1.1.1"
CSENSOR = "1.3.6.1.4.1.9.9.91.1.1.1.1"
CTHRESHOLD = "1.3.6.1.4.1.9.9.91.1.2.1.1"
HWOPT = "1.3.6.1.4.1.2011.5.25.31.1.1.3.1"
H3CX = "1.3.6.1.4.1.25506.2.70.1.1.1"
END = "1.3.6.1.6.3.1.1.6.1.0|2|2"  # after every walked table, so walks end cleanly


def entity(index, parent, name, serial="", vendor="", model=""):
    """An entPhysicalEntry: containment, name and identity."""
    lines = [f"{ENT}.4.{index}|2|{parent}", f"{ENT}.7.{index}|{name}"]
    if serial or vendor or model:
        lines += [f"{ENT}.11.{index}|4|{serial}", f"{ENT}.12.{index}|4|{vendor}",
                  f"{ENT}.13.{index}|4|{model}"]
    return lines


def sensor(table, index, type_, scale, precision, value, status=1):
    """A row of entPhySensorTable or entSensorValueTable; `value` may carry a variation tag
    (e.g. "2:numeric|rate=-50,initial=-500,min=-3000")."""
    value = value if "|" in str(value) else f"2|{value}"
    return [f"{table}.1.{index}|2|{type_}", f"{table}.2.{index}|2|{scale}",
            f"{table}.3.{index}|2|{precision}", f"{table}.4.{index}|{value}",
            f"{table}.5.{index}|2|{status}"]


def port_with_module(if_index, port_entity, module_entity, port, serial, vendor, model):
    """A port entity mapped to ifIndex, holding a module entity with its identity."""
    return ([f"{ALIAS}.{port_entity}.0|6|{IF}.1.{if_index}"] +
            entity(port_entity, 1, f"4|{port}") +
            entity(module_entity, port_entity, f"4|{port} transceiver", serial, vendor, model))


def entity_sensor_optics():
    """Gi1/0/49: an LH SFP in ENTITY-SENSOR-MIB, Rx -8.23 dBm (scale 9, precision 2), Tx -5.5
    dBm (scale 8 = milli, precision 0: -5500), 31.25 °C, 3.300 V, 12.5 mA (scale 8, precision
    1), no limits. Gi1/0/50: an SX SFP in CISCO-ENTITY-SENSOR-MIB, Rx -3.1, Tx -2.4 (precision
    1), Rx limits -15.0 (major, below), -13.0 (minor, below), 1.0 (major, above), 0 (minor,
    above: none). Et1/0/51: a QSFP, Rx lanes -1.10 .. -1.40, Tx lanes -0.50 .. -0.80 dBm."""
    lines = optics_device("Cisco-like switch with DOM optics (lanwatch test)",
                          "1.3.6.1.4.1.9.1.1208", "dom-sw",
                          {1: ("Gi1/0/49", "Panji district fiber", 1, 1000),
                           2: ("Gi1/0/50", "ISP uplink", 1, 1000),
                           3: ("Et1/0/51", "core link", 1, 40000),
                           4: ("Gi1/0/1", "", 1, 1000)})
    lines += entity(1, 0, "4|chassis")
    lines += port_with_module(1, 2001, 3001, "Gi1/0/49", "FNS49LH0001", "CISCO-FINISAR",
                              "GLC-LH-SMD")
    lines += port_with_module(2, 2002, 3002, "Gi1/0/50", "FNS50SX0002", "CISCO-AVAGO",
                              "GLC-SX-MMD")
    lines += port_with_module(3, 2003, 3003, "Et1/0/51", "QSF51LR0003", "ARISTA",
                              "QSFP-40G-LR4")
    for index, name, args in [(4011, "Gi1/0/49 Receive Power Sensor", (14, 9, 2, -823)),
                              (4012, "Gi1/0/49 Transmit Power Sensor", (14, 8, 0, -5500)),
                              (4013, "Gi1/0/49 Module Temperature Sensor", (8, 9, 2, 3125)),
                              (4014, "Gi1/0/49 Supply Voltage Sensor", (4, 9, 3, 3300)),
                              (4015, "Gi1/0/49 Bias Current Sensor", (5, 8, 1, 125))]:
        lines += entity(index, 3001, f"4|{name}") + sensor(ESENSOR, index, *args)
    for index, name, args in [(4021, "Gi1/0/50 Receive Power Sensor", (14, 9, 1, -31)),
                              (4022, "Gi1/0/50 Transmit Power Sensor", (14, 9, 1, -24)),
                              (4023, "Gi1/0/50 Module Temperature Sensor", (8, 9, 1, 298))]:
        lines += entity(index, 3002, f"4|{name}") + sensor(CSENSOR, index, *args)
    for k, (severity, relation, value) in enumerate(
            [(20, 1, -150), (10, 1, -130), (20, 3, 10), (10, 3, 0)], start=1):
        lines += [f"{CTHRESHOLD}.2.4021.{k}|2|{severity}", f"{CTHRESHOLD}.3.4021.{k}|2|{relation}",
                  f"{CTHRESHOLD}.4.4021.{k}|2|{value}"]
    for lane in range(1, 5):
        rx, tx = 4030 + lane, 4040 + lane
        lines += entity(rx, 3003, f"4|Et1/0/51 DOM Rx Power Lane {lane}")
        lines += sensor(ESENSOR, rx, 14, 9, 2, -100 - 10 * lane)
        lines += entity(tx, 3003, f"4|Et1/0/51 DOM Tx Power Lane {lane}")
        lines += sensor(ESENSOR, tx, 14, 9, 2, -40 - 10 * lane)
    return lines + [END]


def huawei_module(entity_index, values):
    """A hwOpticalModuleInfoTable row: {column: 'TAG|VALUE'}."""
    return [f"{HWOPT}.{c}.{entity_index}|{v}" for c, v in values.items()]


def huawei_ne8000_optics():
    """GE0/1/0 (ifIndex 10): Rx -712 (0.01 dBm: -7.12), Tx 1000 uW (0.00 dBm). 10GE0/2/0
    (ifIndex 11): Rx +150 (+1.50 dBm, where the sign rule would read 150 uW, -8.24 dBm), Tx
    603 uW (-2.20 dBm). Thresholds in 0.01 dBm: Rx -14.29 .. +3.40, Tx -11.60 .. +3.40."""
    lines = optics_device("Huawei NetEngine 8000 M8 (lanwatch test)", "1.3.6.1.4.1.2011.2.360.1.9",
                          "ne8000", {10: ("GigabitEthernet0/1/0", "ISP uplink", 1, 1000),
                                     11: ("10GE0/2/0", "county office", 1, 10000)})
    lines += entity(16842753, 0, "4|NE8000 M8")
    for if_index, ent, name, rx, tx, sn in [(10, 16850463, "GigabitEthernet0/1/0", -712, 1000,
                                             "HA1910000010"),
                                            (11, 16850464, "10GE0/2/0", 150, 603,
                                             "HA1910000011")]:
        lines.append(f"{ALIAS}.{ent}.0|6|{IF}.1.{if_index}")
        lines += entity(ent, 16842753, f"4|{name}")
        lines += huawei_module(ent, {4: f"4|{sn}", 5: "2|45", 6: "2|3310", 7: "2|5900",
                                     8: f"2|{rx}", 9: f"2|{tx}", 13: "2|-1429", 14: "2|340",
                                     15: "2|-1160", 16: "2|340", 24: "4|HUAWEI",
                                     25: "4|02311GBW"})
    return lines + [END]


def optics_placeholders():
    """A Huawei S5720 (uW by the table) with every placeholder: GE0/0/1 Rx "-Inf" (text),
    Tx 500 uW (-3.01 dBm), thresholds 0, temperature -255, voltage and bias -1; GE0/0/2 an
    empty cage (-1, -255, ""); GE0/0/3 ENTITY-SENSOR Rx -99 dBm (no light), Tx -2 dBm, its
    module named in bytes that are not UTF-8; GE0/0/4 an H3C row of 2147483647; GE0/0/5 H3C
    Rx -3.00 Tx -2.10 dBm with limits of 0; GE0/0/6 an Rx sensor whose value is text."""
    lines = optics_device("Huawei S5720 with odd optics (lanwatch test)",
                          "1.3.6.1.4.1.2011.2.23.291", "placeholders",
                          {k: (f"GE0/0/{k}", "", 1, 1000) for k in range(1, 7)})
    lines += entity(1, 0, "4|chassis")
    for k in (1, 2):
        lines.append(f"{ALIAS}.{100 + k}.0|6|{IF}.1.{k}")
        lines += entity(100 + k, 1, f"4|GE0/0/{k}")
    lines += huawei_module(101, {4: "4|HW0001", 5: "2|-255", 6: "2|-1", 7: "2|-1", 8: "4|-Inf",
                                 9: "2|500", 13: "2|0", 14: "2|0", 15: "2|0", 16: "2|0"})
    lines += huawei_module(102, {4: "4|", 5: "2|-255", 6: "2|-1", 7: "2|-1", 8: "2|-1",
                                 9: "2|-1", 13: "2|-1", 14: "2|-1", 24: "4|", 25: "4|",
                                 32: "4|", 33: "4|"})
    lines.append(f"{ALIAS}.103.0|6|{IF}.1.3")
    lines += entity(103, 1, "4x|" + b"GE0/0/3 \xff\xfe\x80".hex())
    lines += entity(1103, 103, "4|GE0/0/3 Rx Power") + sensor(ESENSOR, 1103, 14, 9, 0, -99)
    lines += entity(1203, 103, "4|GE0/0/3 Tx Power") + sensor(ESENSOR, 1203, 14, 9, 0, -2)
    lines.append(f"{ALIAS}.106.0|6|{IF}.1.6")
    lines += entity(106, 1, "4|GE0/0/6")
    lines += entity(1106, 106, "4|GE0/0/6 Rx Power")
    lines += [f"{ESENSOR}.1.1106|2|14", f"{ESENSOR}.2.1106|2|9", f"{ESENSOR}.3.1106|2|0",
              f"{ESENSOR}.4.1106|4|garbage"]
    lines += [f"{H3CX}.{c}.4|2|2147483647" for c in (9, 12, 15, 16, 17)]
    lines += [f"{H3CX}.9.5|2|-210", f"{H3CX}.12.5|2|-300"]
    lines += [f"{H3CX}.{c}.5|2|0" for c in range(18, 38)]
    return lines + [END]


def cisco_sfp_switch(descr, name, modules, uptime="67|360000"):
    """A Cisco switch with one SFP per port: modules = {ifIndex: (port, serial, model,
    rx_value, tx_value)} in CISCO-ENTITY-SENSOR-MIB (precision 2 unless the value is a tuple
    (raw, precision))."""
    lines = optics_device(descr, "1.3.6.1.4.1.9.1.1208", name,
                          {k: (port, "", 1, 1000) for k, (port, *_) in modules.items()},
                          uptime=uptime)
    lines += entity(1, 0, "4|chassis")
    for k, (port, serial, model, rx, tx) in modules.items():
        lines += port_with_module(k, 2000 + k, 3000 + k, port, serial, "CISCO", model)
        for index, what, value in [(4000 + 10 * k + 1, "Receive", rx),
                                   (4000 + 10 * k + 2, "Transmit", tx)]:
            raw, precision = value if isinstance(value, tuple) else (value, 2)
            lines += entity(index, 3000 + k, f"4|{port} {what} Power Sensor")
            lines += sensor(CSENSOR, index, 14, 9, precision, raw)
    return lines + [END]


def optics_no_light():
    return cisco_sfp_switch("Cisco switch, two dark fibers (lanwatch test)", "dark",
                            {1: ("Gi1/0/1", "FNSDARK0001", "GLC-LH-SMD", (-400, 1), (-23, 1)),
                             2: ("Gi1/0/2", "FNSDARK0002", "GLC-SX-MMD", (-40, 0), (-2, 0))})


def optics_declining():
    slow = "2:numeric|rate=-50,initial=-500,min=-3000"
    fast = "2:numeric|rate=-1000,initial=-500,min=-3000"
    return cisco_sfp_switch("Cisco switch, a fiber going bad (lanwatch test)", "declining",
                            {1: ("Gi1/0/1", "FNSSLOW0001", "GLC-LH-SMD", slow, -250),
                             2: ("Gi1/0/2", "FNSFAST0002", "GLC-LH-SMD", fast, -250)},
                            uptime="67:numeric|rate=100,initial=0")


def optics_swap():
    def swap(tag, before, after):
        return f"{tag}:swap|4,{before},{after}"
    lines = cisco_sfp_switch("Cisco switch, a module about to be replaced (lanwatch test)",
                             "swap", {1: ("Gi1/0/1", "", "", swap(2, -350, -620),
                                          swap(2, -250, -510))})
    # The module's identity changes with it.
    identity = {f"{ENT}.11.3001": swap(4, "FNS1111AAAA", "FNS2222BBBB"),
                f"{ENT}.13.3001": swap(4, "GLC-LH-SMD", "GLC-SX-MMD")}
    return [f"{oid}|{identity[oid]}" if oid in identity else line
            for line in lines for oid in [line.split("|", 1)[0]]]


def write_optics_timeline(out):
    os.makedirs(os.path.join(out, "variation"), exist_ok=True)
    module = os.path.join(os.path.dirname(os.path.abspath(__file__)), "variation", "swap.py")
    shutil.copy(module, os.path.join(out, "variation", "swap.py"))
    os.chmod(os.path.join(out, "variation"), 0o755)
    os.chmod(os.path.join(out, "variation", "swap.py"), 0o644)
    write(os.path.join(out, "optics_swap.snmprec"), optics_swap())


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
    if sys.argv[2:] == ["optics_timeline"]:
        write_optics_timeline(out)
        sys.exit(0)
    write(os.path.join(out, "no_sysuptime.snmprec"), no_sysuptime())
    write(os.path.join(out, "no_clock.snmprec"), no_clock())
    write(os.path.join(out, "switch48_c32.snmprec"), switch48())
    write(os.path.join(out, "router_hc.snmprec"), router())
    write(os.path.join(out, "longnames.snmprec"), longnames())
    write(os.path.join(out, "h3c_optics.snmprec"), h3c_optics())
    write(os.path.join(out, "gbk_switch.snmprec"), gbk_switch())
    write(os.path.join(out, "entity_sensor_optics.snmprec"), entity_sensor_optics())
    write(os.path.join(out, "huawei_ne8000_optics.snmprec"), huawei_ne8000_optics())
    write(os.path.join(out, "optics_placeholders.snmprec"), optics_placeholders())
    write(os.path.join(out, "optics_no_light.snmprec"), optics_no_light())
    write(os.path.join(out, "optics_declining.snmprec"), optics_declining())
