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

// A window with fewer outcomes than kSilentMinProbes says nothing yet (a window just begun, a
// one-shot check): no loss figure, no silence.
inline bool EnoughProbes(const WindowSummary& w) { return w.sent >= kSilentMinProbes; }

inline bool FarEndSilent(const WindowSummary& w) {
  if (!EnoughProbes(w)) return false;
  if (w.lost == w.sent) return true;
  return w.trailing_lost >= kSilentMinProbes && w.silent_seconds &&
         *w.silent_seconds >= std::chrono::duration<double>(kSilentFor).count();
}

}  // namespace lanwatch
