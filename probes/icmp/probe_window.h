// ProbeWindow: one target's echo probes summed up the way SmokePing and Prometheus want them:
// over a sliding window (default 10 s) sent, lost, loss ratio, RTT min/median/max and jitter;
// since the start, sent and lost counters and an RTT histogram with cumulative buckets. A
// probe counts once its outcome is known (a lost one, its timeout after it was sent) and
// belongs to the window by the time it was sent. Pure: the caller passes the times; kept in
// probes/ beside the prober, it knows nothing of metrics. Not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace lanwatch {

// Upper bounds (seconds) of lanwatch_probe_rtt_seconds' buckets; +Inf is implied.
inline constexpr std::array<double, 12> kRttBucketBounds = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                            0.05,   0.1,   0.2,   0.5,   1,    2};

struct RttHistogram {
  std::array<uint64_t, kRttBucketBounds.size()> cumulative{};  // RTT <= bound, Prometheus-style
  uint64_t count = 0;                                          // the +Inf bucket
  double sum_seconds = 0;
};

struct WindowSummary {
  uint64_t sent = 0;                 // probes sent in the window whose outcome is known
  uint64_t lost = 0;                 // of those, without a reply (timeout or ICMP error)
  std::optional<double> loss_ratio;  // lost / sent; none when nothing was sent
  std::optional<double> rtt_min_seconds, rtt_median_seconds, rtt_max_seconds;
  // Mean absolute difference of successive RTTs (in the order sent), as SmokePing and RFC 3550
  // look at it, unsmoothed; none with fewer than two replies.
  std::optional<double> jitter_seconds;
  // The newest probes lost one after another (in the order sent), and how long before `now`
  // the first of them was sent: a far end that went silent shows here within seconds, long
  // before the window's loss ratio reaches 100 %. 0 and none when the newest was answered.
  uint64_t trailing_lost = 0;
  std::optional<double> silent_seconds;
};

class ProbeWindow {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ProbeWindow(Clock::duration window = std::chrono::seconds(10)) : window_(window) {}

  // One probe's outcome: `rtt` when it was answered, none when lost.
  void Add(Clock::time_point sent_at, std::optional<std::chrono::nanoseconds> rtt);
  // The probes sent in (now - window, now]. `now` is no earlier than the newest probe's
  // sent_at: older probes are let go as newer ones come.
  WindowSummary Summary(Clock::time_point now) const;

  uint64_t sent_total() const { return sent_total_; }
  uint64_t lost_total() const { return lost_total_; }
  const RttHistogram& histogram() const { return histogram_; }

 private:
  struct Probe {
    Clock::time_point sent_at;
    std::optional<double> rtt_seconds;
  };
  Clock::duration window_;
  std::deque<Probe> probes_;  // roughly in sent order (lost ones arrive a timeout late)
  std::optional<Clock::time_point> newest_;
  uint64_t sent_total_ = 0, lost_total_ = 0;
  RttHistogram histogram_;
};

}  // namespace lanwatch
