// The fiber rules, from each link's fiber verdict (daemon/fiber_health.h): degraded light
// (warning: clean or replace before it goes dark) and no light at all (critical: cut, or the far
// laser off). An unknown verdict (no optics, port admin down, optics not yet re-read) judges
// nothing: the alert stays as it is, and no optics never raises one.
#include "daemon/alerts/rules/link_target.h"

namespace lanwatch {
namespace {

class FiberRule final : public AlertRule {
 public:
  using Judge = void (*)(const LinkTarget&, Observation&);
  FiberRule(const char* name, Judge judge) : name_(name), judge_(judge) {}
  std::string_view name() const override { return name_; }
  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    ForEachLink(in, [&](const LinkTarget& link) {
      Observation o = LinkObservation(link, name_);
      const FiberStatus& f = link.status.fiber;
      if (link.measurable() && f.state != FiberState::kUnknown) {
        judge_(link, o);
      } else if (link.measurable() &&
                 (f.reason == fiber_reason::kAdminDown || f.reason == fiber_reason::kNoOptics)) {
        o.judged = true;  // shut, or its module pulled: no light to judge; a firing one ends
      }
      out.push_back(std::move(o));
    });
  }

 private:
  const char* name_;
  Judge judge_;
};

void FillLevels(const FiberStatus& f, Observation& o) {
  o.facts.unit = "dBm";
  o.facts.value = f.rx_dbm;
}

void JudgeDegraded(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  const FiberStatus& f = link.status.fiber;
  o.hold_for = t.fiber_for;
  o.judged = true;
  FillLevels(f, o);
  o.facts.detail = f.reason;
  if (f.reason == fiber_reason::kBelowBaseline && f.baseline_dbm) {
    o.facts.threshold = *f.baseline_dbm - t.fiber_drop_db;
  } else if (f.reason == fiber_reason::kBelowLowWarning) {
    o.facts.threshold = f.rx_low_warning_dbm;
  }
  bool degraded = f.state == FiberState::kDegraded && f.reason != fiber_reason::kErrorsRising;
  o.level = degraded ? ToSeverity(t.fiber_degraded_severity) : Severity::kOk;
  o.holds = degraded && o.level != Severity::kOk;
}

void JudgeNoLight(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  const FiberStatus& f = link.status.fiber;
  o.judged = true;
  FillLevels(f, o);
  bool dark = f.state == FiberState::kNoLight;
  o.level = dark ? ToSeverity(t.no_light_severity) : Severity::kOk;
  o.holds = dark && o.level != Severity::kOk;
}

}  // namespace

std::unique_ptr<AlertRule> MakeFiberDegradedRule() {
  return std::make_unique<FiberRule>(rule::kFiberDegraded, &JudgeDegraded);
}
std::unique_ptr<AlertRule> MakeFiberNoLightRule() {
  return std::make_unique<FiberRule>(rule::kFiberNoLight, &JudgeNoLight);
}

}  // namespace lanwatch
