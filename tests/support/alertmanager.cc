#include "tests/support/alertmanager.h"

#include <fmt/format.h>

#include <stdexcept>

namespace lanwatch::testing {

std::string AlertmanagerServer::DefaultConfig() {
  return "route:\n"
         "  receiver: blackhole\n"
         "  group_wait: 1s\n"
         "receivers:\n"
         "  - name: blackhole\n";
}

AlertmanagerServer::AlertmanagerServer(const std::string& config_yaml) : port_(FreeTcpPort()) {
  config_ = dir_.Write("alertmanager.yml", config_yaml);
  process_ = ChildProcess::Start(
      {kAlertmanagerBinary, "--config.file=" + config_, "--storage.path=" + dir_.path() + "/data",
       fmt::format("--web.listen-address=127.0.0.1:{}", port_),
       // Empty: no cluster, so nothing listens on 0.0.0.0:9094 or looks for peers.
       "--cluster.listen-address="},
      dir_.path() + "/alertmanager.log");
  bool exited = false;
  bool ready = WaitUntil(std::chrono::seconds(20), [&] {
    exited = !process_.running();
    return exited || HttpGet(port_, "/-/ready").first == 200;
  });
  if (!ready || exited) {
    throw std::runtime_error(fmt::format("alertmanager on port {} {}: {}", port_,
                                         exited ? "exited" : "was not ready within 20 s", log()));
  }
}

std::string AlertmanagerServer::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

std::string AlertmanagerServer::log() const { return ReadFile(dir_.path() + "/alertmanager.log"); }

nlohmann::json AlertmanagerServer::Alerts(const std::string& query) const {
  // With curl, not HttpGet: Go answers a long list chunked, which HttpGet does not decode.
  std::string get = url() + "/api/v2/alerts" + (query.empty() ? "" : "?" + query);
  CommandResult got =
      RunCommand(fmt::format("curl -sS --noproxy '*' --max-time 5 --fail-with-body '{}'", get));
  if (got.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("GET {}: curl exit {}: {}", get, got.exit_code, got.output));
  }
  nlohmann::json alerts = nlohmann::json::parse(got.output, nullptr, /*allow_exceptions=*/false);
  if (!alerts.is_array())
    throw std::runtime_error("GET " + get + ": not a JSON array: " + got.output);
  return alerts;
}

}  // namespace lanwatch::testing
