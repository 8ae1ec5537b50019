// probe_bench: echo-probes N loopback addresses with lanwatch's IcmpProber, each probe's
// outcome added to its target's ProbeWindow under a lock, as the daemon's reachability monitor
// does, and every target's window summed up once per --summary-ms (a publish or a scrape).
// After --seconds it prints one JSON line: its own CPU (getrusage, user + sys, all threads,
// from just before the first probe), the probes' outcomes and the socket mode. Driven by
// bench/probe.py, which runs fping on the same targets in the same run.
//   probe_bench --targets 500 --interval-ms 1000 --seconds 30 --mode raw
// Target k (from 0) is 127.0.(1 + k / 250).(1 + k % 250): inside a network namespace whose
// lo is up, every 127/8 address answers.
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/guarded_main.h"
#include "probes/icmp/icmp_prober.h"
#include "probes/icmp/probe_window.h"

namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string LoopbackTarget(int k) { return fmt::format("127.0.{}.{}", 1 + k / 250, 1 + k % 250); }

// The daemon's side of a probe: find the target's window, add the outcome. Thread-safe.
class Windows {
 public:
  explicit Windows(const std::vector<std::string>& addresses) {
    windows_.reserve(addresses.size());
    for (const std::string& a : addresses) {
      index_.emplace(a, windows_.size());
      windows_.emplace_back();
    }
  }

  void Record(const lanwatch::ProbeResult& r) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(r.target);
    if (it == index_.end()) return;
    windows_[it->second].Add(r.sent_steady,
                             r.outcome == lanwatch::ProbeOutcome::kReply ? r.rtt : std::nullopt);
    ++outcomes_[r.outcome];
  }

  // Every window's summary, as a publish does; returns the targets without a reply in theirs.
  size_t SummarizeAll(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    size_t silent = 0;
    for (const auto& w : windows_) {
      auto s = w.Summary(now);
      if (s.sent > 0 && s.lost == s.sent) ++silent;
    }
    return silent;
  }

  uint64_t count(lanwatch::ProbeOutcome o) const {
    std::lock_guard lock(mutex_);
    auto it = outcomes_.find(o);
    return it == outcomes_.end() ? 0 : it->second;
  }

  // The mean RTT over the whole run, from the histograms' sums: a sanity figure.
  double MeanRttSeconds() const {
    std::lock_guard lock(mutex_);
    double sum = 0;
    uint64_t n = 0;
    for (const auto& w : windows_) {
      sum += w.histogram().sum_seconds;
      n += w.histogram().count;
    }
    return n ? sum / static_cast<double>(n) : 0;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<lanwatch::ProbeWindow> windows_;
  std::map<lanwatch::ProbeOutcome, uint64_t> outcomes_;
};

}  // namespace

static int Main(int argc, char** argv) {
  CLI::App app{"echo-probe loopback addresses with lanwatch's prober and report the cost"};
  int target_count = 500;
  int interval_ms = 1000;
  int summary_ms = 1000;
  double seconds = 30;
  std::string mode_name = "auto";
  app.add_option("--targets", target_count, "how many addresses, from 127.0.1.1")
      ->check(CLI::Range(1, 60000));
  app.add_option("--interval-ms", interval_ms, "each target's probe interval")
      ->check(CLI::PositiveNumber);
  app.add_option("--summary-ms", summary_ms, "how often every window is summed up")
      ->check(CLI::PositiveNumber);
  app.add_option("--seconds", seconds, "how long to probe")->check(CLI::PositiveNumber);
  app.add_option("--mode", mode_name, "socket kind")
      ->check(CLI::IsMember({"auto", "datagram", "raw"}));
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> addresses;
  std::vector<lanwatch::IcmpTarget> targets;
  for (int k = 0; k < target_count; ++k) {
    addresses.push_back(LoopbackTarget(k));
    targets.push_back({addresses.back(), std::chrono::milliseconds(interval_ms)});
  }
  lanwatch::IcmpProberOptions options;
  options.mode = mode_name == "raw"        ? lanwatch::IcmpProberOptions::Mode::kRaw
                 : mode_name == "datagram" ? lanwatch::IcmpProberOptions::Mode::kDatagram
                                           : lanwatch::IcmpProberOptions::Mode::kAuto;
  auto prober = lanwatch::IcmpProber::Open(targets, options);
  if (!prober) {
    fmt::print(stderr, "probe_bench: {}\n", prober.error().message);
    return 1;
  }

  Windows windows(addresses);
  size_t silent_at_last_summary = 0;
  const double cpu_before = CpuSeconds();
  const Clock::time_point start = Clock::now();
  const Clock::time_point end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  (*prober)->Start([&windows](const lanwatch::ProbeResult& r) { windows.Record(r); });
  for (Clock::time_point next = start + std::chrono::milliseconds(summary_ms); next <= end;
       next += std::chrono::milliseconds(summary_ms)) {
    std::this_thread::sleep_until(next);
    silent_at_last_summary = windows.SummarizeAll(Clock::now());
  }
  std::this_thread::sleep_until(end);
  const auto counters = (*prober)->counters();
  const std::string mode = (*prober)->mode();
  prober->reset();  // stops the thread: nothing runs past the measurement
  const double cpu = CpuSeconds() - cpu_before;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();

  using lanwatch::ProbeOutcome;
  const uint64_t answered = windows.count(ProbeOutcome::kReply);
  const uint64_t lost = windows.count(ProbeOutcome::kLost);
  const uint64_t errors = windows.count(ProbeOutcome::kError);
  fmt::print(
      "{{\"mode\": \"{}\", \"targets\": {}, \"interval_ms\": {}, \"wall_s\": {:.3f}, "
      "\"cpu_s\": {:.4f}, \"core_percent\": {:.3f}, \"probes\": {}, \"answered\": {}, "
      "\"lost\": {}, \"errors\": {}, \"silent_targets\": {}, \"rtt_mean_ms\": {:.4f}, "
      "\"foreign\": {}, \"duplicates\": {}, \"late\": {}, \"malformed\": {}}}\n",
      mode, target_count, interval_ms, wall, cpu, cpu * 100 / wall, answered + lost + errors,
      answered, lost, errors, silent_at_last_summary, windows.MeanRttSeconds() * 1000,
      counters.foreign, counters.duplicates, counters.late, counters.malformed);
  return 0;
}

int main(int argc, char** argv) {
  return lanwatch::GuardedMain("probe_bench", 1, Main, argc, argv);
}
