#include "probes/icmp/icmp_packet.h"

#include <algorithm>
#include <cstring>

namespace lanwatch {
namespace {

uint16_t ReadBe16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

void WriteBe16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

uint8_t EchoRequestType(IpFamily f) {
  return f == IpFamily::kV4 ? icmp_type::kEchoRequestV4 : icmp_type::kEchoRequestV6;
}
uint8_t EchoReplyType(IpFamily f) {
  return f == IpFamily::kV4 ? icmp_type::kEchoReplyV4 : icmp_type::kEchoReplyV6;
}

// Identifier and sequence of an ICMP echo header of `type`; nullopt when too short.
std::optional<EchoFields> EchoHeader(std::span<const uint8_t> icmp, uint8_t type) {
  if (icmp.size() < kIcmpHeaderBytes || icmp[0] != type || icmp[1] != 0) return std::nullopt;
  return EchoFields{ReadBe16(icmp, 4), ReadBe16(icmp, 6), std::nullopt};
}

}  // namespace

uint16_t InternetChecksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<uint32_t>(bytes[i] << 8);  // odd length: pad a zero
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> BuildEchoRequest(IpFamily family, const EchoFields& fields) {
  std::vector<uint8_t> packet(kIcmpHeaderBytes + kEchoPayloadBytes, 0);
  packet[0] = EchoRequestType(family);
  WriteBe16(packet, 4, fields.identifier);
  WriteBe16(packet, 6, fields.sequence);
  std::memcpy(packet.data() + kIcmpHeaderBytes, kEchoMagic, sizeof(kEchoMagic));
  for (int i = 0; i < 8; ++i)  // big-endian, so a capture reads it the way it was counted
    packet[kIcmpHeaderBytes + sizeof(kEchoMagic) + i] =
        static_cast<uint8_t>(fields.token.value_or(0) >> (56 - 8 * i));
  if (family == IpFamily::kV4) WriteBe16(packet, 2, InternetChecksum(packet));
  return packet;
}

std::optional<EchoFields> ParseEchoReply(IpFamily family, std::span<const uint8_t> bytes,
                                         bool with_ip_header) {
  std::span<const uint8_t> icmp = bytes;
  if (with_ip_header) {
    if (bytes.size() < 20 || (bytes[0] >> 4) != 4) return std::nullopt;
    size_t header = static_cast<size_t>(bytes[0] & 0x0f) * 4;
    size_t total = ReadBe16(bytes, 2);
    if (header < 20 || total < header || total > bytes.size()) return std::nullopt;
    icmp = bytes.subspan(header, total - header);
  }
  auto fields = EchoHeader(icmp, EchoReplyType(family));
  if (!fields) return std::nullopt;
  // Over a whole packet with its checksum in place the sum is 0. ICMPv6's needs the
  // pseudo-header: the kernel has verified it before the packet reaches us.
  if (family == IpFamily::kV4 && InternetChecksum(icmp) != 0) return std::nullopt;
  auto payload = icmp.subspan(kIcmpHeaderBytes);
  if (payload.size() < kEchoPayloadBytes ||
      !std::equal(std::begin(kEchoMagic), std::end(kEchoMagic), payload.begin()))
    return fields;  // an echo reply, not to lanwatch
  uint64_t token = 0;
  for (int i = 0; i < 8; ++i) token = token << 8 | payload[sizeof(kEchoMagic) + i];
  fields->token = token;
  return fields;
}

std::optional<EchoFields> ParseQuotedEchoRequest(IpFamily family, std::span<const uint8_t> bytes) {
  return EchoHeader(bytes, EchoRequestType(family));
}

}  // namespace lanwatch
