#include "probes/capture/live_capture.h"

#include <poll.h>

#include <chrono>

#include "probes/capture/pcap_handle.h"

namespace lanwatch {

struct LiveCapture::Impl {
  PcapHandle handle;
  int link_type = 0;
  std::chrono::milliseconds interval;
  TrafficMeter meter;
  TrafficTotals cumulative;
};

LiveCapture::LiveCapture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveCapture::~LiveCapture() = default;

std::expected<std::unique_ptr<LiveCapture>, Error> LiveCapture::Open(const CaptureConfig& c) {
  LiveCaptureOptions options;
  options.interface = c.interface;
  options.filter = c.filter;
  options.buffer_bytes = c.buffer_mib << 20;
  auto handle = OpenLiveCapture(options);
  if (!handle) return std::unexpected(handle.error());
  char error[PCAP_ERRBUF_SIZE] = {};
  if (pcap_setnonblock(handle->get(), 1, error) != 0) {
    return std::unexpected(Error(c.interface + ": " + error));
  }
  int link_type = pcap_datalink(handle->get());
  auto impl =
      std::unique_ptr<Impl>(new Impl{std::move(*handle),
                                     link_type,
                                     c.interval,
                                     TrafficMeter(c.local_networks, static_cast<size_t>(c.top)),
                                     {}});
  return std::unique_ptr<LiveCapture>(new LiveCapture(std::move(impl)));
}

void LiveCapture::Run(const std::atomic<bool>& stop,
                      const std::function<void(const CaptureSample&)>& emit) {
  using Clock = std::chrono::steady_clock;
  Impl& s = *impl_;
  pcap_t* pcap = s.handle.get();
  const int fd = pcap_get_selectable_fd(pcap);
  auto last_emit = Clock::now();
  auto next_emit = last_emit + s.interval;
  struct Context {
    LiveCapture* self;
  } context{this};
  auto on_packet = [](u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
    LiveCapture* self = reinterpret_cast<Context*>(user)->self;
    Impl& impl = *self->impl_;
    PacketInfo info = DecodePacket(impl.link_type, {bytes, h->caplen});
    uint64_t in_before = impl.meter.current().bytes_in, out_before = impl.meter.current().bytes_out;
    impl.meter.Count(info, h->len);
    self->bytes_in_.fetch_add(impl.meter.current().bytes_in - in_before, std::memory_order_relaxed);
    self->bytes_out_.fetch_add(impl.meter.current().bytes_out - out_before,
                               std::memory_order_relaxed);
  };
  while (!stop.load()) {
    auto now = Clock::now();
    int wait_ms = static_cast<int>(std::clamp<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(next_emit - now).count(), 0, 100));
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) > 0) {
      // Drain what the ring holds; -1 means no count limit.
      pcap_dispatch(pcap, -1, on_packet, reinterpret_cast<u_char*>(&context));
    }
    now = Clock::now();
    if (now < next_emit) continue;
    CaptureSample sample;
    sample.interval = s.meter.Take();
    sample.interval_seconds = std::chrono::duration<double>(now - last_emit).count();
    s.cumulative.Add(sample.interval.totals);
    sample.cumulative = s.cumulative;
    pcap_stat stats{};
    if (pcap_stats(pcap, &stats) == 0) {
      sample.kernel_drops = stats.ps_drop;
      sample.interface_drops = stats.ps_ifdrop;
    }
    emit(sample);
    last_emit = now;
    while (next_emit <= now) next_emit += s.interval;  // a stall skips slots, keeps the phase
  }
}

}  // namespace lanwatch
