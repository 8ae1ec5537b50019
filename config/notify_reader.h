// Reads the `notify:` section (language, dashboard link, time zone, email, Alertmanager) into
// NotifySettings. Internal to config/: config_loader.cc calls it with its YamlReader, so that
// every problem carries its line and column like the rest of the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

void ReadNotify(YamlReader& r, const YAML::Node& node, NotifySettings& out);

}  // namespace lanwatch
