// IcmpSocket: one ICMP (or ICMPv6) socket for echo probes, the unprivileged datagram kind where
// net.ipv4.ping_group_range admits the process's group, else a raw one (CAP_NET_RAW; open it
// before privileges are dropped, the socket keeps working after). Every packet read comes with
// the kernel's receive timestamp (SO_TIMESTAMPNS); ICMP errors about our requests (host
// unreachable, TTL exceeded) arrive on the error queue (IP_RECVERR) with the request quoted.
// Not thread-safe: one thread uses it. Internal to probes/icmp.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <ctime>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/error.h"
#include "probes/icmp/icmp_packet.h"

namespace lanwatch {

enum class IcmpSocketMode { kDatagram, kRaw };
const char* ModeName(IcmpSocketMode mode);  // "datagram", "raw"

// A numeric IPv4 or IPv6 address; nullopt for anything else (no DNS here).
struct IcmpAddress {
  IpFamily family = IpFamily::kV4;
  sockaddr_storage storage{};
  socklen_t length = 0;
  static std::optional<IcmpAddress> Parse(const std::string& text);
  std::string ToString() const;
  bool SameHost(const IcmpAddress& other) const;  // same family and address, port ignored
};

// A packet read from the socket: an echo reply candidate, or an error about one of ours.
struct IcmpReceived {
  std::span<const uint8_t> bytes;       // into the socket's buffer; valid until the next Receive
  IcmpAddress from;                     // who sent it; for errors, whom our request was for
  std::optional<timespec> kernel_time;  // SO_TIMESTAMPNS (CLOCK_REALTIME)
  bool is_error = false;                // read from the error queue
  int error_number = 0;                 // is_error: errno-style (EHOSTUNREACH, ...)
  std::string error_text;               // is_error: what and from where, for people
};

class IcmpSocket {
 public:
  static std::expected<IcmpSocket, Error> Open(IpFamily family, IcmpSocketMode mode);
  IcmpSocket(IcmpSocket&& other) noexcept;
  IcmpSocket& operator=(IcmpSocket&& other) noexcept;
  ~IcmpSocket();

  int fd() const { return fd_; }
  IpFamily family() const { return family_; }
  IcmpSocketMode mode() const { return mode_; }
  // The identifier on the wire: ours for raw sockets, the kernel's (the socket's "port") for
  // datagram ones, which rewrite whatever identifier we put in the request.
  uint16_t identifier() const { return identifier_; }

  // Sends `packet`; returns errno on failure (EHOSTUNREACH, ENETUNREACH, EAGAIN...).
  int Send(std::span<const uint8_t> packet, const IcmpAddress& to);
  // Reads one packet without blocking, from the error queue (poll says POLLERR) or the
  // ordinary one (POLLIN); nullopt when nothing is waiting there.
  std::optional<IcmpReceived> Receive(bool error_queue);

 private:
  IcmpSocket(int fd, IpFamily family, IcmpSocketMode mode, uint16_t identifier);
  void Close() noexcept;

  int fd_ = -1;
  IpFamily family_ = IpFamily::kV4;
  IcmpSocketMode mode_ = IcmpSocketMode::kDatagram;
  uint16_t identifier_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace lanwatch
