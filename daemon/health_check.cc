#include "daemon/health_check.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "daemon/device_poller.h"
#include "daemon/far_end_silence.h"
#include "daemon/poll_loop.h"
#include "daemon/reachability.h"
#include "daemon/reachability_health.h"
#include "daemon/service_monitor.h"

namespace lanwatch {
namespace {

// Generous room for a reachable agent to finish its walk; dead ones fail long before.
std::chrono::steady_clock::duration RoundBudget(const Config& config) {
  std::chrono::milliseconds longest{0};
  for (const DeviceConfig& d : config.devices) {
    longest = std::max(longest, d.snmp.timeout * (d.snmp.retries + 1));
  }
  // Devices go poll_concurrency at a time: a queue of dead ones takes its turns too.
  const auto turns = static_cast<int64_t>((config.devices.size() + config.poll_concurrency - 1) /
                                          std::max<size_t>(1, config.poll_concurrency));
  return std::max<std::chrono::steady_clock::duration>(longest * 3 * std::max<int64_t>(1, turns),
                                                       std::chrono::seconds(10));
}

// The daemon's baselines, copied into memory where this user may read them: "usual -5.0" is
// the daemon's, and a one-shot check never writes the daemon's state.
std::unique_ptr<FiberBaselineStore> CopyOfDaemonBaselines(const Config& config) {
  std::unique_ptr<FiberBaselineStore> copy = MakeMemoryFiberBaselineStore();
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(config.state_dir) / "fiber.db", ec)) {
    return copy;
  }
  auto daemons = OpenFiberBaselineStore(config.state_dir);
  if (!daemons) return copy;
  for (const LinkConfig& link : config.links) {
    auto kept = (*daemons)->Load(link.name);
    if (!kept) continue;
    (void)copy->Reset(link.name, kept->first);
    for (const FiberBaselineStore::Sample& sample : kept->second)
      (void)copy->Add(link.name, sample);
  }
  return copy;
}

}  // namespace

NetworkStatus RunHealthCheck(const Config& config, std::chrono::milliseconds sample) {
  SystemClock clock;
  DevicePoller poller;
  PollLoop loop(poller, clock);
  loop.UseFiberBaselines(CopyOfDaemonBaselines(config));
  // Echo probes and service checks run while SNMP is polled, over the same few seconds.
  std::string probe_error;
  std::unique_ptr<ReachabilityMonitor> reachability;
  if (auto opened = ReachabilityMonitor::Open(config); opened) {
    reachability = std::move(*opened);
    reachability->Start();
  } else {
    probe_error = opened.error().message;
    reachability = std::make_unique<ReachabilityMonitor>(ProbeTargets(config), config.probes);
  }
  ServiceMonitor services(config.services);
  const auto first_start = clock.Now();
  std::thread service_checks([&] {
    std::chrono::milliseconds longest{0};
    for (const ServiceConfig& s : config.services) longest = std::max(longest, s.timeout);
    services.RunOnce(first_start + longest);
  });
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
  service_checks.join();
  // A lost probe is known a timeout after it was sent: wait for three outcomes of each
  // target, the fewest a verdict is drawn from (far_end_silence.h). Targets start spread over
  // an interval, and the prober may wake a little late: one interval and a bit more.
  if (!reachability->targets().empty() && reachability->mode() != "") {
    const std::chrono::steady_clock::duration enough =
        config.probes.interval * (kSilentMinProbes + 1) + config.probes.timeout +
        std::chrono::milliseconds(50);
    std::this_thread::sleep_until(std::max(
        clock.Now(), first_start + std::max<std::chrono::steady_clock::duration>(enough, sample)));
  }
  NetworkStatus status = loop.Snapshot(config);
  status.probes = reachability->Snapshot();
  status.services = services.Snapshot();
  status.probe_error = probe_error;
  ApplyReachability(status, config);
  status.completed_rounds = reachable.empty() ? 1 : 2;
  status.sample_interval = sample;
  return status;
}

}  // namespace lanwatch
