// The lanwatch configuration as plain structs. Every field documents its unit and default;
// config_loader.h turns a YAML file into one of these, or into a list of diagnostics.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/network_address.h"

namespace lanwatch {

enum class SnmpVersion { kV1, kV2c, kV3 };
enum class AuthProtocol { kNone, kSha, kSha256 };
enum class PrivProtocol { kNone, kAes };
// How to read an agent's OCTET STRINGs (sysName, ifAlias, ...). kAuto: valid UTF-8 as is,
// otherwise GB18030 (Chinese-localised Huawei and H3C devices send GBK).
enum class TextEncoding { kAuto, kUtf8, kGb18030 };

// How to talk SNMP to one device. Defaults come from `snmp:`; a device may override any field.
struct SnmpSettings {
  SnmpVersion version = SnmpVersion::kV2c;
  std::string community = "public";  // v1/v2c only
  std::string user;                  // v3 securityName
  AuthProtocol auth_protocol = AuthProtocol::kNone;
  std::string auth_passphrase;  // at least 8 characters (RFC 3414)
  PrivProtocol priv_protocol = PrivProtocol::kNone;
  std::string priv_passphrase;
  std::chrono::milliseconds timeout{2000};  // per request attempt
  int retries = 1;                          // attempts after the first
  int bulk_repetitions = 25;                // GETBULK rows per request (v2c/v3)
  uint16_t port = 161;
  TextEncoding text_encoding = TextEncoding::kAuto;
};

// What is missing or inconsistent in `s` (SNMPv3 credentials, timeout), in words; empty if fine.
std::vector<std::string> SnmpSettingsProblems(const SnmpSettings& s);

enum class DeviceRole { kRouter, kSwitch, kServer, kOther };

struct DeviceConfig {
  std::string name;  // unique; the `device` label in metrics
  DeviceRole role = DeviceRole::kOther;
  std::string address;  // IPv4, IPv6 or host name
  SnmpSettings snmp;
};

// Which field of the interface table selects a link's interface.
enum class InterfaceKey { kName, kDescr, kAlias, kIndex };

struct InterfaceSelector {
  InterfaceKey key = InterfaceKey::kName;
  std::string value;  // for kIndex, the decimal ifIndex
};

enum class LinkKind { kUplink, kSubordinate, kOther };

struct LinkThresholds {
  double utilization_warning = 0.80;  // ratio of capacity, either direction
  double utilization_critical = 0.95;
  double errors_warning = 1.0 / 60;    // in+out errors per second (1/min)
  double errors_critical = 10.0 / 60;  // (10/min)
};

struct LinkConfig {
  std::string name;  // unique; the `link` label in metrics
  LinkKind kind = LinkKind::kOther;
  std::string device;  // a DeviceConfig::name
  InterfaceSelector interface;
  std::optional<double> capacity_bps;  // contract rate; unset: the port's reported speed
  LinkThresholds thresholds;
};

// A packet capture on a mirror (SPAN) port or a local interface.
struct CaptureConfig {
  std::string name;       // unique; the `capture` label in metrics
  std::string interface;  // e.g. span0
  std::string filter;     // BPF expression; empty: every packet
  std::vector<Cidr> local_networks = DefaultLocalNetworks();  // tells inbound from outbound
  std::chrono::milliseconds interval{1000};                   // sample interval
  int top = 5;         // top hosts and conversations per interval
  int buffer_mib = 8;  // kernel capture buffer
  std::string link;    // a LinkConfig::name to cross-check with SNMP; empty: none
};

struct Config {
  std::string source;  // file it was read from, for messages
  std::string site = "lanwatch";
  std::chrono::milliseconds poll_interval{30'000};
  std::string listen = "0.0.0.0:9731";  // HOST:PORT of the metrics endpoint
  SnmpSettings snmp_defaults;
  std::vector<DeviceConfig> devices;
  std::vector<LinkConfig> links;
  std::vector<CaptureConfig> captures;

  const DeviceConfig* FindDevice(std::string_view name) const;
};

std::string_view ToString(SnmpVersion v);
std::string_view ToString(AuthProtocol p);
std::string_view ToString(PrivProtocol p);
std::string_view ToString(DeviceRole r);
std::string_view ToString(LinkKind k);
std::string_view ToString(InterfaceKey k);

// The names config files and the command line give SNMP versions and protocols: the
// inverses of ToString, matched regardless of case; nullopt for anything else. The
// k*Choices list them for messages.
std::optional<SnmpVersion> ParseSnmpVersion(std::string_view text);
std::optional<AuthProtocol> ParseAuthProtocol(std::string_view text);
std::optional<PrivProtocol> ParsePrivProtocol(std::string_view text);
inline constexpr std::string_view kSnmpVersionChoices = "1, 2c, 3";
inline constexpr std::string_view kAuthProtocolChoices = "none, SHA, SHA-256";
inline constexpr std::string_view kPrivProtocolChoices = "none, AES";

}  // namespace lanwatch
