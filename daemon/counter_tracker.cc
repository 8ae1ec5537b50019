#include "daemon/counter_tracker.h"

#include <cmath>

namespace lanwatch {
namespace {

// Agents update counters in bursts and our clock is not theirs: tolerate 20% over line rate
// plus a second's worth of traffic before calling an increment impossible.
constexpr double kRateSlack = 1.2;
constexpr double kTimeSlackSeconds = 1.0;

}  // namespace

CounterUpdate AdvanceCounter(uint64_t& last_raw_kept, uint8_t& last_bits_kept, uint64_t raw,
                             const CounterLimits& limits, double elapsed_seconds) {
  const uint64_t last_raw = last_raw_kept;
  const int last_bits = last_bits_kept;
  last_raw_kept = raw;
  last_bits_kept = static_cast<uint8_t>(limits.bits);
  if (last_bits == 0 || last_bits != limits.bits || elapsed_seconds <= 0) {
    return {CounterUpdate::Kind::kBaseline, 0};
  }
  const double ceiling =
      limits.max_per_second > 0
          ? limits.max_per_second * (elapsed_seconds + kTimeSlackSeconds) * kRateSlack
          : INFINITY;
  uint64_t delta = 0;
  if (raw >= last_raw) {
    delta = raw - last_raw;
  } else if (limits.bits == 32 && limits.may_wrap) {
    delta = raw + (1ULL << 32) - last_raw;  // one wrap
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

// The size the header promises: a port's state is mostly these.
static_assert(sizeof(CounterTrackers<6>) == 56);

}  // namespace lanwatch
