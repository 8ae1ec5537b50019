// FiberHealth: every verdict and its reason from hand-built transceivers and port facts; the
// learned baseline (first reading, a quick drop, a slow decline over days, a module swap,
// trimming); and its store, real SQLite files in a scratch directory (a restart, a file that
// cannot be opened, a corrupt file, a store that fails under it). Times are built, not slept.
#include "daemon/fiber_health.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "tests/daemon/scratch_dir.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;

const WallClockTime kT0 = std::chrono::system_clock::from_time_t(1'800'000'000);

OpticalLane Lane(int n, double rx_dbm, double tx_dbm, bool no_light = false) {
  OpticalLane lane;
  lane.lane = n;
  lane.rx_dbm = rx_dbm;
  lane.tx_dbm = tx_dbm;
  lane.rx_no_light = no_light;
  return lane;
}

Transceiver Sfp(double rx_dbm, std::string serial = "SN-A", double tx_dbm = -5.5) {
  Transceiver t;
  t.if_index = 25;
  t.lanes.push_back(Lane(1, rx_dbm, tx_dbm));
  t.serial = std::move(serial);
  t.vendor = "HUAWEI";
  t.rx_limits.low_warning = -20.0;
  t.rx_sensitivity_dbm = -23.0;
  return t;
}

Transceiver Cut(std::string serial = "SN-A") {
  Transceiver t = Sfp(kNoLightDbm, std::move(serial));
  t.lanes[0].rx_no_light = true;
  return t;
}

FiberLinkFacts Up() {
  FiberLinkFacts f;
  f.found = f.admin_up = f.oper_up = true;
  f.last_change = kT0 - 24h;
  return f;
}
FiberLinkFacts Down() {
  FiberLinkFacts f = Up();
  f.oper_up = false;
  return f;
}

std::unique_ptr<FiberHealth> MemoryHealth() {
  return std::make_unique<FiberHealth>(MakeMemoryFiberBaselineStore());
}

// The default logger's warnings, while it lives.
class CapturedWarnings {
 public:
  CapturedWarnings() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedWarnings() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }
  int count() const {
    std::string s = out_.str();
    int n = 0;
    for (size_t at = s.find("warning "); at != std::string::npos; at = s.find("warning ", at + 1))
      ++n;
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

void ExecOrFail(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
}

// --- verdicts ---

TEST(FiberVerdictTest, NamesEveryState) {
  EXPECT_EQ(ToString(FiberState::kOk), "ok");
  EXPECT_EQ(ToString(FiberState::kDegraded), "degraded");
  EXPECT_EQ(ToString(FiberState::kNoLight), "no_light");
  EXPECT_EQ(ToString(FiberState::kLightButDown), "light_but_down");
  EXPECT_EQ(ToString(FiberState::kUnknown), "unknown");
}

TEST(FiberVerdictTest, OkFillsEveryLevel) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  health->Learn("uplink", Sfp(-7.0), kT0, th);
  const Transceiver t = Sfp(-7.5);
  FiberStatus s = health->Judge("uplink", Up(), &t, kT0 + 5min, th);
  EXPECT_EQ(s.state, FiberState::kOk);
  EXPECT_EQ(s.reason, "");
  EXPECT_EQ(s.rx_dbm, -7.5);
  EXPECT_EQ(s.tx_dbm, -5.5);
  EXPECT_EQ(s.baseline_dbm, -7.0);
  EXPECT_EQ(s.rx_low_warning_dbm, -20.0);
  EXPECT_EQ(s.margin_db, 15.5);  // -7.5 - (-23)
  EXPECT_EQ(s.module_serial, "SN-A");
  EXPECT_EQ(s.module_vendor, "HUAWEI");
  EXPECT_EQ(s.optics_at, kT0 + 5min);
}

TEST(FiberVerdictTest, NoTransceiverIsUnknownNoOptics) {
  auto health = MemoryHealth();
  FiberStatus s = health->Judge("uplink", Up(), nullptr, std::nullopt, {});
  EXPECT_EQ(s.state, FiberState::kUnknown);
  EXPECT_EQ(s.reason, fiber_reason::kNoOptics);
  EXPECT_FALSE(s.rx_dbm);
}

TEST(FiberVerdictTest, PortNotFoundIsUnknownWithItsLevels) {
  auto health = MemoryHealth();
  const Transceiver t = Sfp(-7.0);
  FiberLinkFacts facts = Up();
  facts.found = false;
  FiberStatus s = health->Judge("uplink", facts, &t, kT0, {});
  EXPECT_EQ(s.state, FiberState::kUnknown);
  EXPECT_EQ(s.reason, "");
  EXPECT_EQ(s.rx_dbm, -7.0);
}

TEST(FiberVerdictTest, AdminDownIsUnknownEvenWithoutLightButExportsItsLevels) {
  auto health = MemoryHealth();
  const Transceiver t = Cut();
  FiberLinkFacts facts = Down();
  facts.admin_up = false;
  FiberStatus s = health->Judge("uplink", facts, &t, kT0, {});
  EXPECT_EQ(s.state, FiberState::kUnknown);
  EXPECT_EQ(s.reason, fiber_reason::kAdminDown);
  EXPECT_EQ(s.rx_dbm, kNoLightDbm);
  EXPECT_EQ(s.tx_dbm, -5.5);
}

TEST(FiberVerdictTest, OpticsReadBeforeTheLastChangeAreOutdated) {
  auto health = MemoryHealth();
  const Transceiver t = Sfp(-7.0);
  FiberLinkFacts facts = Down();
  facts.last_change = kT0;
  FiberStatus before = health->Judge("uplink", facts, &t, kT0 - 1s, {});
  EXPECT_EQ(before.state, FiberState::kUnknown);
  EXPECT_EQ(before.reason, fiber_reason::kOpticsOutdated);
  // Read after it: judged.
  FiberStatus after = health->Judge("uplink", facts, &t, kT0 + 1s, {});
  EXPECT_EQ(after.state, FiberState::kLightButDown);
}

TEST(FiberVerdictTest, NoLightOnADownPortNeverOnOneThatCarriesTraffic) {
  auto health = MemoryHealth();
  const Transceiver cut = Cut();
  FiberStatus s = health->Judge("uplink", Down(), &cut, kT0, {});
  EXPECT_EQ(s.state, FiberState::kNoLight);
  EXPECT_EQ(s.reason, "");
  // Up, the link itself says light arrives: the module misreports, and no alarm is raised.
  s = health->Judge("uplink", Up(), &cut, kT0, {});
  EXPECT_EQ(s.state, FiberState::kUnknown);
  EXPECT_EQ(s.reason, fiber_reason::kDarkWhileUp);
  // The floor without the decoder's flag is no light all the same.
  const Transceiver floor = Sfp(-40.0);
  EXPECT_EQ(health->Judge("uplink", Down(), &floor, kT0, {}).state, FiberState::kNoLight);
}

TEST(FiberVerdictTest, TheWeakestLaneOfAQsfpDecides) {
  auto health = MemoryHealth();
  Transceiver qsfp = Sfp(-2.0);
  qsfp.lanes.push_back(Lane(2, -2.5, -1.0));
  qsfp.lanes.push_back(Lane(3, kNoLightDbm, -1.5, /*no_light=*/true));
  qsfp.lanes.push_back(Lane(4, -2.2, -1.2));
  FiberStatus s = health->Judge("core-county", Down(), &qsfp, kT0, {});
  EXPECT_EQ(s.state, FiberState::kNoLight);
  EXPECT_EQ(s.rx_dbm, kNoLightDbm);
  EXPECT_EQ(s.tx_dbm, -1.5);  // lane 3's
  // Up, a dark lane beside lit ones is an unused one (a breakout): the lit ones are judged.
  s = health->Judge("core-county", Up(), &qsfp, kT0, {});
  EXPECT_EQ(s.state, FiberState::kOk);
  EXPECT_EQ(s.rx_dbm, -2.5);

  qsfp.lanes[2] = Lane(3, -3.0, -1.5);
  s = health->Judge("core-county", Up(), &qsfp, kT0, {});
  EXPECT_EQ(s.state, FiberState::kOk);
  EXPECT_EQ(s.rx_dbm, -3.0);
}

TEST(FiberVerdictTest, LightButDown) {
  auto health = MemoryHealth();
  const Transceiver t = Sfp(-7.0);
  FiberStatus s = health->Judge("uplink", Down(), &t, kT0, {});
  EXPECT_EQ(s.state, FiberState::kLightButDown);
  EXPECT_EQ(s.reason, "");
}

TEST(FiberVerdictTest, NoRxLevelOnADownPortIsUnknownOnAnUpPortJudgedByErrors) {
  auto health = MemoryHealth();
  Transceiver t = Sfp(-7.0);
  t.lanes[0].rx_dbm.reset();
  FiberStatus down = health->Judge("uplink", Down(), &t, kT0, {});
  EXPECT_EQ(down.state, FiberState::kUnknown);
  EXPECT_EQ(down.reason, fiber_reason::kNoRxLevel);
  EXPECT_EQ(down.tx_dbm, std::nullopt);
  EXPECT_EQ(health->Judge("uplink", Up(), &t, kT0, {}).state, FiberState::kOk);
}

TEST(FiberVerdictTest, RxMoreThanTheDropBelowTheBaselineIsDegraded) {
  auto health = MemoryHealth();
  const LinkThresholds th;  // 3 dB
  health->Learn("uplink", Sfp(-5.0), kT0, th);
  const Transceiver exactly = Sfp(-8.0), below = Sfp(-8.25);
  EXPECT_EQ(health->Judge("uplink", Up(), &exactly, kT0, th).state, FiberState::kOk);
  FiberStatus s = health->Judge("uplink", Up(), &below, kT0, th);
  EXPECT_EQ(s.state, FiberState::kDegraded);
  EXPECT_EQ(s.reason, fiber_reason::kBelowBaseline);
  LinkThresholds wide = th;
  wide.fiber_drop_db = 4.0;
  EXPECT_EQ(health->Judge("uplink", Up(), &below, kT0, wide).state, FiberState::kOk);
}

TEST(FiberVerdictTest, RxBelowTheModulesLowWarningIsDegraded) {
  auto health = MemoryHealth();
  const Transceiver t = Sfp(-20.5);  // no baseline yet
  FiberStatus s = health->Judge("uplink", Up(), &t, kT0, {});
  EXPECT_EQ(s.state, FiberState::kDegraded);
  EXPECT_EQ(s.reason, fiber_reason::kBelowLowWarning);
  Transceiver no_limit = t;
  no_limit.rx_limits.low_warning.reset();
  EXPECT_EQ(health->Judge("uplink", Up(), &no_limit, kT0, {}).state, FiberState::kOk);
}

TEST(FiberVerdictTest, BelowTheBaselineIsSaidBeforeBelowTheLowWarning) {
  auto health = MemoryHealth();
  health->Learn("uplink", Sfp(-16.0), kT0, {});
  const Transceiver t = Sfp(-21.0);
  EXPECT_EQ(health->Judge("uplink", Up(), &t, kT0, {}).reason, fiber_reason::kBelowBaseline);
}

TEST(FiberVerdictTest, ErrorsAboveTheWarningAreDegraded) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  const Transceiver t = Sfp(-7.0);
  FiberLinkFacts facts = Up();
  facts.errors_per_second = th.errors_warning;
  EXPECT_EQ(health->Judge("uplink", facts, &t, kT0, th).state, FiberState::kOk);
  facts.errors_per_second = th.errors_warning * 2;
  FiberStatus s = health->Judge("uplink", facts, &t, kT0, th);
  EXPECT_EQ(s.state, FiberState::kDegraded);
  EXPECT_EQ(s.reason, fiber_reason::kErrorsRising);
}

// --- the baseline ---

TEST(FiberBaselineTest, TheFirstReadingIsTheBaseline) {
  auto health = MemoryHealth();
  EXPECT_EQ(health->Baseline("uplink"), std::nullopt);
  health->Learn("uplink", Sfp(-6.5), kT0, {});
  EXPECT_EQ(health->Baseline("uplink"), -6.5);
}

TEST(FiberBaselineTest, LearnsOnlyWithLightAndThePortUp) {
  auto health = MemoryHealth();
  health->Learn("uplink", Cut(), kT0, {});
  health->Learn("uplink", Sfp(-6.5), kT0 + 1h, {}, /*port_up=*/false);
  EXPECT_EQ(health->Baseline("uplink"), std::nullopt);
  health->Learn("uplink", Sfp(-6.0), kT0 + 2h, {});
  EXPECT_EQ(health->Baseline("uplink"), -6.0);
}

TEST(FiberBaselineTest, KeepsAtMostOneSampleAnHourOverSevenDays) {
  auto store = MakeMemoryFiberBaselineStore();
  FiberBaselineStore* samples = store.get();
  FiberHealth health(std::move(store));
  for (auto t = 0min; t <= 180min; t += 5min) health.Learn("uplink", Sfp(-6.0), kT0 + t, {});
  EXPECT_EQ(samples->Load("uplink")->second.size(), 4u);  // 0, 1 h, 2 h, 3 h
  // A window of a day: one every 24 h / 168 (514 s), read every minute: at 0, 9, 18 ... 54 min.
  auto daily_store = MakeMemoryFiberBaselineStore();
  FiberBaselineStore* daily_samples = daily_store.get();
  FiberHealth daily(std::move(daily_store));
  LinkThresholds th;
  th.fiber_baseline_window = 24h;
  for (auto t = 0min; t <= 60min; t += 1min) daily.Learn("uplink", Sfp(-6.0), kT0 + t, th);
  auto kept = daily_samples->Load("uplink")->second;
  ASSERT_EQ(kept.size(), 7u);
  EXPECT_EQ(kept[1].at, kT0 + 9min);
}

TEST(FiberBaselineTest, ADropOfMoreThanThreeDbOverAFewReadingsIsDegraded) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  const double readings[] = {-5.0, -5.1, -6.0, -7.2, -8.4};
  FiberStatus s;
  for (int i = 0; i < 5; ++i) {
    const Transceiver t = Sfp(readings[i]);
    const WallClockTime at = kT0 + i * 5min;
    health->Learn("uplink", t, at, th);
    s = health->Judge("uplink", Up(), &t, at, th);
    if (i < 4) {
      EXPECT_EQ(s.state, FiberState::kOk) << i;
    }
  }
  EXPECT_EQ(s.state, FiberState::kDegraded);
  EXPECT_EQ(s.reason, fiber_reason::kBelowBaseline);
  EXPECT_EQ(s.baseline_dbm, -5.0);
}

// A connector that gets dirtier by 1.5 dB a day: each reading is close to the last, but the
// median over days lags the decline and the gap passes 3 dB within a week.
TEST(FiberBaselineTest, ASlowDeclineOverDaysIsStillCaught) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  std::optional<std::chrono::minutes> first_degraded;
  std::optional<double> baseline_then;
  for (auto t = 0min; t <= 10 * 24h; t += 5min) {
    const double rx = -5.0 - 1.5 * (t / 1.0min) / (24 * 60);
    const Transceiver tr = Sfp(rx);
    health->Learn("uplink", tr, kT0 + t, th);
    FiberStatus s = health->Judge("uplink", Up(), &tr, kT0 + t, th);
    if (s.state == FiberState::kDegraded && !first_degraded) {
      first_degraded = t;
      baseline_then = s.baseline_dbm;
      EXPECT_EQ(s.reason, fiber_reason::kBelowBaseline);
    }
    // Once caught, the decline is not learnt as the new normal.
    if (first_degraded) {
      EXPECT_EQ(s.state, FiberState::kDegraded) << t.count() << " min";
    }
  }
  ASSERT_TRUE(first_degraded);
  // Half a window's lag at 1.5 dB a day is 3 dB after 4 days.
  EXPECT_GT(*first_degraded, 3 * 24h);
  EXPECT_LT(*first_degraded, 5 * 24h);
  // The median followed the decline, late: it is no longer the first reading.
  ASSERT_TRUE(baseline_then);
  EXPECT_LT(*baseline_then, -7.0);
  EXPECT_GT(*baseline_then, -5.0 - 1.5 * 4.5 + 3.0);
}

TEST(FiberBaselineTest, ADimmingThatAlarmsIsNotLearntNorTrimmedAway) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  for (auto t = 0h; t < 48h; t += 1h) health->Learn("uplink", Sfp(-5.0), kT0 + t, th);
  // Ten days at -9 dBm: the baseline stays -5 and the link degraded.
  for (auto t = 48h; t < 48h + 240h; t += 1h) health->Learn("uplink", Sfp(-9.0), kT0 + t, th);
  EXPECT_EQ(health->Baseline("uplink"), -5.0);
  const Transceiver t = Sfp(-9.0);
  EXPECT_EQ(health->Judge("uplink", Up(), &t, kT0 + 288h, th).state, FiberState::kDegraded);
  // A cleaned connector brings it back, and a higher level is learnt.
  const Transceiver clean = Sfp(-4.0);
  health->Learn("uplink", clean, kT0 + 289h, th);
  EXPECT_EQ(health->Judge("uplink", Up(), &clean, kT0 + 289h, th).state, FiberState::kOk);
}

TEST(FiberBaselineTest, ASwappedModuleStartsOver) {
  auto health = MemoryHealth();
  const LinkThresholds th;
  for (auto t = 0h; t < 24h; t += 1h) health->Learn("uplink", Sfp(-3.0, "SN-A"), kT0 + t, th);
  // The new module sends less: 5 dB lower, no alarm for it, before and after it is learnt.
  const Transceiver swapped = Sfp(-8.0, "SN-B");
  FiberStatus before = health->Judge("uplink", Up(), &swapped, kT0 + 24h, th);
  EXPECT_EQ(before.state, FiberState::kOk);
  EXPECT_EQ(before.baseline_dbm, std::nullopt);
  health->Learn("uplink", swapped, kT0 + 24h, th);
  EXPECT_EQ(health->Baseline("uplink"), -8.0);
  EXPECT_EQ(health->Judge("uplink", Up(), &swapped, kT0 + 24h, th).state, FiberState::kOk);
  // A reading without a serial is no swap.
  health->Learn("uplink", Sfp(-8.5, ""), kT0 + 25h, th);
  EXPECT_EQ(health->Baseline("uplink"), -8.25);
  // Another vendor is another module, even with the same serial.
  Transceiver other_vendor = Sfp(-2.0, "SN-B");
  other_vendor.vendor = "FINISAR";
  health->Learn("uplink", other_vendor, kT0 + 26h, th);
  EXPECT_EQ(health->Baseline("uplink"), -2.0);
}

TEST(FiberBaselineTest, SamplesOlderThanTheWindowAreTrimmed) {
  auto store = MakeMemoryFiberBaselineStore();
  FiberBaselineStore* kept = store.get();
  FiberHealth health(std::move(store));
  const LinkThresholds th;  // 7 days
  for (auto t = 0h; t < 48h; t += 1h) health.Learn("uplink", Sfp(-5.0), kT0 + t, th);
  for (auto t = 48h; t <= 48h + 8 * 24h; t += 1h) health.Learn("uplink", Sfp(-6.0), kT0 + t, th);
  auto samples = kept->Load("uplink")->second;
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples.size(), 169u);  // 7 days of hours, both ends
  EXPECT_EQ(samples.front().at, kT0 + 48h + 8 * 24h - 7 * 24h);
  for (const auto& s : samples) EXPECT_EQ(s.rx_dbm, -6.0);
  EXPECT_EQ(health.Baseline("uplink"), -6.0);
}

TEST(FiberBaselineTest, RetainForgetsInMemoryAndTheStoreKeeps) {
  auto store = MakeMemoryFiberBaselineStore();
  FiberBaselineStore* kept = store.get();
  FiberHealth health(std::move(store));
  health.Learn("uplink", Sfp(-5.0), kT0, {});
  health.Learn("district-1", Sfp(-9.0), kT0, {});
  Config config;
  config.links.emplace_back().name = "uplink";
  health.Retain(config);
  // district-1 is read from the store again, uplink is not.
  ASSERT_TRUE(kept->Reset("uplink", {"SN-A", "HUAWEI"}));
  ASSERT_TRUE(kept->Add("district-1", {kT0 + 1h, -10.0}));
  EXPECT_EQ(health.Baseline("uplink"), -5.0);
  EXPECT_EQ(health.Baseline("district-1"), -9.5);
}

// --- the store ---

TEST(FiberStoreTest, TheBaselineSurvivesARestart) {
  ScratchDir dir;
  const LinkThresholds th;
  std::optional<double> learned;
  {
    auto store = OpenFiberBaselineStore(dir.path());
    ASSERT_TRUE(store) << store.error().message;
    FiberHealth health(std::move(*store));
    const double rx[] = {-5.0, -5.5, -4.75, -6.0, -5.25};
    for (int i = 0; i < 5; ++i) health.Learn("uplink", Sfp(rx[i]), kT0 + i * 1h + 250ms, th);
    health.Learn("district-2", Sfp(-11.0, "SN-Z"), kT0, th);
    learned = health.Baseline("uplink");
    ASSERT_EQ(learned, -5.25);
  }
  auto store = OpenFiberBaselineStore(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  FiberHealth health(std::move(*store));
  EXPECT_EQ(health.Baseline("uplink"), learned);
  EXPECT_EQ(health.Baseline("district-2"), -11.0);
  // The module is kept too: the same one is judged against it, another is not.
  const Transceiver same = Sfp(-9.0), other = Sfp(-9.0, "SN-C");
  EXPECT_EQ(health.Judge("uplink", Up(), &same, kT0 + 5h, th).state, FiberState::kDegraded);
  EXPECT_EQ(health.Judge("uplink", Up(), &other, kT0 + 5h, th).state, FiberState::kOk);
  // And the hourly spacing, with whole seconds: 59 minutes after the last is too soon.
  health.Learn("uplink", Sfp(-5.0), kT0 + 4h + 250ms + 59min, th);
  auto again = OpenFiberBaselineStore(dir.path());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->Load("uplink")->second.size(), 5u);
  EXPECT_EQ((*again)->Load("uplink")->second.front().at, kT0);
}

TEST(FiberStoreTest, TrimsAndForgetsInTheFile) {
  ScratchDir dir;
  auto store = OpenFiberBaselineStore(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  FiberBaselineStore& s = **store;
  ASSERT_TRUE(s.Reset("uplink", {"SN-A", "HUAWEI"}));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s.Add("uplink", {kT0 + i * 1h, -5.0 - i}));
  ASSERT_TRUE(s.Trim("uplink", kT0 + 2h));
  auto loaded = s.Load("uplink");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->first.serial, "SN-A");
  EXPECT_EQ(loaded->first.vendor, "HUAWEI");
  ASSERT_EQ(loaded->second.size(), 2u);
  EXPECT_EQ(loaded->second[0].at, kT0 + 2h);
  EXPECT_EQ(loaded->second[0].rx_dbm, -7.0);
  ASSERT_TRUE(s.Reset("uplink", {"SN-B", "FINISAR"}));
  EXPECT_TRUE(s.Load("uplink")->second.empty());
  EXPECT_EQ(s.Load("uplink")->first.serial, "SN-B");
  ASSERT_TRUE(s.Add("uplink", {kT0, -5.0}));
  ASSERT_TRUE(s.Forget("uplink"));
  EXPECT_TRUE(s.Load("uplink")->second.empty());
  EXPECT_EQ(s.Load("uplink")->first.serial, "");
}

TEST(FiberStoreTest, IsAWalFileAtSchemaVersionOne) {
  ScratchDir dir;
  ASSERT_TRUE(OpenFiberBaselineStore(dir.path()));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir / "fiber.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  auto text = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(text("PRAGMA user_version"), "1");
}

TEST(FiberStoreTest, RefusesASchemaFromANewerLanwatch) {
  ScratchDir dir;
  ASSERT_TRUE(OpenFiberBaselineStore(dir.path()));
  ExecOrFail(dir / "fiber.db", "PRAGMA user_version = 9");
  auto store = OpenFiberBaselineStore(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("schema version 9 is newer"), std::string::npos)
      << store.error().message;
}

TEST(FiberStoreTest, ADirectoryThatCannotBeOpenedIsAnErrorNamingThePath) {
  ScratchDir dir;
  std::ofstream(dir / "file") << "a regular file";
  // Under a regular file: no one, root included, can create anything there.
  auto store = OpenFiberBaselineStore(dir / "file/state");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(dir / "file/state/fiber.db"), std::string::npos)
      << store.error().message;
  auto is_file = OpenFiberBaselineStore(dir / "file");
  ASSERT_FALSE(is_file);
  EXPECT_NE(is_file.error().message.find("is not a directory"), std::string::npos)
      << is_file.error().message;
}

TEST(FiberStoreTest, ACorruptFileIsAClearError) {
  ScratchDir dir;
  std::ofstream(dir / "fiber.db") << std::string(8192, 'x');
  auto store = OpenFiberBaselineStore(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(dir / "fiber.db"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

// The file changes under the daemon (here its tables dropped by hand): one warning naming the
// file, and the baseline goes on in memory.
TEST(FiberStoreTest, FailuresAreWarnedOnceAndTheBaselineLivesInMemory) {
  ScratchDir dir;
  auto store = OpenFiberBaselineStore(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  FiberHealth health(std::move(*store));
  ExecOrFail(dir / "fiber.db", "DROP TABLE samples; DROP TABLE modules");
  CapturedWarnings warnings;
  const LinkThresholds th;
  for (auto t = 0h; t < 5h; t += 1h) health.Learn("uplink", Sfp(-5.0 - t.count()), kT0 + t, th);
  EXPECT_EQ(health.Baseline("uplink"), -7.0);
  EXPECT_EQ(warnings.count(), 1) << warnings.text();
  EXPECT_NE(warnings.text().find("uplink"), std::string::npos) << warnings.text();
  EXPECT_NE(warnings.text().find(dir / "fiber.db"), std::string::npos) << warnings.text();
  EXPECT_NE(warnings.text().find("no such table"), std::string::npos) << warnings.text();
  // Once per link: another link says so once too.
  health.Learn("district-1", Sfp(-9.0), kT0, th);
  health.Learn("district-1", Sfp(-9.0), kT0 + 1h, th);
  EXPECT_EQ(warnings.count(), 2) << warnings.text();
}

}  // namespace
}  // namespace lanwatch
