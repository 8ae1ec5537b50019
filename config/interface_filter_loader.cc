#include "config/interface_filter_loader.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <array>
#include <charconv>
#include <expected>
#include <optional>
#include <string>
#include <utility>

#include "config/units.h"

namespace lanwatch {
namespace {

// The IANAifType names a site is likely to filter on (IANAifType-MIB); `type:NUMBER` reaches
// the others.
constexpr std::array<std::pair<std::string_view, int>, 31> kInterfaceTypes{{
    {"other", 1},
    {"ethernetCsmacd", 6},
    {"iso88023Csmacd", 7},
    {"ds1", 18},
    {"e1", 19},
    {"propPointToPointSerial", 22},
    {"ppp", 23},
    {"softwareLoopback", 24},
    {"ds3", 30},
    {"frameRelay", 32},
    {"atm", 37},
    {"sonet", 39},
    {"propVirtual", 53},
    {"propMultiplexor", 54},
    {"fibreChannel", 56},
    {"fastEther", 62},
    {"ieee80211", 71},
    {"adsl", 94},
    {"vdsl", 97},
    {"virtualIpAddress", 112},
    {"gigabitEthernet", 117},
    {"hdlc", 118},
    {"tunnel", 131},
    {"l2vlan", 135},
    {"l3ipvlan", 136},
    {"ipForward", 142},
    {"mplsTunnel", 150},
    {"ieee8023adLag", 161},
    {"mpls", 166},
    {"pos", 171},
    {"bridge", 209},
}};

// The IANAifType number of a name from the table (case-insensitive), or nullopt.
std::optional<int> InterfaceTypeNumber(std::string_view name) {
  for (const auto& [known, number] : kInterfaceTypes) {
    if (EqualsIgnoreCase(known, name)) return number;
  }
  return std::nullopt;
}

std::string TypeChoices() {
  std::string out;
  for (const auto& [name, number] : kInterfaceTypes) {
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", name, number);
  }
  return out;
}

// One list entry as a pattern, or the words that say what is wrong with it.
std::expected<InterfacePattern, std::string> ParsePattern(const std::string& text) {
  InterfacePattern p;
  p.text = text;
  if (text.empty()) return std::unexpected("an empty entry matches no interface");
  if (text.starts_with("type:")) {
    std::string_view type = std::string_view(text).substr(5);
    p.kind = InterfacePattern::Kind::kType;
    int number = 0;
    auto [end, ec] = std::from_chars(type.data(), type.data() + type.size(), number);
    if (!type.empty() && ec == std::errc() && end == type.data() + type.size()) {
      if (number < 1) return std::unexpected(fmt::format("'{}': an ifType is 1 or more", text));
      p.type = number;
      return p;
    }
    if (auto known = InterfaceTypeNumber(type)) {
      p.type = *known;
      return p;
    }
    return std::unexpected(
        fmt::format("'{}': unknown interface type '{}'; give its IANAifType "
                    "number (type:6) or one of {}",
                    text, type, TypeChoices()));
  }
  if (text.starts_with("admin:")) {
    p.kind = InterfacePattern::Kind::kAdmin;
    if (text == "admin:up" || text == "admin:down") {
      p.admin_up = text == "admin:up";
      return p;
    }
    return std::unexpected(fmt::format("'{}': the admin state is admin:up or admin:down", text));
  }
  // Anything else is a glob on the name; fnmatch takes any text, so there is nothing to refuse.
  p.kind = InterfacePattern::Kind::kNameGlob;
  return p;
}

void ReadPatterns(YamlReader& r, const YAML::Node& filter, std::string_view key,
                  std::string_view where, std::vector<InterfacePattern>& out) {
  const YAML::Node list = filter[std::string(key)];
  if (!list) return;
  const std::string what = fmt::format("{} interfaces.{}", where, key);
  if (!r.ExpectSequence(list, what)) return;
  for (const YAML::Node& item : list) {
    if (!item.IsScalar()) {
      r.Report(item,
               fmt::format("{} lists names (globs like Vlan*), type:NAME or admin:up|down", what));
      continue;
    }
    if (auto pattern = ParsePattern(item.Scalar())) {
      out.push_back(std::move(*pattern));
    } else {
      r.Report(item, fmt::format("{}: {}", what, pattern.error()));
    }
  }
}

bool GlobMatches(const InterfacePattern& p, const std::string& name) {
  return p.kind == InterfacePattern::Kind::kNameGlob &&
         fnmatch(p.text.c_str(), name.c_str(), 0) == 0;
}

// Why `filter` leaves out a port named `name`, judged from the name alone (a glob can be
// decided before any poll; a type or an admin state cannot); empty when it may be watched.
std::string NameFilteredOut(const InterfaceFilter& filter, const std::string& name) {
  for (const InterfacePattern& p : filter.exclude) {
    if (GlobMatches(p, name)) return fmt::format("excluded by '{}'", p.text);
  }
  if (filter.include.empty()) return "";
  // A type or admin entry may still take it in: only globs alone decide from the name.
  for (const InterfacePattern& p : filter.include) {
    if (p.kind != InterfacePattern::Kind::kNameGlob || GlobMatches(p, name)) return "";
  }
  return "matched by no 'include' entry";
}

}  // namespace

void ReadInterfaceFilter(YamlReader& r, const YAML::Node& node, std::string_view where,
                         InterfaceFilter& out) {
  if (!r.ExpectMap(node, fmt::format("{} interfaces", where))) return;
  r.CheckKeys(node, {"include", "exclude"}, fmt::format("{} interfaces", where));
  ReadPatterns(r, node, "include", where, out.include);
  ReadPatterns(r, node, "exclude", where, out.exclude);
}

void WarnFilteredLinks(YamlReader& warnings, const YAML::Node& links, const Config& cfg) {
  for (size_t i = 0; i < cfg.links.size() && i < links.size(); ++i) {
    const LinkConfig& link = cfg.links[i];
    const DeviceConfig* device = cfg.FindDevice(link.device);
    if (!device || link.interface.key != InterfaceKey::kName) continue;
    std::string why = NameFilteredOut(device->interfaces, link.interface.value);
    if (why.empty()) continue;
    warnings.Report(links[i]["interface"],
                    fmt::format("link '{}': interface '{}' is {} in device '{}' interfaces; "
                                "watched anyway, as every configured link's port is",
                                link.name, link.interface.value, why, device->name));
  }
}

}  // namespace lanwatch
