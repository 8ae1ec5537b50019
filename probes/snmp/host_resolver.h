// HostResolver: turns device host names into addresses without ever blocking the polling
// thread (getaddrinfo can take the resolver's whole timeout when a DNS server is down). Each
// lookup runs on a thread of its own and wakes the poller through wake_fd(). An answer is kept
// and refreshed in the background every `refresh`, the last good address staying in use
// meanwhile; a name that could not be resolved is looked up again at most every `retry`.
// IP literals never need it (Literal()). Not thread-safe: one polling thread uses it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace lanwatch {

class HostResolver {
 public:
  struct Answer {
    std::string address;  // an IPv4 or IPv6 literal; empty when the lookup failed
    std::string error;    // why it failed, e.g. "Name or service not known"
    bool ok() const { return error.empty(); }
  };

  explicit HostResolver(std::chrono::seconds refresh = std::chrono::minutes(5),
                        std::chrono::seconds retry = std::chrono::seconds(30));
  ~HostResolver();
  HostResolver(const HostResolver&) = delete;
  HostResolver& operator=(const HostResolver&) = delete;

  // What is known of `host` now, or nullopt while a lookup runs whose answer is needed (the
  // first one, or a retry after a failure). Starts that lookup, or a background refresh.
  std::optional<Answer> Lookup(const std::string& host);

  // Becomes readable when a lookup finishes; Drain() it before waiting again.
  int wake_fd() const;
  void Drain();

  // `address` as a bare literal when it is an IPv4 or IPv6 one ("[::1]" too), else nullopt.
  static std::optional<std::string> Literal(const std::string& address);

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;  // also owned by running lookups, which may outlive us
  std::chrono::seconds refresh_, retry_;
};

}  // namespace lanwatch
