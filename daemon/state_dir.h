// The state directory (alert state database) must be writable by the user lanwatchd runs as,
// which it becomes only after opening captures as root: as systemd's StateDirectory= does,
// create it while still root and hand it to that user.
#pragma once

#include <expected>
#include <string>

#include "config/error.h"

namespace lanwatch {

// When root: makes `dir` (0750) if missing and gives it (not its parents) to `user` (empty:
// DefaultServiceUser()). Not root: nothing to do. An Error says what failed; the daemon then
// runs with state that does not survive a restart.
std::expected<void, Error> PrepareStateDir(const std::string& dir, const std::string& user);

}  // namespace lanwatch
