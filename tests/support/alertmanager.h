// Test support: a real Prometheus Alertmanager (Debian's prometheus-alertmanager, 0.25) on a
// free loopback port, with its own config and storage in a temporary directory and
// clustering off. Started by the constructor, ready (GET /-/ready answers 200) when it
// returns, stopped by PID.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/process.h"

namespace lanwatch::testing {

inline constexpr const char* kAlertmanagerBinary = "/usr/bin/prometheus-alertmanager";
inline constexpr const char* kAmtoolBinary = "/usr/bin/amtool";

class AlertmanagerServer {
 public:
  // Every alert routed to a receiver that sends nothing ("blackhole"); group_wait 1 s.
  static std::string DefaultConfig();

  // Throws std::runtime_error, with its log, when it exits or is not ready within 20 s:
  // construct it in a test or its SetUp (a throw from SetUpTestSuite is counted as a skip).
  explicit AlertmanagerServer(const std::string& config_yaml = DefaultConfig());

  int port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:PORT
  const std::string& config_path() const { return config_; }
  std::string log() const;

  // GET /api/v2/alerts?QUERY (e.g. "active=true"): the alerts it holds, a JSON array. Throws
  // when it does not answer 200 with JSON.
  nlohmann::json Alerts(const std::string& query = "") const;

 private:
  TempDir dir_;
  int port_;
  std::string config_;
  ChildProcess process_;
};

}  // namespace lanwatch::testing
