// IP addresses and networks as plain values: what captures count by, and what configs name
// as local networks. Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanwatch {

struct IpAddress {
  uint8_t version = 0;              // 4 or 6; 0 when absent
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4

  bool operator==(const IpAddress&) const = default;
  auto operator<=>(const IpAddress&) const = default;
  std::string ToString() const;
};

struct Cidr {
  IpAddress network;
  int prefix = 0;
  // "198.18.1.0/24", "fc00::/7", or a single address.
  static std::optional<Cidr> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;
};

// A set of networks, matched as masks over two 64-bit words: cheap enough to ask per packet.
// The one implementation of CIDR matching (Cidr::Contains uses it too).
class CidrSet {
 public:
  explicit CidrSet(const std::vector<Cidr>& networks);
  bool Contains(const IpAddress& address) const;

  struct Masked {
    uint8_t version;
    uint64_t net[2], mask[2];
    bool Matches(const IpAddress& address) const;
  };
  static Masked Mask(const Cidr& cidr);

 private:
  std::vector<Masked> networks_;
};

// The private ranges, the lab's 198.18.0.0/15 and IPv6 ULA: a default for "local".
std::vector<Cidr> DefaultLocalNetworks();

}  // namespace lanwatch
