// PendingProbes: the requests one socket has in flight, keyed by the sequence number on the
// wire, and what became of each. A reply is attributed to a probe only when sequence, token
// and source all match one still waiting; a second reply to it is a duplicate, a reply after
// its timeout is late, anything else is foreign. Each is counted, none is misattributed.
// Pure (no I/O, no clock of its own): the prober passes the times. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>

namespace lanwatch {

struct PendingProbe {
  size_t target = 0;                                  // index into the prober's targets
  uint64_t sequence = 0;                              // that target's probe number
  uint64_t token = 0;                                 // the payload token sent
  std::chrono::system_clock::time_point sent_at;      // CLOCK_REALTIME just before sendto
  std::chrono::steady_clock::time_point sent_steady;  // the same moment
  std::chrono::steady_clock::time_point deadline;
};

enum class ReplyVerdict { kOurs, kDuplicate, kLate, kForeign };

class PendingProbes {
 public:
  using Clock = std::chrono::steady_clock;
  // How long an answered or expired sequence is remembered, to tell duplicates and late
  // replies from foreign ones.
  explicit PendingProbes(Clock::duration remember = std::chrono::seconds(30))
      : remember_(remember) {}

  void Add(uint16_t wire_sequence, const PendingProbe& probe);
  // A reply (or an error) for `wire_sequence` carrying `token` (nullopt when the packet did
  // not carry one, as in an error quoting 8 bytes), from a host `is_from(target)` says is the
  // probe's target. On kOurs, `probe` is the probe it answers, now no longer pending.
  ReplyVerdict Match(uint16_t wire_sequence, std::optional<uint64_t> token,
                     const std::function<bool(size_t target)>& is_from, PendingProbe* probe);
  // Removes and returns the probes whose deadline is at or before `now`, oldest first.
  std::deque<PendingProbe> Expire(Clock::time_point now);
  std::optional<Clock::time_point> next_deadline() const;
  size_t size() const { return waiting_.size(); }

 private:
  struct Done {
    size_t target;
    uint64_t token;
    bool answered;  // else expired
    Clock::time_point forget_at;
  };
  void Forget(Clock::time_point now);

  Clock::duration remember_;
  std::unordered_map<uint16_t, PendingProbe> waiting_;
  std::deque<uint16_t> order_;  // wire sequences in the order sent (deadlines in order too)
  std::unordered_map<uint16_t, Done> done_;
  std::deque<uint16_t> done_order_;
};

}  // namespace lanwatch
