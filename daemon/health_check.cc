#include "daemon/health_check.h"

#include <algorithm>
#include <thread>

#include "daemon/device_poller.h"
#include "daemon/network_state.h"

namespace lanwatch {
namespace {

// Generous room for a reachable agent to finish its walk; dead ones fail long before.
std::chrono::steady_clock::duration RoundBudget(const Config& config) {
  std::chrono::milliseconds longest{0};
  for (const DeviceConfig& d : config.devices) {
    longest = std::max(longest, d.snmp.timeout * (d.snmp.retries + 1));
  }
  return std::max<std::chrono::steady_clock::duration>(longest * 3, std::chrono::seconds(10));
}

}  // namespace

NetworkStatus RunHealthCheck(const Config& config, std::chrono::milliseconds sample) {
  NetworkState state;
  DevicePoller poller;
  auto first_start = std::chrono::steady_clock::now();
  poller.PollRound(config, state, first_start + RoundBudget(config));

  std::vector<std::string> reachable;
  for (const DeviceStatus& d : state.Snapshot(config).devices) {
    if (d.up) reachable.push_back(d.name);
  }
  if (!reachable.empty()) {
    std::this_thread::sleep_until(first_start + sample);
    poller.PollRound(config, state, std::chrono::steady_clock::now() + RoundBudget(config),
                     reachable);
  }
  NetworkStatus status = state.Snapshot(config);
  status.completed_rounds = reachable.empty() ? 1 : 2;
  return status;
}

}  // namespace lanwatch
