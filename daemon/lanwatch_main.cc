// lanwatch: the IT section's command line. Thin: parses arguments, calls daemon/commands.h.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "config/units.h"
#include "daemon/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"lanwatch: check and explore the bureau's network"};
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log polling details on stderr");

  std::string validate_config;
  auto* validate = app.add_subcommand("validate", "check a config file; exit 2 if invalid");
  validate->add_option("-c,--config", validate_config, "config file")->required();

  lanwatch::CheckOptions check_options;
  std::string sample = "2s";
  auto* check = app.add_subcommand(
      "check", "poll every device once and report health, Nagios style (exit 0/1/2/3)");
  check->add_option("-c,--config", check_options.config_path, "config file")->required();
  check->add_option("--sample", sample, "time between the two samples that give rates")
      ->capture_default_str();
  check->add_flag("--json", check_options.json, "print JSON instead of text");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 3;  // a usage error is UNKNOWN to a Nagios caller
  }
  spdlog::set_default_logger(spdlog::stderr_color_st("lanwatch"));
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::err);

  if (*validate) return lanwatch::RunValidateCommand(validate_config);
  if (*check) {
    auto parsed = lanwatch::ParseDuration(sample);
    if (!parsed) {
      fmt::print(stderr, "--sample: {}\n", parsed.error());
      return 3;
    }
    check_options.sample = *parsed;
    return lanwatch::RunCheckCommand(check_options);
  }
  return 3;
}
