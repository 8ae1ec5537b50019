// The `lanwatch` subcommands, one function each, returning the process exit code. The CLI's
// main() only parses arguments; everything testable lives here.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"

namespace lanwatch {

// Prints every problem as FILE:LINE:COL: message. 0 when valid, 2 otherwise.
int RunValidateCommand(const std::string& config_path);

struct CheckOptions {
  std::string config_path;
  std::chrono::milliseconds sample{2000};
  bool json = false;
  bool explain = false;   // also every alert rule's verdict, with value and threshold
  std::string state_dir;  // read the daemon's alert state from here (with explain)
};
// Nagios plugin exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad config).
int RunCheckCommand(const CheckOptions& options);

struct DiscoverOptions {
  std::string target;  // ADDRESS, ADDRESS:PORT, [IPv6]:PORT or a bare IPv6 address
  SnmpSettings snmp;
  enum class Output { kText, kJson, kDraftConfig } output = Output::kText;
};
// 0 when the device answered, 1 when it did not, 2 for bad options.
int RunDiscoverCommand(DiscoverOptions options);

struct ReplayCommandOptions {
  std::string path;
  std::chrono::milliseconds interval{1000};
  std::vector<std::string> local_networks;  // CIDRs; empty: private ranges and the lab's
  size_t top_n = 5;
  bool json = false;
};
// 0 when the file was read to its end, 1 when it is malformed (figures up to the bad record
// are printed first), 2 for bad options.
int RunReplayCommand(const ReplayCommandOptions& options);

struct SilenceOptions {
  enum class Action { kAdd, kList, kRemove } action = Action::kList;
  std::string config_path;
  std::string state_dir;  // empty: the config's
  std::string target;     // DEVICE or DEVICE/LINK (add)
  std::chrono::milliseconds duration{2 * 3'600'000};
  std::string comment;
  int64_t id = 0;  // remove
};
// Maintenance silences in the daemon's state database. 0 on success, 1 when the database
// cannot be used, 2 for a bad target or option.
int RunSilenceCommand(const SilenceOptions& options);
// `lanwatch notify --test`: sends one test message through notify.email, as lanwatchd would
// send an alert, and prints what the server answered. 0 when the server took it, 1 when it
// did not or no email is configured, 2 for an invalid config.
int RunNotifyTestCommand(const std::string& config_path);

}  // namespace lanwatch
