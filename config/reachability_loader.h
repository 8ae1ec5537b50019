// Reads the reachability parts of a config file: the ICMP echo probes' settings (`probes:`),
// the echo targets of a link (`peer:`, `beyond:`) and the bureau's services (`services:`).
// Internal to config/; config_loader.cc calls it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace lanwatch {

// `probes:` over the defaults in `out`; the interval, window and timeout are checked together,
// as they stand after the section is read.
void ReadProbes(YamlReader& r, const YAML::Node& node, ProbeSettings& out);

// A link's echo target `key` (peer or beyond): a numeric IPv4 or IPv6 address, stored bare
// ("[2001:db8::1]" becomes "2001:db8::1", as the prober wants it). Leaves `out` unchanged
// and reports when the value is a name or not an address.
void ReadEchoTarget(YamlReader& r, const YAML::Node& link, std::string_view key,
                    std::string_view where, std::string& out);

// `services:`, after the devices are read (a service names the device that serves it).
void ReadServices(YamlReader& r, const YAML::Node& list, Config& cfg);

}  // namespace lanwatch
