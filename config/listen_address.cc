#include "config/listen_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace lanwatch {
namespace {

bool IsIpv4(const std::string& host) {
  in_addr parsed{};
  return inet_pton(AF_INET, host.c_str(), &parsed) == 1;
}

bool IsIpv6(const std::string& host) {
  in6_addr parsed{};
  return inet_pton(AF_INET6, host.c_str(), &parsed) == 1;
}

std::expected<uint16_t, std::string> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return std::unexpected("the port must be a number from 0 to 65535");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::expected<ListenAddress, std::string> ParseListenAddress(std::string_view text,
                                                             uint16_t default_port) {
  ListenAddress out;
  out.port = default_port;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::unexpected("an '[' without its ']'");
    out.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::unexpected("only ':PORT' may follow ']'");
      port_text = rest.substr(1);
      has_port = true;
    }
    if (!IsIpv6(out.host)) return std::unexpected("brackets must hold an IPv6 address");
    out.ipv6 = true;
  } else if (text.find(':') != text.rfind(':')) {
    // Two colons or more: a bare IPv6 literal, which cannot carry a port.
    out.host = std::string(text);
    if (!IsIpv6(out.host)) return std::unexpected("not an IPv4 or IPv6 address");
    out.ipv6 = true;
  } else {
    size_t colon = text.find(':');
    out.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = text.substr(colon + 1);
      has_port = true;
    }
    if (!IsIpv4(out.host)) {
      return std::unexpected("the host must be an IPv4 address, or an IPv6 one in brackets");
    }
  }
  if (has_port) {
    auto port = ParsePort(port_text);
    if (!port) return std::unexpected(port.error());
    out.port = *port;
  }
  return out;
}

bool IsIpLiteral(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    return IsIpv6(std::string(text.substr(1, text.size() - 2)));
  }
  std::string host(text);
  return IsIpv4(host) || IsIpv6(host);
}

}  // namespace lanwatch
