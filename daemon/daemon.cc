#include "daemon/daemon.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <ctime>
#include <map>

#include "config/config_loader.h"
#include "daemon/capture_runner.h"
#include "daemon/device_poller.h"
#include "daemon/network_state.h"
#include "exporters/metrics_server.h"
#include "exporters/status_collector.h"

#ifndef LANWATCH_VERSION
#define LANWATCH_VERSION "unknown"
#endif

namespace lanwatch {
namespace {

using Clock = std::chrono::steady_clock;

// The daemon's own health, next to what it measures.
struct SelfMetrics {
  explicit SelfMetrics(prometheus::Registry& r)
      : rounds(prometheus::BuildCounter()
                   .Name("lanwatch_poll_rounds_total")
                   .Help("Polling rounds completed.")
                   .Register(r)
                   .Add({})),
        round_duration(prometheus::BuildGauge()
                           .Name("lanwatch_poll_round_duration_seconds")
                           .Help("Duration of the last polling round.")
                           .Register(r)
                           .Add({})),
        skipped(prometheus::BuildCounter()
                    .Name("lanwatch_poll_slots_skipped_total")
                    .Help("Scheduled rounds skipped because the previous one overran.")
                    .Register(r)
                    .Add({})),
        reloads(prometheus::BuildCounter()
                    .Name("lanwatch_config_reloads_total")
                    .Help("Config reloads on SIGHUP, by result.")
                    .Register(r)),
        reload_ok(reloads.Add({{"result", "success"}})),
        reload_failed(reloads.Add({{"result", "failure"}})),
        last_reload_ok(prometheus::BuildGauge()
                           .Name("lanwatch_config_last_reload_successful")
                           .Help("1 if the last config (re)load succeeded.")
                           .Register(r)
                           .Add({})) {
    last_reload_ok.Set(1);
  }
  prometheus::Counter& rounds;
  prometheus::Gauge& round_duration;
  prometheus::Counter& skipped;
  prometheus::Family<prometheus::Counter>& reloads;
  prometheus::Counter& reload_ok;
  prometheus::Counter& reload_failed;
  prometheus::Gauge& last_reload_ok;
};

void LogDiagnostics(const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics) spdlog::error("{}", d.ToString());
}

// Waits for a signal in `set` until `until`; returns the signal, or 0 on timeout.
int WaitForSignal(const sigset_t& set, Clock::time_point until) {
  while (true) {
    auto left = until - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig > 0) return sig;
    if (errno != EINTR && errno != EAGAIN) return 0;
  }
}

// lanwatch_link_accounting_mismatch_ratio: a link's bytes by capture against its bytes by
// SNMP, over the same poll interval. Capture totals are sampled as each round starts, when
// the agents are read.
class AccountingCheck {
 public:
  void SampleCaptures(const Config& config, const CaptureRunner& captures) {
    for (const CaptureConfig& c : config.captures) {
      if (c.link.empty()) continue;
      if (auto bytes = captures.BytesForLink(c.link)) pending_[c.link] = *bytes;
    }
  }
  void Apply(NetworkStatus& status) {
    for (LinkStatus& link : status.links) {
      auto captured = pending_.find(link.name);
      if (captured == pending_.end() || !link.found) continue;
      const DeviceStatus* device = status.FindDevice(link.device);
      uint64_t snmp = 0;
      for (const InterfaceStatus& i : device->interfaces) {
        if (i.name == link.interface) snmp = i.receive_bytes_total + i.transmit_bytes_total;
      }
      auto last = last_.find(link.name);
      // Only over an interval with an SNMP rate: no discontinuity, no first poll.
      if (last != last_.end() && snmp > last->second.second && link.in_bps) {
        double snmp_delta = static_cast<double>(snmp - last->second.second);
        double capture_delta = static_cast<double>(captured->second - last->second.first);
        link.accounting_mismatch = std::abs(capture_delta - snmp_delta) / snmp_delta;
      }
      last_[link.name] = {captured->second, snmp};
    }
  }

 private:
  std::map<std::string, uint64_t> pending_;  // capture bytes at this round's start
  std::map<std::string, std::pair<uint64_t, uint64_t>> last_;  // capture, SNMP at the last one
};

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  // Block the signals before any thread starts, so that every thread inherits the mask and
  // only sigtimedwait below ever sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto loaded = LoadConfigFile(options.config_path);
  if (!loaded) {
    LogDiagnostics(loaded.error());
    spdlog::critical("refusing to start: {} is invalid", options.config_path);
    return 2;
  }
  Config config = std::move(*loaded);
  std::string listen = options.listen.value_or(config.listen);

  // Captures open while we may still open interfaces; every privilege goes before any
  // thread starts (capabilities are per thread). Declared before the server, so that it
  // outlives every scrape.
  CaptureRunner captures(config.captures);
  if (auto dropped = DropPrivileges(options.run_as); !dropped) {
    spdlog::critical("{}", dropped.error().message);
    return 1;
  }
  captures.Start();
  auto registry = std::make_shared<prometheus::Registry>();
  SelfMetrics self(*registry);
  auto collector = std::make_shared<StatusCollector>(LANWATCH_VERSION);
  collector->SetCaptureSource([&captures] { return captures.Snapshot(); });
  std::atomic<bool> ready{false};
  auto server = MetricsServer::Start(listen, {collector, registry}, [&] { return ready.load(); });
  if (!server) {
    spdlog::critical("{}", server.error().message);
    return 1;
  }
  spdlog::info("lanwatchd {} watching {} devices and {} links of '{}'; metrics on {} (port {})",
               LANWATCH_VERSION, config.devices.size(), config.links.size(), config.site, listen,
               (*server)->ports().empty() ? 0 : (*server)->ports().front());

  AccountingCheck accounting;

  NetworkState state;
  DevicePoller poller;
  Clock::time_point next = Clock::now();
  for (int round = 1;; ++round) {
    // Each round must end before the next slot starts.
    auto deadline = next + config.poll_interval * 9 / 10;
    accounting.SampleCaptures(config, captures);
    RoundSummary summary = poller.PollRound(config, state, deadline);
    NetworkStatus status = state.Snapshot(config);
    accounting.Apply(status);
    collector->Publish(std::move(status));
    ready = true;
    self.rounds.Increment();
    self.round_duration.Set(std::chrono::duration<double>(summary.elapsed).count());
    spdlog::debug("round {}: {}/{} devices answered in {} ms", round, summary.reachable,
                  summary.devices,
                  std::chrono::duration_cast<std::chrono::milliseconds>(summary.elapsed).count());
    if (options.max_rounds > 0 && round >= options.max_rounds) return 0;

    next += config.poll_interval;
    if (Clock::now() > next) {  // overran: skip the missed slots, keep the phase
      auto missed = (Clock::now() - next) / config.poll_interval + 1;
      next += config.poll_interval * missed;
      self.skipped.Increment(static_cast<double>(missed));
      spdlog::warn("polling round overran; skipped {} slot(s)", missed);
    }
    while (int sig = WaitForSignal(signals, next)) {
      if (sig != SIGHUP) {
        spdlog::info("stopping on signal {}", sig);
        return 0;
      }
      auto reloaded = LoadConfigFile(options.config_path);
      if (!reloaded) {
        LogDiagnostics(reloaded.error());
        spdlog::error("config reload failed; keeping the running config");
        self.reload_failed.Increment();
        self.last_reload_ok.Set(0);
        continue;
      }
      if (reloaded->listen != config.listen && !options.listen) {
        spdlog::warn("'listen' changed; it takes effect on restart");
      }
      if (reloaded->captures.size() != config.captures.size()) {
        spdlog::warn("captures change on restart only (interfaces open before privileges drop)");
      }
      reloaded->captures = config.captures;
      config = std::move(*reloaded);
      state.Retain(config);
      poller.Retain(config);
      self.reload_ok.Increment();
      self.last_reload_ok.Set(1);
      spdlog::info("config reloaded: {} devices, {} links", config.devices.size(),
                   config.links.size());
    }
  }
}

}  // namespace lanwatch
