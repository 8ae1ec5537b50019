// When a probed far end counts as answering nothing (dark): every probe of the window lost,
// or its newest probes lost one after another for a few seconds. The second is what tells an
// outage within seconds: a 10 s window takes its whole length to reach 100 %, and meanwhile
// its rising loss ratio would read as "loss", which an outage is not. One definition for the
// far-end rules, the uplink's verdict and the links' severity.
#pragma once

#include <chrono>

#include "probes/icmp/probe_window.h"

namespace lanwatch {

inline constexpr uint64_t kSilentMinProbes = 3;
inline constexpr std::chrono::seconds kSilentFor{3};

inline bool FarEndSilent(const WindowSummary& w) {
  if (w.sent < kSilentMinProbes) return false;  // too few to tell (a window just begun)
  if (w.lost == w.sent) return true;
  return w.trailing_lost >= kSilentMinProbes && w.silent_seconds &&
         *w.silent_seconds >= std::chrono::duration<double>(kSilentFor).count();
}

}  // namespace lanwatch
