// The status page's topology: the network drawn in layers from the Internet inwards, from the
// config and the snapshot alone (any config, not only the bureau's). ISP (one per uplink link)
// -> the uplink's device -> the devices reached through it (the `parent` relations, walked
// from the uplink's device: the router's parent, the switch, is physically behind it) -> each
// other link as a leaf named by the link, beside the device it is on. Devices that no uplink
// reaches start layers of their own. Every node and edge is coloured by its ElementState and
// carries data-device or data-link and data-state; link elements link to /link/NAME.
#pragma once

#include <string>

#include "exporters/web/status_page.h"

namespace lanwatch {

std::string RenderTopologySvg(const PageInput& in);

}  // namespace lanwatch
