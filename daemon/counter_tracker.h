// CounterTracker: turns successive raw readings of one SNMP counter into increments that can
// be trusted. Extends Counter32 across wraps, and refuses increments that would mean a rate
// the port cannot carry: those are discontinuities, never spikes.
// When the port is fast enough to wrap a Counter32 more than once between polls, the number of
// wraps is inferred from the last trusted rate (one measured over an interval short enough to
// be unambiguous, or inferred from such a one). Without one the answer is kAmbiguous: no
// number at all rather than a wrong one. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace lanwatch {

struct CounterUpdate {
  enum class Kind {
    kBaseline,   // first reading, or first after Reset(): nothing to compare with
    kDelta,      // `delta` is what was counted since the last reading
    kTooFast,    // the increment exceeds what the port could carry: a discontinuity
    kWentBack,   // a 64-bit counter decreased: it was reset
    kAmbiguous,  // a Counter32 could have wrapped more than once, with no known rate to tell
  } kind = Kind::kBaseline;
  uint64_t delta = 0;
};

class CounterTracker {
 public:
  // `bits` is 32 or 64. `max_per_second` bounds the plausible increase (bytes/s for octet
  // counters: port speed / 8); 0 means unbounded, which allows at most one 32-bit wrap.
  CounterUpdate Update(uint64_t raw, int bits, double elapsed_seconds, double max_per_second);

  // Forget the last reading: the next one becomes a baseline (after a discontinuity).
  void Reset() { last_.reset(); }

 private:
  struct Last {
    uint64_t raw;
    int bits;
    std::optional<double> rate;  // per second over the previous interval, if trusted
  };
  std::optional<Last> last_;
};

}  // namespace lanwatch
