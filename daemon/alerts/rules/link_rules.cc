// The link rules that judge one snapshot on its own: down, utilization, errors, discards,
// speed, no data, and capture-vs-SNMP mismatch. Flapping, which needs history, has its file.
#include <algorithm>

#include "daemon/alerts/rules/link_target.h"
#include "daemon/link_health.h"

namespace lanwatch {
namespace {

// A rule made of one function of the link, for the rules that need no memory.
class LinkRule final : public AlertRule {
 public:
  using Judge = void (*)(const LinkTarget&, Observation&);
  // Whether the rule watches the link at all (a speed rule needs an expected_speed).
  using Applies = bool (*)(const LinkConfig&, const Config&);
  LinkRule(const char* name, Judge judge, Applies applies = nullptr)
      : name_(name), judge_(judge), applies_(applies) {}
  std::string_view name() const override { return name_; }
  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    ForEachLink(in, [&](const LinkTarget& link) {
      if (applies_ && !applies_(link.config, in.config)) return;
      Observation o = LinkObservation(link, name_);
      if (link.measurable()) judge_(link, o);
      out.push_back(std::move(o));
    });
  }

 private:
  const char* name_;
  Judge judge_;
  Applies applies_;
};

bool HasExpectedSpeed(const LinkConfig& link, const Config&) {
  return link.expected_speed_bps.has_value();
}

bool WatchedByACapture(const LinkConfig& link, const Config& config) {
  return std::ranges::any_of(config.captures,
                             [&](const CaptureConfig& c) { return c.link == link.name; });
}

bool IsDown(const InterfaceStatus& iface) {
  return ClassifyOperStatus(iface.oper_status) == OperState::kDown;
}

// Carries traffic now: the rules about traffic judge only such links.
bool Carrying(const LinkTarget& link) {
  return ClassifyOperStatus(link.iface->oper_status) == OperState::kUp;
}

// Down while it should be up. An interface shut on purpose (admin down) is not an outage.
void JudgeDown(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.link_down_for;
  if (ClassifyOperStatus(link.iface->oper_status) == OperState::kUnknown) return;
  o.judged = true;
  bool down = IsDown(*link.iface) && link.iface->admin_up;
  o.level = down ? ToSeverity(t.link_down_severity) : Severity::kOk;
  o.holds = down && o.level != Severity::kOk;
  // No figure: an ifOperStatus code is no "value" to report, nor a peak to tell.
  if (down && link.iface->last_change_unix_seconds) {
    o.since = WallTime(std::chrono::duration_cast<WallTime::duration>(
        std::chrono::duration<double>(*link.iface->last_change_unix_seconds)));
  }
}

void JudgeUtilization(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.utilization_for;
  const LinkStatus& s = link.status;
  if (!Carrying(link) || !s.in_utilization || !s.out_utilization) return;
  bool out_busier = *s.out_utilization >= *s.in_utilization;
  o.facts.direction = out_busier ? "out" : "in";
  o.facts.unit = "ratio";
  Judge(o, std::max(*s.in_utilization, *s.out_utilization),
        {t.utilization_warning, t.utilization_critical,
         t.utilization_warning - t.utilization_clear_margin});
}

void JudgeErrors(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.errors_for;
  if (!Carrying(link) || !link.status.errors_per_second) return;
  o.facts.unit = "per_second";
  Judge(o, *link.status.errors_per_second,
        {t.errors_warning, t.errors_critical, t.errors_warning * t.rate_clear_ratio});
}

void JudgeDiscards(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.discards_for;
  if (!Carrying(link) || !link.status.discards_per_second) return;
  o.facts.unit = "per_second";
  Judge(o, *link.status.discards_per_second,
        {t.discards_warning, t.discards_critical, t.discards_warning * t.rate_clear_ratio});
}

// Slower than it should run: a fiber port that renegotiated down. A port that reports no
// speed (0) says nothing.
void JudgeSpeed(const LinkTarget& link, Observation& o) {
  const std::optional<double>& expected = link.config.expected_speed_bps;
  if (!expected || !Carrying(link) || link.iface->speed_bps == 0) return;
  o.judged = true;
  o.facts.unit = "bps";
  o.facts.value = static_cast<double>(link.iface->speed_bps);
  o.facts.threshold = *expected;
  bool slow = static_cast<double>(link.iface->speed_bps) < *expected;
  o.level = slow ? ToSeverity(link.config.thresholds.speed_severity) : Severity::kOk;
  o.holds = slow && o.level != Severity::kOk;
}

// Up, but without a rate: lanwatch is blind to it. The reason goes with it.
void JudgeNoData(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.no_data_for;
  if (!Carrying(link)) return;
  o.judged = true;
  bool blind = !link.status.in_bps || !link.status.out_bps;
  o.level = blind ? ToSeverity(t.no_data_severity) : Severity::kOk;
  o.holds = blind && o.level != Severity::kOk;
  o.facts.detail = link.iface->no_rate_reason;
}

// Below this much traffic a ratio is noise: 3 stray packets against 1 is "200 %".
double MismatchFloorBps(const LinkStatus& s) {
  return std::max(100e3, 0.01 * s.capacity_bps.value_or(0));
}

void JudgeMismatch(const LinkTarget& link, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.mismatch_for;
  const LinkStatus& s = link.status;
  if (!Carrying(link) || !s.accounting_mismatch || !s.in_bps || !s.out_bps) return;
  if (*s.in_bps + *s.out_bps < MismatchFloorBps(s)) {
    o.judged = true;  // too little traffic to compare: fine, and a firing one clears
    return;
  }
  o.judged = true;
  o.facts.unit = "ratio";
  double v = *link.status.accounting_mismatch;
  o.facts.value = v;
  o.facts.threshold = t.mismatch_ratio;
  o.level = v > t.mismatch_ratio ? ToSeverity(t.mismatch_severity) : Severity::kOk;
  o.holds =
      v > t.mismatch_ratio * t.rate_clear_ratio && ToSeverity(t.mismatch_severity) != Severity::kOk;
}

}  // namespace

std::unique_ptr<AlertRule> MakeLinkDownRule() {
  return std::make_unique<LinkRule>(rule::kLinkDown, &JudgeDown);
}
std::unique_ptr<AlertRule> MakeLinkUtilizationRule() {
  return std::make_unique<LinkRule>(rule::kLinkUtilization, &JudgeUtilization);
}
std::unique_ptr<AlertRule> MakeLinkErrorsRule() {
  return std::make_unique<LinkRule>(rule::kLinkErrors, &JudgeErrors);
}
std::unique_ptr<AlertRule> MakeLinkDiscardsRule() {
  return std::make_unique<LinkRule>(rule::kLinkDiscards, &JudgeDiscards);
}
std::unique_ptr<AlertRule> MakeLinkSpeedRule() {
  return std::make_unique<LinkRule>(rule::kLinkSpeed, &JudgeSpeed, &HasExpectedSpeed);
}
std::unique_ptr<AlertRule> MakeLinkNoDataRule() {
  return std::make_unique<LinkRule>(rule::kLinkNoData, &JudgeNoData);
}
std::unique_ptr<AlertRule> MakeCaptureMismatchRule() {
  return std::make_unique<LinkRule>(rule::kCaptureMismatch, &JudgeMismatch, &WatchedByACapture);
}

}  // namespace lanwatch
