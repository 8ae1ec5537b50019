#include "tests/support/netns.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace lanwatch::testing {
namespace {

// Moves the calling thread into the named namespace.
void Enter(const std::string& name) {
  int fd = open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("open netns " + name + ": " + std::strerror(errno));
  int rc = setns(fd, CLONE_NEWNET);
  int error = errno;
  close(fd);
  if (rc != 0) throw std::runtime_error("setns " + name + ": " + std::strerror(error));
}

}  // namespace

NetworkNamespace::NetworkNamespace(const std::string& tag)
    : name_(fmt::format("lwcap-{}-{}", tag, getpid())) {
  RunCommand("ip netns del " + name_);  // a leftover of this very name, from a killed run
  auto made = RunCommand("ip netns add " + name_);
  if (made.exit_code != 0) throw std::runtime_error("ip netns add " + name_ + ": " + made.output);
  auto lo = Ip("link set lo up");
  if (lo.exit_code != 0) throw std::runtime_error("lo up in " + name_ + ": " + lo.output);
}

NetworkNamespace::~NetworkNamespace() { RunCommand("ip netns del " + name_); }

CommandResult NetworkNamespace::Ip(const std::string& args) const {
  return RunCommand(fmt::format("ip -n {} {}", name_, args));
}

void NetworkNamespace::Run(const std::function<void()>& fn) const {
  std::exception_ptr failure;
  std::thread inside([&] {
    try {
      Enter(name_);
      fn();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  inside.join();
  if (failure) std::rethrow_exception(failure);
}

std::pair<int, std::string> NetworkNamespace::HttpGet(int port, const std::string& path) const {
  std::pair<int, std::string> result;
  Run([&] { result = testing::HttpGet(port, path); });
  return result;
}

UdpStream::UdpStream(const NetworkNamespace& ns, const std::string& address, size_t size,
                     std::chrono::milliseconds period) {
  thread_ = std::thread([this, name = ns.name(), address, size, period] {
    try {
      Enter(name);
    } catch (const std::exception&) {
      return;  // sent() stays 0, which the test sees
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    inet_pton(AF_INET, address.c_str(), &to.sin_addr);
    std::string payload(size, 'x');
    while (!stop_.load()) {
      int fd = socket(AF_INET, SOCK_DGRAM, 0);  // afresh: the route may come and go
      if (fd >= 0) {
        if (sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to),
                   sizeof(to)) > 0) {
          ++sent_;
        }
        close(fd);
      }
      std::this_thread::sleep_for(period);
    }
  });
}

UdpStream::~UdpStream() {
  stop_ = true;
  thread_.join();
}

}  // namespace lanwatch::testing
