// Reads a device's `interfaces: {include: [...], exclude: [...]}`, and warns about links whose
// port the filter would leave out (they are watched anyway). Internal to config/;
// config_loader.cc calls it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

void ReadInterfaceFilter(YamlReader& r, const YAML::Node& node, std::string_view where,
                         InterfaceFilter& out);

// Reports to `warnings`, at each link of `links` (the YAML list `cfg.links` was read from),
// a link whose port its device's filter leaves out: watched anyway, but likely a mistake.
void WarnFilteredLinks(YamlReader& warnings, const YAML::Node& links, const Config& cfg);

// The IANAifType number of a name from the common-names table (case-insensitive), or nullopt.
std::optional<int> InterfaceTypeNumber(std::string_view name);

// Why `filter` leaves out a port named `name`, judged from the name alone (a glob can be
// decided before any poll; a type or an admin state cannot); empty when it may be watched.
std::string NameFilteredOut(const InterfaceFilter& filter, const std::string& name);

}  // namespace lanwatch
