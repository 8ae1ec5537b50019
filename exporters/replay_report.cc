#include "exporters/replay_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "config/units.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

using nlohmann::json;

json TotalsJson(const TrafficTotals& t) {
  return {{"packets", t.packets},           {"bytes", t.bytes},
          {"packets_in", t.packets_in},     {"bytes_in", t.bytes_in},
          {"packets_out", t.packets_out},   {"bytes_out", t.bytes_out},
          {"ipv4_bytes", t.ipv4_bytes},     {"ipv6_bytes", t.ipv6_bytes},
          {"non_ip_bytes", t.non_ip_bytes}, {"tcp_bytes", t.tcp_bytes},
          {"udp_bytes", t.udp_bytes},       {"icmp_bytes", t.icmp_bytes},
          {"other_bytes", t.other_bytes},   {"truncated_packets", t.truncated}};
}

json TopJson(const std::vector<TopEntry>& entries, const char* key) {
  json out = json::array();
  for (const TopEntry& e : entries) out.push_back({{key, e.name}, {"bytes", e.bytes}});
  return out;
}

std::string Seconds(int64_t ns) {
  return fmt::format("{}.{:09d}", ns / 1'000'000'000, ns % 1'000'000'000);
}

}  // namespace

std::string RenderIntervalJson(const ReplayInterval& i, double interval_seconds) {
  json j = TotalsJson(i.report.totals);
  // Seconds since the epoch; a double keeps them to the microsecond.
  j["start"] = static_cast<double>(i.start_ns) / 1e9;
  j["interval"] = interval_seconds;
  j["top_hosts"] = TopJson(i.report.top_hosts, "host");
  j["top_conversations"] = TopJson(i.report.top_conversations, "conversation");
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderIntervalText(const ReplayInterval& i, double interval_seconds) {
  const TrafficTotals& t = i.report.totals;
  std::string top =
      i.report.top_hosts.empty()
          ? "-"
          : fmt::format("{} ({} B)", i.report.top_hosts[0].name, i.report.top_hosts[0].bytes);
  return fmt::format("{}  {:>8} pkts  {:>12} B  in {:>12}  out {:>12}  top {}\n",
                     Seconds(i.start_ns), t.packets, t.bytes,
                     FormatBitRate(static_cast<double>(t.bytes_in) * 8 / interval_seconds),
                     FormatBitRate(static_cast<double>(t.bytes_out) * 8 / interval_seconds), top);
}

std::string RenderReplaySummaryJson(const ReplaySummary& s) {
  json j = TotalsJson(s.whole.totals);
  j["records"] = s.records;
  j["intervals"] = s.intervals;
  j["first"] = static_cast<double>(s.first_ns) / 1e9;
  j["last"] = static_cast<double>(s.last_ns) / 1e9;
  j["top_hosts"] = TopJson(s.whole.top_hosts, "host");
  j["top_conversations"] = TopJson(s.whole.top_conversations, "conversation");
  j["error"] = s.error ? json(*s.error) : json(nullptr);
  return json{{"summary", j}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderReplaySummaryText(const ReplaySummary& s) {
  const TrafficTotals& t = s.whole.totals;
  std::string out = fmt::format(
      "\n{} packets, {} bytes in {} intervals; in {} B, out {} B; IPv4 {} B, IPv6 {} B, "
      "other {} B; TCP {} B, UDP {} B, ICMP {} B\n",
      t.packets, t.bytes, s.intervals, t.bytes_in, t.bytes_out, t.ipv4_bytes, t.ipv6_bytes,
      t.non_ip_bytes, t.tcp_bytes, t.udp_bytes, t.icmp_bytes);
  std::vector<std::vector<std::string>> rows = {{"TOP HOST", "BYTES"}};
  for (const TopEntry& e : s.whole.top_hosts) rows.push_back({e.name, std::to_string(e.bytes)});
  if (rows.size() > 1) out += "\n" + RenderTable(rows);
  rows = {{"TOP CONVERSATION", "BYTES"}};
  for (const TopEntry& e : s.whole.top_conversations) {
    rows.push_back({e.name, std::to_string(e.bytes)});
  }
  if (rows.size() > 1) out += "\n" + RenderTable(rows);
  return out;
}

}  // namespace lanwatch
