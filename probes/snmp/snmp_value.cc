#include "probes/snmp/snmp_value.h"

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

std::string SnmpValue::AsText() const {
  if (type == SnmpType::kObjectId) return object_id.ToString();
  if (type != SnmpType::kOctetString && type != SnmpType::kOpaque) return {};
  std::string text;
  text.reserve(bytes.size());
  for (unsigned char c : bytes) {
    // Printable ASCII, and bytes >= 0x80 to keep UTF-8 (Chinese port descriptions).
    if ((c >= 0x20 && c < 0x7f) || c >= 0x80) text += static_cast<char>(c);
  }
  // Agents often NUL-pad or space-pad strings.
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace lanwatch
