// Discovery: what `lanwatch discover` learns of one device: its identity and vendor, every
// interface, and its optical transceivers matched to their interfaces. Built on the same
// queries and decoding as the daemon's polls: the device's, and the optics' (optics.h).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/optics.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

struct Discovery {
  DeviceSample device;
  std::string vendor;  // from sysObjectID's enterprise number; "unknown" otherwise
  // One per module (probes/snmp/optics.h); if_index is 0 when it matches no interface here.
  std::vector<Transceiver> optics;

  // The name of the interface a module sits in (ifName, else ifDescr); "" for none.
  std::string InterfaceName(uint32_t if_index) const;
};

// The device query (as for a switch) and the optics query.
SnmpQuery BuildDiscoveryQuery();
// Text (names, aliases, sensor names) is read as `text` says, always into UTF-8.
std::expected<Discovery, Error> DecodeDiscovery(const SnmpQuery& query, const SnmpResult& result,
                                                TextEncoding text = TextEncoding::kAuto);

// "Huawei" for 1.3.6.1.4.1.2011.x, and so on for the vendors found in small networks.
std::string VendorFromObjectId(const std::string& sys_object_id);

}  // namespace lanwatch
