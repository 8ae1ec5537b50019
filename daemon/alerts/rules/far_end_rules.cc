// The far-end rules, from each link's echo probes of its `peer` over the probe window
// (LinkStatus::far_end): unreachable (every probe lost), loss, and latency (the median RTT).
// The port can be up while the far end drops packets or is dead; SNMP cannot see that.
//
// They judge a link whose device answers and whose port carries traffic. A port that is down
// is link_down's to tell: judged OK, so a firing far-end alert ends. The uplink is left out:
// its verdict (uplink_rules.cc) says whom to call.
//
// Unreachable is FarEndSilent (far_end_silence.h): every probe of the window lost, or the
// newest lost in a row for a few seconds. While silent, far_end_loss raises nothing new (the
// outage's onset climbs the ratio); one that fired before holds, and the engine folds it into
// far_end_unreachable while that one fires (AlertEngine::Suppress): one notice, not two.
//
// Facts: value (loss ratio, "ratio"; the median RTT, "seconds"), threshold, detail = the peer
// address, window_seconds = the probe window, samples = probes with an outcome in it.
#include "daemon/alerts/rules/link_target.h"
#include "daemon/far_end_silence.h"
#include "daemon/link_health.h"

namespace lanwatch {
namespace {

class FarEndRule final : public AlertRule {
 public:
  using Judge = void (*)(const LinkTarget&, const WindowSummary&, const Config&, Observation&);
  FarEndRule(const char* name, Judge judge) : name_(name), judge_(judge) {}
  std::string_view name() const override { return name_; }
  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    ForEachLink(in, [&](const LinkTarget& link) {
      if (link.config.peer.empty() || link.config.kind == LinkKind::kUplink) return;
      Observation o = LinkObservation(link, name_);
      o.facts.detail = link.config.peer;
      o.facts.window_seconds = std::chrono::duration<double>(in.config.probes.window).count();
      if (link.measurable()) {
        OperState port = ClassifyOperStatus(link.iface->oper_status);
        const std::optional<WindowSummary>& far_end = link.status.far_end;
        if (port == OperState::kDown) {
          o.judged = true;  // link_down tells it; a firing far-end alert ends
        } else if (port == OperState::kUp && far_end && far_end->sent > 0) {
          o.facts.samples = static_cast<double>(far_end->sent);
          judge_(link, *far_end, in.config, o);
        }
      }
      out.push_back(std::move(o));
    });
  }

 private:
  const char* name_;
  Judge judge_;
};

void JudgeUnreachable(const LinkTarget& link, const WindowSummary& w, const Config& config,
                      Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = FarEndUnreachableHold(t.far_end_unreachable_for, config);
  o.facts.unit = "ratio";
  o.facts.value = w.loss_ratio;
  if (!EnoughProbes(w)) return;  // a window just begun: as it was
  const bool silent = FarEndSilent(w);
  o.judged = true;
  o.level = silent ? ToSeverity(t.far_end_unreachable_severity) : Severity::kOk;
  o.holds = silent && o.level != Severity::kOk;
}

void JudgeLoss(const LinkTarget& link, const WindowSummary& w, const Config& config,
               Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = FarEndLossHold(t.far_end_loss_for, config);
  if (!w.loss_ratio || !EnoughProbes(w)) return;  // one lost of one is no 100 %
  o.facts.unit = "ratio";
  Judge(o, *w.loss_ratio,
        {t.far_end_loss_warning, t.far_end_loss_critical,
         t.far_end_loss_warning * t.rate_clear_ratio});
  // Going silent is an outage, not loss: the window's ratio climbs while the far end answers
  // nothing. A pending loss alert ends; a firing one holds and is folded into unreachable's.
  if (FarEndSilent(w)) o.level = Severity::kOk;
}

void JudgeLatency(const LinkTarget& link, const WindowSummary& w, const Config&, Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = t.far_end_rtt_for;
  if (!w.rtt_median_seconds) return;  // nothing answered: unreachable's, not latency's
  o.facts.unit = "seconds";
  Judge(
      o, *w.rtt_median_seconds,
      {t.far_end_rtt_warning, t.far_end_rtt_critical, t.far_end_rtt_warning * t.rate_clear_ratio});
}

}  // namespace

std::unique_ptr<AlertRule> MakeFarEndUnreachableRule() {
  return std::make_unique<FarEndRule>(rule::kFarEndUnreachable, &JudgeUnreachable);
}
std::unique_ptr<AlertRule> MakeFarEndLossRule() {
  return std::make_unique<FarEndRule>(rule::kFarEndLoss, &JudgeLoss);
}
std::unique_ptr<AlertRule> MakeFarEndLatencyRule() {
  return std::make_unique<FarEndRule>(rule::kFarEndLatency, &JudgeLatency);
}

}  // namespace lanwatch
