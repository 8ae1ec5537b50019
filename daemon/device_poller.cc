#include "daemon/device_poller.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "probes/snmp/device_poll.h"

namespace lanwatch {

RoundSummary DevicePoller::PollRound(const Config& config, NetworkState& state,
                                     std::chrono::steady_clock::time_point deadline,
                                     const std::vector<std::string>& only) {
  auto started = std::chrono::steady_clock::now();
  std::vector<const DeviceConfig*> devices;
  std::vector<SnmpJob> jobs;
  for (const DeviceConfig& d : config.devices) {
    if (!only.empty() && std::find(only.begin(), only.end(), d.name) == only.end()) continue;
    devices.push_back(&d);
    jobs.push_back(
        SnmpJob{SnmpTarget{d.name, d.address, d.snmp}, BuildDeviceQuery(d.role), deadline});
  }
  std::vector<SnmpResult> results = client_.Run(jobs);
  RoundSummary summary;
  summary.devices = static_cast<int>(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    const SnmpResult& r = results[i];
    std::optional<DeviceSample> sample;
    std::string decode_error;
    if (auto decoded = DecodeDeviceSample(jobs[i].query, r, devices[i]->snmp.text_encoding);
        decoded) {
      sample = std::move(*decoded);
    } else {
      decode_error = decoded.error().message;
    }
    // A walk cut short is a failed poll: half an interface table would look like ports vanishing.
    if (!r.ok()) {
      sample.reset();
      spdlog::warn("{}: poll failed: {} ({})", devices[i]->name, r.failure_message,
                   *r.failure_reason);
    } else if (!sample) {
      spdlog::warn("{}: unusable reply: {}", devices[i]->name, decode_error);
    }
    if (sample) ++summary.reachable;
    state.Apply(*devices[i], r, sample, decode_error);
  }
  summary.elapsed = std::chrono::steady_clock::now() - started;
  return summary;
}

void DevicePoller::Retain(const Config& config) {
  std::vector<std::string> names;
  for (const DeviceConfig& d : config.devices) names.push_back(d.name);
  client_.ForgetExcept(names);
}

}  // namespace lanwatch
