#include "daemon/service_manager.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace lanwatch {

ServiceManager::ServiceManager() {
  uint64_t usec = 0;
  // > 0 only when $WATCHDOG_USEC is set and $WATCHDOG_PID, if set, is this process.
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_ = std::chrono::microseconds(usec);
    next_watchdog_ = SteadyClock::now();  // the first goes out at the first chance
  }
}

ServiceManager::~ServiceManager() { Stopping(); }

void ServiceManager::Send(const std::string& message) {
  // sd_notify opens, sends on and closes a datagram socket each time: no handle to keep.
  // 0: $NOTIFY_SOCKET unset (not under systemd), nothing to do.
  if (int rc = sd_notify(0, message.c_str()); rc < 0) {
    spdlog::debug("sd_notify: {}", std::strerror(-rc));
  }
}

void ServiceManager::Ready() {
  Send(status_.empty() ? std::string("READY=1") : fmt::format("READY=1\nSTATUS={}", status_));
}

void ServiceManager::Status(std::string_view status) {
  if (status == status_) return;
  status_ = status;
  Send(fmt::format("STATUS={}", status_));
}

void ServiceManager::Stopping() {
  if (stopping_) return;
  stopping_ = true;
  Send("STOPPING=1\nSTATUS=stopping");
}

ServiceManager::Reload::Reload(ServiceManager& manager) : manager_(manager) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  // systemd 253 and later match RELOADING=1 to the reload they asked for by this time.
  const uint64_t usec =
      static_cast<uint64_t>(now.tv_sec) * 1'000'000 + static_cast<uint64_t>(now.tv_nsec) / 1'000;
  manager_.Send(fmt::format("RELOADING=1\nMONOTONIC_USEC={}\nSTATUS=reloading the config", usec));
}

ServiceManager::Reload ServiceManager::Reloading() { return Reload(*this); }

std::optional<ServiceManager::SteadyClock::time_point> ServiceManager::NextWatchdog() const {
  if (!watchdog_) return std::nullopt;
  return next_watchdog_;
}

void ServiceManager::PetWatchdog(bool force) {
  if (!watchdog_) return;
  const auto now = SteadyClock::now();
  if (!force && now < next_watchdog_) return;
  Send("WATCHDOG=1");
  // Every half interval, as sd_watchdog_enabled(3) recommends: one late wake-up is no kill.
  next_watchdog_ = now + std::chrono::duration_cast<SteadyClock::duration>(*watchdog_ / 2);
}

void ServiceManager::WarnIfWatchdogShort(std::chrono::milliseconds poll_interval) const {
  if (watchdog_ && *watchdog_ < 2 * poll_interval) {
    spdlog::warn(
        "WatchdogSec={}s is under twice poll_interval ({}s): a slow round may get "
        "lanwatchd killed; raise WatchdogSec= in the unit",
        std::chrono::duration<double>(*watchdog_).count(),
        std::chrono::duration<double>(poll_interval).count());
  }
}

std::string ServiceStatusLine(const NetworkStatus& status) {
  const auto up = std::ranges::count_if(status.devices, [](const DeviceStatus& d) { return d.up; });
  return fmt::format("{}/{} devices up, {} links", up, status.devices.size(), status.links.size());
}

}  // namespace lanwatch
