// CounterTracker: turns successive raw readings of one SNMP counter into increments that can
// be trusted. Extends Counter32 across wraps (several, when the port is fast enough to wrap
// more than once between polls), and refuses increments that would mean a rate the port
// cannot carry: those are discontinuities, never spikes. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace lanwatch {

struct CounterUpdate {
  enum class Kind {
    kBaseline,  // first reading, or first after Reset(): nothing to compare with
    kDelta,     // `delta` is what was counted since the last reading
    kTooFast,   // the increment exceeds what the port could carry: a discontinuity
    kWentBack,  // a 64-bit counter decreased: it was reset
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
    std::optional<double> rate;  // per second over the previous interval, if known
  };
  std::optional<Last> last_;
};

}  // namespace lanwatch
