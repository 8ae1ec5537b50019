#include "daemon/commands.h"

#include <fmt/format.h>

#include <cstdio>

#include "config/config_loader.h"
#include "daemon/health_check.h"
#include "daemon/link_health.h"
#include "exporters/check_report.h"

namespace lanwatch {

int RunValidateCommand(const std::string& config_path) {
  auto config = LoadConfigFile(config_path);
  if (!config) {
    for (const Diagnostic& d : config.error()) fmt::print(stderr, "{}\n", d.ToString());
    fmt::print(stderr, "{}: {} problem(s)\n", config_path, config.error().size());
    return 2;
  }
  fmt::print("{}: OK ({} devices, {} links)\n", config_path, config->devices.size(),
             config->links.size());
  return 0;
}

int RunCheckCommand(const CheckOptions& options) {
  auto config = LoadConfigFile(options.config_path);
  if (!config) {
    fmt::print("LANWATCH UNKNOWN - invalid config {}\n", options.config_path);
    for (const Diagnostic& d : config.error()) fmt::print("{}\n", d.ToString());
    return static_cast<int>(Severity::kUnknown);
  }
  NetworkStatus status = RunHealthCheck(*config, options.sample);
  Severity overall = OverallSeverity(status);
  std::string report =
      options.json ? RenderJsonReport(status, overall) : RenderNagiosReport(status, overall);
  fmt::print("{}", report);
  std::fflush(stdout);
  return static_cast<int>(overall);
}

}  // namespace lanwatch
