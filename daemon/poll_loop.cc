#include "daemon/poll_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/interface_filter.h"

namespace lanwatch {

RoundSummary PollLoop::RunRound(const Config& config, const PollRequest& request,
                                const std::function<void()>& progress) {
  const auto started = clock_.Now();
  RoundSummary summary;
  const size_t asked = request.only.empty() ? config.devices.size() : request.only.size();
  const size_t part = std::max<size_t>(1, (asked + kRoundParts - 1) / kRoundParts);
  size_t applied = 0;
  // Each device's poll is applied as it completes, and then dropped.
  source_.PollEach(config, request, [&](DevicePoll&& poll) {
    ++summary.devices;
    // Cut short by a stop signal, or never asked (the round ended before its turn): it says
    // nothing about the device, whose last state stands.
    if (poll.result.failure_reason == snmp_error::kCancelled) return;
    if (poll.result.failure_reason == snmp_error::kNotStarted) {
      ++summary.not_started;
      return;
    }
    DropUnwatchedInterfaces(config, poll);  // what a site does not watch leaves no state
    // Samples carry steady-clock times; wall times (ifLastChange as a timestamp) are derived
    // from the offset between the two clocks now.
    const auto steady_now = clock_.Now();
    const auto wall_now = clock_.WallNow();
    auto wall_at_sample =
        poll.sample ? wall_now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                     steady_now - poll.sample->taken_at)
                    : wall_now;
    const DeviceStatus& status = state_.Apply(poll, wall_at_sample);
    if (status.up) ++summary.reachable;
    LogChange(poll, status);
    if (++applied % part == 0 && applied < asked && progress) progress();
  });
  summary.elapsed = clock_.Now() - started;
  if (summary.not_started > 0) {
    spdlog::warn(
        "{} of {} devices were not polled this round: their turn had not come when the round's "
        "deadline did (poll_concurrency {}); raise poll_concurrency or poll_interval",
        summary.not_started, summary.devices, config.poll_concurrency);
  }
  return summary;
}

void PollLoop::RunOptics(const Config& config, const PollRequest& request) {
  std::vector<OpticsPoll> polls = source_.PollOptics(config, request);
  const auto steady_now = clock_.Now();
  const auto wall_now = clock_.WallNow();
  for (const OpticsPoll& poll : polls) {
    optics_walked_[poll.device->name] = steady_now;
    if (!poll.answered) {
      spdlog::debug("{}: optics walk got no answer: {}", poll.device->name, poll.error);
    }
    state_.ApplyOptics(poll, wall_now, config);
  }
}

std::vector<std::string> PollLoop::OpticsDue(const Config& config) const {
  const auto now = clock_.Now();
  NetworkStatus status = state_.Snapshot(config);
  std::vector<std::string> due;
  for (const DeviceConfig& d : config.devices) {
    const DeviceStatus* device = status.FindDevice(d.name);
    if (!device || !device->up) continue;
    auto walked = optics_walked_.find(d.name);
    if (walked == optics_walked_.end() ||
        now - walked->second >= d.optics_interval.value_or(config.optics_interval)) {
      due.push_back(d.name);
      continue;
    }
    // At most once a second, so that an agent whose clock disagrees cannot make it spin.
    if (now - walked->second < std::chrono::seconds(1)) continue;
    // Optics dropped by a restart or renumbering: walked again before they are missed.
    if (!device->optics.polled) {
      due.push_back(d.name);
      continue;
    }
    for (const LinkStatus& link : status.links) {
      if (link.device == d.name && link.fiber.reason == fiber_reason::kOpticsOutdated) {
        due.push_back(d.name);
        break;
      }
    }
  }
  return due;
}

void PollLoop::LogChange(const DevicePoll& poll, const DeviceStatus& now) {
  const std::string& name = poll.device->name;
  auto [it, first] = reachability_.try_emplace(name);
  Reachability& was = it->second;
  const auto t = clock_.Now();
  if (first || was.up != now.up) {
    if (now.up && !first) {
      auto down_for = std::chrono::duration_cast<std::chrono::seconds>(t - was.since).count();
      spdlog::info("{}: reachable again after {} s down", name, down_for);
    } else if (!now.up) {
      spdlog::warn("{}: unreachable: {}", name, now.error);
    }
    was = Reachability{now.up, now.error, t};
  } else if (!now.up && now.error != was.error) {
    spdlog::warn("{}: still unreachable, now: {}", name, now.error);
    was.error = now.error;
  } else if (!now.up) {
    spdlog::debug("{}: still unreachable: {}", name, now.error);
  }
  if (now.up && !now.error.empty()) spdlog::debug("{}: partial poll: {}", name, now.error);
}

NetworkStatus PollLoop::Snapshot(const Config& config) const {
  NetworkStatus status = state_.Snapshot(config);
  status.taken_at = clock_.WallNow();
  return status;
}

void PollLoop::Retain(const Config& config) {
  state_.Retain(config);
  source_.Retain(config);
  std::erase_if(reachability_, [&](const auto& e) { return !config.FindDevice(e.first); });
  std::erase_if(optics_walked_, [&](const auto& e) { return !config.FindDevice(e.first); });
}

int64_t Schedule::Advance(std::chrono::steady_clock::time_point now) {
  slot_ += interval_;
  if (now <= slot_) return 0;
  const int64_t missed = (now - slot_) / interval_ + 1;
  slot_ += interval_ * missed;
  return missed;
}

}  // namespace lanwatch
