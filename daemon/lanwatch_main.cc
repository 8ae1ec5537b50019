// lanwatch: the IT section's command line. Thin: parses arguments, calls daemon/commands.h.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "config/guarded_main.h"
#include "config/text_encoding.h"
#include "config/units.h"
#include "daemon/commands.h"

namespace {

int Usage(const std::string& message) {
  fmt::print(stderr, "{}\n", message);
  return 2;
}

}  // namespace

static int Main(int argc, char** argv) {
  CLI::App app{"lanwatch: check and explore the bureau's network"};
  app.set_version_flag("--version", "lanwatch " LANWATCH_VERSION);
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
  check->add_flag("--explain", check_options.explain,
                  "also show every alert rule's value, threshold and verdict");
  check->add_option("--state-dir", check_options.state_dir,
                    "the daemon's state directory: its fiber baselines (the usual Rx) and, with "
                    "--explain, its alert state (how long each has held)");

  lanwatch::SilenceOptions silence_options;
  std::string silence_for = "2h";
  auto* silence = app.add_subcommand("silence", "planned work: no alert mail for a device or link");
  silence->require_subcommand(1);
  silence->add_option("-c,--config", silence_options.config_path, "config file")->required();
  silence->add_option("--state-dir", silence_options.state_dir,
                      "the daemon's state directory (default: the config's state_dir)");
  auto* silence_add = silence->add_subcommand("add", "silence DEVICE or DEVICE/LINK for a time");
  silence_add->add_option("target", silence_options.target, "DEVICE or DEVICE/LINK")->required();
  silence_add->add_option("--for", silence_for, "how long, like 2h or 30m")->capture_default_str();
  silence_add->add_option("--comment", silence_options.comment, "why (shown on check)");
  auto* silence_list = silence->add_subcommand("list", "the silences in force");
  auto* silence_remove = silence->add_subcommand("remove", "end a silence now");
  silence_remove->add_option("id", silence_options.id, "its ID, from `silence list`")->required();

  lanwatch::DiscoverOptions discover_options;
  std::string version = "2c", auth = "none", priv = "none", timeout = "2s", text_encoding = "auto";
  bool json = false, draft = false;
  auto* discover = app.add_subcommand(
      "discover", "read a device over SNMP: system, interfaces, optics; draft its config");
  discover->add_option("target", discover_options.target, "ADDRESS[:PORT]")->required();
  discover->add_option("--snmp-version", version, "1, 2c or 3")->capture_default_str();
  discover->add_option("--community", discover_options.snmp.community)->capture_default_str();
  discover->add_option("--user", discover_options.snmp.user, "SNMPv3 user");
  discover->add_option("--auth-protocol", auth, "none, SHA or SHA-256")->capture_default_str();
  discover->add_option("--auth-passphrase", discover_options.snmp.auth_passphrase);
  discover->add_option("--priv-protocol", priv, "none or AES")->capture_default_str();
  discover->add_option("--priv-passphrase", discover_options.snmp.priv_passphrase);
  discover->add_option("--timeout", timeout, "per attempt")->capture_default_str();
  discover->add_option("--retries", discover_options.snmp.retries)->capture_default_str();
  discover->add_option("--max-repetitions", discover_options.snmp.bulk_repetitions)
      ->capture_default_str();
  discover
      ->add_option("--text-encoding", text_encoding,
                   "how the device sends names: auto (UTF-8, else GB18030), utf-8, gb18030")
      ->capture_default_str();
  auto* json_flag = discover->add_flag("--json", json, "print JSON (schema in README)");
  discover->add_flag("--draft-config", draft, "print a config draft for this device")
      ->excludes(json_flag);

  lanwatch::ReplayCommandOptions replay_options;
  std::string replay_interval = "1s";
  auto* replay = app.add_subcommand(
      "replay", "per-interval traffic figures of a pcap/pcapng file, as a capture would give");
  replay->add_option("file", replay_options.path, "capture file")->required();
  replay->add_option("--interval", replay_interval)->capture_default_str();
  replay->add_option("--local", replay_options.local_networks,
                     "local network (CIDR), repeatable; default: private ranges, 198.18.0.0/15");
  replay->add_option("--top", replay_options.top_n, "top talkers per interval")
      ->capture_default_str();
  replay->add_flag("--json", replay_options.json, "one JSON object per line per interval");

  std::string notify_config;
  bool notify_test = false;
  auto* notify = app.add_subcommand("notify", "notifications: send a test email (--test)");
  notify->add_option("-c,--config", notify_config, "config file")->required();
  notify->add_flag("--test", notify_test, "send one test email through notify.email")->required();

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
    if (check_options.json && check_options.explain) {
      fmt::print(stderr, "--explain prints a table: use it without --json\n");
      return 3;
    }
    return lanwatch::RunCheckCommand(check_options);
  }
  if (*silence) {
    using Action = lanwatch::SilenceOptions::Action;
    silence_options.action = *silence_add      ? Action::kAdd
                             : *silence_remove ? Action::kRemove
                                               : Action::kList;
    (void)silence_list;
    auto parsed = lanwatch::ParseDuration(silence_for);
    if (!parsed || parsed->count() <= 0) return Usage("--for: give a duration like 2h");
    silence_options.duration = *parsed;
    return lanwatch::RunSilenceCommand(silence_options);
  }
  if (*notify) return lanwatch::RunNotifyTestCommand(notify_config);
  if (*replay) {
    auto parsed = lanwatch::ParseDuration(replay_interval);
    if (!parsed || parsed->count() <= 0) return Usage("--interval: give a duration like 1s");
    replay_options.interval = *parsed;
    return lanwatch::RunReplayCommand(replay_options);
  }
  if (*discover) {
    auto& snmp = discover_options.snmp;
    auto parsed_version = lanwatch::ParseSnmpVersion(version);
    auto parsed_auth = lanwatch::ParseAuthProtocol(auth);
    auto parsed_priv = lanwatch::ParsePrivProtocol(priv);
    if (!parsed_version) {
      return Usage(fmt::format("--snmp-version must be one of {}", lanwatch::kSnmpVersionChoices));
    }
    if (!parsed_auth) {
      return Usage(
          fmt::format("--auth-protocol must be one of {}", lanwatch::kAuthProtocolChoices));
    }
    if (!parsed_priv) {
      return Usage(
          fmt::format("--priv-protocol must be one of {}", lanwatch::kPrivProtocolChoices));
    }
    snmp.version = *parsed_version;
    snmp.auth_protocol = *parsed_auth;
    snmp.priv_protocol = *parsed_priv;
    auto encoding = lanwatch::ParseTextEncoding(text_encoding);
    if (!encoding) return Usage("--text-encoding must be auto, utf-8 or gb18030");
    snmp.text_encoding = *encoding;
    auto parsed = lanwatch::ParseDuration(timeout);
    if (!parsed) return Usage("--timeout: " + parsed.error());
    snmp.timeout = *parsed;
    discover_options.output = json    ? lanwatch::DiscoverOptions::Output::kJson
                              : draft ? lanwatch::DiscoverOptions::Output::kDraftConfig
                                      : lanwatch::DiscoverOptions::Output::kText;
    return lanwatch::RunDiscoverCommand(discover_options);
  }
  return 3;
}

int main(int argc, char** argv) { return lanwatch::GuardedMain("lanwatch", 3, Main, argc, argv); }
