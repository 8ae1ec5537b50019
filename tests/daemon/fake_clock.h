// A Clock moved by hand, for the deciding code's tests (single-threaded).
#pragma once

#include <chrono>

#include "daemon/clock.h"

namespace lanwatch::testing {

class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override { return steady_; }
  std::chrono::system_clock::time_point WallNow() const override { return wall_; }
  void Advance(std::chrono::milliseconds d) {
    steady_ += d;
    wall_ += d;
  }

 private:
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1000)};
  std::chrono::system_clock::time_point wall_ =
      std::chrono::system_clock::from_time_t(1'800'000'000);
};

}  // namespace lanwatch::testing
