// AlertEngine: turns the rules' observations into alerts and notifications, one round at a
// time, with a clock handed in (tests run it on a fake one). It owns:
// - `for`: a condition becomes an alert only after holding that long (pending, then firing);
// - hysteresis: a firing alert stays while its condition `holds` (above the clear line), so a
//   value hovering at a threshold neither flaps nor mails twice;
// - suppression: while a device is unreachable, its other alerts, its links' and those of the
//   devices reached through it send nothing (the device's one alert lists them); a link's
//   flapping alert folds in its down alerts, a far end unreachable its loss (the uplink's
//   isp_down its isp_loss); a silence keeps planned work quiet;
// - grouping: alerts of one device that fire (or resolve, or are due a reminder) within
//   group_wait share one notification;
// - repeat: a reminder every repeat_interval while an alert still fires.
// Nothing is lost across restarts: the records (Records()) are all the state there is;
// Restore() them and the engine carries on where it stopped, re-queueing what it had not
// notified yet.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/alert.h"
#include "daemon/alerts/alert_store.h"
#include "daemon/alerts/rule.h"

namespace lanwatch {

struct AlertRoundInput {
  const NetworkStatus& status;
  const Config& config;
  WallTime now;
  std::span<const Silence> silences;
  std::span<const ReceiverStats> receivers;
};

// Per rule, how many alerts went to each phase: lanwatch_alert_transitions_total.
struct AlertTransitions {
  std::map<std::pair<std::string, std::string>, uint64_t> by_rule_and_phase;
};

class AlertEngine {
 public:
  explicit AlertEngine(std::vector<std::unique_ptr<AlertRule>> rules = BuiltInRules());

  // The records saved before a restart.
  void Restore(std::vector<AlertRecord> records);

  // One round: every rule's observations, applied to the records rule by rule, and added to
  // `seen` where given (`lanwatch check --explain`). The daemon keeps none: a city's network
  // makes tens of thousands a round, nearly all "ok".
  void Evaluate(const AlertRoundInput& in, std::vector<Observation>* seen = nullptr);

  // The notifications whose group wait has ended at `now` (records marked as notified).
  std::vector<Notification> TakeDue(WallTime now, const NotifySettings& notify);
  // When the next group wait ends, if any is open.
  std::optional<WallTime> NextDue(const NotifySettings& notify) const;

  std::vector<AlertRecord> Records() const;
  // Firing and told (suppressed since or not): what Alertmanager is re-sent.
  std::vector<AlertNote> Firing() const;
  const AlertTransitions& transitions() const { return transitions_; }

 private:
  struct GroupKey {
    std::string device;
    NotificationKind kind;
    std::string skip_receiver;
    auto operator<=>(const GroupKey&) const = default;
  };

  void Apply(const Observation& o, const AlertRoundInput& in);
  // `down`: the devices seen unreachable this round, `for` or not.
  void Suppress(const AlertRoundInput& in, const std::set<std::string>& down);
  // When an alert that folds others is told (a link's flapping or no light folds its down
  // alert, a far end unreachable its loss): those that were told end in it.
  void FoldTold(AlertRecord& cause, Notification& n);
  void OpenGroups(WallTime now, const NotifySettings& notify);
  void Count(const AlertRecord& r);
  std::string NewNotificationId(WallTime now);

  std::vector<std::unique_ptr<AlertRule>> rules_;
  std::map<AlertKey, AlertRecord> records_;
  std::map<GroupKey, WallTime> groups_;  // open groups, since when
  AlertTransitions transitions_;
  uint64_t sequence_ = 0;
};

}  // namespace lanwatch
