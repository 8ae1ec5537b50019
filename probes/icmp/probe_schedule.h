// ProbeSchedule: when each target's next echo request is due. Target k of N starts at k/N of
// its interval, so N targets on one interval send one request every interval/N, never N at
// once. A thread that fell behind skips the slots it missed rather than catching up in a
// burst, keeping each target's phase. Pure: the caller passes the clock. Not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <queue>
#include <vector>

namespace lanwatch {

class ProbeSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  ProbeSchedule(const std::vector<Clock::duration>& intervals, Clock::time_point start);

  bool empty() const { return due_.empty(); }
  Clock::time_point next_due() const { return due_.top().at; }
  // The target whose request is due first, rescheduled one interval on. Call when
  // next_due() <= now, or a little before it (a wake-up that sends what is due within its
  // slack): the target's next slot is a whole interval on either way.
  size_t Pop(Clock::time_point now);

 private:
  struct Due {
    Clock::time_point at;
    size_t target;
    bool operator>(const Due& o) const { return at != o.at ? at > o.at : target > o.target; }
  };
  std::vector<Clock::duration> intervals_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
};

}  // namespace lanwatch
