#include "daemon/counter_tracker.h"

#include <algorithm>
#include <cmath>

namespace lanwatch {
namespace {

constexpr double kTwo32 = 4294967296.0;
// Agents update counters in bursts and our clock is not theirs: tolerate 20% over line rate
// plus a second's worth of traffic before calling an increment impossible.
constexpr double kRateSlack = 1.2;
constexpr double kTimeSlackSeconds = 1.0;

}  // namespace

CounterUpdate CounterTracker::Update(uint64_t raw, int bits, double elapsed_seconds,
                                     double max_per_second) {
  std::optional<Last> last = last_;
  last_ = Last{raw, bits, std::nullopt};
  if (!last || last->bits != bits || elapsed_seconds <= 0)
    return {CounterUpdate::Kind::kBaseline, 0};

  const double ceiling = max_per_second > 0
                             ? max_per_second * (elapsed_seconds + kTimeSlackSeconds) * kRateSlack
                             : INFINITY;
  uint64_t delta = 0;
  if (bits == 64) {
    if (raw < last->raw) return {CounterUpdate::Kind::kWentBack, 0};
    delta = raw - last->raw;
  } else {
    const uint64_t base = (raw - last->raw) & 0xffffffffULL;  // one wrap folded in
    delta = base;
    // At line rate, could the port have carried another full turn of the counter?
    const double line_rate_bytes = max_per_second * elapsed_seconds;
    if (max_per_second > 0 && line_rate_bytes >= static_cast<double>(base) + kTwo32) {
      if (!last->rate) return {CounterUpdate::Kind::kAmbiguous, 0};
      // Pick the number of wraps that keeps the rate closest to the last trusted one,
      // within what the port allows.
      const double max_wraps = std::floor((line_rate_bytes - static_cast<double>(base)) / kTwo32);
      double wraps =
          std::round((*last->rate * elapsed_seconds - static_cast<double>(base)) / kTwo32);
      wraps = std::clamp(wraps, 0.0, max_wraps);
      delta = base + static_cast<uint64_t>(wraps) * (1ULL << 32);
    }
  }
  if (static_cast<double>(delta) > ceiling) {
    last_->rate.reset();
    return {CounterUpdate::Kind::kTooFast, 0};
  }
  last_->rate = static_cast<double>(delta) / elapsed_seconds;
  return {CounterUpdate::Kind::kDelta, delta};
}

}  // namespace lanwatch
