// Flapping: at least flap_changes state changes within flap_window, counted from the
// interface's state_changes_total (which ifLastChange feeds, so flaps shorter than the poll
// count too). It clears after a whole window without a change. The engine folds the link's
// own down alerts into it.
#include <deque>
#include <map>

#include "daemon/alerts/rules/link_target.h"

namespace lanwatch {
namespace {

class LinkFlappingRule final : public AlertRule {
 public:
  std::string_view name() const override { return rule::kLinkFlapping; }

  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    std::map<std::string, History> seen;
    ForEachLink(in, [&](const LinkTarget& link) {
      Observation o = LinkObservation(link, rule::kLinkFlapping);
      auto it = history_.find(link.config.name);
      if (link.measurable()) {
        History& h = history_[link.config.name];
        Judge(link, in.now, h, o);
        seen[link.config.name] = std::move(h);
      } else if (it != history_.end()) {
        seen[link.config.name] = std::move(it->second);  // unseen rounds keep what was seen
      }
      out.push_back(std::move(o));
    });
    history_ = std::move(seen);
  }

 private:
  struct Point {
    WallTime at;
    uint64_t changes;
  };
  using History = std::deque<Point>;

  static void Judge(const LinkTarget& link, WallTime now, History& h, Observation& o) {
    const LinkThresholds& t = link.config.thresholds;
    uint64_t total = link.iface->state_changes_total;
    // Totals only go down when lanwatch lost track of the port: start the count over.
    if (!h.empty() && total < h.back().changes) h.clear();
    h.push_back({now, total});
    // Keep one point at or before the window's start: the baseline the window counts from.
    WallTime start = now - t.flap_window;
    while (h.size() > 1 && h[1].at <= start) h.pop_front();
    bool covered = h.front().at <= start;
    uint64_t changes = total - h.front().changes;
    o.facts.unit = "changes";
    o.facts.value = static_cast<double>(changes);
    o.facts.threshold = t.flap_changes;
    o.facts.window_seconds = std::chrono::duration<double>(t.flap_window).count();
    bool flapping = changes >= static_cast<uint64_t>(t.flap_changes);
    // Too short a history to say it has calmed down: no verdict, unless it already flaps.
    o.judged = covered || flapping;
    o.level = flapping ? ToSeverity(t.flapping_severity) : Severity::kOk;
    o.holds = changes > 0 && ToSeverity(t.flapping_severity) != Severity::kOk;
  }

  std::map<std::string, History> history_;  // by link name
};

}  // namespace

std::unique_ptr<AlertRule> MakeLinkFlappingRule() { return std::make_unique<LinkFlappingRule>(); }

}  // namespace lanwatch
