// DecodeOptics on hand-built replies: each vendor's tables, their units, every form of "no
// light", placeholders and garbage.
#include "probes/snmp/optics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "probes/snmp/device_poll.h"
#include "probes/snmp/standard_oids.h"
#include "tests/support/snmp_values.h"

namespace lanwatch {
namespace {

using testing::Int;
using testing::Text;

constexpr const char* kS5720 = "1.3.6.1.4.1.2011.2.23.291";
constexpr const char* kNe8000 = "1.3.6.1.4.1.2011.2.360.1.9";
constexpr const char* kUnknownHuawei = "1.3.6.1.4.1.2011.2.999";

SnmpValue IfIndexOid(uint32_t if_index) {
  SnmpValue v;
  v.type = SnmpType::kObjectId;
  v.object_id = oids::kIfIndexColumn.Child(if_index);
  return v;
}

// A lane that must be there: a missing one fails the test (an exception), never a crash.
const OpticalLane& L(const Transceiver& t, int lane) {
  if (const OpticalLane* l = t.Lane(lane)) return *l;
  throw std::runtime_error("no lane " + std::to_string(lane));
}

// A reply to BuildOpticsQuery() with the cells a test adds.
class Reply {
 public:
  Reply() : query_(BuildOpticsQuery()) {
    result_.columns.resize(query_.walk.size());
    result_.column_complete.assign(query_.walk.size(), true);
  }
  Reply& Add(const Oid& column, const Oid& index, const SnmpValue& v) {
    bool found = false;
    for (size_t i = 0; i < query_.walk.size(); ++i) {
      if (query_.walk[i] != column) continue;
      Oid oid = column;
      for (uint32_t part : index.parts()) oid = oid.Child(part);
      result_.columns[i].push_back({oid, v});
      found = true;
    }
    EXPECT_TRUE(found) << "the optics query does not walk " << column.ToString();
    return *this;
  }
  Reply& Add(const Oid& column, uint32_t index, const SnmpValue& v) {
    return Add(column, Oid{index}, v);
  }
  // An entity `entity` inside `parent`, named `name`.
  Reply& Entity(uint32_t entity, uint32_t parent, const std::string& name) {
    if (parent != 0) Add(oids::kEntPhysicalContainedIn, entity, Int(parent));
    return Add(oids::kEntPhysicalName, entity, Text(name));
  }
  Reply& Maps(uint32_t entity, uint32_t if_index) {
    return Add(oids::kEntAliasMappingIdentifier, Oid{entity, 0}, IfIndexOid(if_index));
  }
  // An ENTITY-SENSOR (or Cisco) sensor row.
  Reply& Sensor(const Oid& entry, uint32_t entity, int type, int scale, int precision,
                int64_t value) {
    Add(entry.Child(1), entity, Int(type));
    Add(entry.Child(2), entity, Int(scale));
    Add(entry.Child(3), entity, Int(precision));
    return Add(entry.Child(4), entity, Int(value));
  }
  std::vector<Transceiver> Decode(const std::string& sys_object_id = "") const {
    return DecodeOptics(query_, result_, sys_object_id);
  }

 private:
  SnmpQuery query_;
  SnmpResult result_;
};

// Walks only; and few enough objects that `discover` (18 interface columns more) stays within
// the 64 objects per request snmpsimd accepts.
TEST(BuildOpticsQuery, WalksOnlyAndFitsOneRequest) {
  SnmpQuery q = BuildOpticsQuery();
  EXPECT_TRUE(q.get.empty());
  EXPECT_LE(q.walk.size() + BuildDeviceQuery(DeviceRole::kSwitch).walk.size(), 64u);
  for (const Oid& column :
       {oids::kEntPhysicalName, oids::kEntPhysicalContainedIn, oids::kEntPhysicalSerialNum,
        oids::kEntAliasMappingIdentifier, oids::kHuaweiOpticalRxPower, oids::kH3cTransceiverRxPower,
        oids::kCiscoEntSensorThresholdEntry}) {
    EXPECT_NE(std::find(q.walk.begin(), q.walk.end(), column), q.walk.end()) << column.ToString();
  }
}

TEST(DecodeOptics, NothingReportedIsNoModule) { EXPECT_TRUE(Reply().Decode().empty()); }

// A Cisco SFP as ios_2960x reports it: sensors inside the SFP entity, which maps to the port.
TEST(DecodeOptics, CiscoSensorsGroupIntoOneModuleWithThresholds) {
  const Oid& e = oids::kCiscoEntSensorEntry;
  Reply r;
  r.Entity(1062, 1061, "GigabitEthernet1/0/52").Maps(1062, 10152);
  r.Add(oids::kEntPhysicalSerialNum, 1062, Text("FNS192717K1"));
  r.Add(oids::kEntPhysicalModelName, 1062, Text("GLC-SX-MMD"));
  r.Entity(1063, 1062, "Gi1/0/52 Module Temperature Sensor").Sensor(e, 1063, 8, 9, 1, 346);
  r.Entity(1064, 1062, "Gi1/0/52 Supply Voltage Sensor").Sensor(e, 1064, 4, 9, 2, 332);
  r.Entity(1065, 1062, "Gi1/0/52 Bias Current Sensor").Sensor(e, 1065, 5, 8, 1, 61);
  r.Entity(1066, 1062, "Gi1/0/52 Transmit Power Sensor").Sensor(e, 1066, 14, 9, 1, -50);
  r.Entity(1067, 1062, "Gi1/0/52 Receive Power Sensor").Sensor(e, 1067, 14, 9, 1, -47);
  // Rx limits: major below -17.0, minor below -16.0, major above 0.0 (a 0: absent), minor
  // above -1.0.
  const Oid& t = oids::kCiscoEntSensorThresholdEntry;
  int k = 1;
  for (auto [severity, relation, value] : {std::tuple{20, 1, -170}, std::tuple{10, 2, -160},
                                           std::tuple{20, 4, 0}, std::tuple{10, 3, -10}}) {
    // One subtree: column.entPhysicalIndex.thresholdIndex.
    r.Add(t, Oid{2, 1067, static_cast<uint32_t>(k)}, Int(severity));
    r.Add(t, Oid{3, 1067, static_cast<uint32_t>(k)}, Int(relation));
    r.Add(t, Oid{4, 1067, static_cast<uint32_t>(k)}, Int(value));
    ++k;
  }
  auto optics = r.Decode("1.3.6.1.4.1.9.1.1208");
  ASSERT_EQ(optics.size(), 1u);
  const Transceiver& m = optics[0];
  EXPECT_EQ(m.if_index, 10152u);
  EXPECT_EQ(m.source, "CISCO-ENTITY-SENSOR-MIB");
  EXPECT_EQ(m.sensor, "GigabitEthernet1/0/52");
  EXPECT_EQ(m.serial, "FNS192717K1");
  EXPECT_EQ(m.part, "GLC-SX-MMD");
  ASSERT_EQ(m.lanes.size(), 1u);
  EXPECT_NEAR(*L(m, 1).rx_dbm, -4.7, 0.005);
  EXPECT_NEAR(*L(m, 1).tx_dbm, -5.0, 0.005);
  EXPECT_NEAR(*L(m, 1).bias_milliamps, 6.1, 0.005);
  EXPECT_FALSE(L(m, 1).rx_no_light);
  EXPECT_NEAR(*m.temperature_celsius, 34.6, 0.005);
  EXPECT_NEAR(*m.voltage_volts, 3.32, 0.005);
  EXPECT_NEAR(*m.rx_limits.low_alarm, -17.0, 0.005);
  EXPECT_NEAR(*m.rx_limits.low_warning, -16.0, 0.005);
  EXPECT_FALSE(m.rx_limits.high_alarm);
  EXPECT_NEAR(*m.rx_limits.high_warning, -1.0, 0.005);
  EXPECT_NEAR(*m.rx_sensitivity_dbm, -17.0, 0.005);  // its own low alarm
}

TEST(DecodeOptics, EntitySensorScaleAndPrecisionAndQsfpLanes) {
  const Oid& e = oids::kEntPhySensorEntry;
  Reply r;
  r.Entity(500, 0, "Ethernet49").Maps(500, 49);
  for (uint32_t lane = 1; lane <= 4; ++lane) {
    // milli-dBm (scale 8), no decimals: -2100, -2200, ... -> -2.1, -2.2, ...
    r.Entity(500 + lane, 500, "DOM Rx Power Lane " + std::to_string(lane))
        .Sensor(e, 500 + lane, 14, 8, 0, -2000 - 100 * static_cast<int64_t>(lane));
    r.Entity(510 + lane, 500, "DOM Tx Power Lane " + std::to_string(lane))
        .Sensor(e, 510 + lane, 14, 9, 2, -100 * static_cast<int64_t>(lane));
  }
  r.Add(oids::kEntPhysicalModelName, 500, Text("QSFP-40G-LR4"));
  auto optics = r.Decode();
  ASSERT_EQ(optics.size(), 1u);
  ASSERT_EQ(optics[0].lanes.size(), 4u);
  for (int lane = 1; lane <= 4; ++lane) {
    EXPECT_NEAR(*L(optics[0], lane).rx_dbm, -2.0 - 0.1 * lane, 0.005) << lane;
    EXPECT_NEAR(*L(optics[0], lane).tx_dbm, -1.0 * lane, 0.005) << lane;
  }
  EXPECT_EQ(optics[0].source, "ENTITY-SENSOR-MIB");
  EXPECT_FALSE(optics[0].rx_sensitivity_dbm);  // no standard figure known for it
}

TEST(DecodeOptics, CiscoNoLightInEveryPrecision) {
  const Oid& e = oids::kCiscoEntSensorEntry;
  Reply r;
  r.Entity(10, 0, "Gi0/1").Maps(10, 1).Entity(11, 10, "Gi0/1 Receive Power Sensor");
  r.Sensor(e, 11, 14, 9, 0, -40);
  r.Entity(20, 0, "Gi0/2").Maps(20, 2).Entity(21, 20, "Gi0/2 Receive Power Sensor");
  r.Sensor(e, 21, 14, 9, 1, -400);
  r.Entity(30, 0, "Gi0/3").Maps(30, 3).Entity(31, 30, "Gi0/3 Receive Power Sensor");
  r.Sensor(e, 31, 14, 9, 2, -9900);  // -99 dBm
  r.Entity(40, 0, "Gi0/4").Maps(40, 4).Entity(41, 40, "Gi0/4 Receive Power Sensor");
  r.Sensor(e, 41, 14, 9, 1, -399);  // -39.9: dim, but light
  auto optics = r.Decode();
  ASSERT_EQ(optics.size(), 4u);
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    EXPECT_TRUE(L(optics[k], 1).rx_no_light);
    EXPECT_EQ(*L(optics[k], 1).rx_dbm, kNoLightDbm);
  }
  EXPECT_FALSE(L(optics[3], 1).rx_no_light);
  EXPECT_NEAR(*L(optics[3], 1).rx_dbm, -39.9, 0.005);
}

// vrp_5720's XGigabitEthernet0/0/1, hwOpticalModuleInfoTable in microwatts.
Reply HuaweiModule(int64_t rx, int64_t tx) {
  const Oid& h = oids::kHuaweiOpticalEntry;
  const uint32_t e = 67469390;
  Reply r;
  r.Entity(e, 67108873, "XGigabitEthernet0/0/1").Maps(e, 54);
  r.Add(h.Child(4), e, Text("J267C042885"));
  r.Add(h.Child(5), e, Int(39));
  r.Add(h.Child(6), e, Int(3299));
  r.Add(h.Child(7), e, Int(5232));
  r.Add(h.Child(8), e, Int(rx));
  r.Add(h.Child(9), e, Int(tx));
  r.Add(h.Child(13), e, Int(-1269));
  r.Add(h.Child(14), e, Int(250));
  r.Add(h.Child(15), e, Int(-928));
  r.Add(h.Child(16), e, Int(99));
  r.Add(h.Child(20), e, Int(-1069));
  r.Add(h.Child(24), e, Text("HUAWEI"));
  r.Add(h.Child(25), e, Text("02310MNW"));
  return r;
}

TEST(DecodeOptics, HuaweiS5720ReadsMicrowattsByTable) {
  auto optics = HuaweiModule(536, 591).Decode(kS5720);
  ASSERT_EQ(optics.size(), 1u);
  const Transceiver& m = optics[0];
  EXPECT_EQ(m.if_index, 54u);
  EXPECT_EQ(m.units, "uW (table: S5720)");
  EXPECT_NEAR(*L(m, 1).rx_dbm, -2.71, 0.005);
  EXPECT_NEAR(*L(m, 1).tx_dbm, -2.28, 0.005);
  EXPECT_NEAR(*L(m, 1).bias_milliamps, 5.232, 0.0005);
  EXPECT_NEAR(*m.voltage_volts, 3.299, 0.0005);
  EXPECT_EQ(*m.temperature_celsius, 39);
  EXPECT_EQ(m.serial, "J267C042885");
  EXPECT_EQ(m.vendor, "HUAWEI");
  EXPECT_EQ(m.part, "02310MNW");
  EXPECT_NEAR(*m.rx_limits.low_alarm, -12.69, 0.005);
  EXPECT_NEAR(*m.rx_limits.low_warning, -10.69, 0.005);
  EXPECT_NEAR(*m.rx_limits.high_alarm, 2.5, 0.005);
  EXPECT_NEAR(*m.tx_limits.low_alarm, -9.28, 0.005);
  EXPECT_NEAR(*m.rx_sensitivity_dbm, -12.69, 0.005);
}

TEST(DecodeOptics, HuaweiZeroMicrowattsIsNoLightWhereTheTableSaysMicrowatts) {
  auto optics = HuaweiModule(0, 591).Decode(kS5720);
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_TRUE(L(optics[0], 1).rx_no_light);
  EXPECT_EQ(*L(optics[0], 1).rx_dbm, kNoLightDbm);
}

// The NE8000 gives Rx in 0.01 dBm and Tx in uW in one row: a positive Rx is still 0.01 dBm
// (the sign rule would call it uW), a Tx is still uW.
TEST(DecodeOptics, HuaweiNe8000ReadsEachColumnInItsOwnUnit) {
  auto optics = HuaweiModule(150, 400).Decode(kNe8000);
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_EQ(optics[0].units, "rx 0.01 dBm, tx uW (table: NE8000 M8)");
  EXPECT_NEAR(*L(optics[0], 1).rx_dbm, 1.5, 0.005);
  EXPECT_NEAR(*L(optics[0], 1).tx_dbm, 10 * std::log10(0.4), 0.005);
}

TEST(DecodeOptics, HuaweiUnknownModelFallsBackToTheLibreNmsRule) {
  auto optics = HuaweiModule(-512, 400).Decode(kUnknownHuawei);
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_EQ(optics[0].units, "LibreNMS rule: <= 0 is 0.01 dBm, > 0 is uW");
  EXPECT_NEAR(*L(optics[0], 1).rx_dbm, -5.12, 0.005);
  EXPECT_NEAR(*L(optics[0], 1).tx_dbm, -3.98, 0.005);
}

TEST(DecodeOptics, HuaweiInfStringIsNoLightAndMinusOneIsAbsent) {
  const Oid& h = oids::kHuaweiOpticalEntry;
  Reply r = HuaweiModule(536, -1);
  auto optics = r.Decode(kS5720);
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_FALSE(L(optics[0], 1).tx_dbm);  // -1: not reported

  Reply inf;
  inf.Entity(7, 0, "GE0/0/7").Maps(7, 7);
  inf.Add(h.Child(8), 7, Text("-Inf"));
  inf.Add(h.Child(9), 7, Text("-2.50"));  // text levels are taken as they read, too
  auto inf_optics = inf.Decode(kUnknownHuawei);
  ASSERT_EQ(inf_optics.size(), 1u);
  EXPECT_TRUE(L(inf_optics[0], 1).rx_no_light);
  EXPECT_EQ(*L(inf_optics[0], 1).rx_dbm, kNoLightDbm);
}

TEST(DecodeOptics, HuaweiEmptyCagesAreNoModule) {
  const Oid& h = oids::kHuaweiOpticalEntry;
  Reply r;
  r.Entity(67469518, 0, "XGigabitEthernet0/0/3").Maps(67469518, 56);
  r.Add(h.Child(4), 67469518, Text(""));
  r.Add(h.Child(5), 67469518, Int(-255));
  for (uint32_t c : {6u, 7u, 8u, 9u, 13u, 14u, 15u, 16u, 20u}) r.Add(h.Child(c), 67469518, Int(-1));
  r.Add(h.Child(24), 67469518, Text(""));
  EXPECT_TRUE(r.Decode(kS5720).empty());
}

TEST(DecodeOptics, HuaweiTemperatureFromTheEntityStateTableWhenTheModuleHasNone) {
  const Oid& h = oids::kHuaweiOpticalEntry;
  Reply bare;
  bare.Entity(5, 0, "GE0/0/5").Maps(5, 5);
  bare.Add(h.Child(8), 5, Int(300));
  bare.Add(h.Child(5), 5, Int(-255));
  bare.Add(oids::kHuaweiEntityTemperature, 5, Int(41));
  auto bare_optics = bare.Decode(kS5720);
  ASSERT_EQ(bare_optics.size(), 1u);
  EXPECT_EQ(*bare_optics[0].temperature_celsius, 41);
}

TEST(DecodeOptics, H3cTableByIfIndexWithLimits) {
  const Oid& x = oids::kH3cTransceiverEntry;
  Reply r;
  r.Add(x.Child(2), 2, Text("SFP_10G_LR"));
  r.Add(x.Child(4), 2, Text("H3C"));
  r.Add(x.Child(5), 2, Text("210231A0A6X123000456"));
  r.Add(x.Child(9), 2, Int(-180));
  r.Add(x.Child(12), 2, Int(-250));
  r.Add(x.Child(15), 2, Int(36));
  r.Add(x.Child(16), 2, Int(329));
  r.Add(x.Child(17), 2, Int(3150));
  r.Add(x.Child(18), 2, Int(75000));  // temperature high alarm, 0.001 °C
  r.Add(x.Child(19), 2, Int(-5000));
  r.Add(x.Child(30), 2, Int(15849));  // Tx high alarm, 0.1 uW: +2.0 dBm
  r.Add(x.Child(35), 2, Int(363));    // Rx low alarm, 0.1 uW: -14.4 dBm
  r.Add(x.Child(37), 2, Int(0));      // Rx low warning 0: absent
  // ifIndex 4: an empty cage.
  r.Add(x.Child(12), 4, Int(2147483647));
  r.Add(x.Child(9), 4, Int(2147483647));
  r.Add(x.Child(15), 4, Int(2147483647));
  auto optics = r.Decode("1.3.6.1.4.1.25506.1.1");
  ASSERT_EQ(optics.size(), 1u);
  const Transceiver& m = optics[0];
  EXPECT_EQ(m.if_index, 2u);
  EXPECT_EQ(m.source, "HH3C-TRANSCEIVER-INFO-MIB");
  EXPECT_NEAR(*L(m, 1).rx_dbm, -2.5, 0.005);
  EXPECT_NEAR(*L(m, 1).tx_dbm, -1.8, 0.005);
  EXPECT_NEAR(*L(m, 1).bias_milliamps, 31.5, 0.005);
  EXPECT_EQ(*m.temperature_celsius, 36);
  EXPECT_NEAR(*m.voltage_volts, 3.29, 0.005);
  EXPECT_EQ(m.serial, "210231A0A6X123000456");
  EXPECT_EQ(m.vendor, "H3C");
  EXPECT_NEAR(*m.temperature_limits.high_alarm, 75.0, 0.005);
  EXPECT_NEAR(*m.temperature_limits.low_alarm, -5.0, 0.005);
  EXPECT_NEAR(*m.tx_limits.high_alarm, 2.0, 0.005);
  EXPECT_NEAR(*m.rx_limits.low_alarm, -14.4, 0.005);
  EXPECT_FALSE(m.rx_limits.low_warning);
  EXPECT_NEAR(*m.rx_sensitivity_dbm, -14.4, 0.005);
}

TEST(DecodeOptics, SensitivityFromTheModuleTypeWhenItHasNoLowAlarm) {
  const Oid& x = oids::kH3cTransceiverEntry;
  Reply r;
  const char* types[] = {"1000_BASE_LX_SFP", "1000BaseSX SFP", "SFP-10G-LR",
                         "SFP-10G-SR",       "GLC-ZX-SMD",     "SFP_COPPER"};
  for (uint32_t k = 1; k <= 6; ++k) {
    r.Add(x.Child(2), k, Text(types[k - 1]));
    r.Add(x.Child(12), k, Int(-500));
  }
  auto optics = r.Decode();
  ASSERT_EQ(optics.size(), 6u);
  EXPECT_EQ(*optics[0].rx_sensitivity_dbm, -19.0);
  EXPECT_EQ(*optics[1].rx_sensitivity_dbm, -17.0);
  EXPECT_EQ(*optics[2].rx_sensitivity_dbm, -14.4);
  EXPECT_EQ(*optics[3].rx_sensitivity_dbm, -11.1);
  EXPECT_EQ(*optics[4].rx_sensitivity_dbm, -23.0);
  EXPECT_FALSE(optics[5].rx_sensitivity_dbm);  // cannot tell
}

// Garbage of every kind: wrong types, indexes too short or too long, scales out of range,
// strings that are not numbers, names that are not UTF-8. Nothing crashes, nothing is made up.
TEST(DecodeOptics, GarbageIsAbsentNeverACrash) {
  const Oid& e = oids::kEntPhySensorEntry;
  const Oid& h = oids::kHuaweiOpticalEntry;
  const Oid& x = oids::kH3cTransceiverEntry;
  Reply r;
  r.Add(oids::kEntPhysicalName, Oid{}, Text("no index"));
  r.Add(oids::kEntPhysicalName, Oid{1, 2, 3}, Text("too long"));
  r.Add(oids::kEntPhysicalContainedIn, 60, Text("not a number"));
  r.Add(oids::kEntAliasMappingIdentifier, Oid{60}, IfIndexOid(6));  // index too short
  r.Add(oids::kEntAliasMappingIdentifier, Oid{61, 0}, Text("1.3.6.1.2.1.2.2.1.1.6"));
  r.Entity(62, 0, "\xff\xfe Rx \x80");  // not UTF-8
  r.Sensor(e, 62, 14, 99, 0, -5);       // scale 99: nonsense
  r.Entity(63, 0, "Gi0/63 Receive Power").Sensor(e, 63, 14, 9, 1, -50);
  r.Add(e.Child(1), 64, Text("14"));  // a type that is a string
  r.Add(e.Child(4), 64, Int(-50));
  r.Add(h.Child(8), Oid{}, Int(300));
  r.Add(h.Child(8), 70, Text("n/a"));
  r.Add(h.Child(9), 70, Text("12abc"));
  r.Add(x.Child(12), 71, Text("-2.5"));  // H3C levels are integers; a string is garbage
  r.Add(x.Child(9), Oid{71, 1}, Int(-100));
  auto optics = r.Decode(kS5720);
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_EQ(optics[0].sensor, "Gi0/63 Receive Power");
  EXPECT_NEAR(*L(optics[0], 1).rx_dbm, -5.0, 0.005);
  EXPECT_EQ(optics[0].if_index, 0u);
}

TEST(DecodeOptics, NamesAreDecodedToUtf8) {
  const Oid& e = oids::kEntPhySensorEntry;
  Reply r;
  // "GE0/0/1 收光功率" (received optical power) in GBK, with Rx in it.
  r.Entity(3, 0, "GE0/0/1 Rx \xca\xd5\xb9\xe2\xb9\xa6\xc2\xca").Sensor(e, 3, 14, 9, 0, -3);
  auto optics = DecodeOptics(BuildOpticsQuery(), SnmpResult{}, "");
  EXPECT_TRUE(optics.empty());
  auto decoded = r.Decode();
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].sensor, "GE0/0/1 Rx 收光功率");
}

TEST(DecodeOptics, AVendorTableAndEntitySensorsForOnePortMakeOneModule) {
  const Oid& x = oids::kH3cTransceiverEntry;
  Reply r;
  r.Add(x.Child(12), 3, Int(-512));
  r.Add(x.Child(5), 3, Text("SN3"));
  r.Entity(1003, 0, "XGE1/0/50").Maps(1003, 3);
  r.Entity(1103, 1003, "XGE1/0/50 Rx Power").Sensor(oids::kEntPhySensorEntry, 1103, 14, 9, 2, -512);
  auto optics = r.Decode("1.3.6.1.4.1.25506.1.1");
  ASSERT_EQ(optics.size(), 1u);
  EXPECT_EQ(optics[0].source, "HH3C-TRANSCEIVER-INFO-MIB");
  EXPECT_EQ(optics[0].serial, "SN3");
}

}  // namespace
}  // namespace lanwatch
