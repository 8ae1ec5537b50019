// Discovery: what `lanwatch discover` learns of one device: its identity and vendor, every
// interface, and optical transceiver levels matched to their interfaces. Built on the same
// query and decoding as the daemon's polls, plus ENTITY and vendor optics tables.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

struct OpticalReading {
  uint32_t if_index = 0;      // 0 when it could not be matched to an interface
  std::string interface;      // that interface's name
  std::string sensor;         // entPhysicalName, where the device names it
  std::string direction;      // "rx", "tx", or "" when the device does not say
  std::optional<double> dbm;  // where the units are known
  int64_t raw = 0;            // the value as the device reports it
  std::string raw_unit;       // "uW", "0.01 dBm", "dBm (scaled)", or "unknown"
  std::string source;         // the MIB it came from
};

struct Discovery {
  DeviceSample device;
  std::string vendor;  // from sysObjectID's enterprise number; "unknown" otherwise
  std::vector<OpticalReading> optics;
};

SnmpQuery BuildDiscoveryQuery();
// Text (names, aliases, sensor names) is read as `text` says, always into UTF-8.
std::expected<Discovery, Error> DecodeDiscovery(const SnmpQuery& query, const SnmpResult& result,
                                                TextEncoding text = TextEncoding::kAuto);

// "Huawei" for 1.3.6.1.4.1.2011.x, and so on for the vendors found in small networks.
std::string VendorFromObjectId(const std::string& sys_object_id);

}  // namespace lanwatch
