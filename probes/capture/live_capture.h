// LiveCapture: packets from an interface (a mirror/SPAN port or a local one) through libpcap's
// TPACKET_V3 ring, decoded and counted. Run() loops on its own thread and hands a sample to
// its caller every interval; running totals can be read from any thread at any time.
//
// A capture that fails after opening (its interface removed, an error from the socket) says
// so in its samples (`up` false, `error` why) and tries to come back with backoff: 1 s after
// the failure, doubling to 60 s. It comes back by binding the socket it already has to the
// interface's new index, so it needs no privilege to do so: see RebindLiveCapture().
#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "config/error.h"
#include "probes/capture/traffic_meter.h"

namespace lanwatch {

struct CaptureSample {
  TrafficReport interval;        // what the last interval saw
  double interval_seconds = 0;   // how long it really was
  TrafficTotals cumulative;      // since the capture opened
  uint64_t kernel_drops = 0;     // pcap_stats: dropped for lack of buffer, since opened
  uint64_t interface_drops = 0;  // pcap_stats: dropped by the interface or driver, idem
  bool up = true;                // the interface is being read
  std::string error;             // when not up: why (the first failure's reason)
};

// How long a failed capture waits before trying again: `first`, doubling up to `longest`.
// A capture that fails again within `longest` of coming back keeps doubling, so that an
// interface that flaps costs one attempt a minute, not one a second.
struct ReopenBackoff {
  std::chrono::milliseconds first = std::chrono::seconds(1);
  std::chrono::milliseconds longest = std::chrono::seconds(60);
};

class LiveCapture {
 public:
  // Opens the interface (needs root or CAP_NET_RAW): call before dropping privileges.
  static std::expected<std::unique_ptr<LiveCapture>, Error> Open(const CaptureConfig& config,
                                                                 ReopenBackoff backoff = {});
  ~LiveCapture();

  // Captures until `stop` becomes true, checking it at least every 100 ms. Emits a sample
  // every interval, also while the capture is down.
  void Run(const std::atomic<bool>& stop, const std::function<void(const CaptureSample&)>& emit);

  // Bytes in and out so far; safe from any thread.
  uint64_t bytes_in() const { return bytes_in_.load(std::memory_order_relaxed); }
  uint64_t bytes_out() const { return bytes_out_.load(std::memory_order_relaxed); }

 private:
  struct Impl;
  explicit LiveCapture(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::atomic<uint64_t> bytes_in_{0}, bytes_out_{0};
};

}  // namespace lanwatch
