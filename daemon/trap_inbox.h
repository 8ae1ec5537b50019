// TrapInbox: hands traps from the receiver's thread to the daemon's loop. Push() queues one
// and makes fd() readable; the loop polls fd() with its signals and Take()s what came.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <vector>

#include "probes/snmp/trap_receiver.h"

namespace lanwatch {

class TrapInbox {
 public:
  TrapInbox() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~TrapInbox() {
    if (fd_ >= 0) close(fd_);
  }
  TrapInbox(const TrapInbox&) = delete;
  TrapInbox& operator=(const TrapInbox&) = delete;

  int fd() const { return fd_; }

  // Keeps at most kMaxQueued: a trap storm must not eat memory while a round runs.
  void Push(TrapEvent trap) {
    {
      std::lock_guard lock(mutex_);
      if (queued_.size() >= kMaxQueued) {
        ++dropped_;
        return;
      }
      queued_.push_back(std::move(trap));
    }
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
  }

  std::vector<TrapEvent> Take() {
    uint64_t count = 0;
    [[maybe_unused]] ssize_t n = read(fd_, &count, sizeof count);
    std::lock_guard lock(mutex_);
    std::vector<TrapEvent> out;
    out.swap(queued_);
    return out;
  }

  uint64_t dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
  }

 private:
  static constexpr size_t kMaxQueued = 10'000;
  int fd_;
  mutable std::mutex mutex_;
  std::vector<TrapEvent> queued_;
  uint64_t dropped_ = 0;
};

}  // namespace lanwatch
