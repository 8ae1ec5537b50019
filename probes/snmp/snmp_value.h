// One SNMP value as decoded from a reply, free of Net-SNMP types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.h"
#include "probes/snmp/oid.h"

namespace lanwatch {

enum class SnmpType {
  kInteger,
  kOctetString,
  kObjectId,
  kIpAddress,
  kCounter32,
  kGauge32,
  kTimeTicks,
  kOpaque,
  kCounter64,
  kNull,
  // v2c/v3 exceptions: the object is not there, or the walk ran off the end of the agent's MIB.
  kNoSuchObject,
  kNoSuchInstance,
  kEndOfMibView,
  kOther,
};

struct SnmpValue {
  SnmpType type = SnmpType::kNull;
  int64_t integer = 0;  // kInteger
  uint64_t number = 0;  // kCounter32, kGauge32, kTimeTicks, kCounter64 (exact, never a double)
  std::string bytes;    // kOctetString, kOpaque; kIpAddress as 4 raw bytes
  Oid object_id;        // kObjectId

  bool IsException() const {
    return type == SnmpType::kNoSuchObject || type == SnmpType::kNoSuchInstance ||
           type == SnmpType::kEndOfMibView || type == SnmpType::kNull;
  }
  // Counter32/Gauge32/TimeTicks/Counter64, or a non-negative INTEGER.
  std::optional<uint64_t> AsUnsigned() const;
  // OCTET STRING as UTF-8 text, decoded as config/text_encoding.h's DecodeAgentText says
  // (GBK from Chinese-localised devices, control bytes and padding dropped): never invalid
  // UTF-8. OBJECT IDENTIFIER as dotted text; other types as "".
  std::string AsText(TextEncoding encoding = TextEncoding::kAuto) const;
};

struct VarBind {
  Oid oid;
  SnmpValue value;
};

}  // namespace lanwatch
