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

namespace {

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

TrafficMeter::TrafficMeter(const std::vector<Cidr>& local_networks, size_t top_n,
                           size_t max_tracked)
    : local_(local_networks), top_n_(top_n), max_tracked_(max_tracked) {}

bool TrafficMeter::IsLocal(const IpAddress& a) const { return local_.Contains(a); }

size_t TrafficMeter::AddressHash::operator()(const IpAddress& a) const noexcept {
  uint64_t w[2];
  std::memcpy(w, a.bytes.data(), sizeof(w));
  return static_cast<size_t>(Mix(w[0] ^ Mix(w[1] ^ a.version)));
}

size_t TrafficMeter::PairHash::operator()(const std::pair<IpAddress, IpAddress>& p) const noexcept {
  return static_cast<size_t>(
      Mix(AddressHash{}(p.first) + 0x9e3779b97f4a7c15ULL * AddressHash{}(p.second)));
}

template <typename Table, typename Key>
uint64_t* TrafficMeter::Track(Table& table, const Key& key, uint64_t bytes) {
  auto it = table.find(key);
  if (it != table.end()) {
    it->second += bytes;
    return &it->second;
  }
  if (table.size() < max_tracked_) return &table.emplace(key, bytes).first->second;
  untracked_ += bytes;  // a scan or a flood must not grow memory without bound
  return nullptr;
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
  const bool same_flow =
      last_.valid && p.source == last_.source && p.destination == last_.destination;
  if (!same_flow) {
    last_.source = p.source;
    last_.destination = p.destination;
    last_.from_local = IsLocal(p.source);
    last_.to_local = IsLocal(p.destination);
  }
  if (last_.from_local && !last_.to_local) {
    ++t.packets_out;
    t.bytes_out += wire_length;
  } else if (last_.to_local && !last_.from_local) {
    ++t.packets_in;
    t.bytes_in += wire_length;
  }
  if (same_flow) {
    // Counters the last packet could not get stay untracked for this one too.
    for (uint64_t* counter : {last_.source_host, last_.destination_host, last_.conversation}) {
      if (counter) *counter += wire_length;
    }
    untracked_ += (last_.from_local && !last_.source_host ? wire_length : 0) +
                  (last_.to_local && !last_.destination_host ? wire_length : 0) +
                  (!last_.conversation ? wire_length : 0);
    return;
  }
  last_.source_host = last_.from_local ? Track(hosts_, p.source, wire_length) : nullptr;
  last_.destination_host = last_.to_local ? Track(hosts_, p.destination, wire_length) : nullptr;
  auto pair = std::minmax(p.source, p.destination);
  last_.conversation = Track(conversations_, std::pair{pair.first, pair.second}, wire_length);
  last_.valid = true;
}

namespace {

template <typename Map, typename Name>
std::vector<TopEntry> Top(const Map& table, size_t n, Name name) {
  std::vector<std::pair<uint64_t, typename Map::key_type>> all;
  all.reserve(table.size());
  for (const auto& [key, bytes] : table) all.emplace_back(bytes, key);
  size_t k = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(k), all.end(),
                    [](const auto& a, const auto& b) {
                      // Most bytes first; ties in address order, so reports are stable.
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  std::vector<TopEntry> out;
  for (size_t i = 0; i < k; ++i) out.push_back({name(all[i].second), all[i].first});
  return out;
}

}  // namespace

TrafficReport TrafficMeter::Take(TrafficMeter* accumulate) {
  if (accumulate) {
    accumulate->totals_.Add(totals_);
    for (const auto& [host, bytes] : hosts_) accumulate->Track(accumulate->hosts_, host, bytes);
    for (const auto& [pair, bytes] : conversations_) {
      accumulate->Track(accumulate->conversations_, pair, bytes);
    }
    accumulate->untracked_ += untracked_;
  }
  TrafficReport r;
  r.totals = totals_;
  r.top_hosts = Top(hosts_, top_n_, [](const IpAddress& a) { return a.ToString(); });
  r.top_conversations = Top(conversations_, top_n_, [](const auto& p) {
    return p.first.ToString() + " <-> " + p.second.ToString();
  });
  r.untracked_bytes = untracked_;
  totals_ = {};
  last_ = {};
  hosts_.clear();
  conversations_.clear();
  untracked_ = 0;
  return r;
}

}  // namespace lanwatch
