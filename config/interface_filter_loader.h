// Reads a device's `interfaces: {include: [...], exclude: [...]}`, and warns about links whose
// port the filter would leave out (they are watched anyway). Internal to config/;
// config_loader.cc calls it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

void ReadInterfaceFilter(YamlReader& r, const YAML::Node& node, std::string_view where,
                         InterfaceFilter& out);

// Reports to `warnings`, at each link of `links` (the YAML list `cfg.links` was read from),
// a link whose port its device's filter leaves out: watched anyway, but likely a mistake.
void WarnFilteredLinks(YamlReader& warnings, const YAML::Node& links, const Config& cfg);

}  // namespace lanwatch
