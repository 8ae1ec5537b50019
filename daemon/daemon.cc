#include "daemon/daemon.h"

#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <ctime>

#include "config/config_loader.h"
#include "daemon/accounting_check.h"
#include "daemon/alert_service.h"
#include "daemon/capture_runner.h"
#include "daemon/device_poller.h"
#include "daemon/poll_loop.h"
#include "daemon/state_dir.h"
#include "exporters/metrics_server.h"
#include "exporters/notify/site_time.h"
#include "exporters/status_collector.h"

#ifndef LANWATCH_VERSION
#define LANWATCH_VERSION "unknown"
#endif

namespace lanwatch {
namespace {

using SteadyClock = std::chrono::steady_clock;

void LogDiagnostics(const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics) spdlog::error("{}", d.ToString());
}

// When the loop wakes next: the next slot, or sooner when a group of alerts is due.
struct WakeUp {
  SteadyClock::time_point at;
  bool for_alerts = false;
};

WakeUp WakeAt(const Schedule& schedule, const AlertService& alerts, const Config& config,
              const Clock& clock) {
  WakeUp wake{schedule.slot()};
  if (auto due = alerts.NextWake(config)) {
    auto at = clock.Now() + std::chrono::duration_cast<SteadyClock::duration>(
                                std::max(*due - clock.WallNow(), WallTime::duration::zero()));
    if (at < wake.at) wake = {at, true};
  }
  return wake;
}

// Waits for a signal in `set` until `wake`; returns the signal, 0 on timeout at the next
// slot, -1 on timeout for alerts.
int WaitForSignal(const sigset_t& set, WakeUp wake) {
  const SteadyClock::time_point until = wake.at;
  while (true) {
    auto left = until - SteadyClock::now();
    if (left <= SteadyClock::duration::zero()) return wake.for_alerts ? -1 : 0;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig > 0) return sig;
    if (errno != EINTR && errno != EAGAIN) return 0;
  }
}

// Readable while SIGTERM or SIGINT is pending, so that a round in progress can be cut short;
// reading it is left to sigtimedwait, which then sees the signal.
class StopSignalFd {
 public:
  StopSignalFd() {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    fd_ = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  ~StopSignalFd() {
    if (fd_ >= 0) close(fd_);
  }
  StopSignalFd(const StopSignalFd&) = delete;
  StopSignalFd& operator=(const StopSignalFd&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  // Block the signals before any thread starts, so that every thread inherits the mask and
  // only sigtimedwait below ever sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  StopSignalFd stop_fd;

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
  const std::string state_dir = options.state_dir.value_or(config.state_dir);
  if (auto prepared = PrepareStateDir(state_dir, options.run_as); !prepared) {
    spdlog::warn("{}", prepared.error().message);
  }
  // Times in messages are the site's: TZ is set while there is only this thread.
  if (auto zone = UseSiteTimezone(config.notify.timezone); !zone) {
    spdlog::warn("{}", zone.error().message);
  }
  if (auto dropped = DropPrivileges(options.run_as); !dropped) {
    spdlog::critical("{}", dropped.error().message);
    return 1;
  }
  captures.Start();
  SystemClock clock;
  AlertService alerts(config, state_dir, clock);
  auto collector = std::make_shared<StatusCollector>(LANWATCH_VERSION);
  collector->SetCaptureSource([&captures] { return captures.Snapshot(); });
  collector->SetReceiverSource([&alerts] { return alerts.ReceiverStatsNow(); });
  std::atomic<bool> ready{false};
  auto server = MetricsServer::Start(listen, {collector}, [&] { return ready.load(); });
  if (!server) {
    spdlog::critical("{}", server.error().message);
    return 1;
  }
  spdlog::info("lanwatchd {} watching {} devices and {} links of '{}'; metrics on {} (port {})",
               LANWATCH_VERSION, config.devices.size(), config.links.size(), config.site, listen,
               (*server)->ports().empty() ? 0 : (*server)->ports().front());

  DevicePoller poller;
  PollLoop loop(poller, clock);
  AccountingCheck accounting;
  DaemonStats stats;
  Schedule schedule(clock.Now(), config.poll_interval);
  for (int round = 1;; ++round) {
    accounting.SampleCaptures(config, captures);
    RoundSummary summary =
        loop.RunRound(config, PollRequest{schedule.deadline(), {}, stop_fd.fd()});
    NetworkStatus status = loop.Snapshot(config);
    accounting.Apply(status);
    ++stats.rounds_total;
    stats.last_round_seconds = std::chrono::duration<double>(summary.elapsed).count();
    alerts.Round(status, config);
    collector->SetAlerting(alerts.Status());
    collector->Publish(std::move(status));
    collector->SetDaemonStats(stats);
    ready = true;
    spdlog::debug("round {}: {}/{} devices answered in {} ms", round, summary.reachable,
                  summary.devices,
                  std::chrono::duration_cast<std::chrono::milliseconds>(summary.elapsed).count());
    if (options.max_rounds > 0 && round >= options.max_rounds) return 0;

    if (int64_t missed = schedule.Advance(clock.Now()); missed > 0) {
      stats.slots_skipped_total += static_cast<uint64_t>(missed);
      collector->SetDaemonStats(stats);
      spdlog::warn("polling round overran; skipped {} slot(s)", missed);
    }
    while (int sig = WaitForSignal(signals, WakeAt(schedule, alerts, config, clock))) {
      if (sig < 0) {  // a group wait ended between rounds
        alerts.Flush(config);
        collector->SetAlerting(alerts.Status());
        continue;
      }
      if (sig != SIGHUP) {
        spdlog::info("stopping on signal {}", sig);
        return 0;
      }
      auto reloaded = LoadConfigFile(options.config_path);
      if (!reloaded) {
        LogDiagnostics(reloaded.error());
        spdlog::error("config reload failed; keeping the running config");
        ++stats.reloads_failure_total;
        stats.last_reload_successful = false;
        collector->SetDaemonStats(stats);
        continue;
      }
      if (reloaded->listen != config.listen && !options.listen) {
        spdlog::warn("'listen' changed; it takes effect on restart");
      }
      if (reloaded->captures.size() != config.captures.size()) {
        spdlog::warn("captures change on restart only (interfaces open before privileges drop)");
      }
      reloaded->captures = config.captures;
      const NotifySettings& before = config.notify;
      const NotifySettings& after = reloaded->notify;
      const EmailSettings& was = before.email;
      const EmailSettings& is = after.email;
      if (is.url != was.url || is.to != was.to || is.from != was.from ||
          is.starttls != was.starttls || is.username != was.username ||
          is.password_file != was.password_file ||
          after.alertmanager_urls != before.alertmanager_urls ||
          after.language != before.language || after.timezone != before.timezone ||
          after.dashboard_url != before.dashboard_url || reloaded->site != config.site) {
        spdlog::warn(
            "notify receivers and the words of messages (site, language, timezone, "
            "dashboard) change on restart only; rules, thresholds, group_wait and "
            "repeat_interval take effect now");
      }
      config = std::move(*reloaded);
      loop.Retain(config);
      schedule.SetInterval(config.poll_interval);
      ++stats.reloads_success_total;
      stats.last_reload_successful = true;
      collector->SetDaemonStats(stats);
      spdlog::info("config reloaded: {} devices, {} links", config.devices.size(),
                   config.links.size());
    }
  }
}

}  // namespace lanwatch
