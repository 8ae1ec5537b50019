// TrafficMeter: accounts decoded packets over an interval: bytes and packets in and out (by
// the local networks), by IP version and transport, and the top local hosts and conversations
// by bytes, with bounded memory whatever the traffic. Not thread-safe: one capture owns one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "probes/capture/packet_decoder.h"

namespace lanwatch {

struct TrafficTotals {
  uint64_t packets = 0, bytes = 0;          // bytes: length on the wire
  uint64_t packets_in = 0, bytes_in = 0;    // to a local host from elsewhere
  uint64_t packets_out = 0, bytes_out = 0;  // from a local host to elsewhere
  uint64_t ipv4_bytes = 0, ipv6_bytes = 0, non_ip_bytes = 0;
  uint64_t tcp_bytes = 0, udp_bytes = 0, icmp_bytes = 0, other_bytes = 0;
  uint64_t truncated = 0;  // packets cut by the snap length inside a header

  void Add(const TrafficTotals& other);
};

struct TopEntry {
  std::string name;  // a host, or "A <-> B" for a conversation
  uint64_t bytes = 0;
};

struct TrafficReport {
  TrafficTotals totals;
  std::vector<TopEntry> top_hosts;          // local hosts, most bytes first
  std::vector<TopEntry> top_conversations;  // address pairs, most bytes first
  uint64_t untracked_bytes = 0;             // bytes of hosts/pairs beyond the tracking bound
};

class TrafficMeter {
 public:
  TrafficMeter(const std::vector<Cidr>& local_networks, size_t top_n, size_t max_tracked = 4096);

  void Count(const PacketInfo& packet, uint32_t wire_length);
  // The interval's report; starts a new interval. With `accumulate`, the interval's totals
  // and tables are first added to it (a whole-file meter costs per interval, not per packet).
  TrafficReport Take(TrafficMeter* accumulate = nullptr);
  const TrafficTotals& current() const { return totals_; }

 private:
  bool IsLocal(const IpAddress& a) const;
  struct AddressHash {
    size_t operator()(const IpAddress& a) const noexcept;
  };
  struct PairHash {
    size_t operator()(const std::pair<IpAddress, IpAddress>& p) const noexcept;
  };
  // Adds `bytes` to the key's counter; returns the counter, or null when the key is beyond
  // the tracking bound.
  template <typename Table, typename Key>
  uint64_t* Track(Table& table, const Key& key, uint64_t bytes);

  CidrSet local_;  // IsLocal runs per packet
  size_t top_n_, max_tracked_;
  TrafficTotals totals_;
  std::unordered_map<IpAddress, uint64_t, AddressHash> hosts_;
  std::unordered_map<std::pair<IpAddress, IpAddress>, uint64_t, PairHash> conversations_;
  uint64_t untracked_ = 0;

  // Packets come in flow bursts: the last address pair's verdicts and counters, so that a
  // burst costs one comparison per packet instead of three hash lookups. Counters live in
  // node-based maps, so the pointers stay valid until Take() clears them.
  struct LastFlow {
    IpAddress source, destination;
    bool from_local = false, to_local = false;
    uint64_t* source_host = nullptr;
    uint64_t* destination_host = nullptr;
    uint64_t* conversation = nullptr;
    bool valid = false;
  } last_;
};

}  // namespace lanwatch
