// Renders a NetworkStatus for `lanwatch check`: a Nagios plugin report (status line with
// perfdata, then tables) or JSON for machines. Pure functions.
#pragma once

#include <string>

#include "daemon/network_status.h"

namespace lanwatch {

// "LANWATCH CRITICAL - ... | perfdata" then a device table and a link table.
std::string RenderNagiosReport(const NetworkStatus& status, Severity overall);
std::string RenderJsonReport(const NetworkStatus& status, Severity overall);

}  // namespace lanwatch
