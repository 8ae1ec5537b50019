// The HC packet counters of chosen interfaces: a GET by ifIndex of ifXTable's
// ifHC{In,Out}{Ucast,Multicast,Broadcast}Pkts, made after the walk resolved which ports the
// configured links are. Asking only for those keeps requests and series few on a 48-port
// switch; the walk itself stays what it was.
#pragma once

#include <cstdint>
#include <vector>

#include "probes/snmp/device_sample.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

// Six objects per interface, GET only (no walk).
SnmpQuery BuildPacketCounterQuery(const std::vector<uint32_t>& if_indexes);

// Sets `hc_packets` of the sample's interfaces from the GET's answers. Counter64 values only:
// an agent without these columns answers noSuchObject (SNMPv1: noSuchName, dropped by the
// query), and the interface keeps no packet counters, which is no error.
void DecodePacketCounters(const SnmpResult& result, DeviceSample& sample);

}  // namespace lanwatch
