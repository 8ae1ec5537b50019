#include "daemon/state_dir.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "daemon/capture_runner.h"

namespace lanwatch {

std::expected<void, Error> PrepareStateDir(const std::string& dir, const std::string& requested) {
  if (geteuid() != 0) return {};
  const std::string user = requested.empty() ? DefaultServiceUser() : requested;
  const passwd* pw = getpwnam(user.c_str());
  if (!pw) return std::unexpected(Error(fmt::format("no user '{}' to own {}", user, dir)));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return std::unexpected(Error(fmt::format("cannot create {}: {}", dir, ec.message())));
  if (chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    return std::unexpected(
        Error(fmt::format("cannot give {} to '{}': {}", dir, user, std::strerror(errno))));
  }
  std::filesystem::permissions(dir, std::filesystem::perms(0750),
                               std::filesystem::perm_options::replace, ec);
  // A database left by an earlier run as root would stay unwritable to the user.
  for (const char* name : {"lanwatch.db", "lanwatch.db-wal", "lanwatch.db-shm"}) {
    std::string file = dir + "/" + name;
    if (access(file.c_str(), F_OK) == 0 && chown(file.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return std::unexpected(
          Error(fmt::format("cannot give {} to '{}': {}", file, user, std::strerror(errno))));
    }
  }
  return {};
}

}  // namespace lanwatch
