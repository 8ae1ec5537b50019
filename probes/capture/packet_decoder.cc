#include "probes/capture/packet_decoder.h"

#include <arpa/inet.h>
#include <pcap/dlt.h>

#include <cstring>

namespace lanwatch {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86dd;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88a8;
constexpr uint16_t kEtherQinQOld = 0x9100;
constexpr uint16_t kEtherMpls = 0x8847;
constexpr uint16_t kEtherMplsMulticast = 0x8848;

// A bounds-checked cursor over the captured bytes.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  bool Has(size_t n) const { return offset_ + n <= data_.size(); }
  uint8_t U8(size_t at) const { return data_[offset_ + at]; }
  uint16_t U16(size_t at) const {
    return static_cast<uint16_t>(data_[offset_ + at] << 8 | data_[offset_ + at + 1]);
  }
  uint32_t U32(size_t at) const { return static_cast<uint32_t>(U16(at)) << 16 | U16(at + 2); }
  const uint8_t* At(size_t at) const { return data_.data() + offset_ + at; }
  void Skip(size_t n) { offset_ += n; }

 private:
  std::span<const uint8_t> data_;
  size_t offset_ = 0;
};

Transport TransportOf(uint8_t protocol) {
  switch (protocol) {
    case 6:
      return Transport::kTcp;
    case 17:
      return Transport::kUdp;
    case 1:
    case 58:
      return Transport::kIcmp;  // ICMP and ICMPv6
    default:
      return Transport::kOther;
  }
}

// Sets an address as two 8-byte stores, over what the zeroing wrote: the meter reads it back
// at once as two 8-byte words, and a load that one store covers is forwarded from it, where
// one spanning several smaller stores (the zeroing, a 4-byte copy) waits for them all to reach
// the cache (a stall of a dozen cycles or so, several times a packet).
void SetAddress(IpAddress& address, uint8_t version, const uint8_t* bytes, size_t length) {
  uint64_t words[2] = {0, 0};
  std::memcpy(words, bytes, length);
  address.version = version;
  std::memcpy(address.bytes.data(), &words[0], 8);
  std::memcpy(address.bytes.data() + 8, &words[1], 8);
}

void DecodeIpv4(Reader r, PacketInfo& out) {
  if (!r.Has(20)) {
    out.truncated = true;
    return;
  }
  out.ip_version = 4;
  SetAddress(out.source, 4, r.At(12), 4);
  SetAddress(out.destination, 4, r.At(16), 4);
  out.transport = TransportOf(r.U8(9));
}

bool IsExtensionHeader(uint8_t next) {
  return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135;
}

void DecodeIpv6(Reader r, PacketInfo& out) {
  if (!r.Has(40)) {
    out.truncated = true;
    return;
  }
  out.ip_version = 6;
  SetAddress(out.source, 6, r.At(8), 16);
  SetAddress(out.destination, 6, r.At(24), 16);
  uint8_t next = r.U8(6);
  r.Skip(40);
  // Walk the extension headers to the transport; a bounded number, in case of a loop.
  for (int hops = 0; hops < 16 && IsExtensionHeader(next); ++hops) {
    if (!r.Has(8)) {
      out.truncated = true;
      out.transport = Transport::kOther;
      return;
    }
    uint8_t following = r.U8(0);
    size_t length = next == 44   ? 8                                       // fragment: fixed
                    : next == 51 ? (static_cast<size_t>(r.U8(1)) + 2) * 4  // AH: 4-byte units
                                 : (static_cast<size_t>(r.U8(1)) + 1) * 8;
    next = following;
    r.Skip(length);
  }
  out.transport = TransportOf(next);
}

void DecodeByFirstNibble(Reader r, PacketInfo& out) {
  if (!r.Has(1)) {
    out.truncated = true;
    return;
  }
  uint8_t version = r.U8(0) >> 4;
  if (version == 4)
    DecodeIpv4(r, out);
  else if (version == 6)
    DecodeIpv6(r, out);
}

void DecodeEtherType(Reader r, uint16_t type, PacketInfo& out) {
  // VLAN tags, stacked (QinQ) or not: each is 4 bytes, the last names the payload.
  for (int tags = 0;
       tags < 8 && (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld); ++tags) {
    if (!r.Has(4)) {
      out.truncated = true;
      return;
    }
    type = r.U16(2);
    r.Skip(4);
  }
  if (type == kEtherMpls || type == kEtherMplsMulticast) {
    for (int labels = 0; labels < 16; ++labels) {  // until the bottom-of-stack bit
      if (!r.Has(4)) {
        out.truncated = true;
        return;
      }
      bool bottom = (r.U32(0) & 0x100) != 0;
      r.Skip(4);
      if (bottom) break;
    }
    DecodeByFirstNibble(r, out);
    return;
  }
  if (type == kEtherIpv4)
    DecodeIpv4(r, out);
  else if (type == kEtherIpv6)
    DecodeIpv6(r, out);
}

}  // namespace

PacketInfo DecodePacket(int link_type, std::span<const uint8_t> captured) {
  PacketInfo out;
  Reader r(captured);
  // The common case first: untagged Ethernet carrying a whole IP header, straight to its
  // decoder (what the general path below would do, without the tag and MPLS walks).
  if (link_type == DLT_EN10MB && r.Has(14 + 20)) {
    const uint16_t type = r.U16(12);
    r.Skip(14);
    if (type == kEtherIpv4) {
      DecodeIpv4(r, out);
      return out;
    }
    if (type == kEtherIpv6) {
      DecodeIpv6(r, out);
      return out;
    }
    DecodeEtherType(r, type, out);
    return out;
  }
  // Link headers that end in an EtherType: Ethernet (14 bytes), Linux cooked (16).
  auto by_ether_type = [&](size_t header, size_t type_at) {
    if (!r.Has(header)) {
      out.truncated = true;
      return out;
    }
    uint16_t type = r.U16(type_at);
    r.Skip(header);
    DecodeEtherType(r, type, out);
    return out;
  };
  switch (link_type) {
    case DLT_EN10MB:
      return by_ether_type(14, 12);
    case DLT_LINUX_SLL:
      return by_ether_type(16, 14);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      DecodeByFirstNibble(r, out);
      return out;
    default:
      return out;
  }
}

}  // namespace lanwatch
