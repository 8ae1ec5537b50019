// The service rules, from each configured service's last check (ServiceStatus): down (the
// check failed: no connection, no answer, or a status outside expect_status) and, for HTTPS,
// a certificate close to its expiry. A service not yet checked, or removed from the config,
// judges nothing.
//
// Their key is {rule, the service's `device` (else kServicesDevice), the service's name}: a
// service served by a configured device is suppressed with it while it (or a device it is
// reached through) is unreachable; the others group under "services".
//
// Facts: service_down: detail = the check's error, value = the HTTP status where one came;
// cert_expiring: value = whole days left (negative once expired), unit "days", threshold =
// the days limit reached, detail = the certificate's notAfter (RFC 3339, UTC).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "daemon/alerts/rule.h"
#include "daemon/reachability_health.h"

namespace lanwatch {
namespace {

const ServiceConfig* FindService(const Config& config, const std::string& name) {
  auto it = std::ranges::find(config.services, name, &ServiceConfig::name);
  return it == config.services.end() ? nullptr : &*it;
}

class ServiceRule final : public AlertRule {
 public:
  using Judge = void (*)(const ServiceStatus&, const ServiceConfig&, Observation&);
  ServiceRule(const char* name, Judge judge) : name_(name), judge_(judge) {}
  std::string_view name() const override { return name_; }
  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    for (const ServiceStatus& s : in.status.services) {
      const ServiceConfig* config = FindService(in.config, s.name);
      if (!config) continue;
      Observation o;
      o.key = {name_, s.device.empty() ? kServicesDevice : s.device, s.name};
      o.judged = false;
      if (s.checked) judge_(s, *config, o);
      out.push_back(std::move(o));
    }
  }

 private:
  const char* name_;
  Judge judge_;
};

void JudgeDown(const ServiceStatus& s, const ServiceConfig& config, Observation& o) {
  o.hold_for = config.down_for;
  o.judged = true;
  bool down = !s.last.up;
  o.level = down ? ToSeverity(config.down_severity) : Severity::kOk;
  o.holds = down && o.level != Severity::kOk;
  if (down) o.facts.detail = s.last.error;
  if (s.last.status > 0) o.facts.value = static_cast<double>(s.last.status);
}

// "2026-12-06T04:00:00Z": UTC whatever the process's zone, readable in the state database.
std::string Rfc3339(std::chrono::sys_seconds t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

bool IsHttps(const ServiceStatus& s) { return s.target.starts_with("https://"); }

void JudgeCertificate(const ServiceStatus& s, const ServiceConfig& config, Observation& o) {
  if (!IsHttps(s)) {
    o.judged = true;  // no certificate to expire (any more): a firing alert ends
    return;
  }
  if (!s.last.cert_days_left) return;  // no certificate read this time: as it was
  o.judged = true;
  const int days = *s.last.cert_days_left;
  o.facts.unit = "days";
  o.facts.value = days;
  if (s.last.cert_not_after) {
    o.facts.detail = Rfc3339(*s.last.cert_not_after);
  }
  o.level = CertSeverity(days, config);
  o.facts.threshold =
      o.level == Severity::kCritical ? config.cert_critical_days : config.cert_warning_days;
  // Days left only fall until the certificate is renewed, which clears it at once.
  o.holds = o.level != Severity::kOk;
}

}  // namespace

std::unique_ptr<AlertRule> MakeServiceDownRule() {
  return std::make_unique<ServiceRule>(rule::kServiceDown, &JudgeDown);
}
std::unique_ptr<AlertRule> MakeCertExpiringRule() {
  return std::make_unique<ServiceRule>(rule::kCertExpiring, &JudgeCertificate);
}

}  // namespace lanwatch
