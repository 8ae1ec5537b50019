// Where lanwatch listens, as the config writes it: HOST[:PORT] with HOST an IPv4 literal, or an
// IPv6 literal (in brackets when a port follows: [::1]:1162). Names are not accepted: a
// listening socket is bound once at startup, and an address that a DNS answer could change
// would make it bind somewhere unexpected. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace lanwatch {

struct ListenAddress {
  std::string host;  // the bare literal, no brackets
  uint16_t port = 0;
  bool ipv6 = false;
};

// `default_port` when the text names none. Port 0 is accepted ("any free port"); callers that
// need a fixed one check. The error says what is wrong, in words, without the text itself.
std::expected<ListenAddress, std::string> ParseListenAddress(std::string_view text,
                                                             uint16_t default_port);

// An IPv4 or IPv6 literal, bare or in brackets ("[::1]"); no port, no name.
bool IsIpLiteral(std::string_view text);

}  // namespace lanwatch
