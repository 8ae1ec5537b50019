#include "daemon/alerts/rule.h"

namespace lanwatch {

Severity ToSeverity(AlertSeverity s) {
  switch (s) {
    case AlertSeverity::kCritical:
      return Severity::kCritical;
    case AlertSeverity::kWarning:
      return Severity::kWarning;
    case AlertSeverity::kNone:
      return Severity::kOk;
  }
  return Severity::kOk;
}

std::vector<std::unique_ptr<AlertRule>> BuiltInRules() {
  std::vector<std::unique_ptr<AlertRule>> rules;
  rules.push_back(MakeDeviceUnreachableRule());
  rules.push_back(MakeDeviceRebootedRule());
  rules.push_back(MakeLinkDownRule());
  rules.push_back(MakeLinkFlappingRule());
  rules.push_back(MakeLinkUtilizationRule());
  rules.push_back(MakeLinkErrorsRule());
  rules.push_back(MakeLinkDiscardsRule());
  rules.push_back(MakeLinkSpeedRule());
  rules.push_back(MakeLinkNoDataRule());
  rules.push_back(MakeCaptureMismatchRule());
  rules.push_back(MakeFiberDegradedRule());
  rules.push_back(MakeFiberNoLightRule());
  rules.push_back(MakeFarEndUnreachableRule());
  rules.push_back(MakeFarEndLossRule());
  rules.push_back(MakeFarEndLatencyRule());
  rules.push_back(MakeUplinkIspDownRule());
  rules.push_back(MakeUplinkIspLossRule());
  rules.push_back(MakeServiceDownRule());
  rules.push_back(MakeCertExpiringRule());
  rules.push_back(MakeCaptureDropsRule());
  rules.push_back(MakeReceiverFailingRule());
  return rules;
}

}  // namespace lanwatch
