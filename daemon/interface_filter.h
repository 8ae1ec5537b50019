// Which interfaces of a device lanwatch watches: its `interfaces:` filter (config.h
// InterfaceFilter) applied to each polled interface. An interface left out is dropped from
// the poll before NetworkState sees it, so it has no state, no metrics, no line in `lanwatch
// check` and none on the status page. Pure functions; no I/O.
#pragma once

#include "config/config.h"
#include "daemon/sample_source.h"
#include "probes/snmp/device_sample.h"

namespace lanwatch {

// Whether `pattern` matches the interface: a glob on its name, its ifType or its admin state.
bool PatternMatches(const InterfacePattern& pattern, const InterfaceSample& interface);

// Whether `filter` watches the interface: no include entry, or one that matches; and no
// exclude entry that matches.
bool Watched(const InterfaceFilter& filter, const InterfaceSample& interface);

// Drops from `poll`'s sample the interfaces its device's filter does not watch, keeping the
// port of each of the device's configured links (as FindInterface resolves it: the first
// match in ifIndex order) whatever the filter says. A device without a filter is untouched.
void DropUnwatchedInterfaces(const Config& config, DevicePoll& poll);

}  // namespace lanwatch
