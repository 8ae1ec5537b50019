// Daemon: lanwatchd's main loop. Polls on a fixed schedule that does not drift (a slow round
// skips slots, it never shifts them), publishes each snapshot, reloads the config on SIGHUP
// (keeping the old one when the new one is invalid) and stops on SIGTERM/SIGINT. Signals are
// taken synchronously with sigtimedwait: no handlers, no flags.
#pragma once

#include <optional>
#include <string>

namespace lanwatch {

struct DaemonOptions {
  std::string config_path;
  std::optional<std::string> listen;  // overrides the config's `listen`
  int max_rounds = 0;                 // stop after this many rounds (0: run until signalled)
  // After opening captures, as root: become this user. Empty: "lanwatch" where that user
  // exists, else "nobody" (DefaultServiceUser()).
  std::string run_as;
  std::optional<std::string> state_dir;  // overrides the config's `state_dir`
};

// Returns the process exit code: 0 after a clean stop, 2 when the config is invalid,
// 1 when the metrics endpoint cannot listen.
int RunDaemon(const DaemonOptions& options);

}  // namespace lanwatch
