// DevicePoller: one SNMP round over the configured devices, all in parallel, feeding each
// outcome into a NetworkState. The daemon, `lanwatch check` and benchmarks share it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/network_state.h"
#include "probes/snmp/snmp_client.h"

namespace lanwatch {

struct RoundSummary {
  int devices = 0;
  int reachable = 0;
  std::chrono::steady_clock::duration elapsed{};
};

class DevicePoller {
 public:
  // Polls every device of `config` (or only those named in `only`, when not empty). Each
  // device's poll ends by `deadline` at the latest, whatever the others do.
  RoundSummary PollRound(const Config& config, NetworkState& state,
                         std::chrono::steady_clock::time_point deadline,
                         const std::vector<std::string>& only = {});

  // Closes sessions of devices no longer configured.
  void Retain(const Config& config);

 private:
  SnmpClient client_;
};

}  // namespace lanwatch
