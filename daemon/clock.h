// Clock: where the deciding code gets the time. The daemon hands it the system's clocks;
// tests hand it a fake they advance by hand, so that rounds, rates and (later) alert
// durations are tested without sleeping.
#pragma once

#include <chrono>

namespace lanwatch {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic: intervals, deadlines, the schedule.
  virtual std::chrono::steady_clock::time_point Now() const = 0;
  // Wall time: what people read (timestamps in metrics, reports, emails).
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace lanwatch
