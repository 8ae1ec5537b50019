// AlertService: the alerting side of lanwatchd, wired together. After each round it runs the
// engine on the snapshot, renders what is due for every receiver and journals records and
// outbox in one transaction, then wakes the dispatcher thread that delivers. Without a
// writable state_dir it keeps going on a temporary database and says so (durable = false).
// Runs on the daemon's thread; the dispatcher has its own.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/alert_engine.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/alerts/outbox_dispatcher.h"
#include "daemon/clock.h"

namespace lanwatch {

class AlertService {
 public:
  // `state_dir` overrides the config's. Logs (once) when state cannot be durable.
  AlertService(const Config& config, const std::string& state_dir, const Clock& clock);
  ~AlertService();

  // After a polling round.
  void Round(const NetworkStatus& status, const Config& config);
  // Sends what a group wait has released since the round; call at NextWake().
  void Flush(const Config& config);
  std::optional<WallTime> NextWake(const Config& config) const;

  AlertingStatus Status() const;
  std::vector<ReceiverStats> ReceiverStatsNow() const;

 private:
  void Queue(const std::vector<Notification>& due);

  const Clock& clock_;
  AlertingStatus status_;
  std::unique_ptr<AlertStore> store_;
  std::string temporary_dir_;  // the fallback database's, removed on exit
  AlertEngine engine_;
  std::vector<std::unique_ptr<Receiver>> renderers_;  // this thread's, to render payloads
  std::unique_ptr<OutboxDispatcher> dispatcher_;
  std::vector<OutboxItem> unsaved_;  // rendered, not yet journaled (a failed SaveRound)
};

}  // namespace lanwatch
