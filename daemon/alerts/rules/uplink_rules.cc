// The uplink's verdict rules (UplinkStatus on links of kind uplink): the ISP's side is down,
// or loses packets. Both say "call the ISP". The other verdicts have rules of their own:
// router_down is the router's device_unreachable, saturated the link's link_utilization, and
// a WAN port that is down (isp_down for reason port_down) the link's link_down; for those
// these rules judge OK, so a firing one ends. An unknown verdict judges nothing.
//
// uplink_isp_loss judges the path's loss (beyond's where probed, else the peer's) on every verdict
// that is about the ISP's reachability (ok, isp_loss, isp_down), so it clears with hysteresis
// (below far_end_loss_warning times rate_clear_ratio) rather than the moment the verdict turns ok;
// an isp_down window is 100 % loss, which the engine folds into uplink_isp_down while that one
// fires (AlertEngine::Suppress).
// Both are held as the far-end rules are (FarEndLossHold, FarEndUnreachableHold), isp_down
// at least two polls.
//
// Facts: detail = the verdict's reason (uplink_reason); isp_loss: value = the path's loss
// ratio, unit "ratio", threshold; isp_down: value = that loss where probed.
#include <algorithm>

#include "daemon/alerts/rules/link_target.h"
#include "daemon/uplink_verdict.h"

namespace lanwatch {
namespace {

// The loss the verdict is judged on: the host beyond's where it is probed (end to end; the
// ISP's next hop may police echo to itself), else the next hop's.
std::optional<double> PathLoss(const UplinkStatus& u) {
  return u.beyond_loss ? u.beyond_loss : u.peer_loss;
}

// Verdicts other rules tell: these rules see the uplink as fine then.
bool ToldElsewhere(const UplinkStatus& u) {
  return u.verdict == UplinkVerdict::kRouterDown || u.verdict == UplinkVerdict::kSaturated ||
         (u.verdict == UplinkVerdict::kIspDown && u.reason == uplink_reason::kPortDown);
}

class UplinkRule final : public AlertRule {
 public:
  using Judge = void (*)(const LinkTarget&, const UplinkStatus&, const Config&, Observation&);
  UplinkRule(const char* name, Judge judge) : name_(name), judge_(judge) {}
  std::string_view name() const override { return name_; }
  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    ForEachLink(in, [&](const LinkTarget& link) {
      const std::optional<UplinkStatus>& uplink = link.status.uplink;
      if (!uplink) return;
      Observation o = LinkObservation(link, name_);
      o.facts.detail = uplink->reason;
      if (uplink->verdict == UplinkVerdict::kUnknown) {
        // nothing to judge yet: as it was
      } else if (ToldElsewhere(*uplink)) {
        o.judged = true;
      } else {
        judge_(link, *uplink, in.config, o);
      }
      out.push_back(std::move(o));
    });
  }

 private:
  const char* name_;
  Judge judge_;
};

void JudgeIspDown(const LinkTarget& link, const UplinkStatus& u, const Config& config,
                  Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  // Two polls at least: a flood begun between two polls darkens the probes at once, while the
  // line is seen full (saturated, not the ISP's) only by the second poll after it began.
  o.hold_for =
      std::max(FarEndUnreachableHold(t.far_end_unreachable_for, config), 2 * config.poll_interval);
  o.judged = true;
  o.facts.unit = "ratio";
  o.facts.value = PathLoss(u);
  bool down = u.verdict == UplinkVerdict::kIspDown;
  o.level = down ? ToSeverity(t.far_end_unreachable_severity) : Severity::kOk;
  o.holds = down && o.level != Severity::kOk;
}

void JudgeIspLoss(const LinkTarget& link, const UplinkStatus& u, const Config& config,
                  Observation& o) {
  const LinkThresholds& t = link.config.thresholds;
  o.hold_for = FarEndLossHold(t.far_end_loss_for, config);
  std::optional<double> loss = PathLoss(u);
  if (!loss) {
    o.judged = true;  // nothing past the router probed: the verdict said ok or down by itself
    return;
  }
  o.facts.unit = "ratio";
  Judge(o, *loss,
        {t.far_end_loss_warning, t.far_end_loss_critical,
         t.far_end_loss_warning * t.rate_clear_ratio});
  // The verdict has the last word on raising (it may want more samples than one window);
  // the figure decides only how long a firing alert holds.
  // isp_down: the ISP's side went dark, whose onset also climbs the loss ratio; that is
  // uplink_isp_down's to tell (a pending loss alert ends, a firing one is folded into it).
  if (u.verdict == UplinkVerdict::kOk || u.verdict == UplinkVerdict::kIspDown) {
    o.level = Severity::kOk;
  }
}

}  // namespace

std::unique_ptr<AlertRule> MakeUplinkIspDownRule() {
  return std::make_unique<UplinkRule>(rule::kUplinkIspDown, &JudgeIspDown);
}
std::unique_ptr<AlertRule> MakeUplinkIspLossRule() {
  return std::make_unique<UplinkRule>(rule::kUplinkIspLoss, &JudgeIspLoss);
}

}  // namespace lanwatch
