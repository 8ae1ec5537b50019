// Decodes just enough of a captured frame to account for it: IP version, transport, and the
// two addresses. Handles Ethernet with 802.1Q/802.1ad/QinQ tags, MPLS label stacks, Linux
// cooked captures, raw IP, and IPv6 extension headers. Never reads past the captured bytes:
// a truncated header gives what was decoded so far. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "config/network_address.h"

namespace lanwatch {

enum class Transport : uint8_t { kNone, kTcp, kUdp, kIcmp, kOther };

struct PacketInfo {
  uint8_t ip_version = 0;  // 0: not IP (ARP, IS-IS, ...) or cut before the IP header
  Transport transport = Transport::kNone;
  IpAddress source, destination;
  bool truncated = false;  // the capture ended inside a header we wanted
};

// DLT_* link types the decoder understands (others count as non-IP).
PacketInfo DecodePacket(int link_type, std::span<const uint8_t> captured);

}  // namespace lanwatch
