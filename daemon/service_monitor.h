// ServiceMonitor: checks the config's services (`services:`) each on its own interval, on a
// thread of its own (a slow web site never delays an SNMP round), and keeps each one's last
// result. The checks themselves are probes/service's ServiceChecker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config/config.h"
#include "daemon/network_status.h"
#include "probes/service/service_check.h"

namespace lanwatch {

// The probe's check for a configured service.
ServiceCheck ToServiceCheck(const ServiceConfig& service);

class ServiceMonitor {
 public:
  // `carried`: the last status of services that carry on from a monitor before (a reload
  // that left them as they were), so that their figures and counters go on.
  explicit ServiceMonitor(std::vector<ServiceConfig> services,
                          const std::vector<ServiceStatus>& carried = {});
  ~ServiceMonitor();  // stops the thread, after a round of checks in progress (its timeout)
  ServiceMonitor(const ServiceMonitor&) = delete;
  ServiceMonitor& operator=(const ServiceMonitor&) = delete;

  void Start();  // the first checks run at once
  // Checks every service now, on the calling thread, and returns when done (`lanwatch check`).
  void RunOnce(std::chrono::steady_clock::time_point deadline);
  // Every service in config order: checked = false until its first check ends. Thread-safe.
  std::vector<ServiceStatus> Snapshot() const;

 private:
  void Loop();
  void Store(const std::vector<size_t>& which, const std::vector<ServiceResult>& results,
             std::chrono::system_clock::time_point began);

  std::vector<ServiceConfig> services_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<ServiceStatus> status_;  // guarded
  std::thread thread_;
};

}  // namespace lanwatch
