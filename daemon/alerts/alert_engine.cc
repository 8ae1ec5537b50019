#include "daemon/alerts/alert_engine.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>

namespace lanwatch {
namespace {

// A port's speed; a certificate's days left.
bool LowerIsWorse(const AlertRecord& r) { return r.facts.unit == "bps" || r.facts.unit == "days"; }

// The latest figures; what the alert folded in stays with it.
void UpdateFacts(AlertRecord& r, AlertFacts facts) {
  facts.supersedes = std::move(r.facts.supersedes);
  r.facts = std::move(facts);
}

void TrackPeak(AlertRecord& r, const std::optional<double>& value) {
  if (!value) return;
  if (!r.peak)
    r.peak = value;
  else
    r.peak = LowerIsWorse(r) ? std::min(*r.peak, *value) : std::max(*r.peak, *value);
}

// The device and the devices it is reached through, nearest first.
std::vector<std::string> SelfAndAncestors(const Config& config, const std::string& device) {
  std::vector<std::string> chain;
  for (const DeviceConfig* d = config.FindDevice(device);
       d && chain.size() <= config.devices.size(); d = config.FindDevice(d->parent)) {
    chain.push_back(d->name);
    if (d->parent.empty()) break;
  }
  return chain;
}

// An alert told by another of its target while that one is not pending: the cause says more
// (a link that flaps is down now and then; a far end that answers nothing loses every probe).
struct Fold {
  const char* folded;
  const char* cause;
  const char* suppressed_by;
  // Once the cause is gone, judged again from then on with its own `for`: the probe window
  // still holds the outage's lost probes, which are no news of their own.
  bool starts_over;
};
constexpr Fold kFolds[] = {
    {rule::kLinkDown, rule::kLinkFlapping, "flapping", false},
    {rule::kLinkDown, rule::kFiberNoLight, "no_light", false},
    {rule::kFarEndLoss, rule::kFarEndUnreachable, "far_end_unreachable", true},
    {rule::kUplinkIspLoss, rule::kUplinkIspDown, "uplink_isp_down", true},
    // A flapping port loses probes each time it is down: the flapping notice tells it.
    {rule::kFarEndUnreachable, rule::kLinkFlapping, "flapping", true},
    {rule::kFarEndLoss, rule::kLinkFlapping, "flapping", true},
    {rule::kFarEndLatency, rule::kLinkFlapping, "flapping", true},
};

bool FoldsAnother(const std::string& rule) {
  return std::ranges::any_of(kFolds, [&](const Fold& f) { return rule == f.cause; });
}

// Whether `rule`, folded (suppressed_by) until now, is judged again from now on. By rule as
// well: "flapping" folds link_down (which carries on) and the far-end rules (which start over).
bool StartsOverAfter(const std::string& rule, const std::string& suppressed_by) {
  return std::ranges::any_of(kFolds, [&](const Fold& f) {
    return f.starts_over && rule == f.folded && suppressed_by == f.suppressed_by;
  });
}

}  // namespace

AlertEngine::AlertEngine(std::vector<std::unique_ptr<AlertRule>> rules)
    : rules_(std::move(rules)) {}

void AlertEngine::Restore(std::vector<AlertRecord> records) {
  records_.clear();
  groups_.clear();
  for (AlertRecord& r : records) {
    AlertKey key = r.key;
    records_.emplace(std::move(key), std::move(r));
  }
}

void AlertEngine::Count(const AlertRecord& r) {
  ++transitions_.by_rule_and_phase[{r.key.rule, std::string(ToString(r.phase))}];
}

void AlertEngine::Evaluate(const AlertRoundInput& in, std::vector<Observation>* seen) {
  RuleInput rule_input{in.status, in.config, in.now, in.receivers};
  // One rule's at a time (rules read the status, never each other's observations), and only
  // the records' keys kept: a round of thousands of devices holds one rule's worth.
  std::vector<Observation> observations;
  std::set<AlertKey> observed;
  std::set<std::string> down;
  for (auto& rule : rules_) {
    observations.clear();
    rule->Evaluate(rule_input, observations);
    for (const Observation& o : observations) {
      Apply(o, in);
      if (records_.contains(o.key)) observed.insert(o.key);
      if (o.key.rule == rule::kDeviceUnreachable && o.judged && o.level != Severity::kOk) {
        down.insert(o.key.device);
      }
    }
    if (seen) seen->insert(seen->end(), observations.begin(), observations.end());
  }
  // A target no rule watches any more (taken out of the config): nothing more to say of it.
  std::erase_if(records_, [&](const auto& entry) { return !observed.contains(entry.first); });
  Suppress(in, down);
  OpenGroups(in.now, in.config.notify);
}

void AlertEngine::Apply(const Observation& o, const AlertRoundInput& in) {
  const WallTime now = in.now;
  auto it = records_.find(o.key);
  if (!o.judged) return;  // no verdict this round: as it was
  if (it == records_.end()) {
    if (o.level == Severity::kOk) return;
    AlertRecord r;
    r.key = o.key;
    r.severity = o.level;
    r.event = o.event;
    r.pending_since = std::min(o.since.value_or(now), now);
    r.facts = o.facts;
    TrackPeak(r, o.facts.value);
    Count(r);
    if (o.event || now - r.pending_since >= o.hold_for) {
      r.phase = AlertPhase::kFiring;
      r.firing_since = now;
      Count(r);
    }
    records_.emplace(o.key, std::move(r));
    return;
  }
  AlertRecord& r = it->second;
  switch (r.phase) {
    case AlertPhase::kPending:
      if (o.level == Severity::kOk) {
        records_.erase(it);
        return;
      }
      r.severity = Worse(r.severity, o.level);
      UpdateFacts(r, o.facts);
      TrackPeak(r, o.facts.value);
      if (now - r.pending_since >= o.hold_for) {
        r.phase = AlertPhase::kFiring;
        r.firing_since = now;
        Count(r);
      }
      return;
    case AlertPhase::kFiring:
      if (r.event) return;  // told once, then forgotten (TakeDue)
      if (o.level != Severity::kOk || o.holds) {
        if (Rank(o.level) > Rank(r.severity) && r.notified_at) {
          r.notified_at.reset();  // worse than what was told: told again, threaded under it
        }
        r.severity = Worse(r.severity, o.level);
        UpdateFacts(r, o.facts);
        TrackPeak(r, o.facts.value);
        return;
      }
      r.phase = AlertPhase::kResolved;
      r.resolved_at = now;
      r.facts.value = o.facts.value;
      Count(r);
      return;
    case AlertPhase::kResolved:
      // Back before its resolved notice went out: it never ended, as far as anyone was told.
      if (o.level != Severity::kOk) {
        r.phase = AlertPhase::kFiring;
        r.resolved_at.reset();
        UpdateFacts(r, o.facts);
        TrackPeak(r, o.facts.value);
        Count(r);
      }
      return;
  }
}

void AlertEngine::FoldTold(AlertRecord& cause, Notification& n) {
  for (const Fold& f : kFolds) {
    if (cause.key.rule != f.cause) continue;
    auto told = records_.find(AlertKey{f.folded, cause.key.device, cause.key.link});
    if (told == records_.end() || !told->second.notified_at) continue;
    // Its firing mail went out: the notice of the cause supersedes it, threads under it, and
    // tells its end when it resolves.
    std::vector<std::string>& folded = cause.facts.supersedes;
    if (std::ranges::find(folded, f.folded) == folded.end()) folded.push_back(f.folded);
    if (!told->second.message_id.empty()) n.in_reply_to.push_back(told->second.message_id);
    records_.erase(told);
  }
}

void AlertEngine::Suppress(const AlertRoundInput& in, const std::set<std::string>& down) {
  for (auto& [key, r] : records_) {
    const bool was_held_by_device = r.suppressed_by.rfind("device:", 0) == 0;
    const bool starts_over = StartsOverAfter(key.rule, r.suppressed_by);
    r.suppressed_by.clear();
    std::vector<std::string> chain = SelfAndAncestors(in.config, key.device);
    // A device's own unreachable alert answers to its parents only.
    if (key.rule == rule::kDeviceUnreachable && !chain.empty()) chain.erase(chain.begin());
    // The root cause is the farthest device that is down.
    for (auto d = chain.rbegin(); d != chain.rend(); ++d) {
      if (down.contains(*d)) {
        r.suppressed_by = "device:" + *d;
        break;
      }
    }
    if (!r.suppressed_by.empty()) continue;
    if (was_held_by_device && r.phase == AlertPhase::kFiring && !r.notified_at) {
      // It went firing while its parent hid it: judged again from now on, with its own
      // `for`, so a poll that timed out as the parent came back mails nothing.
      r.phase = AlertPhase::kPending;
      r.pending_since = in.now;
    }
    // Told by its cause instead: a down link that flaps or gets no light, a far end's loss
    // while it answers nothing at all.
    for (const Fold& f : kFolds) {
      if (key.rule != f.folded) continue;
      auto it = records_.find(AlertKey{f.cause, key.device, key.link});
      if (it != records_.end() && it->second.phase != AlertPhase::kPending) {
        r.suppressed_by = f.suppressed_by;
        break;
      }
    }
    if (!r.suppressed_by.empty()) continue;
    if (starts_over && !r.notified_at && r.phase != AlertPhase::kResolved) {
      r.phase = AlertPhase::kPending;
      r.pending_since = in.now;
      r.severity = Severity::kOk;  // the next round's level, not the outage's
      r.peak.reset();
    }
    for (const Silence& s : in.silences) {
      if (s.Covers(key, in.now)) {
        r.suppressed_by = fmt::format("silence:{}", s.id);
        break;
      }
    }
  }
}

namespace {

// What a record is waiting to be told as, if anything.
std::optional<NotificationKind> Due(const AlertRecord& r, WallTime now,
                                    const NotifySettings& notify) {
  switch (r.phase) {
    case AlertPhase::kPending:
      return std::nullopt;
    case AlertPhase::kFiring:
      if (!r.suppressed_by.empty()) return std::nullopt;
      if (!r.notified_at) return NotificationKind::kFiring;
      if (!r.event && notify.repeat_interval.count() > 0 &&
          now - *r.notified_at >= notify.repeat_interval) {
        return NotificationKind::kReminder;
      }
      return std::nullopt;
    case AlertPhase::kResolved:
      // Only an end of something told; suppressed or not, it must not be left open.
      return r.notified_at ? std::optional(NotificationKind::kResolved) : std::nullopt;
  }
  return std::nullopt;
}

// A receiver's own failure goes out through the others.
std::string SkipReceiver(const AlertKey& key) {
  return key.rule == rule::kReceiverFailing ? key.link : "";
}

}  // namespace

void AlertEngine::OpenGroups(WallTime now, const NotifySettings& notify) {
  // Ended without ever being told, or an event nobody may hear of: nothing to say.
  std::erase_if(records_, [](const auto& entry) {
    const AlertRecord& r = entry.second;
    return (r.phase == AlertPhase::kResolved && !r.notified_at) ||
           (r.event && r.phase == AlertPhase::kFiring && !r.suppressed_by.empty());
  });
  std::set<GroupKey> wanted;
  for (const auto& [key, r] : records_) {
    if (auto kind = Due(r, now, notify)) {
      wanted.insert({key.device, *kind, SkipReceiver(key)});
    }
  }
  std::erase_if(groups_, [&](const auto& entry) { return !wanted.contains(entry.first); });
  for (const GroupKey& g : wanted) groups_.try_emplace(g, now);
}

std::optional<WallTime> AlertEngine::NextDue(const NotifySettings& notify) const {
  std::optional<WallTime> next;
  for (const auto& [group, opened] : groups_) {
    WallTime due = opened + notify.group_wait;
    if (!next || due < *next) next = due;
  }
  return next;
}

std::string AlertEngine::NewNotificationId(WallTime now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("lanwatch.{:%Y%m%dT%H%M%S}Z.{}.{:08x}",
                     std::chrono::floor<std::chrono::seconds>(now), ++sequence_,
                     static_cast<uint32_t>(random()));
}

std::vector<Notification> AlertEngine::TakeDue(WallTime now, const NotifySettings& notify) {
  std::vector<Notification> out;
  for (auto g = groups_.begin(); g != groups_.end();) {
    if (g->second + notify.group_wait > now) {
      ++g;
      continue;
    }
    Notification n;
    n.id = NewNotificationId(now);
    n.kind = g->first.kind;
    n.device = g->first.device;
    n.created_at = now;
    n.skip_receiver = g->first.skip_receiver;
    for (auto it = records_.begin(); it != records_.end();) {
      AlertRecord& r = it->second;
      if (r.key.device != n.device || SkipReceiver(r.key) != n.skip_receiver ||
          Due(r, now, notify) != n.kind) {
        ++it;
        continue;
      }
      if (n.kind == NotificationKind::kFiring && FoldsAnother(r.key.rule)) FoldTold(r, n);
      n.alerts.push_back(
          AlertNote{r.key, r.severity, r.firing_since, r.resolved_at, r.peak, r.facts});
      // Follow-ups (and an escalation, told as a new firing) thread under the firing mail.
      if (!r.message_id.empty() &&
          std::ranges::find(n.in_reply_to, r.message_id) == n.in_reply_to.end()) {
        n.in_reply_to.push_back(r.message_id);
      }
      if (n.kind == NotificationKind::kResolved || r.event) {
        it = records_.erase(it);
        continue;
      }
      r.notified_at = now;
      if (n.kind == NotificationKind::kFiring) r.message_id = n.id;
      ++it;
    }
    g = groups_.erase(g);
    if (n.alerts.empty()) continue;
    std::ranges::stable_sort(n.alerts, [](const AlertNote& a, const AlertNote& b) {
      return Rank(a.severity) > Rank(b.severity);
    });
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<AlertRecord> AlertEngine::Records() const {
  std::vector<AlertRecord> out;
  out.reserve(records_.size());
  for (const auto& [key, r] : records_) out.push_back(r);
  return out;
}

std::vector<AlertNote> AlertEngine::Firing() const {
  std::vector<AlertNote> out;
  for (const auto& [key, r] : records_) {
    // What receivers were told is firing, held back now or not: Alertmanager must not see
    // it expire (and "resolve") while a parent hides it, nor hear of a blip never mailed.
    if (r.phase == AlertPhase::kFiring && r.notified_at && !r.event) {
      out.push_back(AlertNote{key, r.severity, r.firing_since, std::nullopt, r.peak, r.facts});
    }
  }
  return out;
}

}  // namespace lanwatch
