// Minimal ToString functions of alert.h, written on the email branch before the alert
// engine's own alert.cc landed; to be reconciled with it (keep the engine's if they differ).
#include "daemon/alerts/alert.h"

namespace lanwatch {

std::string AlertKey::ToString() const {
  std::string out = rule + " " + device;
  if (!link.empty()) out += "/" + link;
  return out;
}

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
