// AlertRule: one built-in rule, a small unit with its own tests. Each round it looks at the
// snapshot and says, for every target it watches, what it sees (an Observation); the engine
// turns observations into pending, firing and resolved alerts (the `for`, hysteresis,
// suppression and grouping are the engine's, never a rule's). A rule may remember what it saw
// in earlier rounds (flap history, previous totals).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/alert.h"
#include "daemon/alerts/receiver.h"
#include "daemon/network_status.h"

namespace lanwatch {

struct RuleInput {
  const NetworkStatus& status;
  const Config& config;
  WallTime now;
  std::span<const ReceiverStats> receivers;
};

class AlertRule {
 public:
  virtual ~AlertRule() = default;
  virtual std::string_view name() const = 0;
  // Appends one observation per target (judged = false where it cannot tell this round).
  virtual void Evaluate(const RuleInput& in, std::vector<Observation>& out) = 0;
};

// The config's severity as the model's; kNone (rule off) as kOk.
Severity ToSeverity(AlertSeverity s);

// Every built-in rule, device rules first (the engine suppresses by their verdicts).
std::vector<std::unique_ptr<AlertRule>> BuiltInRules();

// The rules, one factory each (daemon/alerts/rules/).
std::unique_ptr<AlertRule> MakeDeviceUnreachableRule();
std::unique_ptr<AlertRule> MakeDeviceRebootedRule();
std::unique_ptr<AlertRule> MakeLinkDownRule();
std::unique_ptr<AlertRule> MakeLinkFlappingRule();
std::unique_ptr<AlertRule> MakeLinkUtilizationRule();
std::unique_ptr<AlertRule> MakeLinkErrorsRule();
std::unique_ptr<AlertRule> MakeLinkDiscardsRule();
std::unique_ptr<AlertRule> MakeLinkSpeedRule();
std::unique_ptr<AlertRule> MakeLinkNoDataRule();
std::unique_ptr<AlertRule> MakeCaptureMismatchRule();
std::unique_ptr<AlertRule> MakeFiberDegradedRule();
std::unique_ptr<AlertRule> MakeFiberNoLightRule();
std::unique_ptr<AlertRule> MakeFarEndUnreachableRule();
std::unique_ptr<AlertRule> MakeFarEndLossRule();
std::unique_ptr<AlertRule> MakeFarEndLatencyRule();
std::unique_ptr<AlertRule> MakeUplinkIspDownRule();
std::unique_ptr<AlertRule> MakeUplinkIspLossRule();
std::unique_ptr<AlertRule> MakeServiceDownRule();
std::unique_ptr<AlertRule> MakeCertExpiringRule();
std::unique_ptr<AlertRule> MakeCaptureDropsRule();
std::unique_ptr<AlertRule> MakeReceiverFailingRule();

}  // namespace lanwatch
