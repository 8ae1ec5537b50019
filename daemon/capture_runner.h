// CaptureRunner: the daemon's packet captures, one thread each. The constructor opens them
// all (while the process still may) and starts nothing; Start() starts their threads, after
// DropPrivileges(). It keeps each capture's latest CaptureStatus for the snapshot. A capture
// that cannot open is reported down with why; the others carry on. One that fails later is
// reported down with why (logged once), and comes back by itself when its interface does
// (see LiveCapture). Snapshot() and BytesForLink() are thread-safe.
#pragma once

#include <atomic>
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "daemon/network_status.h"
#include "probes/capture/live_capture.h"

namespace lanwatch {

class CaptureRunner {
 public:
  explicit CaptureRunner(const std::vector<CaptureConfig>& captures, ReopenBackoff backoff = {});
  ~CaptureRunner();  // stops and joins the threads

  // Starts a thread per open capture. Call once, after DropPrivileges(): capabilities are
  // per thread, and a thread started before the drop would keep them.
  void Start();

  std::vector<CaptureStatus> Snapshot() const;
  // Bytes in + out so far of the capture that watches `link`, if one does and is up.
  std::optional<uint64_t> BytesForLink(const std::string& link) const;

 private:
  struct Running {
    size_t index;  // into status_
    CaptureConfig config;
    std::unique_ptr<LiveCapture> capture;
    std::thread thread;
  };
  void Update(size_t index, const CaptureSample& sample);

  std::atomic<bool> stop_{false};
  std::vector<std::unique_ptr<Running>> running_;
  mutable std::mutex mutex_;
  std::vector<CaptureStatus> status_;  // in config order
};

// The user lanwatchd becomes when started as root and told no other: "lanwatch" where that
// user exists (the package creates it, and the config is root:lanwatch 0640), else "nobody".
std::string DefaultServiceUser();

// After opening captures and before starting any thread: when root, become `user` (empty:
// DefaultServiceUser()) with that user's groups; then, root or not, keep no capability at
// all (effective, permitted, inheritable, ambient) and set no_new_privs, so that a bug in a
// packet decoder runs with nothing to abuse. Capabilities are per thread: this refuses to run
// once the process has a second thread.
std::expected<void, Error> DropPrivileges(const std::string& user);

}  // namespace lanwatch
