// The SNMP query lanwatch makes of a device, and its decoding into a DeviceSample.
// Shared by the daemon, `lanwatch check` and `lanwatch discover`.
#pragma once

#include <expected>
#include <functional>

#include "config/config.h"
#include "config/error.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

// System scalars and interface columns; host resources too for servers.
SnmpQuery BuildDeviceQuery(DeviceRole role);

// Decodes whatever the agent gave, a failed or cut-short query included: missing scalars
// (sysUpTime too: many real switches lack it) and columns just leave their fields empty, and
// `interfaces_complete` says whether every interface column reached its end. Fails only when
// the agent gave nothing usable: no scalar and no table cell at all.
// Names and descriptions are read as `text` says (the device's snmp.text_encoding), always
// into UTF-8.
std::expected<DeviceSample, Error> DecodeDeviceSample(const SnmpQuery& query,
                                                      const SnmpResult& result,
                                                      TextEncoding text = TextEncoding::kAuto);

// Calls `apply(row_index, value)` for each cell the walk of `column` returned.
void ForEachRow(const SnmpQuery& query, const SnmpResult& result, const Oid& column,
                const std::function<void(const Oid&, const SnmpValue&)>& apply);

}  // namespace lanwatch
