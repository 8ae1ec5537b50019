// ServiceManager: what lanwatchd tells systemd about itself over the sd_notify protocol
// (libsystemd): READY=1 once it serves its first round, RELOADING=1 while it reads a new
// config, STOPPING=1 when it stops, a STATUS= line for `systemctl status`, and WATCHDOG=1 so
// that systemd restarts a daemon whose loop has hung. Outside systemd ($NOTIFY_SOCKET unset)
// every call does nothing.
//
// Only the main loop's thread calls it: NotifyAccess=main accepts messages from the main PID
// only, and the watchdog must prove that the loop goes round, not that some thread is alive.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/network_status.h"

namespace lanwatch {

class ServiceManager {
 public:
  using SteadyClock = std::chrono::steady_clock;

  // Reads $WATCHDOG_USEC (and $WATCHDOG_PID) once; the environment is left as it is.
  ServiceManager();
  // Sends STOPPING=1 unless Stopping() did: every way out of the daemon is a stop.
  ~ServiceManager();
  ServiceManager(const ServiceManager&) = delete;
  ServiceManager& operator=(const ServiceManager&) = delete;

  // READY=1 with the latest STATUS= line. Call once the metrics endpoint listens and a round
  // is published; again after a reload (Reloading's guard does it).
  void Ready();
  // STATUS= alone, when the line changed (e.g. after a round).
  void Status(std::string_view status);
  void Stopping();

  // RELOADING=1 with MONOTONIC_USEC= now; the guard sends READY=1 when the reload is over,
  // whether the new config was taken or refused (either way the daemon runs again).
  class Reload {
   public:
    ~Reload() { manager_.Ready(); }
    Reload(const Reload&) = delete;
    Reload& operator=(const Reload&) = delete;

   private:
    friend class ServiceManager;
    explicit Reload(ServiceManager& manager);
    ServiceManager& manager_;
  };
  [[nodiscard]] Reload Reloading();

  // The watchdog interval systemd asked for (WatchdogSec=), if any.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }
  // When WATCHDOG=1 is next due (half the interval after the last one); nullopt: no watchdog.
  std::optional<SteadyClock::time_point> NextWatchdog() const;
  // Sends WATCHDOG=1 when it is due (or `force`), and schedules the next.
  void PetWatchdog(bool force = false);
  // A round may hold the loop for up to its poll interval, and the watchdog is petted between
  // rounds only: warns when WatchdogSec= is under twice the interval.
  void WarnIfWatchdogShort(std::chrono::milliseconds poll_interval) const;

 private:
  void Send(const std::string& message);

  std::optional<std::chrono::microseconds> watchdog_;
  SteadyClock::time_point next_watchdog_{};
  std::string status_;
  bool stopping_ = false;
};

// The STATUS= line after a round: "3/3 devices up, 8 links" (devices not yet polled count as
// not up).
std::string ServiceStatusLine(const NetworkStatus& status);

}  // namespace lanwatch
