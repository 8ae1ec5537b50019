#include "exporters/network_status.h"

namespace lanwatch {

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kOk:
      return "OK";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kCritical:
      return "CRITICAL";
    case Severity::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

const DeviceStatus* NetworkStatus::FindDevice(std::string_view name) const {
  for (const DeviceStatus& d : devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace lanwatch
