#include "probes/snmp/host_resolver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <system_error>
#include <thread>

namespace lanwatch {

using Clock = std::chrono::steady_clock;

struct HostResolver::Shared {
  struct Entry {
    std::optional<Answer> answer;
    Clock::time_point updated;
    bool running = false;
  };

  Shared() {
    if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) wake[0] = wake[1] = -1;
  }
  ~Shared() {
    for (int fd : wake) {
      if (fd >= 0) close(fd);
    }
  }

  std::mutex mutex;
  std::map<std::string, Entry> entries;
  int wake[2] = {-1, -1};  // read end, write end
};

namespace {

// IPv4 first, as Net-SNMP's "udp:" transport would have resolved it; IPv6 when that is all
// the name has.
HostResolver::Answer Resolve(const std::string& host) {
  int last_error = 0;
  for (int family : {AF_INET, AF_INET6}) {
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    last_error = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (last_error != 0) continue;
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw = family == AF_INET
                          ? static_cast<const void*>(
                                &reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr)
                          : static_cast<const void*>(
                                &reinterpret_cast<const sockaddr_in6*>(found->ai_addr)->sin6_addr);
    if (inet_ntop(family, raw, text, sizeof text)) return {text, ""};
  }
  return {"", last_error ? gai_strerror(last_error) : "no address"};
}

}  // namespace

HostResolver::HostResolver(std::chrono::seconds refresh, std::chrono::seconds retry)
    : shared_(std::make_shared<Shared>()), refresh_(refresh), retry_(retry) {}

HostResolver::~HostResolver() = default;

int HostResolver::wake_fd() const { return shared_->wake[0]; }

void HostResolver::Drain() {
  char buffer[64];
  while (read(shared_->wake[0], buffer, sizeof buffer) > 0) {
  }
}

std::optional<HostResolver::Answer> HostResolver::Lookup(const std::string& host) {
  std::lock_guard lock(shared_->mutex);
  Shared::Entry& entry = shared_->entries[host];
  const bool good = entry.answer && entry.answer->ok();
  if (entry.running) return good ? entry.answer : std::nullopt;
  const auto age = Clock::now() - entry.updated;
  if (entry.answer && age < (good ? Clock::duration(refresh_) : Clock::duration(retry_))) {
    return entry.answer;
  }
  entry.running = true;
  try {
    // Detached, holding the shared state: a lookup stuck on a dead DNS server must neither
    // hold up our destruction nor find its state gone when it returns.
    std::thread([shared = shared_, host, refresh = refresh_, retry = retry_] {
      Answer answer = Resolve(host);
      std::lock_guard done(shared->mutex);
      Shared::Entry& e = shared->entries[host];
      e.running = false;
      if (answer.ok() || !e.answer || !e.answer->ok()) {
        e.answer = std::move(answer);
        e.updated = Clock::now();
      } else {
        // A failed refresh keeps the address that worked, and is tried again after `retry`.
        e.updated = Clock::now() - refresh + retry;
      }
      [[maybe_unused]] ssize_t n = write(shared->wake[1], "x", 1);
    }).detach();
  } catch (const std::system_error& e) {
    entry.running = false;
    entry.answer = Answer{"", std::string("cannot start a name lookup: ") + e.what()};
    entry.updated = Clock::now();
    return entry.answer;
  }
  return good ? entry.answer : std::nullopt;
}

std::optional<std::string> HostResolver::Literal(const std::string& address) {
  std::string bare = address;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  unsigned char buffer[sizeof(in6_addr)];
  if (inet_pton(AF_INET, bare.c_str(), buffer) == 1) return bare;
  if (inet_pton(AF_INET6, bare.c_str(), buffer) == 1) return bare;
  return std::nullopt;
}

}  // namespace lanwatch
