#include "exporters/discovery_report.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "config/text_encoding.h"
#include "config/units.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

std::string OperText(int status) {
  switch (status) {
    case 1:
      return "up";
    case 2:
      return "down";
    case 3:
      return "testing";
    case 5:
      return "dormant";
    case 6:
      return "notPresent";
    case 7:
      return "lowerLayerDown";
    default:
      return "unknown";
  }
}

std::string Octets(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string ReceiveText(const OpticalLane& lane) {
  if (lane.rx_no_light) return "no light";
  return lane.rx_dbm ? fmt::format("{:.2f}", *lane.rx_dbm) : "-";
}

nlohmann::json Optional(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json Limits(const OpticalLimits& l) {
  return {{"low_alarm", Optional(l.low_alarm)},
          {"low_warning", Optional(l.low_warning)},
          {"high_warning", Optional(l.high_warning)},
          {"high_alarm", Optional(l.high_alarm)}};
}

// CJK and fullwidth punctuation (、。「」（）：，), U+FFFD: separators in a name, like ASCII ones.
bool IsWidePunctuation(std::string_view utf8) {
  if (utf8.size() != 3) return false;
  const auto b0 = static_cast<unsigned char>(utf8[0]), b1 = static_cast<unsigned char>(utf8[1]),
             b2 = static_cast<unsigned char>(utf8[2]);
  const char32_t cp = (char32_t{b0} & 0x0F) << 12 | (char32_t{b1} & 0x3F) << 6 | (b2 & 0x3F);
  return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD;
}

// "Panji district fiber" -> "panji-district-fiber", "大同分局 光纤" -> "大同分局-光纤"; a YAML-
// and label-friendly name. Non-ASCII characters are kept whole, so a Chinese alias stays
// readable.
std::string Slug(const std::string& raw) {
  const std::string text = ToValidUtf8(raw);  // decoded at the source; be sure
  std::string out;
  auto separate = [&] {
    if (!out.empty() && out.back() != '-') out += '-';
  };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c))
        out += static_cast<char>(std::tolower(c));
      else
        separate();
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::string_view character = std::string_view(text).substr(i, length);
    if (IsWidePunctuation(character))
      separate();
    else
      out += character;
    i += length;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "link" : out;
}

// Double-quoted YAML scalar.
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool LooksLikeUplink(const InterfaceSample& i) {
  std::string text = i.alias + " " + i.name;
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Chinese aliases: 上联 uplink, 出口 egress, 外网 outside network, 互联网 Internet, and the
  // carriers 电信 (China Telecom), 联通 (China Unicom).
  for (const char* word : {"uplink", "isp", "wan", "internet", "telecom", "unicom", "上联", "出口",
                           "外网", "互联网", "电信", "联通"}) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string RenderDiscoveryText(const Discovery& d) {
  const SystemSample& s = d.device.system;
  std::string out = fmt::format(
      "System\n  name:        {}\n  description: {}\n  object id:   {} ({})\n  uptime:      {}\n",
      s.name, s.description, s.object_id, d.vendor,
      s.uptime_ticks ? FormatDuration(std::chrono::seconds(*s.uptime_ticks / 100))
                     : std::string("unknown (no sysUpTime)"));
  std::vector<std::vector<std::string>> rows = {{"INDEX", "NAME", "DESCR", "ALIAS", "TYPE", "ADMIN",
                                                 "OPER", "SPEED", "64-BIT", "IN OCTETS",
                                                 "OUT OCTETS"}};
  for (const auto& [index, i] : d.device.interfaces) {
    rows.push_back({std::to_string(index), i.name, i.description, i.alias, std::to_string(i.type),
                    i.admin_up ? "up" : "down", OperText(i.oper_status),
                    i.speed_bps ? FormatBitRate(static_cast<double>(i.speed_bps)) : "-",
                    i.counter_bits == 64 ? "yes" : "no", Octets(i.in_octets),
                    Octets(i.out_octets)});
  }
  out += fmt::format("\nInterfaces ({})\n{}", d.device.interfaces.size(), RenderTable(rows));
  if (d.optics.empty()) return ToValidUtf8(out + "\nOptical modules: none reported\n");
  // Plain words: the reader may know dBm and little else. One row per lane.
  std::vector<std::vector<std::string>> optics = {
      {"INTERFACE", "LANE", "RECEIVE dBm", "SEND dBm", "TEMPERATURE", "SERIAL", "UNITS"}};
  for (const Transceiver& t : d.optics) {
    const std::string interface = d.InterfaceName(t.if_index);
    const std::string temperature =
        t.temperature_celsius ? fmt::format("{:.1f} °C", *t.temperature_celsius) : "-";
    for (const OpticalLane& lane : t.lanes) {
      optics.push_back({interface.empty() ? (t.sensor.empty() ? "?" : t.sensor) : interface,
                        std::to_string(lane.lane), ReceiveText(lane),
                        lane.tx_dbm ? fmt::format("{:.2f}", *lane.tx_dbm) : "-", temperature,
                        t.serial.empty() ? "-" : t.serial, t.units});
    }
  }
  return ToValidUtf8(
      out + fmt::format("\nOptical modules ({})\n{}", d.optics.size(), RenderTable(optics)));
}

std::string RenderDiscoveryJson(const Discovery& d) {
  using nlohmann::json;
  const SystemSample& s = d.device.system;
  json system = {
      {"name", s.name},
      {"descr", s.description},
      {"object_id", s.object_id},
      {"vendor", d.vendor},
      {"uptime_ticks", s.uptime_ticks ? json(*s.uptime_ticks) : json(nullptr)},
      {"uptime_seconds", s.uptime_ticks ? json(*s.uptime_ticks / 100.0) : json(nullptr)}};
  json interfaces = json::array();
  for (const auto& [index, i] : d.device.interfaces) {
    // Counters stay exact 64-bit integers (some exceed 2^53): never through a double.
    interfaces.push_back({{"index", index},
                          {"name", i.name},
                          {"descr", i.description},
                          {"alias", i.alias},
                          {"type", i.type},
                          {"admin_up", i.admin_up},
                          {"oper_up", i.oper_up()},
                          {"speed_bps", i.speed_bps},
                          {"hc_counters", i.counter_bits == 64},
                          {"in_octets", i.in_octets ? json(*i.in_octets) : json(nullptr)},
                          {"out_octets", i.out_octets ? json(*i.out_octets) : json(nullptr)}});
  }
  json optics = json::array();
  for (const Transceiver& t : d.optics) {
    const std::string interface = d.InterfaceName(t.if_index);
    json lanes = json::array();
    for (const OpticalLane& lane : t.lanes) {
      lanes.push_back({{"lane", lane.lane},
                       {"rx_dbm", Optional(lane.rx_dbm)},
                       {"rx_no_light", lane.rx_no_light},
                       {"tx_dbm", Optional(lane.tx_dbm)},
                       {"bias_milliamps", Optional(lane.bias_milliamps)}});
    }
    optics.push_back({{"index", t.if_index ? json(t.if_index) : json(nullptr)},
                      {"interface", interface.empty() ? json(nullptr) : json(interface)},
                      {"sensor", t.sensor},
                      {"source", t.source},
                      {"units", t.units},
                      {"lanes", lanes},
                      {"temperature_celsius", Optional(t.temperature_celsius)},
                      {"voltage_volts", Optional(t.voltage_volts)},
                      {"serial", t.serial},
                      {"vendor", t.vendor},
                      {"part", t.part},
                      {"rx_sensitivity_dbm", Optional(t.rx_sensitivity_dbm)},
                      {"rx_limits", Limits(t.rx_limits)},
                      {"tx_limits", Limits(t.tx_limits)},
                      {"temperature_limits", Limits(t.temperature_limits)}});
  }
  // Text is UTF-8 from the source (DecodeAgentText); `replace` is the last line of defence.
  return json{{"system", system}, {"interfaces", interfaces}, {"optics", optics}}.dump(
             2, ' ', false, json::error_handler_t::replace) +
         "\n";
}

std::string RenderDraftConfig(const Discovery& d, const std::string& address,
                              const SnmpSettings& snmp) {
  const std::string name = Slug(d.device.system.name.empty() ? address : d.device.system.name);
  std::string out = fmt::format(
      "# Drafted by `lanwatch discover` from {} ({}, {}).\n"
      "# Review the links (names, kinds, capacities), then check with `lanwatch validate`.\n"
      "devices:\n  - name: {}\n    role: switch   # or router, server, other\n"
      "    address: {}\n    snmp:\n      version: {}\n      port: {}\n",
      address, d.vendor, d.device.system.object_id, name, Quote(address), ToString(snmp.version),
      snmp.port);
  if (snmp.version == SnmpVersion::kV3) {
    out += fmt::format("      user: {}\n", Quote(snmp.user));
    if (snmp.auth_protocol != AuthProtocol::kNone) {
      out += fmt::format("      auth_protocol: {}\n      auth_passphrase: \"CHANGE-ME-auth\"\n",
                         snmp.auth_protocol == AuthProtocol::kSha ? "SHA" : "SHA-256");
    }
    if (snmp.priv_protocol != PrivProtocol::kNone) {
      out += "      priv_protocol: AES\n      priv_passphrase: \"CHANGE-ME-priv\"\n";
    }
  } else {
    out += fmt::format("      community: {}\n", Quote(snmp.community));
  }
  if (snmp.text_encoding != TextEncoding::kAuto) {
    out += fmt::format("      text_encoding: {}\n", ToString(snmp.text_encoding));
  }
  std::set<uint32_t> optical;
  for (const Transceiver& t : d.optics) optical.insert(t.if_index);
  std::map<std::string, int> name_count;
  for (const auto& [index, i] : d.device.interfaces) ++name_count[i.name];

  std::string links;
  std::set<std::string> used;
  for (const auto& [index, i] : d.device.interfaces) {
    const bool is_optical = optical.contains(index);
    if (!i.oper_up() || (i.alias.empty() && !is_optical)) continue;
    std::string link = Slug(i.alias.empty() ? i.name : i.alias);
    for (int n = 2; used.contains(link); ++n)
      link = fmt::format("{}-{}", Slug(i.alias.empty() ? i.name : i.alias), n);
    used.insert(link);
    const char* kind = LooksLikeUplink(i) ? "uplink" : "subordinate";
    std::string selector = name_count[i.name] == 1 ? fmt::format("{{name: {}}}", Quote(i.name))
                                                   : fmt::format("{{index: {}}}", index);
    links += fmt::format("  - name: {}\n    kind: {}\n    device: {}\n    interface: {}\n", link,
                         kind, name, selector);
    if (i.speed_bps > 0) {
      links += fmt::format("    capacity: {}   # port speed; set the contract rate\n",
                           Quote(FormatBitRate(static_cast<double>(i.speed_bps))));
    }
    links +=
        fmt::format("    # {}{}{}\n", i.description, i.alias.empty() ? "" : ", alias: " + i.alias,
                    is_optical ? ", optical" : "");
  }
  // Names come decoded from the source; the draft is UTF-8 YAML whatever slipped through.
  if (links.empty())
    return ToValidUtf8(out + "links: []  # no port is up with an alias or optics\n");
  return ToValidUtf8(out + "links:\n" + links);
}

}  // namespace lanwatch
