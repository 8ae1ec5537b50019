// Reads `web:`: the status page's basic auth, refresh and history. Internal to config/;
// config_loader.cc calls it.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

void ReadWeb(YamlReader& r, const YAML::Node& node, WebSettings& out);

}  // namespace lanwatch
