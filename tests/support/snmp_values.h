// SnmpValues as an agent's reply decodes them, for tests that hand-build replies.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "probes/snmp/snmp_value.h"

namespace lanwatch::testing {

inline SnmpValue Int(int64_t n) {
  SnmpValue v;
  v.type = SnmpType::kInteger;
  v.integer = n;
  return v;
}

inline SnmpValue Text(std::string bytes) {
  SnmpValue v;
  v.type = SnmpType::kOctetString;
  v.bytes = std::move(bytes);
  return v;
}

// Counter32, Gauge32, TimeTicks or Counter64 (`integer` set too, as a careless reader would
// look there).
inline SnmpValue Number(SnmpType type, uint64_t n) {
  SnmpValue v;
  v.type = type;
  v.number = n;
  v.integer = static_cast<int64_t>(n);
  return v;
}

}  // namespace lanwatch::testing
