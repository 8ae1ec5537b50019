#include "daemon/process_limits.h"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace lanwatch {

size_t OpenFilesNeeded(const Config& config) {
  return config.devices.size() + config.services.size() + config.captures.size() + 128;
}

void RaiseOpenFilesLimit(size_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
      spdlog::info("open-files limit raised from {} to {} ({} needed)", before, limit.rlim_cur,
                   needed);
    } else {
      spdlog::warn("cannot raise the open-files limit from {}: {}", before, std::strerror(errno));
      limit.rlim_cur = before;
    }
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    spdlog::warn(
        "the open-files limit is {}, but polling every device needs about {}: devices beyond "
        "it fail with 'session' errors; raise LimitNOFILE (systemd) or ulimit -n",
        limit.rlim_cur, needed);
  }
}

void UseFewMallocArenas() { mallopt(M_ARENA_MAX, 2); }

void ReturnFreedMemory() { malloc_trim(0); }

}  // namespace lanwatch
