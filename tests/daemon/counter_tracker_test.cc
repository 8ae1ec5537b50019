#include "daemon/counter_tracker.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

constexpr uint64_t k2to32 = 1ULL << 32;
constexpr double kGigabitBytes = 125e6;  // 1 Gbit/s in bytes per second

TEST(CounterTracker, FirstReadingIsABaseline) {
  CounterTracker t;
  EXPECT_EQ(t.Update(1000, 64, 10, kGigabitBytes).kind, CounterUpdate::Kind::kBaseline);
  auto u = t.Update(6000, 64, 10, kGigabitBytes);
  EXPECT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 5000u);
}

TEST(CounterTracker, OneCounter32Wrap) {
  CounterTracker t;
  t.Update(k2to32 - 1000, 32, 30, kGigabitBytes / 100);  // 10 Mbit/s port
  auto u = t.Update(500, 32, 30, kGigabitBytes / 100);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 1500u);
}

TEST(CounterTracker, SeveralWrapsInferredFromATrustedRate) {
  // 1 Gbit/s port at 800 Mbit/s (100 MB/s). A 10 s interval (1 GB) is unambiguous and gives
  // a trusted rate; then 60 s intervals carry 6 GB, wrapping the Counter32 once or twice.
  CounterTracker t;
  const double rate = 100e6;
  uint64_t truth = 0;
  t.Update(truth % k2to32, 32, 10, kGigabitBytes);
  truth += static_cast<uint64_t>(rate * 10);
  ASSERT_EQ(t.Update(truth % k2to32, 32, 10, kGigabitBytes).delta, truth);
  for (int i = 0; i < 4; ++i) {
    truth += static_cast<uint64_t>(rate * 60);
    auto u = t.Update(truth % k2to32, 32, 60, kGigabitBytes);
    ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
    EXPECT_EQ(u.delta, static_cast<uint64_t>(rate * 60)) << "interval " << i;
  }
}

TEST(CounterTracker, AmbiguousWrapsWithoutATrustedRateGiveNoNumber) {
  // Polled every 60 s from the start, a 1 Gbit/s port's Counter32 cannot tell 1.7 GB from
  // 6 GB: better no rate than a wrong one.
  CounterTracker t;
  t.Update(0, 32, 60, kGigabitBytes);
  EXPECT_EQ(t.Update(6'000'000'000ULL % k2to32, 32, 60, kGigabitBytes).kind,
            CounterUpdate::Kind::kAmbiguous);
}

TEST(CounterTracker, SlowPortNeverGetsMoreThanOneWrap) {
  CounterTracker t;
  t.Update(4'000'000'000u, 32, 300, 10e6 / 8);
  auto u = t.Update(100'000'000u, 32, 300, 10e6 / 8);  // 10 Mbit/s cannot wrap twice in 5 min
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, k2to32 - 4'000'000'000u + 100'000'000u);
}

TEST(CounterTracker, IncrementFasterThanThePortIsADiscontinuity) {
  CounterTracker t;
  t.Update(100, 32, 10, 10e6 / 8);
  // 3 GB in 10 s on a 10 Mbit/s port: the counter was reset, not traffic.
  EXPECT_EQ(t.Update(3'000'000'000u, 32, 10, 10e6 / 8).kind, CounterUpdate::Kind::kTooFast);
  // And the next reading is compared with the reset value: no stale spike.
  auto u = t.Update(3'000'000'000u + 1000, 32, 10, 10e6 / 8);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 1000u);
}

TEST(CounterTracker, Counter64GoingBackIsAReset) {
  CounterTracker t;
  t.Update(1'000'000, 64, 10, kGigabitBytes);
  EXPECT_EQ(t.Update(10, 64, 10, kGigabitBytes).kind, CounterUpdate::Kind::kWentBack);
}

TEST(CounterTracker, ChangeOfWidthStartsOver) {
  CounterTracker t;
  t.Update(5000, 32, 10, kGigabitBytes);
  EXPECT_EQ(t.Update(9000, 64, 10, kGigabitBytes).kind, CounterUpdate::Kind::kBaseline);
}

TEST(CounterTracker, UnknownSpeedAllowsExactlyOneWrap) {
  CounterTracker t;
  t.Update(k2to32 - 10, 32, 10, 0);
  auto u = t.Update(10, 32, 10, 0);
  ASSERT_EQ(u.kind, CounterUpdate::Kind::kDelta);
  EXPECT_EQ(u.delta, 20u);
}

}  // namespace
}  // namespace lanwatch
