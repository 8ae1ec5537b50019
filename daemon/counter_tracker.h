// CounterTracker: turns successive raw readings of one SNMP counter into increments that can
// be trusted. Extends a Counter32 across one wrap; refuses what it cannot be sure of rather
// than guess: an increment faster than the port could carry, a counter that went back where
// no wrap is possible (a 64-bit one, an error counter), or a Counter32 read so far apart
// that it could have wrapped more than once (then there is no number for that interval,
// never one inferred from an older rate). Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lanwatch {

// 2^32: the modulus of Counter32, Gauge32 and TimeTicks.
inline constexpr double kTwoToThe32 = 4294967296.0;

// What a counter can do between two readings.
struct CounterLimits {
  int bits = 64;  // 32 or 64
  // Plausible increase per second at line rate (bytes/s for octets, packets/s for errors);
  // 0: unknown, which allows at most one Counter32 wrap.
  double max_per_second = 0;
  // Octet counters wrap. Error and discard counters never realistically do, so for them (and
  // for any counter when the device has no clock to tell a reset from a wrap) a decrease is
  // a reset.
  bool may_wrap = true;
};

struct CounterUpdate {
  enum class Kind {
    kBaseline,   // first reading, or first after Reset(): nothing to compare with
    kDelta,      // `delta` is what was counted since the last reading
    kTooFast,    // the increment exceeds what the port could carry: a discontinuity
    kWentBack,   // it decreased where no wrap is possible: it was reset
    kAmbiguous,  // a Counter32 read more than one wrap period apart: could be any of several
  } kind = Kind::kBaseline;
  uint64_t delta = 0;
};

// What counter tracking does with one counter's last reading (`last_bits` 0: none) and its
// next `raw`, which becomes the last.
CounterUpdate AdvanceCounter(uint64_t& last_raw, uint8_t& last_bits, uint64_t raw,
                             const CounterLimits& limits, double elapsed_seconds);

// N counters' last readings side by side: the raw values together and their widths
// together, so nothing pads them. A port carries six (twelve on a link), and a city's
// network hundreds of thousands of ports: six take 56 bytes, not six optionals' 144.
template <size_t N>
class CounterTrackers {
 public:
  // Counter k's next reading.
  CounterUpdate Update(size_t k, uint64_t raw, const CounterLimits& limits,
                       double elapsed_seconds) {
    return AdvanceCounter(last_raw_[k], last_bits_[k], raw, limits, elapsed_seconds);
  }

  // Forget counter k's last reading, or all of them: the next one becomes a baseline (after
  // a discontinuity).
  void Reset(size_t k) { last_bits_[k] = 0; }
  void Reset() { last_bits_.fill(0); }

 private:
  std::array<uint64_t, N> last_raw_{};
  std::array<uint8_t, N> last_bits_{};  // each last reading's width, 32 or 64; 0: none
};

using CounterTracker = CounterTrackers<1>;

}  // namespace lanwatch
