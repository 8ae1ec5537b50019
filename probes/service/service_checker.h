// ServiceChecker: runs a round of service checks (TCP connect, HTTP and HTTPS requests), all
// at once in one libcurl multi handle, and returns a ServiceResult per check.
//
// Why one blocking call with a deadline rather than a Start/Poll pair driven by the daemon:
// the daemon's rounds are synchronous (a probe's poll(sink, deadline) returns before its
// deadline), and a round of checks costs one thread's wait on sockets, not CPU. Run never
// returns later than `deadline` (plus the time to collect the results): each check's timeout
// is clipped to it, and a check still running then is cut short and reported down.
//
// Thread safety: one ServiceChecker per thread; separate instances are independent.
#pragma once

#include <chrono>
#include <vector>

#include "probes/service/service_check.h"

namespace lanwatch {

class ServiceChecker {
 public:
  // Results in the order of `checks`.
  std::vector<ServiceResult> Run(const std::vector<ServiceCheck>& checks,
                                 std::chrono::steady_clock::time_point deadline);
};

}  // namespace lanwatch
