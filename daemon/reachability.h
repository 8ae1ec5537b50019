// ReachabilityMonitor: the echo probes of every target the config names (each link's `peer`,
// the uplink's `beyond` and its router), summed up per target over the probe window. The
// prober (probes/icmp) runs on its own thread and hands each probe's outcome to Record(); a
// snapshot is taken whenever the daemon publishes, and at every scrape, so loss shows within
// seconds of happening, not at the next SNMP round.
//
// The targets are fixed at Open(): raw sockets need CAP_NET_RAW, gone once privileges drop,
// so a changed target list takes effect on restart (the daemon says so on SIGHUP).
#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "daemon/network_status.h"
#include "probes/icmp/icmp_prober.h"
#include "probes/icmp/probe_window.h"

namespace lanwatch {

// One target to probe and what it stands for. An address may appear twice (two links'
// peers on one device): it is probed once, and reported under each.
struct ProbeTargetSpec {
  std::string address;  // numeric
  std::string link;
  std::string role;  // probe_role
  auto operator<=>(const ProbeTargetSpec&) const = default;
};

// What the config asks to probe, in config order: each link's peer, then the uplink's beyond
// and its router's address (when numeric and the uplink has a peer or beyond).
std::vector<ProbeTargetSpec> ProbeTargets(const Config& config);

class ReachabilityMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  // Without a prober: a test feeds Record() itself.
  ReachabilityMonitor(std::vector<ProbeTargetSpec> targets, const ProbeSettings& settings);
  // Opens the prober's sockets (call before dropping privileges); Start() starts it. An
  // empty target list opens nothing and succeeds.
  static std::expected<std::unique_ptr<ReachabilityMonitor>, Error> Open(const Config& config);
  ~ReachabilityMonitor();
  ReachabilityMonitor(const ReachabilityMonitor&) = delete;
  ReachabilityMonitor& operator=(const ReachabilityMonitor&) = delete;

  void Start();
  // "datagram" or "raw" when a prober runs, else "".
  std::string mode() const;
  const std::vector<ProbeTargetSpec>& targets() const { return targets_; }

  // One probe's outcome (from the prober's thread, or a test). Unknown targets are ignored.
  void Record(const ProbeResult& result);
  // Every target, in targets() order, over the window ending at `now` (default: the moment
  // the results are read, so that no probe is newer than it). Thread-safe.
  std::vector<ProbeTargetStatus> Snapshot(std::optional<Clock::time_point> now = {}) const;

 private:
  std::vector<ProbeTargetSpec> targets_;
  ProbeSettings settings_;
  mutable std::mutex mutex_;
  std::map<std::string, ProbeWindow, std::less<>> windows_;  // by address, guarded
  std::unique_ptr<IcmpProber> prober_;  // last: its thread stops before the windows go
};

}  // namespace lanwatch
