#include "config/config.h"

#include <algorithm>
#include <cctype>

namespace lanwatch {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The value of E whose ToString is `text`, among `values`.
template <typename E, size_t N>
std::optional<E> ParseName(std::string_view text, const E (&values)[N]) {
  for (E value : values) {
    if (SameName(ToString(value), text)) return value;
  }
  return std::nullopt;
}

}  // namespace

const DeviceConfig* Config::FindDevice(std::string_view name) const {
  for (const auto& d : devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::vector<std::string> SnmpSettingsProblems(const SnmpSettings& s) {
  std::vector<std::string> problems;
  if (s.timeout.count() <= 0) problems.push_back("SNMP timeout must be positive");
  if (s.version != SnmpVersion::kV3) return problems;
  if (s.user.empty()) problems.push_back("SNMPv3 needs 'user'");
  if (s.priv_protocol != PrivProtocol::kNone && s.auth_protocol == AuthProtocol::kNone) {
    problems.push_back("SNMPv3 privacy needs an auth_protocol too");
  }
  if (s.auth_protocol != AuthProtocol::kNone && s.auth_passphrase.size() < 8) {
    problems.push_back("auth_passphrase must have at least 8 characters");
  }
  if (s.priv_protocol != PrivProtocol::kNone && s.priv_passphrase.size() < 8) {
    problems.push_back("priv_passphrase must have at least 8 characters");
  }
  return problems;
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

std::string_view ToString(AuthProtocol p) {
  switch (p) {
    case AuthProtocol::kNone:
      return "none";
    case AuthProtocol::kSha:
      return "SHA";
    case AuthProtocol::kSha256:
      return "SHA-256";
  }
  return "?";
}

std::string_view ToString(PrivProtocol p) {
  switch (p) {
    case PrivProtocol::kNone:
      return "none";
    case PrivProtocol::kAes:
      return "AES";
  }
  return "?";
}

std::optional<SnmpVersion> ParseSnmpVersion(std::string_view text) {
  static constexpr SnmpVersion kAll[] = {SnmpVersion::kV1, SnmpVersion::kV2c, SnmpVersion::kV3};
  return ParseName(text, kAll);
}

std::optional<AuthProtocol> ParseAuthProtocol(std::string_view text) {
  static constexpr AuthProtocol kAll[] = {AuthProtocol::kNone, AuthProtocol::kSha,
                                          AuthProtocol::kSha256};
  return ParseName(text, kAll);
}

std::optional<PrivProtocol> ParsePrivProtocol(std::string_view text) {
  static constexpr PrivProtocol kAll[] = {PrivProtocol::kNone, PrivProtocol::kAes};
  return ParseName(text, kAll);
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

std::string_view ToString(AlertSeverity s) {
  switch (s) {
    case AlertSeverity::kNone:
      return "none";
    case AlertSeverity::kWarning:
      return "warning";
    case AlertSeverity::kCritical:
      return "critical";
  }
  return "?";
}

std::string_view ToString(ProbeSocketMode m) {
  switch (m) {
    case ProbeSocketMode::kAuto:
      return "auto";
    case ProbeSocketMode::kDatagram:
      return "datagram";
    case ProbeSocketMode::kRaw:
      return "raw";
  }
  return "?";
}

}  // namespace lanwatch
