#include "daemon/health_check.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "daemon/device_poller.h"
#include "daemon/poll_loop.h"

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
  SystemClock clock;
  DevicePoller poller;
  PollLoop loop(poller, clock);
  // The daemon's baselines, where this user may open them: "usual -5.0" means the daemon's.
  if (std::error_code ec; std::filesystem::is_directory(config.state_dir, ec)) {
    if (auto store = OpenFiberBaselineStore(config.state_dir)) {
      loop.UseFiberBaselines(std::move(*store));
    }
  }
  const auto first_start = clock.Now();
  loop.RunRound(config, PollRequest{first_start + RoundBudget(config), {}});

  std::vector<std::string> reachable;
  for (const DeviceStatus& d : loop.Snapshot(config).devices) {
    if (d.up) reachable.push_back(d.name);
  }
  if (!reachable.empty()) {
    // While the counters advance: the optics, read once.
    loop.RunOptics(config, PollRequest{clock.Now() + RoundBudget(config), reachable});
    std::this_thread::sleep_until(first_start + sample);
    loop.RunRound(config, PollRequest{clock.Now() + RoundBudget(config), reachable});
  }
  NetworkStatus status = loop.Snapshot(config);
  status.completed_rounds = reachable.empty() ? 1 : 2;
  status.sample_interval = sample;
  return status;
}

}  // namespace lanwatch
