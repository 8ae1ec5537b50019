// Optics read as the daemon will read them: BuildOpticsQuery through SnmpClient against
// snmpsimd serving real vendor recordings (vrp_5720, ios_2960x) and make_recordings.py's
// optics devices, then DecodeOptics. Levels are asserted to 0.01 dB.
#include "probes/snmp/optics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "config/text_encoding.h"
#include "probes/snmp/snmp_client.h"
#include "probes/snmp/standard_oids.h"
#include "tests/support/agents.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

struct Read {
  std::vector<Transceiver> optics;
  double uptime_seconds = 0;  // sysUpTime, read just before the walk

  const Transceiver& At(uint32_t if_index) const {
    for (const Transceiver& t : optics) {
      if (t.if_index == if_index) return t;
    }
    throw std::runtime_error(fmt::format("no module on ifIndex {}", if_index));
  }
};

// The optics query (walks only), preceded by what the daemon knows from its device poll:
// sysObjectID, which picks the unit table, and sysUpTime.
Read ReadOptics(int port, const std::string& community) {
  SnmpQuery query = BuildOpticsQuery();
  EXPECT_TRUE(query.get.empty());
  query.get = {oids::kSysObjectId, oids::kSysUpTime};
  SnmpSettings settings;
  settings.community = community;
  settings.port = static_cast<uint16_t>(port);
  settings.timeout = 2s;
  settings.retries = 1;
  SnmpJob job{SnmpTarget{community, "127.0.0.1", settings},
              std::make_shared<const SnmpQuery>(query),
              std::chrono::steady_clock::now() + 30s,
              {}};
  SnmpResult result = SnmpClient().Run({job})[0];
  if (!result.ok()) {
    throw std::runtime_error(fmt::format("{}: {} {}", community, result.failure_reason.value_or(""),
                                         result.failure_message));
  }
  Read read;
  const SnmpValue* object_id = result.Scalar(oids::kSysObjectId);
  if (const SnmpValue* uptime = result.Scalar(oids::kSysUpTime)) {
    read.uptime_seconds = static_cast<double>(uptime->number) / 100.0;
  }
  read.optics = DecodeOptics(query, result, object_id ? object_id->AsText() : "");
  return read;
}

double Dbm(const std::optional<double>& v) {
  if (!v) throw std::runtime_error("no level");
  return *v;
}

// A lane that must be there: a missing one fails the test (an exception), never a crash.
const OpticalLane& L(const Transceiver& t, int lane) {
  if (const OpticalLane* l = t.Lane(lane)) return *l;
  throw std::runtime_error("no lane " + std::to_string(lane));
}

class Optics : public ::testing::Test {
 protected:
  // Agents start in the first test's SetUp, where a failure to start fails that test.
  void SetUp() override {
    if (!vendors_) {
      vendors_ = new testing::SnmpsimAgent(testing::SharedDataDir() + "/snmprec", "vrp_5720");
    }
    if (!ours_) ours_ = new testing::OwnRecordingsAgent;
  }
  static void TearDownTestSuite() {
    delete ours_;
    delete vendors_;
    ours_ = nullptr;
    vendors_ = nullptr;
  }
  static testing::SnmpsimAgent* vendors_;
  static testing::OwnRecordingsAgent* ours_;
};
testing::SnmpsimAgent* Optics::vendors_ = nullptr;
testing::OwnRecordingsAgent* Optics::ours_ = nullptr;

TEST_F(Optics, HuaweiS5720RecordingReadsMicrowattsByTable) {
  Read r = ReadOptics(vendors_->port(), "vrp_5720");
  ASSERT_EQ(r.optics.size(), 3u);  // XGE0/0/3's cage is empty
  const Transceiver& xge1 = r.At(54);
  EXPECT_EQ(xge1.units, "uW (table: S5720)");
  EXPECT_EQ(xge1.sensor, "XGigabitEthernet0/0/1");
  EXPECT_NEAR(Dbm(L(xge1, 1).rx_dbm), -2.71, 0.01);  // 536 uW
  EXPECT_NEAR(Dbm(L(xge1, 1).tx_dbm), -2.28, 0.01);  // 591 uW
  EXPECT_NEAR(*L(xge1, 1).bias_milliamps, 5.23, 0.01);
  EXPECT_NEAR(*xge1.voltage_volts, 3.30, 0.01);
  EXPECT_EQ(*xge1.temperature_celsius, 39);
  EXPECT_EQ(xge1.serial, "J267C042885");
  EXPECT_EQ(xge1.vendor, "HUAWEI");
  EXPECT_EQ(xge1.part, "02310MNW");
  EXPECT_NEAR(*xge1.rx_limits.low_alarm, -12.69, 0.01);
  EXPECT_NEAR(*xge1.rx_limits.low_warning, -10.69, 0.01);
  EXPECT_NEAR(*xge1.tx_limits.high_alarm, 0.99, 0.01);
  EXPECT_NEAR(*xge1.rx_sensitivity_dbm, -12.69, 0.01);
  EXPECT_NEAR(Dbm(L(r.At(55), 1).rx_dbm), -2.19, 0.01);  // 604 uW
  EXPECT_NEAR(Dbm(L(r.At(57), 1).rx_dbm), -2.40, 0.01);  // 575 uW
  EXPECT_NEAR(Dbm(L(r.At(57), 1).tx_dbm), -2.20, 0.01);  // 602 uW
}

TEST_F(Optics, CiscoRecordingGroupsSensorsPerModule) {
  Read r = ReadOptics(vendors_->port(), "ios_2960x");
  ASSERT_EQ(r.optics.size(), 2u);
  const Transceiver& gi1 = r.At(10152);
  EXPECT_EQ(gi1.source, "CISCO-ENTITY-SENSOR-MIB");
  EXPECT_EQ(gi1.sensor, "GigabitEthernet1/0/52");
  EXPECT_NEAR(Dbm(L(gi1, 1).rx_dbm), -4.70, 0.01);
  EXPECT_NEAR(Dbm(L(gi1, 1).tx_dbm), -5.00, 0.01);
  EXPECT_NEAR(*L(gi1, 1).bias_milliamps, 6.1, 0.01);
  EXPECT_NEAR(*gi1.temperature_celsius, 34.6, 0.01);
  EXPECT_NEAR(*gi1.voltage_volts, 3.32, 0.01);
  EXPECT_NEAR(*gi1.temperature_limits.high_alarm, 90.0, 0.01);
  EXPECT_NEAR(*gi1.temperature_limits.high_warning, 85.0, 0.01);
  EXPECT_NEAR(*gi1.temperature_limits.low_warning, -5.0, 0.01);
  EXPECT_NEAR(*gi1.temperature_limits.low_alarm, -10.0, 0.01);
  EXPECT_EQ(gi1.serial, "FNS192717K1");
  EXPECT_EQ(gi1.part, "GLC-SX-MMD");
  EXPECT_NEAR(*gi1.rx_sensitivity_dbm, -17.0, 0.01);  // 1000BASE-SX: no Rx limits reported
  const Transceiver& gi3 = r.At(11152);
  EXPECT_NEAR(Dbm(L(gi3, 1).rx_dbm), -7.30, 0.01);
  EXPECT_NEAR(Dbm(L(gi3, 1).tx_dbm), -5.00, 0.01);
  EXPECT_EQ(gi3.serial, "FNS192717QJ");
}

TEST_F(Optics, H3cTableWithLimitsAndAnEntitySensor) {
  Read r = ReadOptics(ours_->port(), "h3c_optics");
  ASSERT_EQ(r.optics.size(), 2u);  // XGE1/0/51's cage is empty
  const Transceiver& xge49 = r.At(2);
  EXPECT_EQ(xge49.source, "HH3C-TRANSCEIVER-INFO-MIB");
  EXPECT_NEAR(Dbm(L(xge49, 1).rx_dbm), -2.50, 0.01);
  EXPECT_NEAR(Dbm(L(xge49, 1).tx_dbm), -1.80, 0.01);
  EXPECT_NEAR(*L(xge49, 1).bias_milliamps, 31.5, 0.01);
  EXPECT_EQ(*xge49.temperature_celsius, 36);
  EXPECT_NEAR(*xge49.voltage_volts, 3.29, 0.01);
  EXPECT_EQ(xge49.serial, "210231A0A6X123000456");
  EXPECT_EQ(xge49.vendor, "H3C");
  EXPECT_NEAR(*xge49.rx_limits.low_alarm, -14.40, 0.01);
  EXPECT_NEAR(*xge49.rx_limits.low_warning, -13.40, 0.01);
  EXPECT_NEAR(*xge49.tx_limits.high_alarm, 2.00, 0.01);
  EXPECT_NEAR(*xge49.tx_limits.low_alarm, -8.00, 0.01);
  EXPECT_NEAR(*xge49.temperature_limits.high_alarm, 75.0, 0.01);
  EXPECT_FALSE(xge49.temperature_limits.low_warning);  // 0: none
  EXPECT_NEAR(*xge49.rx_sensitivity_dbm, -14.40, 0.01);
  const Transceiver& xge50 = r.At(3);
  EXPECT_EQ(xge50.source, "ENTITY-SENSOR-MIB");
  EXPECT_NEAR(Dbm(L(xge50, 1).rx_dbm), -5.12, 0.01);
}

TEST_F(Optics, EntitySensorScalesCiscoThresholdsAndQsfpLanes) {
  Read r = ReadOptics(ours_->port(), "entity_sensor_optics");
  ASSERT_EQ(r.optics.size(), 3u);  // Gi1/0/1 is copper
  const Transceiver& lh = r.At(1);
  EXPECT_EQ(lh.source, "ENTITY-SENSOR-MIB");
  EXPECT_NEAR(Dbm(L(lh, 1).rx_dbm), -8.23, 0.01);
  EXPECT_NEAR(Dbm(L(lh, 1).tx_dbm), -5.50, 0.01);  // milli-dBm
  EXPECT_NEAR(*lh.temperature_celsius, 31.25, 0.01);
  EXPECT_NEAR(*lh.voltage_volts, 3.30, 0.01);
  EXPECT_NEAR(*L(lh, 1).bias_milliamps, 12.5, 0.01);
  EXPECT_EQ(lh.serial, "FNS49LH0001");
  EXPECT_EQ(lh.vendor, "CISCO-FINISAR");
  EXPECT_EQ(lh.part, "GLC-LH-SMD");
  EXPECT_FALSE(lh.rx_limits.low_alarm);
  EXPECT_NEAR(*lh.rx_sensitivity_dbm, -19.0, 0.01);  // 1000BASE-LX/LH

  const Transceiver& sx = r.At(2);
  EXPECT_EQ(sx.source, "CISCO-ENTITY-SENSOR-MIB");
  EXPECT_NEAR(Dbm(L(sx, 1).rx_dbm), -3.10, 0.01);
  EXPECT_NEAR(Dbm(L(sx, 1).tx_dbm), -2.40, 0.01);
  EXPECT_NEAR(*sx.rx_limits.low_alarm, -15.0, 0.01);
  EXPECT_NEAR(*sx.rx_limits.low_warning, -13.0, 0.01);
  EXPECT_NEAR(*sx.rx_limits.high_alarm, 1.0, 0.01);
  EXPECT_FALSE(sx.rx_limits.high_warning);           // 0: none
  EXPECT_NEAR(*sx.rx_sensitivity_dbm, -15.0, 0.01);  // its own low alarm over SX's -17

  const Transceiver& qsfp = r.At(3);
  ASSERT_EQ(qsfp.lanes.size(), 4u);
  for (int lane = 1; lane <= 4; ++lane) {
    SCOPED_TRACE(lane);
    EXPECT_NEAR(Dbm(L(qsfp, lane).rx_dbm), -1.0 - 0.1 * lane, 0.01);
    EXPECT_NEAR(Dbm(L(qsfp, lane).tx_dbm), -0.4 - 0.1 * lane, 0.01);
  }
  EXPECT_EQ(qsfp.part, "QSFP-40G-LR4");
}

TEST_F(Optics, HuaweiNe8000RxInHundredthsOfADbmTxInMicrowatts) {
  Read r = ReadOptics(ours_->port(), "huawei_ne8000_optics");
  ASSERT_EQ(r.optics.size(), 2u);
  for (const Transceiver& t : r.optics) {
    EXPECT_EQ(t.units, "rx 0.01 dBm, tx uW (table: NE8000 M8)");
  }
  EXPECT_NEAR(Dbm(L(r.At(10), 1).rx_dbm), -7.12, 0.01);
  EXPECT_NEAR(Dbm(L(r.At(10), 1).tx_dbm), 0.00, 0.01);
  EXPECT_NEAR(Dbm(L(r.At(11), 1).rx_dbm), 1.50, 0.01);  // positive: still 0.01 dBm
  EXPECT_NEAR(Dbm(L(r.At(11), 1).tx_dbm), -2.20, 0.01);
  EXPECT_NEAR(*r.At(11).rx_limits.low_alarm, -14.29, 0.01);
  EXPECT_NEAR(*r.At(11).tx_limits.high_alarm, 3.40, 0.01);
  EXPECT_EQ(r.At(11).serial, "HA1910000011");
  EXPECT_EQ(*r.At(11).temperature_celsius, 45);
}

TEST_F(Optics, PlaceholdersAreAbsentAndEveryNoLightIsNoLight) {
  Read r = ReadOptics(ours_->port(), "optics_placeholders");
  ASSERT_EQ(r.optics.size(), 3u);  // 1, 3 and 5: empty cages and garbage are no module
  const Transceiver& inf = r.At(1);
  EXPECT_TRUE(L(inf, 1).rx_no_light);  // "-Inf"
  EXPECT_EQ(*L(inf, 1).rx_dbm, kNoLightDbm);
  EXPECT_NEAR(Dbm(L(inf, 1).tx_dbm), -3.01, 0.01);
  EXPECT_FALSE(inf.rx_limits.low_alarm);  // thresholds of 0
  EXPECT_FALSE(inf.rx_limits.high_alarm);
  EXPECT_FALSE(inf.tx_limits.low_alarm);
  EXPECT_FALSE(inf.temperature_celsius);  // -255
  EXPECT_FALSE(inf.voltage_volts);        // -1
  EXPECT_FALSE(L(inf, 1).bias_milliamps);
  EXPECT_FALSE(inf.rx_sensitivity_dbm);
  const Transceiver& minus99 = r.At(3);
  EXPECT_TRUE(L(minus99, 1).rx_no_light);
  EXPECT_EQ(*L(minus99, 1).rx_dbm, kNoLightDbm);
  EXPECT_NEAR(Dbm(L(minus99, 1).tx_dbm), -2.00, 0.01);
  EXPECT_TRUE(IsValidUtf8(minus99.sensor)) << minus99.sensor;
  const Transceiver& h3c = r.At(5);
  EXPECT_NEAR(Dbm(L(h3c, 1).rx_dbm), -3.00, 0.01);
  EXPECT_NEAR(Dbm(L(h3c, 1).tx_dbm), -2.10, 0.01);
  for (const OpticalLimits* l : {&h3c.rx_limits, &h3c.tx_limits, &h3c.temperature_limits}) {
    EXPECT_FALSE(l->low_alarm || l->low_warning || l->high_warning || l->high_alarm);
  }
}

TEST_F(Optics, ModulesAtTheFloorReadNoLight) {
  Read r = ReadOptics(ours_->port(), "optics_no_light");
  ASSERT_EQ(r.optics.size(), 2u);
  for (uint32_t if_index : {1u, 2u}) {
    SCOPED_TRACE(if_index);
    EXPECT_TRUE(L(r.At(if_index), 1).rx_no_light);
    EXPECT_EQ(*L(r.At(if_index), 1).rx_dbm, kNoLightDbm);
  }
  EXPECT_NEAR(Dbm(L(r.At(1), 1).tx_dbm), -2.30, 0.01);
  EXPECT_NEAR(Dbm(L(r.At(2), 1).tx_dbm), -2.00, 0.01);
}

// Gi1/0/1's Rx is -5 - 0.5 t dBm (t: agent uptime in seconds, floor -30), Gi1/0/2's falls 10
// dB a second to the same floor. The walk comes after the read of sysUpTime and before the
// next one: the level lies between what those two moments give.
TEST_F(Optics, DecliningRxFollowsTheAgentsUptime) {
  auto expected = [](double rate_db_per_s, double t) {
    return std::max(-30.0, -5.0 - rate_db_per_s * t);
  };
  // From 3 s of uptime on, Gi1/0/2 is at its floor.
  if (double uptime = ReadOptics(ours_->port(), "optics_declining").uptime_seconds; uptime < 3) {
    std::this_thread::sleep_for(std::chrono::duration<double>(3.1 - uptime));
  }
  Read first;
  for (int round = 0; round < 2; ++round) {
    Read r = ReadOptics(ours_->port(), "optics_declining");
    const double after = ReadOptics(ours_->port(), "optics_declining").uptime_seconds;
    ASSERT_EQ(r.optics.size(), 2u);
    const double rx = Dbm(L(r.At(1), 1).rx_dbm);
    EXPECT_LE(rx, expected(0.5, r.uptime_seconds) + 0.01) << r.uptime_seconds;
    EXPECT_GE(rx, expected(0.5, after) - 0.01) << after;
    EXPECT_NEAR(Dbm(L(r.At(1), 1).tx_dbm), -2.50, 0.01);
    if (round == 0) {
      first = r;
      std::this_thread::sleep_for(1500ms);
    } else {
      EXPECT_LT(rx, Dbm(L(first.At(1), 1).rx_dbm) - 0.5);  // 1.5 s later: 0.75 dB lower
    }
    EXPECT_NEAR(Dbm(L(r.At(2), 1).rx_dbm), -30.00, 0.01);  // at its floor
    EXPECT_FALSE(L(r.At(2), 1).rx_no_light);
  }
}

// optics_swap: a module replaced 4 s after its first read, with another serial and part.
TEST(OpticsSwap, ANewModuleComesWithItsOwnIdentityAndLevels) {
  testing::TempDir dir;
  auto made = testing::RunCommand(
      fmt::format("/usr/bin/python3 {}/tests/agents/make_recordings.py {} optics_timeline",
                  testing::SourceDir(), dir.path()));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  testing::SnmpsimAgent agent(dir.path(), "optics_swap",
                              {"--variation-modules-dir=" + dir.path() + "/variation"});
  const auto first_read = std::chrono::steady_clock::now();
  Read before = ReadOptics(agent.port(), "optics_swap");
  ASSERT_LT(std::chrono::steady_clock::now() - first_read, 4s) << "the first read took too long";
  ASSERT_EQ(before.optics.size(), 1u);
  const Transceiver& old_module = before.At(1);
  EXPECT_EQ(old_module.serial, "FNS1111AAAA");
  EXPECT_EQ(old_module.part, "GLC-LH-SMD");
  EXPECT_NEAR(Dbm(L(old_module, 1).rx_dbm), -3.50, 0.01);
  EXPECT_NEAR(Dbm(L(old_module, 1).tx_dbm), -2.50, 0.01);
  EXPECT_NEAR(*old_module.rx_sensitivity_dbm, -19.0, 0.01);

  std::this_thread::sleep_until(first_read + 5s);
  Read after = ReadOptics(agent.port(), "optics_swap");
  ASSERT_EQ(after.optics.size(), 1u);
  const Transceiver& new_module = after.At(1);
  EXPECT_EQ(new_module.serial, "FNS2222BBBB");
  EXPECT_EQ(new_module.part, "GLC-SX-MMD");
  EXPECT_NEAR(Dbm(L(new_module, 1).rx_dbm), -6.20, 0.01);
  EXPECT_NEAR(Dbm(L(new_module, 1).tx_dbm), -5.10, 0.01);
  EXPECT_NEAR(*new_module.rx_sensitivity_dbm, -17.0, 0.01);
}

}  // namespace
}  // namespace lanwatch
