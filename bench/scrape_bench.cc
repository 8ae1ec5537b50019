// What a /metrics scrape costs as a site grows, old path beside new in one run: N 48-port
// switches (49 interfaces each; tests/exporters/scale_snapshot.h), and for each N
//   objects+serialize  BuildMetricFamilies + prometheus::TextSerializer (the old /metrics)
//   streamed           StatusCollector::WriteMetrics onto a counting null sink
//   gzip -1, -3, -6    the same through GzipSink at that level (what Prometheus gets)
// with wall time, bytes out, and the peak extra heap each needed (operator new, tracked
// here; zlib's own ~270 KB of state is malloc'd, not counted) and the peak RSS growth. Then,
// while a streamed scrape runs on a second thread, how long Publish (a poll round handing
// over its snapshot) waits: the scrape must not hold it up.
//   scrape_bench [N ...]          (default: 200 1200 5000)
//   scrape_bench --no-old N ...   (skip the old path: it needs ~1.5 GB at 5,000)
#include <fmt/format.h>
#include <malloc.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "exporters/status_collector.h"
#include "exporters/web/gzip_sink.h"
#include "tests/exporters/scale_snapshot.h"

namespace {

std::atomic<int64_t> heap_now{0}, heap_peak{0};

void Track(int64_t delta) {
  const int64_t now = heap_now.fetch_add(delta, std::memory_order_relaxed) + delta;
  int64_t peak = heap_peak.load(std::memory_order_relaxed);
  while (now > peak && !heap_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

}  // namespace

// Every C++ allocation counted by its usable size.
void* operator new(size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) throw std::bad_alloc();
  Track(static_cast<int64_t>(malloc_usable_size(p)));
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  Track(-static_cast<int64_t>(malloc_usable_size(p)));
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace lanwatch {
namespace {

using Clock = std::chrono::steady_clock;

double Mb(double bytes) { return bytes / 1e6; }

// VmRSS and VmHWM (peak) in kB; writing 5 to clear_refs resets the peak to the current RSS.
long StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field)) return std::atol(line.c_str() + std::string_view(field).size());
  }
  return -1;
}
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

class CountingSink final : public ByteSink {
 public:
  void Write(std::string_view bytes) override {
    bytes_ += bytes.size();
    ++writes_;
  }
  size_t bytes() const { return bytes_; }
  size_t writes() const { return writes_; }

 private:
  size_t bytes_ = 0, writes_ = 0;
};

struct Measured {
  double ms = 0;
  size_t bytes = 0;
  int64_t peak_heap = 0;  // above what was in use before
  long peak_rss_kb = 0;   // above the RSS before
};

template <typename Run>
Measured Measure(Run run) {
  malloc_trim(0);
  ResetPeakRss();
  const long rss_before = StatusKb("VmRSS:");
  const int64_t heap_before = heap_now.load();
  heap_peak.store(heap_before);
  const auto start = Clock::now();
  Measured m;
  m.bytes = run();
  m.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  m.peak_heap = heap_peak.load() - heap_before;
  m.peak_rss_kb = StatusKb("VmHWM:") - rss_before;
  return m;
}

void Print(size_t devices, const char* path, const Measured& m) {
  fmt::print("{:>6} {:<20} {:>9.1f} {:>10.2f} {:>13.2f} {:>13.1f}\n", devices, path, m.ms,
             Mb(static_cast<double>(m.bytes)), Mb(static_cast<double>(m.peak_heap)),
             static_cast<double>(m.peak_rss_kb) / 1e3);
}

void Bench(size_t devices, bool old_path) {
  const int64_t heap_before_snapshot = heap_now.load();
  testing::ScaleSnapshot snap = testing::MakeScaleSnapshot(devices);
  const double snapshot_mb = Mb(static_cast<double>(heap_now.load() - heap_before_snapshot));
  StatusCollector collector("bench");
  collector.SetDaemonStats(snap.daemon);
  collector.SetAlerting(snap.alerting.alerting);
  if (old_path) {
    Print(devices, "objects+serialize", Measure([&] {
            std::string text = prometheus::TextSerializer().Serialize(
                BuildMetricFamilies(snap.status, "bench", snap.daemon, snap.alerting));
            return text.size();
          }));
  }
  collector.Publish(std::move(snap.status));
  Print(devices, "streamed", Measure([&] {
          CountingSink sink;
          collector.WriteMetrics(sink);
          return sink.bytes();
        }));
  for (int level : {1, 3, 6}) {
    Print(devices, fmt::format("streamed, gzip -{}", level).c_str(), Measure([&] {
            CountingSink sink;
            auto gzip = GzipSink::Open(sink, level);
            if (!gzip) std::abort();
            collector.WriteMetrics(**gzip);
            (*gzip)->Finish();
            return sink.bytes();
          }));
  }

  // A poll round publishes while a scrape is being written: how long does it wait?
  // The big snapshot is kept here: Publish must not be the one to free it (that is timed
  // apart), and the scrape must have taken it (its first write) before the rounds start.
  const std::shared_ptr<const NetworkStatus> keep = collector.latest();
  std::atomic<bool> scraping{true}, started{false};
  double scrape_ms = 0;
  std::thread scrape([&] {
    const auto start = Clock::now();
    class StartSink final : public ByteSink {
     public:
      explicit StartSink(std::atomic<bool>& s) : started_(s) {}
      void Write(std::string_view) override { started_ = true; }

     private:
      std::atomic<bool>& started_;
    } sink(started);
    auto gzip = GzipSink::Open(sink, 1);
    collector.WriteMetrics(**gzip);
    (*gzip)->Finish();
    scrape_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    scraping = false;
  });
  double worst_publish_ms = 0;
  int publishes = 0;
  while (!started) std::this_thread::yield();
  while (scraping) {
    NetworkStatus round;  // a small one: the handover is what is measured, not the copy
    round.site = "round";
    const auto start = Clock::now();
    collector.Publish(std::move(round));
    worst_publish_ms = std::max(
        worst_publish_ms, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    ++publishes;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  scrape.join();
  fmt::print(
      "{:>6} snapshot {:.1f} MB on the heap; Publish during a {:.0f} ms gzip scrape: worst "
      "{:.3f} ms over {} calls\n",
      devices, snapshot_mb, scrape_ms, worst_publish_ms, publishes);
}

}  // namespace
}  // namespace lanwatch

int main(int argc, char** argv) {
  bool old_path = true;
  std::vector<size_t> sizes;
  for (int k = 1; k < argc; ++k) {
    if (std::string_view(argv[k]) == "--no-old") {
      old_path = false;
    } else {
      sizes.push_back(std::strtoul(argv[k], nullptr, 10));
    }
  }
  if (sizes.empty()) sizes = {200, 1200, 5000};
  fmt::print("{:>6} {:<20} {:>9} {:>10} {:>13} {:>13}\n", "N", "path", "ms", "MB out",
             "peak heap MB", "peak RSS+ MB");
  for (size_t n : sizes) lanwatch::Bench(n, old_path);
  return 0;
}
