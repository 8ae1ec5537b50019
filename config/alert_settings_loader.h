// Reads the alerting parts of a config file: the rule settings (top-level `alerts:`, a
// device's `alerts:`, a link's `thresholds:`: one flat key space, each level overriding the
// one above) and `notify:`. Internal to config/; config_loader.cc calls it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

// Which rule settings a section may hold.
enum class AlertScope {
  kTop,     // every key: device, link and global rules
  kDevice,  // a device's `alerts:`: its own rules and defaults for its links
  kLink,    // a link's `thresholds:`
};

// `key` as critical, warning or none (the rule off); false when absent or wrong.
bool ReadSeverity(YamlReader& r, const YAML::Node& node, std::string_view key, AlertSeverity& out);

// Reads the keys present in `node` over the values already in the out-parameters (those not
// in scope may be null). Reports unknown keys and inconsistent thresholds.
void ReadAlertSettings(YamlReader& r, const YAML::Node& node, std::string_view where,
                       AlertScope scope, DeviceAlertSettings* device, LinkThresholds* link,
                       GlobalAlertSettings* global);

void ReadNotify(YamlReader& r, const YAML::Node& node, NotifySettings& out);

}  // namespace lanwatch
