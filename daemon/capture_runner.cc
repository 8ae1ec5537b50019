#include "daemon/capture_runner.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lanwatch {

CaptureRunner::CaptureRunner(const std::vector<CaptureConfig>& captures, ReopenBackoff backoff) {
  status_.resize(captures.size());
  for (size_t i = 0; i < captures.size(); ++i) {
    const CaptureConfig& c = captures[i];
    status_[i].name = c.name;
    status_[i].interface = c.interface;
    auto opened = LiveCapture::Open(c, backoff);
    if (!opened) {
      status_[i].error = opened.error().message;
      spdlog::error("capture {}: {}", c.name, opened.error().message);
      continue;
    }
    status_[i].up = true;
    running_.push_back(std::make_unique<Running>(Running{i, c, std::move(*opened), {}}));
  }
}

void CaptureRunner::Start() {
  for (auto& run : running_) {
    Running* r = run.get();
    if (r->thread.joinable()) continue;
    r->thread = std::thread([this, r] {
      r->capture->Run(stop_, [this, r](const CaptureSample& s) { Update(r->index, s); });
    });
  }
}

void CaptureRunner::Update(size_t index, const CaptureSample& s) {
  std::lock_guard lock(mutex_);
  CaptureStatus& st = status_[index];
  if (s.up != st.up || s.error != st.error) {  // a state change: logged once, not per sample
    if (s.up) {
      spdlog::info("capture {}: capturing on {} again", st.name, st.interface);
    } else {
      spdlog::error("capture {}: down: {}; reopening with backoff", st.name, s.error);
    }
  }
  const double secs = std::max(s.interval_seconds, 1e-9);
  st.up = s.up;
  st.error = s.error;
  st.cumulative = s.cumulative;
  st.in_bps = static_cast<double>(s.interval.totals.bytes_in) * 8 / secs;
  st.out_bps = static_cast<double>(s.interval.totals.bytes_out) * 8 / secs;
  st.in_pps = static_cast<double>(s.interval.totals.packets_in) / secs;
  st.out_pps = static_cast<double>(s.interval.totals.packets_out) / secs;
  st.top_hosts = s.interval.top_hosts;
  st.top_conversations = s.interval.top_conversations;
  st.kernel_drops = s.kernel_drops;
  st.interface_drops = s.interface_drops;
}

CaptureRunner::~CaptureRunner() {
  stop_ = true;
  for (auto& r : running_) {
    if (r->thread.joinable()) r->thread.join();
  }
}

std::vector<CaptureStatus> CaptureRunner::Snapshot() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::optional<uint64_t> CaptureRunner::BytesForLink(const std::string& link) const {
  for (const auto& r : running_) {
    if (r->config.link == link) return r->capture->bytes_in() + r->capture->bytes_out();
  }
  return std::nullopt;
}

namespace {

// Threads of this process, from /proc/self/status; 0 if it cannot be read.
int ThreadCount() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

std::unexpected<Error> Failed(std::string_view what) {
  return std::unexpected(Error(fmt::format("{}: {}", what, std::strerror(errno))));
}

}  // namespace

std::string DefaultServiceUser() { return getpwnam("lanwatch") ? "lanwatch" : "nobody"; }

std::expected<void, Error> DropPrivileges(const std::string& requested) {
  if (int threads = ThreadCount(); threads > 1) {
    return std::unexpected(Error(fmt::format(
        "cannot drop privileges: {} threads already run, and each would keep its own", threads)));
  }
  if (geteuid() == 0) {
    const std::string user = requested.empty() ? DefaultServiceUser() : requested;
    const passwd* pw = getpwnam(user.c_str());
    if (!pw) return std::unexpected(Error(fmt::format("no user '{}' to run as", user)));
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    // The user's own groups (lanwatch's group can read the config on SIGHUP), no others.
    if (initgroups(user.c_str(), gid) != 0)
      return Failed(fmt::format("cannot set groups of '{}'", user));
    if (setgid(gid) != 0 || setuid(uid) != 0)
      return Failed(fmt::format("cannot become '{}'", user));
    if (setuid(0) == 0) return std::unexpected(Error("became root again after setuid(): refusing"));
  }
  // Whatever capabilities remain (CAP_NET_RAW from systemd's AmbientCapabilities, say) go
  // too: effective, permitted and inheritable here, ambient by the next call.
  cap_t none = cap_init();
  int rc = cap_set_proc(none);
  cap_free(none);
  if (rc != 0) return Failed("cannot drop capabilities");
  if (cap_reset_ambient() != 0) return Failed("cannot clear ambient capabilities");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Failed("cannot set no_new_privs");
  return {};
}

}  // namespace lanwatch
