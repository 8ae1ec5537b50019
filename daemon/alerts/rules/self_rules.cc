// Rules about lanwatch's own eyes and voice: a capture that drops packets, and a receiver
// (email, Alertmanager) that keeps failing. Their device is kSelfDevice.
#include <map>

#include "daemon/alerts/outbox_dispatcher.h"
#include "daemon/alerts/rule.h"

namespace lanwatch {
namespace {

// Drops over the last round, as a share of what reached the capture (seen + dropped).
class CaptureDropsRule final : public AlertRule {
 public:
  std::string_view name() const override { return rule::kCaptureDrops; }

  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    const GlobalAlertSettings& g = in.config.alerts;
    std::map<std::string, Totals> now;
    for (const CaptureStatus& c : in.status.captures) {
      Totals t{c.cumulative.packets, c.kernel_drops + c.interface_drops};
      now[c.name] = t;
      Observation o;
      o.key = {rule::kCaptureDrops, kSelfDevice, c.name};
      o.hold_for = g.capture_drops_for;
      o.facts.interface = c.interface;
      o.facts.unit = "ratio";
      o.facts.threshold = g.capture_drop_ratio;
      auto before = last_.find(c.name);
      o.judged = c.up && before != last_.end() && t.packets >= before->second.packets &&
                 t.drops >= before->second.drops;
      if (o.judged) {
        double seen = static_cast<double>(t.packets - before->second.packets);
        double dropped = static_cast<double>(t.drops - before->second.drops);
        double ratio = seen + dropped > 0 ? dropped / (seen + dropped) : 0;
        o.facts.value = ratio;
        Severity s = ToSeverity(g.capture_drops_severity);
        o.level = ratio > g.capture_drop_ratio ? s : Severity::kOk;
        o.holds = ratio > g.capture_drop_ratio / 2 && s != Severity::kOk;
      }
      out.push_back(std::move(o));
    }
    last_ = std::move(now);
  }

 private:
  struct Totals {
    uint64_t packets = 0, drops = 0;
  };
  std::map<std::string, Totals> last_;
};

// Every attempt has failed for receiver_failing_for: the alert goes out through the others
// (Notification::skip_receiver), and shows in the metrics either way.
class ReceiverFailingRule final : public AlertRule {
 public:
  std::string_view name() const override { return rule::kReceiverFailing; }

  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    const GlobalAlertSettings& g = in.config.alerts;
    for (const ReceiverStats& r : in.receivers) {
      Observation o;
      o.key = {rule::kReceiverFailing, kSelfDevice, r.name};
      o.hold_for = g.receiver_failing_for;
      o.since = r.failing_since;
      o.facts.detail = r.last_error;
      o.facts.value = static_cast<double>(r.queued);
      Severity s = ToSeverity(g.receiver_failing_severity);
      o.level = r.failing_since ? s : Severity::kOk;
      o.holds = o.level != Severity::kOk;
      out.push_back(std::move(o));
    }
  }
};

}  // namespace

std::unique_ptr<AlertRule> MakeCaptureDropsRule() { return std::make_unique<CaptureDropsRule>(); }
std::unique_ptr<AlertRule> MakeReceiverFailingRule() {
  return std::make_unique<ReceiverFailingRule>();
}

}  // namespace lanwatch
