// PollLoop: one polling round of the daemon, without I/O of its own. Asks a SampleSource for
// a poll of every device, feeds the outcomes into NetworkState with the Clock's time, and
// logs what changed (a device going down, or recovering after N s), not the same failure
// every round. Schedule keeps the rounds on a fixed phase. The daemon and `lanwatch check`
// run the same loop; tests drive it with a scripted source and a fake clock.
// Not thread-safe: one thread runs the loop.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/clock.h"
#include "daemon/network_state.h"
#include "daemon/sample_source.h"

namespace lanwatch {

struct RoundSummary {
  int devices = 0;
  int reachable = 0;
  int not_started = 0;  // never asked: the deadline came before their turn
  std::chrono::steady_clock::duration elapsed{};
};

class PollLoop {
 public:
  PollLoop(SampleSource& source, const Clock& clock) : source_(source), clock_(clock) {}

  // `progress`, when given, is called as the round goes: after each of kRoundParts parts of
  // its devices is applied, but not after the last (the round's end is the caller's).
  static constexpr size_t kRoundParts = 32;
  RoundSummary RunRound(const Config& config, const PollRequest& request,
                        const std::function<void()>& progress = {});
  // Walks the optics of `request.only` (or every device) and applies them.
  void RunOptics(const Config& config, const PollRequest& request);
  // The devices whose optics are due now: their optics_interval has passed (or they were
  // never walked), or a link of theirs changed state after its optics were read (a cut
  // fiber: is there still light?). Only devices that answered their last poll.
  std::vector<std::string> OpticsDue(const Config& config) const;
  void UseFiberBaselines(std::unique_ptr<FiberBaselineStore> store) {
    state_.UseFiberBaselines(std::move(store));
  }
  // Everything known now, evaluated against `config`, stamped with the clock's wall time.
  NetworkStatus Snapshot(const Config& config) const;
  // Its devices alone (NetworkState::DeviceStatuses).
  SharedItems<DeviceStatus> DeviceStatuses(const Config& config) const {
    return state_.DeviceStatuses(config);
  }
  // After a config reload: forget devices no longer configured.
  void Retain(const Config& config);

 private:
  void LogChange(const DevicePoll& poll, const DeviceStatus& now);

  SampleSource& source_;
  const Clock& clock_;
  NetworkState state_;
  struct Reachability {
    bool up = false;
    std::string error;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, Reachability> reachability_;  // by device name
  std::map<std::string, std::chrono::steady_clock::time_point> optics_walked_;
};

// Slot k starts at start + k x interval. A round that overruns skips the slots it missed;
// it never shifts the ones after it, so graphs keep their phase.
class Schedule {
 public:
  Schedule(std::chrono::steady_clock::time_point start, std::chrono::milliseconds interval)
      : slot_(start), interval_(interval) {}

  std::chrono::steady_clock::time_point slot() const { return slot_; }
  // The latest a round started in this slot may end: before the next one begins.
  std::chrono::steady_clock::time_point deadline() const { return slot_ + interval_ * 9 / 10; }
  // Moves to the first slot that has not begun at `now`; returns how many were skipped.
  int64_t Advance(std::chrono::steady_clock::time_point now);
  // A reloaded config's interval applies from the current slot on.
  void SetInterval(std::chrono::milliseconds interval) { interval_ = interval; }

 private:
  std::chrono::steady_clock::time_point slot_;
  std::chrono::milliseconds interval_;
};

}  // namespace lanwatch
