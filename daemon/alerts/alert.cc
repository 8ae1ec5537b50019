#include "daemon/alerts/alert.h"

namespace lanwatch {

std::string AlertKey::ToString() const {
  std::string s = rule + " " + device;
  if (!link.empty()) s += "/" + link;
  return s;
}

// These words are also the state database's (alerts.phase, outbox.kind): renaming one needs a
// schema migration.
std::string_view ToString(AlertPhase p) {
  switch (p) {
    case AlertPhase::kPending:
      return "pending";
    case AlertPhase::kFiring:
      return "firing";
    case AlertPhase::kResolved:
      return "resolved";
  }
  return "?";
}

std::string_view ToString(NotificationKind k) {
  switch (k) {
    case NotificationKind::kFiring:
      return "firing";
    case NotificationKind::kResolved:
      return "resolved";
    case NotificationKind::kReminder:
      return "reminder";
    case NotificationKind::kTest:
      return "test";
  }
  return "?";
}

}  // namespace lanwatch
