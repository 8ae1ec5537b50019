#include "probes/capture/replay.h"

#include <fmt/format.h>

#include "probes/capture/pcap_handle.h"

namespace lanwatch {

ReplaySummary ReplayCaptureFile(const std::string& path, const ReplayOptions& options,
                                const std::function<void(const ReplayInterval&)>& on_interval) {
  ReplaySummary summary;
  auto handle = OpenCaptureFile(path);
  if (!handle) {
    summary.error = handle.error().message;
    return summary;
  }
  pcap_t* pcap = handle->get();
  const int64_t interval = std::max<int64_t>(1, options.interval.count());
  TrafficMeter current(options.local_networks, options.top_n);
  TrafficMeter whole(options.local_networks, options.top_n);
  int64_t bucket = -1;  // index of the interval being filled
  auto flush = [&] {
    if (bucket < 0) return;
    on_interval({summary.first_ns + bucket * interval, current.Take(&whole)});
    ++summary.intervals;
  };
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(pcap, &header, &data)) == 1) {
    const int64_t ts = static_cast<int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                       header->ts.tv_usec;  // nanoseconds: the handle was opened so
    if (summary.records == 0) summary.first_ns = ts;
    summary.last_ns = std::max(summary.last_ns, ts);
    ++summary.records;
    const int64_t index = ts >= summary.first_ns ? (ts - summary.first_ns) / interval : 0;
    if (index > bucket) {
      flush();
      bucket = index;
    }
    // pcapng files may mix link types per interface; libpcap reports the current one.
    PacketInfo info = DecodePacket(pcap_datalink(pcap), {data, header->caplen});
    current.Count(info, header->len);
  }
  flush();
  summary.whole = whole.Take();
  if (rc == PCAP_ERROR) {
    summary.error = fmt::format("{}: record {}: {}", path, summary.records + 1, pcap_geterr(pcap));
  }
  return summary;
}

}  // namespace lanwatch
