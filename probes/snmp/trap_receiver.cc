#include "probes/snmp/trap_receiver.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "config/listen_address.h"
#include "probes/snmp/snmp_client.h"
#include "probes/snmp/trap_decode.h"

namespace lanwatch {
namespace {

constexpr uint16_t kTrapPort = 162;
// Datagrams read per wakeup before a stop request is looked at again: a flood of traps must
// not keep the destructor waiting.
constexpr int kBurst = 64;
// The largest UDP payload there is: nothing arrives cut short.
constexpr size_t kMaxDatagram = 65536;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() { Close(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }

 private:
  void Close() noexcept {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  int fd_;
};

std::string SystemError() { return std::strerror(errno); }

// The sender, numeric. A socket on [::] also receives IPv4 traps, from ::ffff:a.b.c.d: those
// are told as a.b.c.d, the way the config and the resolver write them.
std::string SourceText(const sockaddr_storage& from) {
  char text[INET6_ADDRSTRLEN] = {};
  if (from.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(from);
    if (inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text)) return text;
  } else if (from.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(from);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
      if (inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text)) return text;
    } else if (inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text)) {
      return text;
    }
  }
  return "";
}

}  // namespace

struct TrapReceiver::Impl {
  FileDescriptor socket;
  FileDescriptor wake;  // an eventfd: the destructor's stop request
  uint16_t port = 0;
  std::atomic<uint64_t> malformed{0};
  std::atomic<bool> stop{false};
  std::function<void(TrapEvent)> on_trap;
  std::thread thread;

  void Run();
  void ReadAvailable(std::vector<uint8_t>& buffer);
  void Handle(std::span<const uint8_t> datagram, const sockaddr_storage& from, socklen_t from_len);
};

TrapReceiver::TrapReceiver() : impl_(std::make_unique<Impl>()) {}

TrapReceiver::~TrapReceiver() {
  if (impl_->thread.joinable()) {
    impl_->stop = true;
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(impl_->wake.get(), &one, sizeof one);
    impl_->thread.join();
  }
}

std::expected<std::unique_ptr<TrapReceiver>, Error> TrapReceiver::Open(const std::string& listen) {
  auto address = ParseListenAddress(listen, kTrapPort);
  if (!address) {
    return std::unexpected(Error(fmt::format("trap receiver '{}': {}", listen, address.error())));
  }
  sockaddr_storage bound{};
  socklen_t bound_len = 0;
  if (address->ipv6) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(bound);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(address->port);
    inet_pton(AF_INET6, address->host.c_str(), &v6.sin6_addr);  // ParseListenAddress checked it
    bound_len = sizeof v6;
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(bound);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(address->port);
    inet_pton(AF_INET, address->host.c_str(), &v4.sin_addr);
    bound_len = sizeof v4;
  }
  std::unique_ptr<TrapReceiver> receiver(new TrapReceiver());
  Impl& impl = *receiver->impl_;
  impl.socket = FileDescriptor(
      ::socket(bound.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP));
  if (impl.socket.get() < 0) {
    return std::unexpected(
        Error(fmt::format("trap receiver: cannot create a socket: {}", SystemError())));
  }
  if (bind(impl.socket.get(), reinterpret_cast<const sockaddr*>(&bound), bound_len) != 0) {
    return std::unexpected(
        Error(fmt::format("trap receiver: cannot listen on {}: {}", listen, SystemError())));
  }
  sockaddr_storage actual{};
  socklen_t actual_len = sizeof actual;
  if (getsockname(impl.socket.get(), reinterpret_cast<sockaddr*>(&actual), &actual_len) != 0) {
    return std::unexpected(Error(fmt::format("trap receiver on {}: {}", listen, SystemError())));
  }
  impl.port =
      ntohs(actual.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(actual).sin6_port
                                         : reinterpret_cast<const sockaddr_in&>(actual).sin_port);
  impl.wake = FileDescriptor(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (impl.wake.get() < 0) {
    return std::unexpected(Error(fmt::format("trap receiver: eventfd: {}", SystemError())));
  }
  // Net-SNMP set up (silent, no MIBs) now, on the caller's thread, not racing the poller's.
  InitNetSnmpOnce();
  return receiver;
}

void TrapReceiver::Start(std::function<void(TrapEvent)> on_trap) {
  if (impl_->thread.joinable()) return;  // started already
  impl_->on_trap = std::move(on_trap);
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

uint16_t TrapReceiver::port() const { return impl_->port; }

uint64_t TrapReceiver::malformed_total() const { return impl_->malformed.load(); }

void TrapReceiver::Impl::Run() {
  std::vector<uint8_t> buffer(kMaxDatagram);
  while (!stop.load()) {
    std::array<pollfd, 2> fds{{{socket.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}}};
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      spdlog::error("trap receiver stops: poll: {}", SystemError());
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) ReadAvailable(buffer);
  }
}

void TrapReceiver::Impl::ReadAvailable(std::vector<uint8_t>& buffer) {
  for (int i = 0; i < kBurst && !stop.load(); ++i) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(socket.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                         reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        spdlog::debug("trap receiver: recvfrom: {}", SystemError());
      }
      return;
    }
    if (static_cast<size_t>(n) > buffer.size()) {  // MSG_TRUNC tells the real size
      malformed.fetch_add(1);
      continue;
    }
    Handle(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)), from, from_len);
  }
}

void TrapReceiver::Impl::Handle(std::span<const uint8_t> datagram, const sockaddr_storage& from,
                                socklen_t from_len) {
  auto received_at = std::chrono::steady_clock::now();
  std::optional<DecodedTrap> decoded = DecodeTrapDatagram(datagram);
  if (!decoded) {
    malformed.fetch_add(1);
    return;
  }
  if (!decoded->response.empty()) {
    // The inform's sender retries until it hears this, so answer before anything else runs.
    if (sendto(socket.get(), decoded->response.data(), decoded->response.size(), 0,
               reinterpret_cast<const sockaddr*>(&from), from_len) < 0) {
      spdlog::debug("trap receiver: cannot answer an inform from {}: {}", SourceText(from),
                    SystemError());
    }
  }
  TrapEvent& event = decoded->event;
  event.received_at = received_at;
  event.source_address = SourceText(from);
  try {
    on_trap(std::move(event));
  } catch (const std::exception& e) {
    spdlog::warn("trap receiver: a trap from {} was not handled: {}", SourceText(from), e.what());
  }
}

}  // namespace lanwatch
