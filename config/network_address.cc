#include "config/network_address.h"

#include <arpa/inet.h>
#include <endian.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace lanwatch {

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (version == 4)
    inet_ntop(AF_INET, bytes.data(), text, sizeof(text));
  else if (version == 6)
    inet_ntop(AF_INET6, bytes.data(), text, sizeof(text));
  return text;
}

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  Cidr c;
  std::string address(text.substr(0, text.find('/')));
  if (inet_pton(AF_INET, address.c_str(), c.network.bytes.data()) == 1) {
    c.network.version = 4;
    c.prefix = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), c.network.bytes.data()) == 1) {
    c.network.version = 6;
    c.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    int prefix = -1;
    auto rest = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), prefix);
    if (ec != std::errc() || end != rest.data() + rest.size() || prefix < 0 || prefix > c.prefix) {
      return std::nullopt;
    }
    c.prefix = prefix;
  }
  return c;
}

namespace {

// The address's 16 bytes as two big-endian words (IPv4 fills the top of the first).
void Words(const IpAddress& a, uint64_t out[2]) {
  std::memcpy(out, a.bytes.data(), 16);
  out[0] = be64toh(out[0]);
  out[1] = be64toh(out[1]);
}

uint64_t PrefixMask(int bits) {  // the top `bits` of a word, 0..64
  return bits <= 0 ? 0 : bits >= 64 ? ~0ULL : ~0ULL << (64 - bits);
}

}  // namespace

bool Cidr::Contains(const IpAddress& a) const { return CidrSet::Mask(*this).Matches(a); }

CidrSet::Masked CidrSet::Mask(const Cidr& c) {
  Masked m{c.network.version, {}, {PrefixMask(c.prefix), PrefixMask(c.prefix - 64)}};
  Words(c.network, m.net);
  m.net[0] &= m.mask[0];
  m.net[1] &= m.mask[1];
  return m;
}

bool CidrSet::Masked::Matches(const IpAddress& a) const {
  uint64_t w[2];
  Words(a, w);
  return version == a.version && (w[0] & mask[0]) == net[0] && (w[1] & mask[1]) == net[1];
}

CidrSet::CidrSet(const std::vector<Cidr>& networks) {
  for (const Cidr& c : networks) networks_.push_back(Mask(c));
}

// Per packet: the address's words are loaded and swapped once, not once per network.
bool CidrSet::Contains(const IpAddress& a) const {
  uint64_t w[2];
  Words(a, w);
  return std::any_of(networks_.begin(), networks_.end(), [&](const Masked& m) {
    return m.version == a.version && (w[0] & m.mask[0]) == m.net[0] &&
           (w[1] & m.mask[1]) == m.net[1];
  });
}

std::vector<Cidr> DefaultLocalNetworks() {
  std::vector<Cidr> out;
  for (const char* net : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "198.18.0.0/15",
                          "fc00::/7", "fe80::/10"}) {
    out.push_back(*Cidr::Parse(net));
  }
  return out;
}

}  // namespace lanwatch
