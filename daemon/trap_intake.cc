#include "daemon/trap_intake.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "probes/snmp/host_resolver.h"

namespace lanwatch {
namespace {

// Addresses compared as addresses, not as text: "::1" and "0:0::1", "[::1]" and "::1" are one.
// Text that is no literal (a host name) compares as text.
std::string Canonical(const std::string& address) {
  std::string bare = HostResolver::Literal(address).value_or(address);
  std::array<unsigned char, sizeof(in6_addr)> bytes{};
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, bare.c_str(), bytes.data()) == 1) {
    if (inet_ntop(AF_INET, bytes.data(), text, sizeof text)) return text;
  } else if (inet_pton(AF_INET6, bare.c_str(), bytes.data()) == 1) {
    if (inet_ntop(AF_INET6, bytes.data(), text, sizeof text)) return text;
  }
  return bare;
}

// What a trap from `device` may come from: what its address resolved to (or the address
// itself, when the resolver has not told us or it is a literal), and its trap_sources.
std::vector<std::string> DeviceAddresses(
    const DeviceConfig& device, const std::map<std::string, std::vector<std::string>>& resolved) {
  std::vector<std::string> out;
  if (auto it = resolved.find(device.name); it != resolved.end()) {
    for (const std::string& address : it->second) out.push_back(Canonical(address));
  }
  if (HostResolver::Literal(device.address) || !resolved.contains(device.name)) {
    out.push_back(Canonical(device.address));
  }
  for (const std::string& source : device.trap_sources) out.push_back(Canonical(source));
  return out;
}

const DeviceConfig* FindSender(const TrapEvent& trap, const Config& config,
                               const std::map<std::string, std::vector<std::string>>& resolved) {
  std::vector<std::string> senders{Canonical(trap.source_address)};
  if (!trap.agent_address.empty()) senders.push_back(Canonical(trap.agent_address));
  for (const DeviceConfig& device : config.devices) {
    std::vector<std::string> addresses = DeviceAddresses(device, resolved);
    for (const std::string& sender : senders) {
      if (!sender.empty() && std::ranges::find(addresses, sender) != addresses.end()) {
        return &device;
      }
    }
  }
  return nullptr;
}

// traps.communities when given; otherwise the community the device is polled with (a device
// polled with SNMPv3 has none, so its traps need the list).
bool CommunityAccepted(const std::string& community, const DeviceConfig& device,
                       const TrapSettings& traps) {
  if (!traps.communities.empty()) {
    return std::ranges::find(traps.communities, community) != traps.communities.end();
  }
  return device.snmp.version != SnmpVersion::kV3 && community == device.snmp.community;
}

}  // namespace

const DeviceConfig* TrapIntake::Accept(
    const TrapEvent& trap, const Config& config,
    const std::map<std::string, std::vector<std::string>>& resolved) {
  const DeviceConfig* device = FindSender(trap, config, resolved);
  if (!device) {
    ++counts_.ignored[trap_ignored::kUnknownSource];
    return nullptr;
  }
  if (!CommunityAccepted(trap.community, *device, config.traps)) {
    ++counts_.ignored[trap_ignored::kBadCommunity];
    return nullptr;
  }
  ++counts_.accepted[device->name][trap.kind];
  // The window opens with the first trap and is not pushed back by the ones that follow: a
  // port flapping all the time still gets polled every `debounce`. But never sooner than
  // kMinPollGap after the last trap poll: traps (forged ones too) must not keep the loop busy.
  auto due = trap.received_at + config.traps.debounce;
  if (auto last = last_poll_.find(device->name); last != last_poll_.end()) {
    due = std::max(due, last->second + kMinPollGap);
  }
  waiting_.try_emplace(device->name, due);
  return device;
}

std::vector<std::string> TrapIntake::Due(std::chrono::steady_clock::time_point now) {
  std::vector<std::string> due;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second <= now) {
      due.push_back(it->first);
      last_poll_[it->first] = now;
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  return due;
}

std::optional<std::chrono::steady_clock::time_point> TrapIntake::NextDue() const {
  std::optional<std::chrono::steady_clock::time_point> next;
  for (const auto& [device, due] : waiting_) {
    if (!next || due < *next) next = due;
  }
  return next;
}

}  // namespace lanwatch
