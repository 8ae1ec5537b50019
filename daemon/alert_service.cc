#include "daemon/alert_service.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <filesystem>

#include "exporters/notify/receivers.h"

namespace lanwatch {

AlertService::AlertService(const Config& config, const std::string& state_dir, const Clock& clock)
    : clock_(clock) {
  auto store = AlertStore::Open(state_dir);
  if (store) {
    status_.durable = true;
  } else {
    status_.state_error = store.error().message;
    // Alerting goes on without durability: a database that lasts as long as the process.
    char tmpl[] = "/tmp/lanwatch-state.XXXXXX";
    if (const char* dir = mkdtemp(tmpl)) {
      temporary_dir_ = dir;
      store = AlertStore::Open(temporary_dir_);
    }
    spdlog::error(
        "alert state is NOT durable ({}): a restart forgets firing alerts and "
        "unsent notifications; make state_dir writable by lanwatchd",
        status_.state_error);
  }
  if (!store) {
    spdlog::error("alerting is off: {}", store.error().message);
    return;
  }
  store_ = std::move(*store);
  status_.state_path = store_->path();
  if (auto records = store_->LoadAlerts()) {
    if (!records->empty()) {
      spdlog::info("restored {} alert(s) from {}", records->size(), store_->path());
    }
    engine_.Restore(std::move(*records));
  } else {
    spdlog::error("{}", records.error().message);
  }
  renderers_ = MakeReceivers(config);
  auto dispatcher_store = AlertStore::Open(std::filesystem::path(store_->path()).parent_path());
  if (!dispatcher_store) {
    spdlog::error("notifications are off: {}", dispatcher_store.error().message);
    return;
  }
  dispatcher_ = std::make_unique<OutboxDispatcher>(std::move(*dispatcher_store),
                                                   MakeReceivers(config), clock_);
  dispatcher_->Start();
  if (renderers_.empty()) {
    spdlog::warn(
        "no notify.email or notify.alertmanager configured: alerts show in the "
        "metrics and `lanwatch check` only");
  }
}

AlertService::~AlertService() {
  dispatcher_.reset();
  store_.reset();
  if (!temporary_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temporary_dir_, ignored);
  }
}

void AlertService::Round(const NetworkStatus& status, const Config& config) {
  if (!store_) return;
  WallTime now = clock_.WallNow();
  std::vector<Silence> silences;
  if (auto s = store_->Silences(now)) {
    silences = std::move(*s);
  } else {
    spdlog::warn("{}", s.error().message);
  }
  std::vector<ReceiverStats> receivers = ReceiverStatsNow();
  engine_.Evaluate(AlertRoundInput{status, config, now, silences, receivers});
  status_.silences = std::move(silences);
  Queue(engine_.TakeDue(now, config.notify));
}

void AlertService::Flush(const Config& config) {
  if (!store_) return;
  Queue(engine_.TakeDue(clock_.WallNow(), config.notify));
}

std::optional<WallTime> AlertService::NextWake(const Config& config) const {
  return engine_.NextDue(config.notify);
}

void AlertService::Queue(const std::vector<Notification>& due) {
  // What an earlier round could not journal goes first: its records already say "told".
  std::vector<OutboxItem> items = std::move(unsaved_);
  unsaved_.clear();
  for (const Notification& n : due) {
    std::vector<std::string> sent_to;
    for (const auto& receiver : renderers_) {
      if (receiver->name() == n.skip_receiver) continue;
      OutboxItem item;
      item.receiver = std::string(receiver->name());
      item.kind = n.kind;
      item.notification_id = n.id;
      item.payload = receiver->Render(n);
      item.created_at = n.created_at;
      item.next_attempt_at = n.created_at;
      items.push_back(std::move(item));
      sent_to.push_back(std::string(receiver->name()));
    }
    for (const AlertNote& a : n.alerts) {
      spdlog::info("{} {} ({}) -> {}", ToString(n.kind), a.key.ToString(), ToString(a.severity),
                   sent_to.empty() ? std::string("no receiver")
                                   : fmt::format("{}", fmt::join(sent_to, ", ")));
    }
  }
  status_.records = engine_.Records();
  status_.transitions = engine_.transitions();
  std::map<std::string, int64_t> dropped;
  auto saved = store_->SaveRound(engine_.Records(), items, &dropped);
  if (!saved) {
    // The round is still in memory, its notifications too: the next round journals both.
    spdlog::error("{}; {} notification(s) kept for the next round", saved.error().message,
                  items.size());
    unsaved_ = std::move(items);
    return;
  }
  if (*saved > 0) {
    spdlog::warn("outbox full: dropped {} queued notification(s), reminders first", *saved);
    for (const auto& [receiver, n] : dropped) {
      if (dispatcher_) dispatcher_->AddDropped(receiver, n);
    }
  }
  if (dispatcher_) {
    dispatcher_->SetFiring(engine_.Firing());
    if (!items.empty()) dispatcher_->Wake();
  }
}

AlertingStatus AlertService::Status() const { return status_; }

std::vector<ReceiverStats> AlertService::ReceiverStatsNow() const {
  return dispatcher_ ? dispatcher_->Stats() : std::vector<ReceiverStats>{};
}

}  // namespace lanwatch
