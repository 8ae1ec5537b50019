#include "daemon/device_poller.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "probes/snmp/device_poll.h"

namespace lanwatch {

using Clock = std::chrono::steady_clock;

RoundSummary DevicePoller::PollRound(const Config& config, NetworkState& state,
                                     Clock::time_point deadline,
                                     const std::vector<std::string>& only, int interrupt_fd) {
  auto started = Clock::now();
  std::vector<const DeviceConfig*> devices;
  std::vector<SnmpJob> jobs;
  for (const DeviceConfig& d : config.devices) {
    if (!only.empty() && std::find(only.begin(), only.end(), d.name) == only.end()) continue;
    devices.push_back(&d);
    jobs.push_back(
        SnmpJob{SnmpTarget{d.name, d.address, d.snmp}, BuildDeviceQuery(d.role), deadline});
  }
  std::vector<SnmpResult> results = client_.Run(jobs, interrupt_fd);
  RoundSummary summary;
  summary.devices = static_cast<int>(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    const SnmpResult& r = results[i];
    if (r.failure_reason == snmp_error::kCancelled) {
      // Says nothing about the device: leave its state as it was.
      summary.cancelled = true;
      spdlog::debug("{}: poll cancelled", devices[i]->name);
      continue;
    }
    // Whatever arrived is used, a walk cut short included: the sample says which columns
    // are incomplete, and the error is recorded with it.
    std::optional<DeviceSample> sample;
    std::string decode_error;
    if (auto decoded = DecodeDeviceSample(jobs[i].query, r); decoded) {
      sample = std::move(*decoded);
    } else {
      decode_error = decoded.error().message;
    }
    std::string problem;
    if (r.failure_reason) {
      problem = fmt::format("{} ({})", r.failure_message, *r.failure_reason);
    } else if (!sample) {
      problem = "unusable reply: " + decode_error;
    } else if (!sample->interfaces_complete) {
      problem = "interface walk incomplete";
    }
    LogOutcome(devices[i]->name, r, sample, problem);
    if (sample) ++summary.reachable;
    state.Apply(*devices[i], r, sample, decode_error);
  }
  summary.elapsed = Clock::now() - started;
  return summary;
}

void DevicePoller::LogOutcome(const std::string& device, const SnmpResult& result,
                              const std::optional<DeviceSample>& sample,
                              const std::string& problem) {
  using State = Health::State;
  const auto now = Clock::now();
  auto [it, first] = health_.try_emplace(device, Health{State::kUp, now, false});
  Health& h = it->second;
  const State was = h.state;
  const State is = !sample ? State::kDown : problem.empty() ? State::kUp : State::kIncomplete;
  const long seconds = std::chrono::duration_cast<std::chrono::seconds>(now - h.since).count();
  if (is == State::kDown) {
    if (first || was != State::kDown) {
      spdlog::warn("{}: down: {}", device, problem);
    } else {
      spdlog::debug("{}: still down ({} s): {}", device, seconds, problem);
    }
  } else if (was == State::kDown && !first) {
    if (is == State::kUp) {
      spdlog::info("{}: recovered after {} s", device, seconds);
    } else {
      spdlog::info("{}: recovered after {} s, partly: {}", device, seconds, problem);
    }
  } else if (is == State::kIncomplete) {
    if (first || was != State::kIncomplete) {
      spdlog::warn("{}: poll incomplete, keeping what arrived: {}", device, problem);
    } else {
      spdlog::debug("{}: poll still incomplete: {}", device, problem);
    }
  } else if (was == State::kIncomplete && !first) {
    spdlog::info("{}: poll complete again", device);
  }
  if (first || is != was) h.since = now;
  h.state = is;
  if (sample) {
    const SystemSample& s = sample->system;
    bool clockless = !s.uptime_ticks && !s.hr_uptime_ticks && !s.engine_time_seconds;
    if (clockless && !h.clockless) {
      spdlog::warn(
          "{}: the agent reports no uptime clock (sysUpTime, hrSystemUptime, snmpEngineTime): "
          "polled anyway, but its restarts cannot be seen",
          device);
    }
    h.clockless = clockless;
  }
  spdlog::debug("{}: {} request(s) in {} ms", device, result.requests,
                std::chrono::duration_cast<std::chrono::milliseconds>(result.elapsed).count());
}

void DevicePoller::Retain(const Config& config) {
  std::vector<std::string> names;
  for (const DeviceConfig& d : config.devices) names.push_back(d.name);
  client_.ForgetExcept(names);
  std::erase_if(health_, [&](const auto& e) {
    return std::find(names.begin(), names.end(), e.first) == names.end();
  });
}

}  // namespace lanwatch
