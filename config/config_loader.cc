#include "config/config_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "config/alert_settings_loader.h"
#include "config/interface_filter_loader.h"
#include "config/listen_address.h"
#include "config/reachability_loader.h"
#include "config/text_encoding.h"
#include "config/web_loader.h"
#include "config/yaml_reader.h"

namespace lanwatch {
namespace {

// Reads `key` with one of config.h's Parse* functions, reporting a name it does not know.
template <typename E>
void ReadName(YamlReader& r, const YAML::Node& node, std::string_view key,
              std::optional<E> (*parse)(std::string_view), std::string_view choices, E& out) {
  std::string text;
  if (!r.ReadString(node, key, text)) return;
  if (auto value = parse(text)) {
    out = *value;
  } else {
    r.Report(node[std::string(key)],
             fmt::format("'{}' must be one of {}, not '{}'", key, choices, text));
  }
}

void ReadSnmp(YamlReader& r, const YAML::Node& node, std::string_view where, SnmpSettings& s) {
  if (!r.ExpectMap(node, where)) return;
  r.CheckKeys(node,
              {"version", "community", "user", "auth_protocol", "auth_passphrase", "priv_protocol",
               "priv_passphrase", "timeout", "retries", "max_repetitions", "port", "text_encoding"},
              where);
  ReadName(r, node, "version", &ParseSnmpVersion, kSnmpVersionChoices, s.version);
  r.ReadString(node, "community", s.community);
  r.ReadString(node, "user", s.user);
  ReadName(r, node, "auth_protocol", &ParseAuthProtocol, kAuthProtocolChoices, s.auth_protocol);
  r.ReadString(node, "auth_passphrase", s.auth_passphrase);
  ReadName(r, node, "priv_protocol", &ParsePrivProtocol, kPrivProtocolChoices, s.priv_protocol);
  r.ReadString(node, "priv_passphrase", s.priv_passphrase);
  r.ReadDuration(node, "timeout", s.timeout);
  long long n = 0;
  if (r.ReadInt(node, "retries", 0, 10, n)) s.retries = static_cast<int>(n);
  if (r.ReadInt(node, "max_repetitions", 1, 200, n)) s.bulk_repetitions = static_cast<int>(n);
  if (r.ReadInt(node, "port", 1, 65535, n)) s.port = static_cast<uint16_t>(n);
  r.ReadEnum<TextEncoding>(node, "text_encoding",
                           {{"auto", TextEncoding::kAuto},
                            {"utf-8", TextEncoding::kUtf8},
                            {"gb18030", TextEncoding::kGb18030},
                            {"gbk", TextEncoding::kGb18030}},
                           s.text_encoding);
}

// Credentials are checked where they end up, after defaults and overrides are merged.
void CheckSnmpComplete(YamlReader& r, const YAML::Node& at, std::string_view who,
                       const SnmpSettings& s) {
  for (const std::string& problem : SnmpSettingsProblems(s)) {
    r.Report(at, fmt::format("{}: {}", who, problem));
  }
}

// The rule settings every device and link starts from (top-level `alerts:`), and what each
// device's own `alerts:` makes of its links' defaults.
struct AlertDefaults {
  DeviceAlertSettings device;
  LinkThresholds link;
  std::map<std::string, LinkThresholds> link_by_device;
};

// Optics change over days, and some agents answer their tables slowly: minutes, not seconds.
void ReadOpticsInterval(YamlReader& r, const YAML::Node& node,
                        std::optional<std::chrono::milliseconds>& out) {
  std::chrono::milliseconds interval{};
  if (!r.ReadDuration(node, "optics_interval", interval)) return;
  if (interval < std::chrono::seconds(1)) {
    r.Report(node["optics_interval"], "'optics_interval' must be at least 1s");
    return;
  }
  out = interval;
}

// Traps: `traps:` at the top level, `trap_sources:` per device, and what needs both.

// A list of strings (a single scalar is a list of one). `problem` says what is wrong with an
// item, or nothing; it is reported at the item.
void ReadStringList(YamlReader& r, const YAML::Node& node, std::string_view key,
                    std::string_view what,
                    const std::function<std::string(const std::string&)>& problem,
                    std::vector<std::string>& out) {
  YAML::Node value = node[std::string(key)];
  if (!value) return;
  if (!value.IsScalar() && !r.ExpectSequence(value, fmt::format("'{}'", key))) return;
  std::vector<YAML::Node> items;
  if (value.IsScalar()) {
    items.push_back(value);
  } else {
    for (const YAML::Node& item : value) items.push_back(item);
  }
  out.clear();
  for (const YAML::Node& item : items) {
    if (!item.IsScalar()) {
      r.Report(item, fmt::format("'{}' lists {}", key, what));
    } else if (std::string wrong = problem(item.Scalar()); !wrong.empty()) {
      r.Report(item, wrong);
    } else {
      out.push_back(item.Scalar());
    }
  }
}

void ReadTraps(YamlReader& r, const YAML::Node& node, TrapSettings& t) {
  if (!r.ExpectMap(node, "'traps'")) return;
  r.CheckKeys(node, {"listen", "communities", "debounce"}, "'traps'");
  if (r.ReadString(node, "listen", t.listen) && !t.listen.empty()) {
    auto address = ParseListenAddress(t.listen, 162);
    if (!address) {
      r.Report(node["listen"], fmt::format("'traps.listen' '{}': {} (HOST[:PORT], like "
                                           "0.0.0.0:162 or [::]:162)",
                                           t.listen, address.error()));
    } else if (address->port == 0) {
      r.Report(node["listen"], "'traps.listen' needs a port from 1 to 65535: devices send to one");
    }
  }
  ReadStringList(
      r, node, "communities", "community strings",
      [](const std::string& community) {
        return community.empty() ? "'traps.communities' lists an empty one" : "";
      },
      t.communities);
  if (r.ReadDuration(node, "debounce", t.debounce) && t.debounce > std::chrono::minutes(1)) {
    // A trap is there to make a poll sooner than the next round; longer defeats it.
    r.Report(node["debounce"], "'traps.debounce' must be at most 1m");
  }
}

void ReadTrapSources(YamlReader& r, const YAML::Node& node, std::string_view where,
                     std::vector<std::string>& out) {
  ReadStringList(
      r, node, "trap_sources", "IP addresses",
      [&](const std::string& source) {
        if (IsIpLiteral(source)) return std::string();
        return fmt::format("{}: trap source '{}' is not an IPv4 or IPv6 address", where, source);
      },
      out);
}

// Without traps.communities a trap must carry the community its device is polled with; a
// device polled with SNMPv3 has none, and all its traps would be ignored without a word.
void CheckTrapCommunities(YamlReader& r, const YAML::Node& traps, const Config& cfg) {
  if (cfg.traps.listen.empty() || !cfg.traps.communities.empty()) return;
  for (const DeviceConfig& device : cfg.devices) {
    if (device.snmp.version != SnmpVersion::kV3) continue;
    r.Report(traps, fmt::format("device '{}' is polled with SNMPv3: list the community its traps "
                                "carry in 'traps.communities'",
                                device.name));
  }
}

void ReadDevices(YamlReader& r, const YAML::Node& list, AlertDefaults& defaults, Config& cfg) {
  if (!r.ExpectSequence(list, "'devices'")) return;
  NameRegistry names("device");
  cfg.devices.reserve(list.size());  // a site of thousands: no spare half of them held
  for (const YAML::Node& node : list) {
    if (!r.ExpectMap(node, "a device")) continue;
    DeviceConfig d;
    d.snmp = cfg.snmp_defaults;
    d.alerts = defaults.device;
    r.CheckKeys(node,
                {"name", "role", "address", "snmp", "parent", "alerts", "optics_interval",
                 "trap_sources", "interfaces"},
                "a device");
    if (!r.ReadString(node, "name", d.name) || d.name.empty()) {
      r.Report(node, "a device needs a 'name'");
    }
    std::string where = fmt::format("device '{}'", d.name);
    r.ReadEnum<DeviceRole>(node, "role",
                           {{"router", DeviceRole::kRouter},
                            {"switch", DeviceRole::kSwitch},
                            {"server", DeviceRole::kServer},
                            {"other", DeviceRole::kOther}},
                           d.role);
    if (!r.ReadString(node, "address", d.address) || d.address.empty()) {
      r.Report(node, fmt::format("{} needs an 'address'", where));
    }
    if (node["snmp"]) ReadSnmp(r, node["snmp"], where + " snmp", d.snmp);
    CheckSnmpComplete(r, node, where, d.snmp);
    r.ReadString(node, "parent", d.parent);
    ReadOpticsInterval(r, node, d.optics_interval);
    LinkThresholds links = defaults.link;
    if (node["alerts"]) {
      ReadAlertSettings(r, node["alerts"], where + " alerts", AlertScope::kDevice, &d.alerts,
                        &links, nullptr);
    }
    defaults.link_by_device[d.name] = links;
    ReadTrapSources(r, node, where, d.trap_sources);
    if (node["interfaces"]) ReadInterfaceFilter(r, node["interfaces"], where, d.interfaces);
    names.Add(r, node, d.name);
    cfg.devices.push_back(std::move(d));
  }
}

// Parents name configured devices, and following them never comes back to where it began.
void CheckParents(YamlReader& r, const YAML::Node& list, const Config& cfg) {
  for (size_t i = 0; i < cfg.devices.size(); ++i) {
    const DeviceConfig& d = cfg.devices[i];
    if (d.parent.empty()) continue;
    const YAML::Node at = list[i]["parent"];
    if (!cfg.FindDevice(d.parent)) {
      r.Report(at, fmt::format("device '{}' names unknown parent '{}'", d.name, d.parent));
      continue;
    }
    const DeviceConfig* p = &d;
    for (size_t steps = 0; p && !p->parent.empty(); ++steps) {
      p = cfg.FindDevice(p->parent);
      if (p == &d || steps > cfg.devices.size()) {
        r.Report(at, fmt::format("device '{}': its parents lead back to itself", d.name));
        break;
      }
    }
  }
}

void ReadInterfaceSelector(YamlReader& r, const YAML::Node& node, std::string_view where,
                           InterfaceSelector& sel) {
  if (node.IsScalar()) {  // `interface: Gi0/1` is shorthand for `interface: {name: Gi0/1}`
    sel = {InterfaceKey::kName, node.Scalar()};
    return;
  }
  if (!r.ExpectMap(node, fmt::format("{} interface", where))) return;
  r.CheckKeys(node, {"name", "descr", "alias", "index"}, fmt::format("{} interface", where));
  if (node.size() != 1) {
    r.Report(node,
             fmt::format("{} interface: give exactly one of name, descr, alias or index", where));
    return;
  }
  long long index = 0;
  if (r.ReadString(node, "name", sel.value))
    sel.key = InterfaceKey::kName;
  else if (r.ReadString(node, "descr", sel.value))
    sel.key = InterfaceKey::kDescr;
  else if (r.ReadString(node, "alias", sel.value))
    sel.key = InterfaceKey::kAlias;
  else if (r.ReadInt(node, "index", 1, 2147483647, index)) {
    sel = {InterfaceKey::kIndex, std::to_string(index)};
  }
}

void ReadLinks(YamlReader& r, const YAML::Node& list, const AlertDefaults& defaults, Config& cfg) {
  if (!r.ExpectSequence(list, "'links'")) return;
  NameRegistry names("link");
  for (const YAML::Node& node : list) {
    if (!r.ExpectMap(node, "a link")) continue;
    LinkConfig l;
    r.CheckKeys(node,
                {"name", "kind", "device", "interface", "capacity", "expected_speed", "peer",
                 "beyond", "thresholds"},
                "a link");
    if (!r.ReadString(node, "name", l.name) || l.name.empty()) {
      r.Report(node, "a link needs a 'name'");
    }
    std::string where = fmt::format("link '{}'", l.name);
    r.ReadEnum<LinkKind>(node, "kind",
                         {{"uplink", LinkKind::kUplink},
                          {"subordinate", LinkKind::kSubordinate},
                          {"other", LinkKind::kOther}},
                         l.kind);
    if (!r.ReadString(node, "device", l.device)) {
      r.Report(node, fmt::format("{} needs a 'device'", where));
    } else if (!cfg.FindDevice(l.device)) {
      r.Report(node["device"], fmt::format("{} names unknown device '{}'", where, l.device));
    }
    if (node["interface"]) {
      ReadInterfaceSelector(r, node["interface"], where, l.interface);
    } else {
      r.Report(node, fmt::format("{} needs an 'interface'", where));
    }
    r.ReadBitRate(node, "capacity", l.capacity_bps);
    if (l.capacity_bps && *l.capacity_bps <= 0) {
      r.Report(node["capacity"], fmt::format("{}: capacity must be more than 0", where));
    }
    r.ReadBitRate(node, "expected_speed", l.expected_speed_bps);
    // Two links may share a peer (two fibers to one far device): it is probed once.
    ReadEchoTarget(r, node, "peer", where, l.peer);
    if (node["beyond"] && l.kind != LinkKind::kUplink) {
      r.Report(node["beyond"], fmt::format("{}: 'beyond' is for the uplink only (kind: uplink): a "
                                           "host past the ISP, to tell its network from the line",
                                           where));
    } else {
      ReadEchoTarget(r, node, "beyond", where, l.beyond);
    }
    auto device_defaults = defaults.link_by_device.find(l.device);
    l.thresholds =
        device_defaults != defaults.link_by_device.end() ? device_defaults->second : defaults.link;
    if (node["thresholds"]) {
      ReadAlertSettings(r, node["thresholds"], where + " thresholds", AlertScope::kLink, nullptr,
                        &l.thresholds, nullptr);
    }
    names.Add(r, node, l.name);
    cfg.links.push_back(std::move(l));
  }
}

void ReadCaptures(YamlReader& r, const YAML::Node& list, Config& cfg) {
  if (!r.ExpectSequence(list, "'captures'")) return;
  NameRegistry names("capture");
  for (const YAML::Node& node : list) {
    if (!r.ExpectMap(node, "a capture")) continue;
    CaptureConfig c;
    r.CheckKeys(
        node,
        {"name", "interface", "filter", "local_networks", "interval", "top", "buffer_mib", "link"},
        "a capture");
    if (!r.ReadString(node, "name", c.name) || c.name.empty()) {
      r.Report(node, "a capture needs a 'name'");
    }
    std::string where = fmt::format("capture '{}'", c.name);
    if (!r.ReadString(node, "interface", c.interface) || c.interface.empty()) {
      r.Report(node, fmt::format("{} needs an 'interface'", where));
    }
    r.ReadString(node, "filter", c.filter);
    if (YAML::Node nets = node["local_networks"]; nets) {
      if (r.ExpectSequence(nets, where + " local_networks")) {
        c.local_networks.clear();
        for (const YAML::Node& net : nets) {
          auto cidr = net.IsScalar() ? Cidr::Parse(net.Scalar()) : std::nullopt;
          if (!cidr) {
            r.Report(net, fmt::format("{}: '{}' is not a network like 198.18.1.0/24", where,
                                      net.IsScalar() ? net.Scalar() : "?"));
          } else {
            c.local_networks.push_back(*cidr);
          }
        }
      }
    }
    if (r.ReadDuration(node, "interval", c.interval) && c.interval.count() < 100) {
      r.Report(node["interval"], fmt::format("{}: interval must be at least 100ms", where));
    }
    long long n = 0;
    if (r.ReadInt(node, "top", 0, 100, n)) c.top = static_cast<int>(n);
    if (r.ReadInt(node, "buffer_mib", 1, 1024, n)) c.buffer_mib = static_cast<int>(n);
    if (r.ReadString(node, "link", c.link)) {
      bool known = std::any_of(cfg.links.begin(), cfg.links.end(),
                               [&](const LinkConfig& l) { return l.name == c.link; });
      if (!known) {
        r.Report(node["link"], fmt::format("{} names unknown link '{}'", where, c.link));
      }
    }
    names.Add(r, node, c.name);
    cfg.captures.push_back(std::move(c));
  }
}

// Where the first byte that is not UTF-8 sits (0-based line, column in characters); a config
// saved as GBK would put its names into metrics and JSON as invalid text.
std::optional<YAML::Mark> FirstNonUtf8(std::string_view text) {
  size_t valid = ValidUtf8Prefix(text);
  if (valid == text.size()) return std::nullopt;
  YAML::Mark at;
  at.pos = static_cast<int>(valid);
  for (size_t i = 0; i < valid; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++at.column;
    }
  }
  return at;
}

}  // namespace

std::expected<Config, Diagnostics> ParseConfig(std::string_view yaml_text,
                                               const std::string& source) {
  Diagnostics diagnostics;
  YamlReader r(source, diagnostics);
  if (auto at = FirstNonUtf8(yaml_text)) {
    r.Report(*at, fmt::format("the file is not UTF-8 (byte 0x{:02X}); save it as UTF-8, not as "
                              "GBK (\"ANSI\" in Windows editors)",
                              static_cast<unsigned char>(yaml_text[at->pos])));
    return std::unexpected(std::move(diagnostics));
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    r.Report(e.mark, "YAML syntax: " + e.msg);
    return std::unexpected(std::move(diagnostics));
  }
  Config cfg;
  cfg.source = source;
  if (!root.IsMap()) {
    r.Report(root, "the config must be a mapping with at least 'devices'");
    return std::unexpected(std::move(diagnostics));
  }
  r.CheckKeys(root,
              {"site", "poll_interval", "listen", "snmp", "devices", "links", "captures",
               "state_dir", "alerts", "notify", "optics_interval", "traps", "probes", "services",
               "web", "example", "poll_concurrency"},
              "the top level");
  r.ReadEnum<bool>(root, "example",
                   {{"true", true}, {"false", false}, {"yes", true}, {"no", false}}, cfg.example);
  r.ReadString(root, "site", cfg.site);
  if (r.ReadDuration(root, "poll_interval", cfg.poll_interval) &&
      cfg.poll_interval < std::chrono::seconds(1)) {
    r.Report(root["poll_interval"], "'poll_interval' must be at least 1s");
  }
  long long concurrency = static_cast<long long>(cfg.poll_concurrency);
  if (r.ReadInt(root, "poll_concurrency", 1, 100'000, concurrency)) {
    cfg.poll_concurrency = static_cast<size_t>(concurrency);
  }
  if (r.ReadString(root, "listen", cfg.listen) && cfg.listen.rfind(':') == std::string::npos) {
    r.Report(root["listen"], "'listen' must be HOST:PORT, like 0.0.0.0:9731");
  }
  if (root["snmp"]) ReadSnmp(r, root["snmp"], "'snmp'", cfg.snmp_defaults);
  std::optional<std::chrono::milliseconds> optics_interval;
  ReadOpticsInterval(r, root, optics_interval);
  cfg.optics_interval = optics_interval.value_or(cfg.optics_interval);
  if (r.ReadString(root, "state_dir", cfg.state_dir) && cfg.state_dir.empty()) {
    r.Report(root["state_dir"], "'state_dir' must name a directory");
  }
  AlertDefaults alert_defaults;
  if (root["alerts"]) {
    ReadAlertSettings(r, root["alerts"], "'alerts'", AlertScope::kTop, &alert_defaults.device,
                      &alert_defaults.link, &cfg.alerts);
  }
  if (root["notify"]) ReadNotify(r, root["notify"], cfg.notify);
  if (root["traps"]) ReadTraps(r, root["traps"], cfg.traps);
  if (root["web"]) ReadWeb(r, root["web"], cfg.web);
  if (root["devices"]) {
    ReadDevices(r, root["devices"], alert_defaults, cfg);
    CheckParents(r, root["devices"], cfg);
    if (root["traps"]) CheckTrapCommunities(r, root["traps"], cfg);
  } else {
    r.Report(root, "the config needs a 'devices' list");
  }
  if (root["probes"]) ReadProbes(r, root["probes"], cfg.probes);
  if (root["links"]) ReadLinks(r, root["links"], alert_defaults, cfg);
  if (root["services"]) ReadServices(r, root["services"], cfg);
  if (root["captures"]) ReadCaptures(r, root["captures"], cfg);
  if (!diagnostics.empty()) return std::unexpected(std::move(diagnostics));
  if (root["links"]) {
    YamlReader warnings(source, cfg.warnings);
    WarnFilteredLinks(warnings, root["links"], cfg);
  }
  return cfg;
}

std::expected<Config, Diagnostics> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return std::unexpected(Diagnostics{{path, 0, 0, "cannot open the file for reading"}});
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

}  // namespace lanwatch
