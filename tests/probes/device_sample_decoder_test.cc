// DeviceSampleDecoder: cells arrive column by column as the walk's replies come, in whatever
// order the requests were split into, and again when a session is retried; the sample must
// not depend on it. The agents' replies themselves are tested against real agents in
// tests/integration/snmp_client_test.cc; these cells are the cases recordings rarely hold.
#include <gtest/gtest.h>

#include <algorithm>

#include "probes/snmp/device_poll.h"
#include "probes/snmp/standard_oids.h"
#include "tests/support/snmp_values.h"

namespace lanwatch {
namespace {

using testing::Int;
using testing::Number;
using testing::Text;

struct Cell {
  Oid column;
  uint32_t row;
  SnmpValue value;
};

// Port 1: a 10G port (ifSpeed saturated), both 64-bit counters. Port 2: a 100M port whose
// agent has ifHCInOctets but not ifHCOutOctets: its 32-bit counters stand. Port 3: only
// 64-bit counters and no name. Two CPUs.
std::vector<Cell> Cells() {
  using oids::kIfDescr, oids::kIfSpeed, oids::kIfHighSpeed, oids::kIfInOctets, oids::kIfOutOctets,
      oids::kIfHcInOctets, oids::kIfHcOutOctets, oids::kIfName;
  return {
      {kIfDescr, 1, Text("TenGigabitEthernet1/0/1")},
      {kIfDescr, 2, Text("FastEthernet0/2")},
      {kIfSpeed, 1, Number(SnmpType::kGauge32, 4'294'967'295)},
      {kIfSpeed, 2, Number(SnmpType::kGauge32, 100'000'000)},
      {kIfInOctets, 1, Number(SnmpType::kCounter32, 11)},
      {kIfInOctets, 2, Number(SnmpType::kCounter32, 21)},
      {kIfOutOctets, 1, Number(SnmpType::kCounter32, 12)},
      {kIfOutOctets, 2, Number(SnmpType::kCounter32, 22)},
      {kIfName, 1, Text("Te1/0/1")},
      {kIfHcInOctets, 1, Number(SnmpType::kCounter64, 5'000'000'000'001)},
      {kIfHcInOctets, 2, Number(SnmpType::kCounter64, 5'000'000'000'002)},
      {kIfHcInOctets, 3, Number(SnmpType::kCounter64, 31)},
      {kIfHcOutOctets, 1, Number(SnmpType::kCounter64, 6'000'000'000'001)},
      {kIfHcOutOctets, 3, Number(SnmpType::kCounter64, 32)},
      {kIfHighSpeed, 1, Number(SnmpType::kGauge32, 10'000)},
      {kIfHighSpeed, 2, Number(SnmpType::kGauge32, 100)},
      {oids::kHrProcessorLoad, 196608, Int(7)},
      {oids::kHrProcessorLoad, 196609, Int(93)},
  };
}

DeviceSample Decode(const SnmpQuery& query, const std::vector<Cell>& cells) {
  DeviceSampleDecoder decoder(query, TextEncoding::kAuto);
  for (const Cell& cell : cells) {
    auto column = std::find(query.walk.begin(), query.walk.end(), cell.column);
    EXPECT_NE(column, query.walk.end()) << cell.column.ToString();
    decoder.Add(static_cast<size_t>(column - query.walk.begin()),
                VarBind{cell.column.Child(cell.row), cell.value});
  }
  SnmpResult result;
  result.column_complete.assign(query.walk.size(), true);
  auto sample = std::move(decoder).Finish(result);
  EXPECT_TRUE(sample) << sample.error().message;
  return sample ? *sample : DeviceSample{};
}

void ExpectTheCellsSay(const DeviceSample& s) {
  ASSERT_EQ(s.interfaces.size(), 3u);
  const InterfaceSample& ten = s.interfaces.at(1);
  EXPECT_EQ(ten.name, "Te1/0/1");
  EXPECT_EQ(ten.speed_bps, 10'000'000'000u) << "ifHighSpeed refines a saturated ifSpeed";
  EXPECT_EQ(ten.counter_bits, 64);
  EXPECT_EQ(ten.in_octets, 5'000'000'000'001u);
  EXPECT_EQ(ten.out_octets, 6'000'000'000'001u);
  const InterfaceSample& fast = s.interfaces.at(2);
  EXPECT_EQ(fast.name, "FastEthernet0/2") << "no ifName: ifDescr";
  EXPECT_EQ(fast.speed_bps, 100'000'000u);
  EXPECT_EQ(fast.counter_bits, 32) << "one 64-bit direction is not a 64-bit port";
  EXPECT_EQ(fast.in_octets, 21u);
  EXPECT_EQ(fast.out_octets, 22u);
  const InterfaceSample& bare = s.interfaces.at(3);
  EXPECT_EQ(bare.name, "if3");
  EXPECT_EQ(bare.counter_bits, 64);
  EXPECT_EQ(bare.in_octets, 31u);
  ASSERT_TRUE(s.host);
  EXPECT_EQ(s.host->cpu_load_percent, (std::vector<int>{7, 93}));
}

TEST(DeviceSampleDecoder, TheSampleIsTheSameInWalkOrder) {
  const SnmpQuery query = BuildDeviceQuery(DeviceRole::kServer);
  ExpectTheCellsSay(Decode(query, Cells()));
}

TEST(DeviceSampleDecoder, TheSampleIsTheSameWithTheColumnsReversedAndEachCellTwice) {
  const SnmpQuery query = BuildDeviceQuery(DeviceRole::kServer);
  std::vector<Cell> cells = Cells();
  std::reverse(cells.begin(), cells.end());
  std::vector<Cell> twice;
  for (const Cell& cell : cells) {
    twice.push_back(cell);
    twice.push_back(cell);
  }
  ExpectTheCellsSay(Decode(query, twice));
}

TEST(DeviceSampleDecoder, NoCellAndNoScalarIsTheOnlyFailure) {
  const SnmpQuery query = BuildDeviceQuery(DeviceRole::kSwitch);
  DeviceSampleDecoder decoder(query, TextEncoding::kAuto);
  SnmpResult result;
  auto sample = std::move(decoder).Finish(result);
  ASSERT_FALSE(sample);
  EXPECT_NE(sample.error().message.find("nothing usable"), std::string::npos);
}

}  // namespace
}  // namespace lanwatch
