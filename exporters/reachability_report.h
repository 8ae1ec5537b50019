// The reachability part of `lanwatch check`: the echo probe targets, the uplink's verdict in
// words, and the bureau's services, as text and as JSON. Internal to exporters/ (used by
// check_report.cc); pure functions. The words are English, like the rest of `check`
// (notifications are the localised ones, exporters/notify).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/network_status.h"

namespace lanwatch {

// What a verdict means and whom to call: the one place `check` words the uplink's verdicts.
struct UplinkVerdictWords {
  std::string_view meaning;  // for JSON readers and the line's figures when none apply
  std::string_view advice;   // empty when there is nothing to do
};
UplinkVerdictWords WordsFor(UplinkVerdict verdict);

// "uplink: isp_loss (loss to the ISP 18%, beyond 20%): call the ISP"; the link's name after
// "uplink" unless it is called that. Empty for a link without a verdict.
std::string UplinkLine(const LinkStatus& link);

// Loss as a person reads it: "18%", "0.5%", "100%".
std::string LossPercent(double ratio);

// Tables for the text report, header first; empty when there is nothing to show.
// TARGET LINK ROLE LOSS MIN MEDIAN MAX JITTER, over each target's probe window.
std::string RenderReachabilityTable(const std::vector<ProbeTargetStatus>& probes);
// SERVICE KIND TARGET STATE CODE TTFB CERT ERROR.
std::string RenderServicesTable(const std::vector<ServiceStatus>& services);

// JSON, with null for what is not known (never 0 or "").
nlohmann::json FarEndJson(const LinkStatus& link);  // null for a link without a peer
nlohmann::json UplinkJson(const LinkStatus& link);  // null for a link without a verdict
nlohmann::json ProbesJson(const std::vector<ProbeTargetStatus>& probes);
nlohmann::json ServicesJson(const std::vector<ServiceStatus>& services);

}  // namespace lanwatch
