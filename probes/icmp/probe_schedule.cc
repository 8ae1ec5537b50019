#include "probes/icmp/probe_schedule.h"

namespace lanwatch {

ProbeSchedule::ProbeSchedule(const std::vector<Clock::duration>& intervals, Clock::time_point start)
    : intervals_(intervals) {
  const auto n = static_cast<Clock::rep>(intervals.size());
  for (size_t k = 0; k < intervals.size(); ++k)
    due_.push({start + intervals[k] * static_cast<Clock::rep>(k) / n, k});
}

size_t ProbeSchedule::Pop(Clock::time_point now) {
  Due due = due_.top();
  due_.pop();
  const auto interval = intervals_[due.target];
  auto next = due.at + interval;
  if (next <= now && interval.count() > 0)  // behind: skip the missed slots, keep the phase
    next += interval * ((now - next) / interval + 1);
  due_.push({next, due.target});
  return due.target;
}

}  // namespace lanwatch
