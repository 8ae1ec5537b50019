#include "daemon/counter_tracker.h"

#include <cmath>

namespace lanwatch {
namespace {

// Agents update counters in bursts and our clock is not theirs: tolerate 20% over line rate
// plus a second's worth of traffic before calling an increment impossible.
constexpr double kRateSlack = 1.2;
constexpr double kTimeSlackSeconds = 1.0;

}  // namespace

CounterUpdate CounterTracker::Update(uint64_t raw, const CounterLimits& limits,
                                     double elapsed_seconds) {
  std::optional<Last> last = last_;
  last_ = Last{raw, limits.bits};
  if (!last || last->bits != limits.bits || elapsed_seconds <= 0) {
    return {CounterUpdate::Kind::kBaseline, 0};
  }
  const double ceiling =
      limits.max_per_second > 0
          ? limits.max_per_second * (elapsed_seconds + kTimeSlackSeconds) * kRateSlack
          : INFINITY;
  uint64_t delta = 0;
  if (raw >= last->raw) {
    delta = raw - last->raw;
  } else if (limits.bits == 32 && limits.may_wrap) {
    delta = raw + (1ULL << 32) - last->raw;  // one wrap
  } else {
    return {CounterUpdate::Kind::kWentBack, 0};
  }
  // Could the port have carried one more full turn of a Counter32 on top of that? Then the
  // reading cannot tell `delta` from `delta + 2^32`: no number rather than a guess.
  if (limits.bits == 32 && limits.may_wrap && limits.max_per_second > 0 &&
      ceiling >= static_cast<double>(delta) + kTwoToThe32) {
    return {CounterUpdate::Kind::kAmbiguous, 0};
  }
  if (static_cast<double>(delta) > ceiling) return {CounterUpdate::Kind::kTooFast, 0};
  return {CounterUpdate::Kind::kDelta, delta};
}

}  // namespace lanwatch
