#include "probes/capture/traffic_meter.h"

#include <algorithm>

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

TrafficMeter::TrafficMeter(std::vector<Cidr> local_networks, size_t top_n, size_t max_tracked)
    : local_(std::move(local_networks)), top_n_(top_n), max_tracked_(max_tracked) {}

bool TrafficMeter::IsLocal(const IpAddress& a) const {
  return std::any_of(local_.begin(), local_.end(), [&](const Cidr& c) { return c.Contains(a); });
}

size_t TrafficMeter::AddressHash::operator()(const IpAddress& a) const noexcept {
  // FNV-1a over the bytes in use: cheap, and good enough for addresses.
  uint64_t h = 1469598103934665603ULL ^ a.version;
  const size_t n = a.version == 6 ? 16 : 4;
  for (size_t i = 0; i < n; ++i) h = (h ^ a.bytes[i]) * 1099511628211ULL;
  return static_cast<size_t>(h);
}

size_t TrafficMeter::PairHash::operator()(
    const std::pair<IpAddress, IpAddress>& p) const noexcept {
  return AddressHash{}(p.first) * 31 + AddressHash{}(p.second);
}

template <typename Table, typename Key>
void TrafficMeter::Track(Table& table, const Key& key, uint64_t bytes) {
  auto it = table.find(key);
  if (it != table.end()) {
    it->second += bytes;
  } else if (table.size() < max_tracked_) {
    table.emplace(key, bytes);
  } else {
    untracked_ += bytes;  // a scan or a flood must not grow memory without bound
  }
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
  const bool from_local = IsLocal(p.source), to_local = IsLocal(p.destination);
  if (from_local && !to_local) {
    ++t.packets_out;
    t.bytes_out += wire_length;
  } else if (to_local && !from_local) {
    ++t.packets_in;
    t.bytes_in += wire_length;
  }
  if (from_local) Track(hosts_, p.source, wire_length);
  if (to_local) Track(hosts_, p.destination, wire_length);
  auto pair = std::minmax(p.source, p.destination);
  Track(conversations_, std::pair{pair.first, pair.second}, wire_length);
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
  hosts_.clear();
  conversations_.clear();
  untracked_ = 0;
  return r;
}

}  // namespace lanwatch
