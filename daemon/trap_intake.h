// TrapIntake: what the daemon makes of a received trap. A trap is accepted only from a
// configured device (its resolved address, a v1 trap's agent-addr, or one of its
// trap_sources) with an accepted community; everything else is counted and ignored. An
// accepted trap asks for a poll of its device, debounced: a burst of traps within
// `traps.debounce` is one poll, and a device is trap-polled at most every 2 s. Traps can be lost or
// forged, so a trap never changes state by itself: the poll it triggers does. Not thread-safe (the
// receiver thread hands traps over through the daemon's queue).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "probes/snmp/trap_receiver.h"

namespace lanwatch {

// Why a trap was ignored: the `reason` label of lanwatch_snmp_traps_ignored_total.
namespace trap_ignored {
inline constexpr const char* kUnknownSource = "unknown_source";
inline constexpr const char* kBadCommunity = "bad_community";
}  // namespace trap_ignored

struct TrapCounts {
  // Accepted traps by device, then by trap kind (trap_kind::*).
  std::map<std::string, std::map<std::string, uint64_t>> accepted;
  std::map<std::string, uint64_t> ignored;  // by trap_ignored::*
  uint64_t malformed = 0;                   // from the receiver
};

class TrapIntake {
 public:
  // `resolved` maps device names to the numeric addresses their `address` resolved to (the
  // poller's resolver knows them); a device missing there is matched by its `address` text.
  // Returns the device it came from, or null when it was ignored.
  const DeviceConfig* Accept(const TrapEvent& trap, const Config& config,
                             const std::map<std::string, std::vector<std::string>>& resolved);
  // The devices whose debounce ended by `now`: poll them. Removes them from the waiting set.
  std::vector<std::string> Due(std::chrono::steady_clock::time_point now);
  // When the next debounce ends, if any trap waits.
  std::optional<std::chrono::steady_clock::time_point> NextDue() const;
  const TrapCounts& counts() const { return counts_; }
  void SetMalformed(uint64_t total) { counts_.malformed = total; }

 private:
  static constexpr std::chrono::seconds kMinPollGap{2};
  TrapCounts counts_;
  std::map<std::string, std::chrono::steady_clock::time_point> waiting_;    // device -> due
  std::map<std::string, std::chrono::steady_clock::time_point> last_poll_;  // by device
};

}  // namespace lanwatch
