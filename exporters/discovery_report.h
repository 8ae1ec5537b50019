// Renders a Discovery for `lanwatch discover`: a readable report, JSON (schema in README), or
// a draft config that `lanwatch validate` accepts. Pure functions.
#pragma once

#include <string>

#include "config/config.h"
#include "probes/snmp/discovery.h"

namespace lanwatch {

std::string RenderDiscoveryText(const Discovery& d);
std::string RenderDiscoveryJson(const Discovery& d);
// A config with this one device (named after sysName) and a link for each port that looks
// like an uplink or a subordinate unit's link: up, and with an alias or optics.
std::string RenderDraftConfig(const Discovery& d, const std::string& address,
                              const SnmpSettings& snmp);

}  // namespace lanwatch
