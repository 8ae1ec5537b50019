#include "daemon/counter_tracker.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

constexpr uint64_t k2to32 = 1ULL << 32;
constexpr double kGigabitBytes = 125e6;  // 1 Gbit/s in bytes per second

CounterLimits Octets(int bits, double max_per_second) { return {bits, max_per_second, true}; }
CounterLimits Events(double max_per_second) { return {32, max_per_second, false}; }

TEST(CounterTracker, FirstReadingIsABaseline) {
  CounterTracker t;
  EXPECT_EQ(t.Update(0, 1000, Octets(64, kGigabitBytes), 10).kind, CounterUpdate::Kind::kBaseline);
  auto u = t.Update(0, 6000, Octets(64, kGigabitBytes), 10);
  EXPECT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 5000u);
}

TEST(CounterTracker, OneCounter32Wrap) {
  CounterTracker t;
  t.Update(0, k2to32 - 1000, Octets(32, kGigabitBytes / 100), 30);  // 10 Mbit/s port
  auto u = t.Update(0, 500, Octets(32, kGigabitBytes / 100), 30);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 1500u);
}

TEST(CounterTracker, GapLongerThanAWrapPeriodGivesNoNumberEvenAfterATrustedRate) {
  // 1 Gbit/s port at 800 Mbit/s (100 MB/s): a Counter32 wraps every 43 s. Polls 10 s apart
  // measure it fine; then a 60 s gap (an agent that missed a poll) could hold 1.7 or 6 GB.
  // The rate before the gap says nothing certain about the gap: no number, never a guess.
  CounterTracker t;
  const double rate = 100e6;
  uint64_t truth = 0;
  t.Update(0, truth % k2to32, Octets(32, kGigabitBytes), 10);
  truth += static_cast<uint64_t>(rate * 10);
  auto trusted = t.Update(0, truth % k2to32, Octets(32, kGigabitBytes), 10);
  ASSERT_EQ(trusted.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(trusted.delta, truth);
  truth += static_cast<uint64_t>(rate * 60);
  EXPECT_EQ(t.Update(0, truth % k2to32, Octets(32, kGigabitBytes), 60).kind,
            CounterUpdate::Kind::kAmbiguous);
  // Back to 10 s polls: measured again from the new reading.
  truth += static_cast<uint64_t>(rate * 10);
  auto again = t.Update(0, truth % k2to32, Octets(32, kGigabitBytes), 10);
  ASSERT_EQ(again.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(again.delta, static_cast<uint64_t>(rate * 10));
}

TEST(CounterTracker, AmbiguousFromTheFirstLongInterval) {
  CounterTracker t;
  t.Update(0, 0, Octets(32, kGigabitBytes), 60);
  EXPECT_EQ(t.Update(0, 6'000'000'000ULL % k2to32, Octets(32, kGigabitBytes), 60).kind,
            CounterUpdate::Kind::kAmbiguous);
}

TEST(CounterTracker, SlowPortNeverGetsMoreThanOneWrap) {
  CounterTracker t;
  t.Update(0, 4'000'000'000u, Octets(32, 10e6 / 8), 300);
  auto u = t.Update(0, 100'000'000u, Octets(32, 10e6 / 8), 300);  // 10 Mbit/s: 57 min per wrap
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, k2to32 - 4'000'000'000u + 100'000'000u);
}

TEST(CounterTracker, IncrementFasterThanThePortIsADiscontinuity) {
  CounterTracker t;
  t.Update(0, 100, Octets(32, 10e6 / 8), 10);
  // 3 GB in 10 s on a 10 Mbit/s port: the counter was reset, not traffic.
  EXPECT_EQ(t.Update(0, 3'000'000'000u, Octets(32, 10e6 / 8), 10).kind,
            CounterUpdate::Kind::kTooFast);
  // And the next reading is compared with the reset value: no stale spike.
  auto u = t.Update(0, 3'000'000'000u + 1000, Octets(32, 10e6 / 8), 10);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 1000u);
}

TEST(CounterTracker, Counter64GoingBackIsAResetNeverAWrap) {
  CounterTracker t;
  t.Update(0, 1'000'000, Octets(64, kGigabitBytes), 10);
  EXPECT_EQ(t.Update(0, 10, Octets(64, kGigabitBytes), 10).kind, CounterUpdate::Kind::kWentBack);
  // Near the top of its range too: 2^64 is never reached by traffic.
  t.Update(0, ~0ULL - 5, Octets(64, 0), 10);
  EXPECT_EQ(t.Update(0, 3, Octets(64, 0), 10).kind, CounterUpdate::Kind::kWentBack);
}

TEST(CounterTracker, ErrorCounterThatDecreasesWasClearedNotWrapped) {
  // Counters cleared on the device, with no sysUpTime change: 12 errors, then 3. As a wrap
  // that would be 4.29e9 errors and a false CRITICAL.
  CounterTracker t;
  const double max_pps = 100e6 / 8 / 84;  // 100 Mbit/s of minimum-size frames
  t.Update(0, 12, Events(max_pps), 30);
  EXPECT_EQ(t.Update(0, 3, Events(max_pps), 30).kind, CounterUpdate::Kind::kWentBack);
  auto u = t.Update(0, 5, Events(max_pps), 30);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 2u);
}

TEST(CounterTracker, MoreErrorsThanPacketsThePortCouldCarryIsImpossible) {
  CounterTracker t;
  const double max_pps = 100e6 / 8 / 84;  // ~148,800 packets/s
  t.Update(0, 0, Events(max_pps), 30);
  EXPECT_EQ(t.Update(0, 50'000'000, Events(max_pps), 30).kind, CounterUpdate::Kind::kTooFast);
}

TEST(CounterTracker, WithoutWrapsACounter32DecreaseIsAReset) {
  // A device without any uptime clock cannot tell a wrap from a reset: conservative.
  CounterTracker t;
  t.Update(0, k2to32 - 1000, {32, 10e6 / 8, false}, 30);
  EXPECT_EQ(t.Update(0, 500, {32, 10e6 / 8, false}, 30).kind, CounterUpdate::Kind::kWentBack);
}

TEST(CounterTracker, ChangeOfWidthStartsOver) {
  CounterTracker t;
  t.Update(0, 5000, Octets(32, kGigabitBytes), 10);
  EXPECT_EQ(t.Update(0, 9000, Octets(64, kGigabitBytes), 10).kind, CounterUpdate::Kind::kBaseline);
}

TEST(CounterTracker, UnknownSpeedAllowsExactlyOneWrap) {
  CounterTracker t;
  t.Update(0, k2to32 - 10, Octets(32, 0), 10);
  auto u = t.Update(0, 10, Octets(32, 0), 10);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 20u);
}

TEST(CounterTrackers, EachCounterOfASetKeepsItsOwnReadingAndWidth) {
  CounterTrackers<3> set;
  set.Update(0, 1000, Octets(64, kGigabitBytes), 10);
  set.Update(1, k2to32 - 10, Octets(32, kGigabitBytes / 100), 10);
  EXPECT_EQ(set.Update(2, 5, Events(1000), 10).kind, CounterUpdate::Kind::kBaseline)
      << "the others' readings are not its own";
  auto octets = set.Update(0, 6000, Octets(64, kGigabitBytes), 10);
  ASSERT_EQ(octets.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(octets.delta, 5000u);
  auto wrapped = set.Update(1, 10, Octets(32, kGigabitBytes / 100), 10);
  ASSERT_EQ(wrapped.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(wrapped.delta, 20u) << "a Counter32 beside Counter64s keeps its width";

  set.Reset(0);
  EXPECT_EQ(set.Update(0, 7000, Octets(64, kGigabitBytes), 10).kind,
            CounterUpdate::Kind::kBaseline);
  EXPECT_EQ(set.Update(2, 8, Events(1000), 10).delta, 3u) << "Reset(0) forgets counter 0 alone";
  set.Reset();
  EXPECT_EQ(set.Update(2, 9, Events(1000), 10).kind, CounterUpdate::Kind::kBaseline);
}

}  // namespace
}  // namespace lanwatch
