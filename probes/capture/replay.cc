#include "probes/capture/replay.h"

#include <fmt/format.h>

#include "probes/capture/pcap_handle.h"

namespace lanwatch {
namespace {

// A record's time in nanoseconds since the epoch, if it is one that int64 nanoseconds hold
// (1678 to 2262). pcapng files say their own resolution and offset (if_tsresol,
// if_tsoffset), which libpcap applies in unsigned arithmetic: the seconds it hands over can
// be anything a crafted file asks for, so every step here is checked.
std::optional<int64_t> TimestampNs(const timeval& ts) {
  const int64_t seconds = ts.tv_sec;
  const int64_t fraction = ts.tv_usec;  // nanoseconds: the handle was opened so
  if (fraction < 0 || fraction >= 1'000'000'000) return std::nullopt;
  int64_t ns = 0;
  if (__builtin_mul_overflow(seconds, int64_t{1'000'000'000}, &ns) ||
      __builtin_add_overflow(ns, fraction, &ns)) {
    return std::nullopt;
  }
  return ns;
}

// One replay in progress: pcap_loop hands it to OnRecord with each record.
struct Replayer {
  Replayer(pcap_t* handle, const ReplayOptions& options,
           const std::function<void(const ReplayInterval&)>& emit)
      : pcap(handle),
        interval(static_cast<uint64_t>(std::max<int64_t>(1, options.interval.count()))),
        on_interval(emit),
        current(options.local_networks, options.top_n),
        whole(options.local_networks, options.top_n) {}

  void Flush() {
    if (!bucket) return;
    const uint64_t start = static_cast<uint64_t>(summary.first_ns) + *bucket * interval;
    on_interval({static_cast<int64_t>(start), current.Take(&whole)});
    ++summary.intervals;
  }

  void Record(const pcap_pkthdr& header, const u_char* data) {
    ++summary.records;
    // A record without a usable time counts in the current interval, as one that goes back.
    uint64_t index = bucket.value_or(0);
    if (auto ts = TimestampNs(header.ts)) {
      if (!timed) summary.first_ns = summary.last_ns = *ts;
      timed = true;
      summary.last_ns = std::max(summary.last_ns, *ts);
      if (*ts >= summary.first_ns) {
        index = (static_cast<uint64_t>(*ts) - static_cast<uint64_t>(summary.first_ns)) / interval;
      }
    } else {
      ++summary.untimed_records;
    }
    if (!bucket || index > *bucket) {
      Flush();
      bucket = index;
    }
    // pcapng files may mix link types per interface; libpcap reports the current one.
    current.Count(DecodePacket(pcap_datalink(pcap), {data, header.caplen}), header.len);
  }

  static void OnRecord(u_char* self, const pcap_pkthdr* header, const u_char* data) {
    reinterpret_cast<Replayer*>(self)->Record(*header, data);
  }

  pcap_t* pcap;
  const uint64_t interval;
  const std::function<void(const ReplayInterval&)>& on_interval;
  TrafficMeter current, whole;
  ReplaySummary summary;
  // Distances from the first packet are unsigned: two int64 times can be further apart than
  // int64 holds. An interval starts between the first packet and a later one, so its start
  // is an int64 again.
  std::optional<uint64_t> bucket;  // index of the interval being filled
  bool timed = false;              // first_ns is set
};

}  // namespace

ReplaySummary ReplayCaptureFile(const std::string& path, const ReplayOptions& options,
                                const std::function<void(const ReplayInterval&)>& on_interval) {
  auto handle = OpenCaptureFile(path);
  if (!handle) {
    ReplaySummary failed;
    failed.error = handle.error().message;
    return failed;
  }
  pcap_t* pcap = handle->get();
  Replayer replay(pcap, options, on_interval);
  // pcap_loop rather than pcap_next_ex: one call per file instead of one per record.
  const int rc = pcap_loop(pcap, -1, &Replayer::OnRecord, reinterpret_cast<u_char*>(&replay));
  replay.Flush();
  ReplaySummary summary = std::move(replay.summary);
  summary.whole = replay.whole.Take();
  if (rc == PCAP_ERROR) {
    summary.error = fmt::format("{}: record {}: {}", path, summary.records + 1, pcap_geterr(pcap));
  }
  return summary;
}

}  // namespace lanwatch
