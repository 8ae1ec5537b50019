#include "daemon/accounting_check.h"

#include <cmath>

namespace lanwatch {

void AccountingCheck::SampleCaptures(const Config& config, const CaptureRunner& captures) {
  for (const CaptureConfig& c : config.captures) {
    if (c.link.empty()) continue;
    if (auto bytes = captures.BytesForLink(c.link)) pending_[c.link] = *bytes;
  }
}

void AccountingCheck::Apply(NetworkStatus& status) {
  for (LinkStatus& link : status.links) {
    auto captured = pending_.find(link.name);
    if (captured == pending_.end() || !link.found) continue;
    const DeviceStatus* device = status.FindDevice(link.device);
    uint64_t snmp = 0;
    for (const InterfaceStatus& i : device->interfaces) {
      if (i.name == link.interface) snmp = i.receive_bytes_total + i.transmit_bytes_total;
    }
    auto last = last_.find(link.name);
    // No new SNMP reading since (a snapshot between rounds, or a trap's poll of another
    // device): the interval is the one measured last.
    if (last != last_.end() && snmp == last->second.second) {
      if (auto m = mismatch_.find(link.name); m != mismatch_.end()) {
        link.accounting_mismatch = m->second;
      }
      continue;
    }
    mismatch_.erase(link.name);
    if (last != last_.end() && snmp > last->second.second && link.in_bps) {
      double snmp_delta = static_cast<double>(snmp - last->second.second);
      double capture_delta = static_cast<double>(captured->second - last->second.first);
      link.accounting_mismatch = std::abs(capture_delta - snmp_delta) / snmp_delta;
      mismatch_[link.name] = *link.accounting_mismatch;
    }
    last_[link.name] = {captured->second, snmp};
  }
}

}  // namespace lanwatch
