#include "probes/icmp/probe_window.h"

#include <gtest/gtest.h>

#include "probes/icmp/probe_schedule.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point t0{std::chrono::seconds(5000)};

TEST(ProbeWindow, EmptyWindowHasNoRatioAndNoRtt) {
  ProbeWindow w;
  auto s = w.Summary(t0);
  EXPECT_EQ(s.sent, 0u);
  EXPECT_FALSE(s.loss_ratio);
  EXPECT_FALSE(s.rtt_median_seconds);
  EXPECT_FALSE(s.jitter_seconds);
}

TEST(ProbeWindow, HandMadeTimeline) {
  // One probe a second: RTTs 10, 12, lost, 11, 30 ms, lost.
  ProbeWindow w(10s);
  std::optional<std::chrono::nanoseconds> rtts[] = {10ms, 12ms, std::nullopt,
                                                    11ms, 30ms, std::nullopt};
  for (int i = 0; i < 6; ++i) w.Add(t0 + i * 1s, rtts[i]);
  auto s = w.Summary(t0 + 5s);
  EXPECT_EQ(s.sent, 6u);
  EXPECT_EQ(s.lost, 2u);
  EXPECT_DOUBLE_EQ(*s.loss_ratio, 2.0 / 6);
  EXPECT_DOUBLE_EQ(*s.rtt_min_seconds, 0.010);
  EXPECT_DOUBLE_EQ(*s.rtt_max_seconds, 0.030);
  EXPECT_DOUBLE_EQ(*s.rtt_median_seconds, (0.011 + 0.012) / 2);  // even count: the middle two
  // Successive replies 10, 12, 11, 30: |2| + |1| + |19| over 3.
  EXPECT_NEAR(*s.jitter_seconds, 0.022 / 3, 1e-12);
  EXPECT_EQ(w.sent_total(), 6u);
  EXPECT_EQ(w.lost_total(), 2u);
}

TEST(ProbeWindow, TheNewestLostInARowTellASilentFarEnd) {
  ProbeWindow w(10s);
  for (int i = 0; i < 6; ++i) w.Add(t0 + i * 1s, 1ms);
  EXPECT_EQ(w.Summary(t0 + 6s).trailing_lost, 0u);
  EXPECT_FALSE(w.Summary(t0 + 6s).silent_seconds);
  for (int i = 6; i < 9; ++i) w.Add(t0 + i * 1s, std::nullopt);
  auto s = w.Summary(t0 + 10s);
  EXPECT_EQ(s.trailing_lost, 3u);
  ASSERT_TRUE(s.silent_seconds);
  EXPECT_DOUBLE_EQ(*s.silent_seconds, 4.0);  // the first of them sent at t0 + 6 s
  EXPECT_DOUBLE_EQ(*s.loss_ratio, 3.0 / 8);  // while the ratio says 37.5 % (t0's has left)
  w.Add(t0 + 9s, 1ms);
  EXPECT_EQ(w.Summary(t0 + 10s).trailing_lost, 0u);
}

TEST(ProbeWindow, SlidesBySentTimeAndCountersKeepEverything) {
  ProbeWindow w(10s);
  auto add = [&](int from, int to) {  // probes 0..9 lost, 10.. answered in 5 ms
    for (int i = from; i < to; ++i) w.Add(t0 + i * 1s, i < 10 ? std::nullopt : std::optional(5ms));
  };
  add(0, 15);
  auto earlier = w.Summary(t0 + 14s);  // (4 s, 14 s]: 5..9 lost, 10..14 answered
  EXPECT_EQ(earlier.sent, 10u);
  EXPECT_EQ(earlier.lost, 5u);
  add(15, 20);
  auto s = w.Summary(t0 + 19s);  // (9 s, 19 s]: probes 10..19, all answered
  EXPECT_EQ(s.sent, 10u);
  EXPECT_EQ(s.lost, 0u);
  EXPECT_DOUBLE_EQ(*s.loss_ratio, 0.0);
  EXPECT_DOUBLE_EQ(*s.jitter_seconds, 0.0);
  EXPECT_EQ(w.sent_total(), 20u);
  EXPECT_EQ(w.lost_total(), 10u);
  EXPECT_EQ(w.Summary(t0 + 40s).sent, 0u) << "nothing sent in the last 10 s";
}

TEST(ProbeWindow, ProbesEndingOutOfOrderCountInTheOrderSent) {
  // Probe 0 is lost and known only at 2 s, after the replies to probes 1 and 2, which came
  // in the wrong order themselves: jitter ignores the loss and follows the order sent.
  ProbeWindow w(10s);
  w.Add(t0 + 2s, 8ms);
  w.Add(t0 + 1s, 4ms);
  w.Add(t0, std::nullopt);
  w.Add(t0 + 3s, 4ms);
  auto s = w.Summary(t0 + 3s);
  EXPECT_EQ(s.sent, 4u);
  EXPECT_EQ(s.lost, 1u);
  EXPECT_DOUBLE_EQ(*s.rtt_median_seconds, 0.004);
  EXPECT_DOUBLE_EQ(*s.jitter_seconds, 0.004);
}

TEST(ProbeWindow, HistogramBucketsAreCumulative) {
  ProbeWindow w;
  w.Add(t0, 300us);         // <= 0.0005
  w.Add(t0, 1ms);           // exactly on a bound: counts in it (le)
  w.Add(t0, 15ms);          // <= 0.02
  w.Add(t0, 3s);            // past 2: only +Inf
  w.Add(t0, std::nullopt);  // lost: not in the histogram
  const RttHistogram& h = w.histogram();
  EXPECT_EQ(h.count, 4u);
  EXPECT_NEAR(h.sum_seconds, 0.0003 + 0.001 + 0.015 + 3, 1e-12);
  std::array<uint64_t, 12> want = {1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3};
  EXPECT_EQ(h.cumulative, want);
}

TEST(ProbeSchedule, TargetsSpreadOverTheInterval) {
  ProbeSchedule schedule({1s, 1s, 1s, 1s}, t0);
  std::vector<std::pair<size_t, Clock::time_point>> sent;
  Clock::time_point now = t0;
  while (sent.size() < 8) {
    now = schedule.next_due();
    sent.emplace_back(schedule.Pop(now), now);
  }
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].first, i % 4);
    EXPECT_EQ(sent[i].second, t0 + i * 250ms) << "one every interval/N, never two at once";
  }
}

TEST(ProbeSchedule, OwnIntervalsAndNoCatchUpBurst) {
  ProbeSchedule schedule({100ms, 1s}, t0);  // target 1 starts at 1/2 of its own interval
  EXPECT_EQ(schedule.next_due(), t0);
  EXPECT_EQ(schedule.Pop(t0), 0u);
  EXPECT_EQ(schedule.next_due(), t0 + 100ms);
  // The thread stalls for 1.05 s: target 0 comes once, at its next slot in phase, not 10 times.
  Clock::time_point late = t0 + 1050ms;
  EXPECT_EQ(schedule.Pop(late), 0u);
  EXPECT_EQ(schedule.Pop(late), 1u);  // due at 500 ms
  EXPECT_EQ(schedule.next_due(), t0 + 1100ms);
}

}  // namespace
}  // namespace lanwatch
