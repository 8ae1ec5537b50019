// lanwatchd: the monitoring daemon. Thin: parses arguments, runs daemon/daemon.h.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "config/guarded_main.h"
#include "daemon/daemon.h"

static int Main(int argc, char** argv) {
  CLI::App app{"lanwatchd: polls the network over SNMP and serves Prometheus metrics"};
  app.set_version_flag("--version", "lanwatch " LANWATCH_VERSION);
  lanwatch::DaemonOptions options;
  std::string listen;
  std::string log_level = "info";
  app.add_option("-c,--config", options.config_path, "config file")->required();
  app.add_option("--listen", listen, "HOST:PORT for /metrics (overrides the config)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  app.add_option("--rounds", options.max_rounds, "stop after N polling rounds (0: never)");
  app.add_option("--user", options.run_as,
                 "when started as root: the user to become once captures are open "
                 "(default: lanwatch where that user exists, else nobody)");
  std::string state_dir;
  app.add_option("--state-dir", state_dir,
                 "alert state and outbox directory (overrides the config's state_dir)");
  CLI11_PARSE(app, argc, argv);
  if (!listen.empty()) options.listen = listen;
  if (!state_dir.empty()) options.state_dir = state_dir;

  spdlog::set_default_logger(spdlog::stderr_color_mt("lanwatchd"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  return lanwatch::RunDaemon(options);
}

int main(int argc, char** argv) { return lanwatch::GuardedMain("lanwatchd", 1, Main, argc, argv); }
