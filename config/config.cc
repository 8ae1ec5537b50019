#include "config/config.h"

namespace lanwatch {

const DeviceConfig* Config::FindDevice(std::string_view name) const {
  for (const auto& d : devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string_view ToString(SnmpVersion v) {
  switch (v) {
    case SnmpVersion::kV1:
      return "1";
    case SnmpVersion::kV2c:
      return "2c";
    case SnmpVersion::kV3:
      return "3";
  }
  return "?";
}

std::string_view ToString(DeviceRole r) {
  switch (r) {
    case DeviceRole::kRouter:
      return "router";
    case DeviceRole::kSwitch:
      return "switch";
    case DeviceRole::kServer:
      return "server";
    case DeviceRole::kOther:
      return "other";
  }
  return "?";
}

std::string_view ToString(LinkKind k) {
  switch (k) {
    case LinkKind::kUplink:
      return "uplink";
    case LinkKind::kSubordinate:
      return "subordinate";
    case LinkKind::kOther:
      return "other";
  }
  return "?";
}

std::string_view ToString(InterfaceKey k) {
  switch (k) {
    case InterfaceKey::kName:
      return "ifName";
    case InterfaceKey::kDescr:
      return "ifDescr";
    case InterfaceKey::kAlias:
      return "ifAlias";
    case InterfaceKey::kIndex:
      return "ifIndex";
  }
  return "?";
}

}  // namespace lanwatch
