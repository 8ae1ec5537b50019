#include "probes/snmp/packet_counters.h"

#include <gtest/gtest.h>

#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

TEST(PacketCounterQuery, AsksSixObjectsOfEachInterfaceByIndexAndWalksNothing) {
  SnmpQuery q = BuildPacketCounterQuery({3, 49});
  EXPECT_TRUE(q.walk.empty());
  ASSERT_EQ(q.get.size(), 12u);
  EXPECT_EQ(q.get[0].ToString(), "1.3.6.1.2.1.31.1.1.1.7.3");
  EXPECT_EQ(q.get[5].ToString(), "1.3.6.1.2.1.31.1.1.1.13.3");
  std::vector<std::string> port49;
  for (size_t i = 6; i < 12; ++i) port49.push_back(q.get[i].ToString());
  EXPECT_EQ(port49,
            (std::vector<std::string>{"1.3.6.1.2.1.31.1.1.1.7.49", "1.3.6.1.2.1.31.1.1.1.8.49",
                                      "1.3.6.1.2.1.31.1.1.1.9.49", "1.3.6.1.2.1.31.1.1.1.11.49",
                                      "1.3.6.1.2.1.31.1.1.1.12.49", "1.3.6.1.2.1.31.1.1.1.13.49"}));
}

VarBind Cell(const Oid& column, uint32_t index, SnmpType type, uint64_t value) {
  VarBind vb;
  vb.oid = column.Child(index);
  vb.value.type = type;
  vb.value.number = value;
  return vb;
}

TEST(PacketCounterDecode, TakesCounter64ValuesOfKnownPortsOnly) {
  DeviceSample sample;
  sample.interfaces[3].index = 3;
  SnmpResult r;
  r.scalars = {Cell(oids::kIfHcInUcastPkts, 3, SnmpType::kCounter64, 18'446'744'073'709'551'000u),
               Cell(oids::kIfHcInMulticastPkts, 3, SnmpType::kCounter64, 42),
               Cell(oids::kIfHcOutBroadcastPkts, 3, SnmpType::kCounter64, 7),
               // A broken agent's Counter32 in a Counter64 column: not taken as one.
               Cell(oids::kIfHcOutUcastPkts, 3, SnmpType::kCounter32, 99),
               // A port the walk did not see.
               Cell(oids::kIfHcInUcastPkts, 4, SnmpType::kCounter64, 1)};
  DecodePacketCounters(r, sample);
  const PacketCounters& p = sample.interfaces.at(3).hc_packets;
  EXPECT_EQ(p.in[0], 18'446'744'073'709'551'000u) << "64 bits exact";
  EXPECT_EQ(p.in[1], 42u);
  EXPECT_FALSE(p.in[2]);
  EXPECT_FALSE(p.out[0]);
  EXPECT_FALSE(p.out[1]);
  EXPECT_EQ(p.out[2], 7u);
  EXPECT_FALSE(sample.interfaces.contains(4));
}

TEST(PacketCounterDecode, AnAgentWithoutTheColumnsLeavesNothing) {
  DeviceSample sample;
  sample.interfaces[1].index = 1;
  SnmpResult r;  // noSuchObject answers are left out of `scalars` by the query
  DecodePacketCounters(r, sample);
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_FALSE(sample.interfaces.at(1).hc_packets.in[c]);
    EXPECT_FALSE(sample.interfaces.at(1).hc_packets.out[c]);
  }
}

}  // namespace
}  // namespace lanwatch
