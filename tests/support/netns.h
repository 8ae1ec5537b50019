// Test support: network namespaces a test creates for itself, named after the test process's
// PID and removed by that exact name. Code that must run inside one (a scrape of a daemon
// listening on the namespace's loopback, a traffic source) runs on a thread that entered it:
// the network namespace is per thread, the rest of the test stays where it was.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "tests/support/process.h"

namespace lanwatch::testing {

class NetworkNamespace {
 public:
  // Creates "lwcap-<tag>-<pid>" with its loopback up. Throws std::runtime_error on failure.
  explicit NetworkNamespace(const std::string& tag);
  ~NetworkNamespace();  // `ip netns del` of that name
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  const std::string& name() const { return name_; }
  // `ip -n NAME ARGS`.
  CommandResult Ip(const std::string& args) const;
  // Runs `fn` on a thread inside the namespace and waits for it; rethrows what it throws.
  void Run(const std::function<void()>& fn) const;
  // GET http://127.0.0.1:PORT/PATH inside the namespace, as HttpGet does.
  std::pair<int, std::string> HttpGet(int port, const std::string& path) const;

 private:
  std::string name_;
};

// Sends `size`-byte UDP datagrams from inside `ns` to ADDRESS:9 every `period` until
// destroyed. The datagrams leave whether or not anything answers.
class UdpStream {
 public:
  UdpStream(const NetworkNamespace& ns, const std::string& address, size_t size,
            std::chrono::milliseconds period);
  ~UdpStream();
  uint64_t sent() const { return sent_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
  std::thread thread_;
};

}  // namespace lanwatch::testing
