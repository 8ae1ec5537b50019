// Reads a lanwatch YAML config into a Config, checking everything it can without the network:
// unknown keys (with did-you-mean), types, units, duplicate names, links to unknown devices,
// incomplete SNMPv3 credentials. All problems are reported at once, each with line and column.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/diagnostic.h"

namespace lanwatch {

std::expected<Config, Diagnostics> ParseConfig(std::string_view yaml_text,
                                               const std::string& source);
std::expected<Config, Diagnostics> LoadConfigFile(const std::string& path);

}  // namespace lanwatch
