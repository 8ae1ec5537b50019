#include "probes/capture/traffic_meter.h"

#include <endian.h>

#include <algorithm>
#include <cstring>

namespace lanwatch {

void TrafficTotals::Add(const TrafficTotals& o) {
  packets += o.packets;
  bytes += o.bytes;
  packets_in += o.packets_in;
  bytes_in += o.bytes_in;
  packets_out += o.packets_out;
  bytes_out += o.bytes_out;
  ipv4_bytes += o.ipv4_bytes;
  ipv6_bytes += o.ipv6_bytes;
  non_ip_bytes += o.non_ip_bytes;
  tcp_bytes += o.tcp_bytes;
  udp_bytes += o.udp_bytes;
  icmp_bytes += o.icmp_bytes;
  other_bytes += o.other_bytes;
  truncated += o.truncated;
}

TrafficMeter::TrafficMeter(const std::vector<Cidr>& local_networks, size_t top_n,
                           size_t max_tracked)
    : local_(local_networks),
      top_n_(top_n),
      hosts_(max_tracked, top_n),
      conversations_(max_tracked, top_n) {}

namespace {

struct Words {  // an address as two big-endian words: compared as numbers, in address order
  uint64_t high, low;
};

Words WordsOf(const IpAddress& a) {
  uint64_t w[2];
  std::memcpy(w, a.bytes.data(), sizeof(w));
  return {be64toh(w[0]), be64toh(w[1])};
}

}  // namespace

bool TrafficMeter::HostTraits::Less(const IpAddress& a, const IpAddress& b) {
  if (a.version != b.version) return a.version < b.version;
  const Words x = WordsOf(a), y = WordsOf(b);
  return x.high != y.high ? x.high < y.high : x.low < y.low;
}

bool TrafficMeter::PairTraits::Less(const AddressPair& a, const AddressPair& b) {
  if (!HostTraits::Equal(a.low, b.low)) return HostTraits::Less(a.low, b.low);
  return HostTraits::Less(a.high, b.high);
}

void TrafficMeter::Count(const PacketInfo& p, uint32_t wire_length) {
  TrafficTotals& t = totals_;
  ++t.packets;
  t.bytes += wire_length;
  if (p.truncated) ++t.truncated;
  if (p.ip_version == 0) {
    t.non_ip_bytes += wire_length;
    return;
  }
  (p.ip_version == 4 ? t.ipv4_bytes : t.ipv6_bytes) += wire_length;
  switch (p.transport) {
    case Transport::kTcp:
      t.tcp_bytes += wire_length;
      break;
    case Transport::kUdp:
      t.udp_bytes += wire_length;
      break;
    case Transport::kIcmp:
      t.icmp_bytes += wire_length;
      break;
    default:
      t.other_bytes += wire_length;
      break;
  }
  const bool same_flow = last_.valid && HostTraits::Equal(p.source, last_.source) &&
                         HostTraits::Equal(p.destination, last_.destination);
  if (!same_flow) {
    last_.source = p.source;
    last_.destination = p.destination;
    last_.from_local = local_.Contains(p.source);
    last_.to_local = local_.Contains(p.destination);
  }
  if (last_.from_local && !last_.to_local) {
    ++t.packets_out;
    t.bytes_out += wire_length;
  } else if (last_.to_local && !last_.from_local) {
    ++t.packets_in;
    t.bytes_in += wire_length;
  }
  // A table with no room at all (capacity 0) has no entry to remember: such a flow takes the
  // lookups, which count its bytes as dropped.
  if (same_flow && last_.conversation != ConversationTable::kNone &&
      last_.hosts_generation == hosts_.generation() &&
      last_.conversations_generation == conversations_.generation()) {
    if (last_.source_host != HostTable::kNone) hosts_.AddAt(last_.source_host, wire_length);
    if (last_.destination_host != HostTable::kNone) {
      hosts_.AddAt(last_.destination_host, wire_length);
    }
    conversations_.AddAt(last_.conversation, wire_length);
    return;
  }
  const uint64_t source_hash = HostTraits::Hash(p.source);
  const uint64_t destination_hash = HostTraits::Hash(p.destination);
  last_.source_host =
      last_.from_local ? hosts_.Add(p.source, wire_length, source_hash) : HostTable::kNone;
  const uint64_t source_generation = hosts_.generation();
  last_.destination_host =
      last_.to_local ? hosts_.Add(p.destination, wire_length, destination_hash) : HostTable::kNone;
  const bool ordered = !HostTraits::Less(p.destination, p.source);
  last_.conversation = ordered
                           ? conversations_.Add({p.source, p.destination}, wire_length,
                                                PairTraits::HashOf(source_hash, destination_hash))
                           : conversations_.Add({p.destination, p.source}, wire_length,
                                                PairTraits::HashOf(destination_hash, source_hash));
  last_.hosts_generation = hosts_.generation();
  last_.conversations_generation = conversations_.generation();
  // The destination's insert dropped entries and moved the source's: look both up next time.
  last_.valid = source_generation == last_.hosts_generation;
}

namespace {

template <typename Table, typename Name>
std::vector<TopEntry> Top(const Table& table, size_t n, Name name) {
  std::vector<TopEntry> out;
  for (const auto& entry : table.Top(n)) out.push_back({name(entry.key), entry.bytes});
  return out;
}

}  // namespace

TrafficReport TrafficMeter::Take(TrafficMeter* accumulate) {
  const uint64_t untracked = untracked_ + hosts_.dropped_bytes() + conversations_.dropped_bytes();
  if (accumulate) {
    accumulate->totals_.Add(totals_);
    accumulate->hosts_.Merge(hosts_);  // with the bytes they dropped
    accumulate->conversations_.Merge(conversations_);
    accumulate->untracked_ += untracked_;
  }
  TrafficReport r;
  r.totals = totals_;
  r.top_hosts = Top(hosts_, top_n_, [](const IpAddress& a) { return a.ToString(); });
  r.top_conversations = Top(conversations_, top_n_, [](const AddressPair& p) {
    return p.low.ToString() + " <-> " + p.high.ToString();
  });
  r.untracked_bytes = untracked;
  totals_ = {};
  last_ = {};
  hosts_.Clear();
  conversations_.Clear();
  untracked_ = 0;
  return r;
}

}  // namespace lanwatch
