#include "probes/snmp/packet_counters.h"

#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

struct PacketColumn {
  const Oid& oid;
  bool in;
  Cast cast;
};

const PacketColumn kPacketColumns[] = {
    {oids::kIfHcInUcastPkts, true, Cast::kUnicast},
    {oids::kIfHcInMulticastPkts, true, Cast::kMulticast},
    {oids::kIfHcInBroadcastPkts, true, Cast::kBroadcast},
    {oids::kIfHcOutUcastPkts, false, Cast::kUnicast},
    {oids::kIfHcOutMulticastPkts, false, Cast::kMulticast},
    {oids::kIfHcOutBroadcastPkts, false, Cast::kBroadcast},
};

}  // namespace

SnmpQuery BuildPacketCounterQuery(const std::vector<uint32_t>& if_indexes) {
  SnmpQuery q;
  // Interface by interface, so that a GET split for tooBig keeps a port's counters together.
  for (uint32_t index : if_indexes) {
    for (const PacketColumn& c : kPacketColumns) q.get.push_back(c.oid.Child(index));
  }
  return q;
}

void DecodePacketCounters(const SnmpResult& result, DeviceSample& sample) {
  for (const VarBind& vb : result.scalars) {
    if (vb.value.type != SnmpType::kCounter64) continue;
    for (const PacketColumn& c : kPacketColumns) {
      if (!vb.oid.StartsWith(c.oid) || vb.oid.size() != c.oid.size() + 1) continue;
      auto it = sample.interfaces.find(vb.oid.parts().back());
      if (it == sample.interfaces.end()) break;  // not a port the walk saw
      PacketCounters& p = it->second.hc_packets;
      (c.in ? p.in : p.out)[static_cast<size_t>(c.cast)] = vb.value.number;
      break;
    }
  }
}

}  // namespace lanwatch
