#include "daemon/network_status.h"

namespace lanwatch {

// A snapshot holds one per port of the network, and two while a round replaces it: a size
// that grows is a choice (the header orders the fields so that none pads another).
static_assert(sizeof(InterfaceStatus) <= 232);

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

int Rank(Severity s) {
  switch (s) {
    case Severity::kOk:
      return 0;
    case Severity::kUnknown:
      return 1;
    case Severity::kWarning:
      return 2;
    case Severity::kCritical:
      return 3;
  }
  return 3;
}

Severity Worse(Severity a, Severity b) { return Rank(a) >= Rank(b) ? a : b; }

std::string_view ToString(UplinkVerdict v) {
  switch (v) {
    case UplinkVerdict::kUnknown:
      return "unknown";
    case UplinkVerdict::kOk:
      return "ok";
    case UplinkVerdict::kSaturated:
      return "saturated";
    case UplinkVerdict::kIspLoss:
      return "isp_loss";
    case UplinkVerdict::kIspDown:
      return "isp_down";
    case UplinkVerdict::kRouterDown:
      return "router_down";
  }
  return "unknown";
}

const DeviceStatus* NetworkStatus::FindDevice(std::string_view name) const {
  for (const DeviceStatus& d : devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace lanwatch
