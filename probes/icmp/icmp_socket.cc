#include "probes/icmp/icmp_socket.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace lanwatch {
namespace {

constexpr size_t kReceiveBuffer = 2048;  // an echo reply is 44 bytes; room for odd ones

int Domain(IpFamily f) { return f == IpFamily::kV4 ? AF_INET : AF_INET6; }
int Protocol(IpFamily f) {
  return f == IpFamily::kV4 ? static_cast<int>(IPPROTO_ICMP) : static_cast<int>(IPPROTO_ICMPV6);
}
const char* FamilyName(IpFamily f) { return f == IpFamily::kV4 ? "ICMP" : "ICMPv6"; }

std::expected<void, Error> SetOption(int fd, int level, int name, const void* value,
                                     socklen_t length, const char* what) {
  if (setsockopt(fd, level, name, value, length) != 0)
    return std::unexpected(Error(fmt::format("{}: {}", what, std::strerror(errno))));
  return {};
}

// Raw sockets see every ICMP packet the host receives: let only echo replies through. Errors
// about our requests still come, on the error queue.
std::expected<void, Error> PassEchoRepliesOnly(int fd, IpFamily family) {
  if (family == IpFamily::kV4) {
    icmp_filter filter{};
    filter.data = ~(1u << ICMP_ECHOREPLY);  // a set bit blocks that type
    return SetOption(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter), "ICMP_FILTER");
  }
  icmp6_filter filter{};
  ICMP6_FILTER_SETBLOCKALL(&filter);
  ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
  return SetOption(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter), "ICMP6_FILTER");
}

// A datagram socket's identifier is its local "port", chosen by the kernel when it is bound.
std::expected<uint16_t, Error> BindForIdentifier(int fd, IpFamily family) {
  sockaddr_storage local{};
  socklen_t length;
  if (family == IpFamily::kV4) {
    reinterpret_cast<sockaddr_in*>(&local)->sin_family = AF_INET;
    length = sizeof(sockaddr_in);
  } else {
    reinterpret_cast<sockaddr_in6*>(&local)->sin6_family = AF_INET6;
    length = sizeof(sockaddr_in6);
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), length) != 0)
    return std::unexpected(Error(fmt::format("bind: {}", std::strerror(errno))));
  length = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0)
    return std::unexpected(Error(fmt::format("getsockname: {}", std::strerror(errno))));
  return ntohs(family == IpFamily::kV4 ? reinterpret_cast<sockaddr_in*>(&local)->sin_port
                                       : reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
}

uint16_t RandomIdentifier() {
  uint16_t id = 0;
  if (getrandom(&id, sizeof(id), 0) != sizeof(id)) id = static_cast<uint16_t>(getpid());
  return id;
}

std::string DescribeError(const sock_extended_err& e, const IcmpAddress* offender) {
  std::string text = std::strerror(static_cast<int>(e.ee_errno));
  if (e.ee_origin == SO_EE_ORIGIN_ICMP || e.ee_origin == SO_EE_ORIGIN_ICMP6)
    text +=
        fmt::format(" ({} type {} code {}{})", e.ee_origin == SO_EE_ORIGIN_ICMP ? "ICMP" : "ICMPv6",
                    e.ee_type, e.ee_code, offender ? " from " + offender->ToString() : "");
  else if (e.ee_origin == SO_EE_ORIGIN_LOCAL)
    text += " (local)";
  return text;
}

}  // namespace

const char* ModeName(IcmpSocketMode mode) {
  return mode == IcmpSocketMode::kDatagram ? "datagram" : "raw";
}

std::optional<IcmpAddress> IcmpAddress::Parse(const std::string& text) {
  IcmpAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    a.family = IpFamily::kV4;
    a.length = sizeof(sockaddr_in);
    return a;
  }
  a.storage = {};
  if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    a.family = IpFamily::kV6;
    a.length = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

std::string IcmpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, text,
              sizeof(text));
  else if (storage.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, text,
              sizeof(text));
  return text;
}

bool IcmpAddress::SameHost(const IcmpAddress& other) const {
  if (storage.ss_family != other.storage.ss_family) return false;
  if (storage.ss_family == AF_INET)
    return reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in*>(&other.storage)->sin_addr.s_addr;
  if (storage.ss_family == AF_INET6)
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr,
                       &reinterpret_cast<const sockaddr_in6*>(&other.storage)->sin6_addr,
                       sizeof(in6_addr)) == 0;
  return false;
}

std::expected<IcmpSocket, Error> IcmpSocket::Open(IpFamily family, IcmpSocketMode mode) {
  const std::string what = fmt::format("{} {} socket", FamilyName(family), ModeName(mode));
  int type =
      (mode == IcmpSocketMode::kDatagram ? SOCK_DGRAM : SOCK_RAW) | SOCK_NONBLOCK | SOCK_CLOEXEC;
  int fd = socket(Domain(family), type, Protocol(family));
  if (fd < 0) return std::unexpected(Error(std::strerror(errno)).context(what));
  IcmpSocket sock(fd, family, mode, 0);  // closes fd on every early return below

  const int on = 1;
  if (auto ok = SetOption(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on), "SO_TIMESTAMPNS"); !ok)
    return std::unexpected(ok.error().context(what));
  auto recverr = family == IpFamily::kV4
                     ? SetOption(fd, SOL_IP, IP_RECVERR, &on, sizeof(on), "IP_RECVERR")
                     : SetOption(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on), "IPV6_RECVERR");
  if (!recverr) return std::unexpected(recverr.error().context(what));

  if (mode == IcmpSocketMode::kRaw) {
    if (auto ok = PassEchoRepliesOnly(fd, family); !ok)
      return std::unexpected(ok.error().context(what));
    sock.identifier_ = RandomIdentifier();
  } else {
    auto id = BindForIdentifier(fd, family);
    if (!id) return std::unexpected(id.error().context(what));
    sock.identifier_ = *id;
  }
  return sock;
}

IcmpSocket::IcmpSocket(int fd, IpFamily family, IcmpSocketMode mode, uint16_t identifier)
    : fd_(fd), family_(family), mode_(mode), identifier_(identifier), buffer_(kReceiveBuffer) {}

IcmpSocket::IcmpSocket(IcmpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      family_(other.family_),
      mode_(other.mode_),
      identifier_(other.identifier_),
      buffer_(std::move(other.buffer_)) {}

IcmpSocket& IcmpSocket::operator=(IcmpSocket&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    family_ = other.family_;
    mode_ = other.mode_;
    identifier_ = other.identifier_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

IcmpSocket::~IcmpSocket() { Close(); }

void IcmpSocket::Close() noexcept {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

int IcmpSocket::Send(std::span<const uint8_t> packet, const IcmpAddress& to) {
  ssize_t n = sendto(fd_, packet.data(), packet.size(), MSG_DONTWAIT,
                     reinterpret_cast<const sockaddr*>(&to.storage), to.length);
  return n < 0 ? errno : 0;
}

std::optional<IcmpReceived> IcmpSocket::Receive(bool error_queue) {
  IcmpReceived got;
  iovec iov{buffer_.data(), buffer_.size()};
  alignas(cmsghdr) char control[512];
  msghdr msg{};
  msg.msg_name = &got.from.storage;
  msg.msg_namelen = sizeof(got.from.storage);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT | (error_queue ? MSG_ERRQUEUE : 0));
  if (n < 0) return std::nullopt;
  got.from.length = msg.msg_namelen;
  got.from.family = family_;
  got.bytes = std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n));
  got.is_error = error_queue;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
        c->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
      timespec ts;
      std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
      got.kernel_time = ts;
    } else if (((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) &&
               c->cmsg_len >= CMSG_LEN(sizeof(sock_extended_err))) {
      sock_extended_err e;
      std::memcpy(&e, CMSG_DATA(c), sizeof(e));
      got.error_number = static_cast<int>(e.ee_errno);
      // The offender (the router or host that sent the error) follows the structure.
      IcmpAddress offender;
      const auto* where = reinterpret_cast<const sockaddr*>(
          reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c)) + 1);
      size_t room = c->cmsg_len - CMSG_LEN(sizeof(sock_extended_err));
      sa_family_t family = AF_UNSPEC;
      if (room >= sizeof(family)) std::memcpy(&family, where, sizeof(family));
      bool known = false;
      if (family == AF_INET && room >= sizeof(sockaddr_in)) {
        std::memcpy(&offender.storage, where, sizeof(sockaddr_in));
        known = true;
      } else if (family == AF_INET6 && room >= sizeof(sockaddr_in6)) {
        std::memcpy(&offender.storage, where, sizeof(sockaddr_in6));
        known = true;
      }
      got.error_text = DescribeError(e, known ? &offender : nullptr);
    }
  }
  return got;
}

}  // namespace lanwatch
