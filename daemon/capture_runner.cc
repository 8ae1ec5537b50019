#include "daemon/capture_runner.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace lanwatch {

CaptureRunner::CaptureRunner(const std::vector<CaptureConfig>& captures) {
  status_.resize(captures.size());
  for (size_t i = 0; i < captures.size(); ++i) {
    const CaptureConfig& c = captures[i];
    status_[i].name = c.name;
    status_[i].interface = c.interface;
    auto opened = LiveCapture::Open(c);
    if (!opened) {
      status_[i].error = opened.error().message;
      spdlog::error("capture {}: {}", c.name, opened.error().message);
      continue;
    }
    status_[i].up = true;
    auto run = std::make_unique<Running>(Running{c, std::move(*opened), {}});
    Running* r = run.get();
    run->thread = std::thread([this, r, i] {
      r->capture->Run(stop_, [this, i](const CaptureSample& s) {
        std::lock_guard lock(mutex_);
        CaptureStatus& st = status_[i];
        const double secs = std::max(s.interval_seconds, 1e-9);
        st.cumulative = s.cumulative;
        st.in_bps = static_cast<double>(s.interval.totals.bytes_in) * 8 / secs;
        st.out_bps = static_cast<double>(s.interval.totals.bytes_out) * 8 / secs;
        st.in_pps = static_cast<double>(s.interval.totals.packets_in) / secs;
        st.out_pps = static_cast<double>(s.interval.totals.packets_out) / secs;
        st.top_hosts = s.interval.top_hosts;
        st.top_conversations = s.interval.top_conversations;
        st.kernel_drops = s.kernel_drops;
        st.interface_drops = s.interface_drops;
      });
    });
    running_.push_back(std::move(run));
  }
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

std::expected<void, Error> DropPrivileges(const std::string& user) {
  if (geteuid() == 0 && !user.empty()) {
    const passwd* pw = getpwnam(user.c_str());
    if (!pw) return std::unexpected(Error(fmt::format("no user '{}' to run as", user)));
    if (setgroups(0, nullptr) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
      return std::unexpected(Error(fmt::format("cannot become '{}': {}", user, strerror(errno))));
    }
  }
  // Whatever capabilities remain (CAP_NET_RAW given by systemd, say) go too.
  cap_t none = cap_init();
  int rc = cap_set_proc(none);
  cap_free(none);
  if (rc != 0)
    return std::unexpected(Error(fmt::format("cannot drop capabilities: {}", strerror(errno))));
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  return {};
}

}  // namespace lanwatch
