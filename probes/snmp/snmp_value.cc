#include "probes/snmp/snmp_value.h"

#include "config/text_encoding.h"

namespace lanwatch {

std::optional<uint64_t> SnmpValue::AsUnsigned() const {
  switch (type) {
    case SnmpType::kCounter32:
    case SnmpType::kGauge32:
    case SnmpType::kTimeTicks:
    case SnmpType::kCounter64:
      return number;
    case SnmpType::kInteger:
      if (integer >= 0) return static_cast<uint64_t>(integer);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string SnmpValue::AsText(TextEncoding encoding) const {
  if (type == SnmpType::kObjectId) return object_id.ToString();
  if (type != SnmpType::kOctetString && type != SnmpType::kOpaque) return {};
  return DecodeAgentText(bytes, encoding);
}

}  // namespace lanwatch
