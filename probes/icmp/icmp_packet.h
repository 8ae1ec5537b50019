// ICMP and ICMPv6 echo packets: building requests and reading what comes back (echo replies,
// and the echo request quoted inside an error). Pure byte work, no sockets: every length is
// checked, so a truncated or garbage packet yields nullopt, never a read past its end.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lanwatch {

enum class IpFamily { kV4, kV6 };

// The ICMP types lanwatch sends and expects, per family.
namespace icmp_type {
inline constexpr uint8_t kEchoReplyV4 = 0;
inline constexpr uint8_t kEchoRequestV4 = 8;
inline constexpr uint8_t kEchoRequestV6 = 128;
inline constexpr uint8_t kEchoReplyV6 = 129;
}  // namespace icmp_type

inline constexpr size_t kIcmpHeaderBytes = 8;  // type, code, checksum, identifier, sequence
// Every request carries this in front of its 8-byte token, so that a reply with our
// identifier and sequence but someone else's payload is never taken for ours.
inline constexpr uint8_t kEchoMagic[8] = {'l', 'a', 'n', 'w', 'a', 't', 'c', 'h'};
inline constexpr size_t kEchoPayloadBytes = sizeof(kEchoMagic) + 8;

struct EchoFields {
  uint16_t identifier = 0;
  uint16_t sequence = 0;
  // The payload's token; a reply without lanwatch's payload (someone else's ping, seen by a
  // raw socket) parses with none.
  std::optional<uint64_t> token;
};

// RFC 1071 one's-complement sum over `bytes`, ready to store (network order in the packet).
uint16_t InternetChecksum(std::span<const uint8_t> bytes);

// An echo request with the lanwatch payload. IPv4: checksum filled in (raw sockets need it;
// datagram sockets recompute it). IPv6: checksum left 0, the kernel always computes ICMPv6
// checksums (they cover a pseudo-header with addresses only it knows for sure).
std::vector<uint8_t> BuildEchoRequest(IpFamily family, const EchoFields& fields);

// An echo reply. `bytes` starts at the ICMP header, except for IPv4 raw sockets, which see
// the IP header too: pass `with_ip_header` true there. A packet too short for its headers,
// whose IPv4 checksum is wrong or whose type is not echo reply gives nullopt.
std::optional<EchoFields> ParseEchoReply(IpFamily family, std::span<const uint8_t> bytes,
                                         bool with_ip_header);

// The echo request an ICMP error quotes, as the kernel's error queue hands it over (the
// original ICMP header and what followed it, at least 8 bytes). Only identifier and sequence
// are read: RFC 792 routers quote only 8 bytes past the IP header, so the token may be absent.
std::optional<EchoFields> ParseQuotedEchoRequest(IpFamily family, std::span<const uint8_t> bytes);

}  // namespace lanwatch
