#include "probes/capture/live_capture.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "probes/capture/pcap_handle.h"

namespace lanwatch {
namespace {

using Clock = std::chrono::steady_clock;

// A pcap_stats counter (32 bits in libpcap, wrapping) as a 64-bit total since the capture
// opened. Rebase() forgets the last reading, for when the count restarts (libpcap's
// interface drops follow the interface's own counters, which start again at 0 on a new one).
class DropCounter {
 public:
  uint64_t Update(u_int reading) {
    if (last_) total_ += static_cast<uint32_t>(reading - *last_);
    last_ = reading;
    return total_;
  }
  void Rebase() { last_.reset(); }
  uint64_t total() const { return total_; }

 private:
  std::optional<u_int> last_;
  uint64_t total_ = 0;
};

}  // namespace

struct LiveCapture::Impl {
  Impl(PcapHandle h, const CaptureConfig& c, int hardware, ReopenBackoff b)
      : handle(std::move(h)),
        interface(c.interface),
        link_type(pcap_datalink(handle.get())),
        hardware_type(hardware),
        interval(c.interval),
        backoff(b),
        meter(c.local_networks, static_cast<size_t>(c.top)),
        up_since(Clock::now()),
        next_wait(b.first) {}

  PcapHandle handle;
  std::string interface;
  int link_type;
  int hardware_type;  // ARPHRD_* of the interface when it opened
  std::chrono::milliseconds interval;
  ReopenBackoff backoff;
  TrafficMeter meter;
  TrafficTotals cumulative;
  DropCounter kernel_drops, interface_drops;
  // While down: why, and when to try again. The wait after that attempt, if it fails too.
  std::optional<std::string> error;
  Clock::time_point retry_at, up_since;
  std::chrono::milliseconds next_wait;
};

LiveCapture::LiveCapture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveCapture::~LiveCapture() = default;

std::expected<std::unique_ptr<LiveCapture>, Error> LiveCapture::Open(const CaptureConfig& c,
                                                                     ReopenBackoff backoff) {
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
  auto hardware_type = InterfaceHardwareType(handle->get(), c.interface);
  if (!hardware_type) {
    return std::unexpected(Error("capture on " + c.interface + ": interface gone while opening"));
  }
  auto impl = std::make_unique<Impl>(std::move(*handle), c, *hardware_type, backoff);
  return std::unique_ptr<LiveCapture>(new LiveCapture(std::move(impl)));
}

void LiveCapture::Run(const std::atomic<bool>& stop,
                      const std::function<void(const CaptureSample&)>& emit) {
  Impl& s = *impl_;
  pcap_t* pcap = s.handle.get();
  const int fd = pcap_get_selectable_fd(pcap);
  auto last_emit = Clock::now();
  auto next_emit = last_emit + s.interval;
  auto on_packet = [](u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
    LiveCapture* self = reinterpret_cast<LiveCapture*>(user);
    Impl& impl = *self->impl_;
    PacketInfo info = DecodePacket(impl.link_type, {bytes, h->caplen});
    uint64_t in_before = impl.meter.current().bytes_in, out_before = impl.meter.current().bytes_out;
    impl.meter.Count(info, h->len);
    self->bytes_in_.fetch_add(impl.meter.current().bytes_in - in_before, std::memory_order_relaxed);
    self->bytes_out_.fetch_add(impl.meter.current().bytes_out - out_before,
                               std::memory_order_relaxed);
  };
  // Waits `next_wait` before the next attempt, and twice as long (up to the longest) after it.
  auto retry_later = [&](Clock::time_point now) {
    s.retry_at = now + s.next_wait;
    spdlog::debug("{}: trying again in {} ms", s.interface, s.next_wait.count());
    s.next_wait = std::min(s.next_wait * 2, s.backoff.longest);
  };
  while (!stop.load()) {
    auto now = Clock::now();
    auto until = std::min(next_emit, s.error ? s.retry_at : next_emit);
    int wait_ms = static_cast<int>(std::clamp<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count(), 0, 100));
    if (!s.error) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, wait_ms);
      // Every time, not only when poll() says so: after ENETDOWN libpcap learns whether the
      // interface went away only when it is called. -1 means no count limit.
      if (pcap_dispatch(pcap, -1, on_packet, reinterpret_cast<u_char*>(this)) == PCAP_ERROR) {
        now = Clock::now();
        s.error = s.interface + ": " + pcap_geterr(pcap);
        // Failing again soon after coming back keeps doubling the wait; later starts over.
        if (now - s.up_since >= s.backoff.longest) s.next_wait = s.backoff.first;
        retry_later(now);
      }
    } else {
      poll(nullptr, 0, wait_ms);
      if (Clock::now() >= s.retry_at) {
        auto back = RebindLiveCapture(pcap, s.interface, s.hardware_type);
        if (back && *back) {
          s.error.reset();
          s.up_since = Clock::now();
          s.interface_drops.Rebase();  // a new interface counts its own drops from 0
        } else {
          // Not back yet keeps the failure's reason; back but unusable says why.
          if (!back) s.error = back.error().message;
          retry_later(Clock::now());
        }
      }
    }
    now = Clock::now();
    if (now < next_emit) continue;
    CaptureSample sample;
    sample.interval = s.meter.Take();
    sample.interval_seconds = std::chrono::duration<double>(now - last_emit).count();
    s.cumulative.Add(sample.interval.totals);
    sample.cumulative = s.cumulative;
    pcap_stat stats{};
    // Not while down: libpcap would read the absent interface's drop counters as 0.
    if (!s.error && pcap_stats(pcap, &stats) == 0) {
      s.kernel_drops.Update(stats.ps_drop);
      s.interface_drops.Update(stats.ps_ifdrop);
    }
    sample.kernel_drops = s.kernel_drops.total();
    sample.interface_drops = s.interface_drops.total();
    sample.up = !s.error;
    if (s.error) sample.error = *s.error;
    emit(sample);
    last_emit = now;
    while (next_emit <= now) next_emit += s.interval;  // a stall skips slots, keeps the phase
  }
}

}  // namespace lanwatch
