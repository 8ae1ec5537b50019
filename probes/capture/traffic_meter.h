// TrafficMeter: accounts decoded packets over an interval: bytes and packets in and out (by
// the local networks), by IP version and transport, and the top local hosts and conversations
// by bytes, with bounded memory and time per packet whatever the traffic (see TalkerTable).
// Not thread-safe: one capture owns one.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "probes/capture/packet_decoder.h"
#include "probes/capture/talker_table.h"

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
  // Bytes counted on hosts/pairs that were dropped to keep the tables bounded (a host's and
  // a pair's both count): 0 unless more than `max_tracked` of them were seen.
  uint64_t untracked_bytes = 0;
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
  struct AddressPair {  // a conversation, either way: the lower address first
    IpAddress low, high;
  };
  // Hashes and comparisons on 64-bit words, per packet (IpAddress's own operators go through
  // memcmp). Inline: they run several times a packet. A pair's hash is made of its two
  // hosts' hashes, so a new flow hashes each address once for both tables.
  struct HostTraits {
    static uint64_t Hash(const IpAddress& a) {
      uint64_t w[2];
      std::memcpy(w, a.bytes.data(), sizeof(w));
      // One splitmix64 finaliser over the words combined: distinct addresses rarely meet
      // before it, and the table tells them apart by Equal anyway.
      uint64_t x = w[0] ^ (w[1] + a.version) * 0x9e3779b97f4a7c15ULL;
      x ^= x >> 30;
      x *= 0xbf58476d1ce4e5b9ULL;
      x ^= x >> 27;
      x *= 0x94d049bb133111ebULL;
      return x ^ (x >> 31);
    }
    static bool Equal(const IpAddress& a, const IpAddress& b) {
      uint64_t x[2], y[2];
      std::memcpy(x, a.bytes.data(), sizeof(x));
      std::memcpy(y, b.bytes.data(), sizeof(y));
      return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0 && a.version == b.version;
    }
    static bool Less(const IpAddress& a, const IpAddress& b);  // IpAddress's order
  };
  struct PairTraits {
    // Both inputs are already well mixed; the rotation keeps (a, a) from cancelling out.
    static uint64_t HashOf(uint64_t low_hash, uint64_t high_hash) {
      return low_hash ^ std::rotl(high_hash, 32);
    }
    static uint64_t Hash(const AddressPair& p) {
      return HashOf(HostTraits::Hash(p.low), HostTraits::Hash(p.high));
    }
    static bool Equal(const AddressPair& a, const AddressPair& b) {
      return HostTraits::Equal(a.low, b.low) && HostTraits::Equal(a.high, b.high);
    }
    static bool Less(const AddressPair& a, const AddressPair& b);
  };
  using HostTable = TalkerTable<IpAddress, HostTraits>;
  using ConversationTable = TalkerTable<AddressPair, PairTraits>;

  CidrSet local_;  // asked per new flow
  size_t top_n_;
  TrafficTotals totals_;
  HostTable hosts_;
  ConversationTable conversations_;
  uint64_t untracked_ = 0;  // dropped by the intervals merged into this meter

  // Packets come in flow bursts: the last address pair's verdicts and entries, so that a
  // burst costs one comparison per packet instead of three lookups. Entry numbers hold while
  // their table's generation does.
  struct LastFlow {
    IpAddress source, destination;
    bool from_local = false, to_local = false;
    uint32_t source_host = HostTable::kNone, destination_host = HostTable::kNone;
    uint32_t conversation = ConversationTable::kNone;
    uint64_t hosts_generation = 0, conversations_generation = 0;
    bool valid = false;
  } last_;
};

}  // namespace lanwatch
