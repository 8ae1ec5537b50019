// AccountingCheck: a link's bytes by packet capture against its bytes by SNMP, over the same
// poll interval (lanwatch_link_accounting_mismatch_ratio). Capture totals are sampled as each
// round starts, when the agents are read; a snapshot without a new SNMP reading of the link
// repeats the last figure. Not thread-safe: the poll loop's thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "config/config.h"
#include "daemon/capture_runner.h"
#include "daemon/network_status.h"

namespace lanwatch {

class AccountingCheck {
 public:
  void SampleCaptures(const Config& config, const CaptureRunner& captures);
  // Sets accounting_mismatch on the links a capture watches, over an interval with an SNMP
  // rate (no discontinuity, not the first poll).
  void Apply(NetworkStatus& status);

 private:
  std::map<std::string, uint64_t> pending_;  // capture bytes at this round's start
  std::map<std::string, std::pair<uint64_t, uint64_t>> last_;  // capture, SNMP at the last one
  std::map<std::string, double> mismatch_;                     // over the last interval measured
};

}  // namespace lanwatch
