#include "daemon/service_monitor.h"

#include <algorithm>

#include "config/secret_file.h"
#include "probes/service/service_checker.h"

namespace lanwatch {

ServiceCheck ToServiceCheck(const ServiceConfig& service) {
  ServiceCheck check;
  check.name = service.name;
  check.kind = service.tcp.empty() ? ServiceKind::kHttp : ServiceKind::kTcp;
  check.target = service.tcp.empty() ? service.url : service.tcp;
  check.timeout = service.timeout;
  check.expected_status = {service.expect_status_low, service.expect_status_high};
  check.method = service.get ? HttpMethod::kGet : HttpMethod::kHead;
  check.ca_file = service.ca_file;
  return check;
}

ServiceMonitor::ServiceMonitor(std::vector<ServiceConfig> services,
                               const std::vector<ServiceStatus>& carried)
    : services_(std::move(services)) {
  for (const ServiceConfig& s : services_) {
    auto kept = std::ranges::find(carried, s.name, &ServiceStatus::name);
    if (kept != carried.end()) {
      status_.push_back(*kept);
      continue;
    }
    ServiceStatus status;
    status.name = s.name;
    status.kind = s.tcp.empty() ? "http" : "tcp";
    // Shown in labels, pages and JSON: never the credentials a URL may carry.
    status.target = s.tcp.empty() ? RedactUrlCredentials(s.url) : s.tcp;
    status.device = s.device;
    status_.push_back(std::move(status));
  }
}

ServiceMonitor::~ServiceMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ServiceMonitor::Start() {
  if (services_.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

std::vector<ServiceStatus> ServiceMonitor::Snapshot() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void ServiceMonitor::RunOnce(std::chrono::steady_clock::time_point deadline) {
  std::vector<size_t> all(services_.size());
  std::vector<ServiceCheck> checks;
  for (size_t i = 0; i < services_.size(); ++i) {
    all[i] = i;
    checks.push_back(ToServiceCheck(services_[i]));
  }
  const auto began = std::chrono::system_clock::now();
  Store(all, ServiceChecker().Run(checks, deadline), began);
}

void ServiceMonitor::Store(const std::vector<size_t>& which,
                           const std::vector<ServiceResult>& results,
                           std::chrono::system_clock::time_point began) {
  std::lock_guard lock(mutex_);
  for (size_t k = 0; k < which.size() && k < results.size(); ++k) {
    ServiceStatus& s = status_[which[k]];
    s.checked = true;
    s.checked_at = began;
    s.last = results[k];
    ++s.checks_total;
    if (!results[k].up) ++s.failures_total;
  }
}

void ServiceMonitor::Loop() {
  using SteadyClock = std::chrono::steady_clock;
  // Each service on its own interval, from the same start: those due together run together,
  // in one multi handle.
  std::vector<SteadyClock::time_point> due(services_.size(), SteadyClock::now());
  ServiceChecker checker;
  while (true) {
    const auto next = *std::ranges::min_element(due);
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    const auto now = SteadyClock::now();
    std::vector<size_t> which;
    std::vector<ServiceCheck> checks;
    std::chrono::milliseconds longest{0};
    for (size_t i = 0; i < services_.size(); ++i) {
      if (due[i] > now) continue;
      which.push_back(i);
      checks.push_back(ToServiceCheck(services_[i]));
      longest = std::max(longest, services_[i].timeout);
      // Fixed steps, so that checks do not drift; one that overran skips to the next step.
      while (due[i] <= now) due[i] += services_[i].interval;
    }
    const auto began = std::chrono::system_clock::now();
    Store(which, checker.Run(checks, now + longest), began);
  }
}

}  // namespace lanwatch
