#include "config/network_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

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

bool Cidr::Contains(const IpAddress& a) const {
  if (a.version != network.version) return false;
  int full = prefix / 8, rest = prefix % 8;
  if (!std::equal(a.bytes.begin(), a.bytes.begin() + full, network.bytes.begin())) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (network.bytes[full] & mask);
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
