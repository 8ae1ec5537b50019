// CaptureRunner: the daemon's packet captures, one thread each. Opens them all first (while
// the process still may), runs them, and keeps each one's latest CaptureStatus for the
// snapshot. A capture that cannot open is reported down with why; the others carry on.
// Snapshot() and BytesInOut() are thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.h"
#include "daemon/network_status.h"
#include "probes/capture/live_capture.h"

namespace lanwatch {

class CaptureRunner {
 public:
  explicit CaptureRunner(const std::vector<CaptureConfig>& captures);
  ~CaptureRunner();  // stops and joins the threads

  std::vector<CaptureStatus> Snapshot() const;
  // Bytes in + out so far of the capture that watches `link`, if one does and is up.
  std::optional<uint64_t> BytesForLink(const std::string& link) const;

 private:
  struct Running {
    CaptureConfig config;
    std::unique_ptr<LiveCapture> capture;
    std::thread thread;
  };
  std::atomic<bool> stop_{false};
  std::vector<std::unique_ptr<Running>> running_;
  mutable std::mutex mutex_;
  std::vector<CaptureStatus> status_;  // in config order
};

// After opening captures: become `user` when root (and keep no capability either way), so
// that a bug in a packet decoder runs with nothing to abuse. Empty user: stay, drop caps only.
std::expected<void, Error> DropPrivileges(const std::string& user);

}  // namespace lanwatch
