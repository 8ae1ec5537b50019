// DevicePoller: one SNMP round over the configured devices, all in parallel, feeding each
// outcome into a NetworkState. The daemon, `lanwatch check` and benchmarks share it.
// It remembers whether each device was up, so that it logs changes (down at warn, recovered
// at info) rather than the same failure every poll (repeats go to debug).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/network_state.h"
#include "probes/snmp/snmp_client.h"

namespace lanwatch {

struct RoundSummary {
  int devices = 0;
  int reachable = 0;  // answered with something usable, a cut-short walk included
  // The round was interrupted (interrupt_fd): devices not finished by then were left as they
  // were in `state`, neither up nor down.
  bool cancelled = false;
  std::chrono::steady_clock::duration elapsed{};
};

class DevicePoller {
 public:
  // Polls every device of `config` (or only those named in `only`, when not empty). Each
  // device's poll ends by `deadline` at the latest, whatever the others do. A device that
  // answered part of the query (a walk cut short by a timeout, a column too big to send) is
  // applied as reachable with what arrived, and the error recorded. When `interrupt_fd`
  // (e.g. the daemon's signalfd) becomes readable, the round ends at once (not reading it).
  RoundSummary PollRound(const Config& config, NetworkState& state,
                         std::chrono::steady_clock::time_point deadline,
                         const std::vector<std::string>& only = {}, int interrupt_fd = -1);

  // Closes sessions of devices no longer configured.
  void Retain(const Config& config);

 private:
  struct Health {
    enum class State { kUp, kIncomplete, kDown } state = State::kUp;
    std::chrono::steady_clock::time_point since;  // when it entered `state`
    bool clockless = false;  // said once that the agent has no uptime clock at all
  };
  void LogOutcome(const std::string& device, const SnmpResult& result,
                  const std::optional<DeviceSample>& sample, const std::string& problem);

  SnmpClient client_;
  std::map<std::string, Health> health_;  // by device name
};

}  // namespace lanwatch
