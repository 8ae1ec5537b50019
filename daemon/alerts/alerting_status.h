// What the alerting side of lanwatchd publishes (metrics, later the status page): the alerts
// as the engine holds them, how they moved, the silences in force, and whether any of it
// survives a restart.
#pragma once

#include <string>
#include <vector>

#include "daemon/alerts/alert.h"
#include "daemon/alerts/alert_engine.h"
#include "daemon/alerts/alert_store.h"

namespace lanwatch {

struct AlertingStatus {
  bool durable = false;     // alert state and outbox are in state_dir's database
  std::string state_path;   // the database file in use
  std::string state_error;  // why state_dir could not be used, when not durable
  std::vector<AlertRecord> records;
  AlertTransitions transitions;
  std::vector<Silence> silences;  // in force now
};

}  // namespace lanwatch
