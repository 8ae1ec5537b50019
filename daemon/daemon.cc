#include "daemon/daemon.h"

#include <fmt/ranges.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
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
#include "daemon/process_limits.h"
#include "daemon/reachability.h"
#include "daemon/reachability_health.h"
#include "daemon/service_manager.h"
#include "daemon/service_monitor.h"
#include "daemon/state_dir.h"
#include "daemon/trap_inbox.h"
#include "daemon/trap_intake.h"
#include "daemon/web_front.h"
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

// What ended a wait.
struct Woken {
  enum class Why { kSlot, kAlerts, kTraps, kTrapPollDue, kSignal } why = Why::kSlot;
  int signal = 0;
};

// Waits until `wake`, a trap debounce ending (`trap_due`), a trap arriving on `trap_fd` (-1:
// none) or a signal on `signal_fd`. Wakes in between to pet systemd's watchdog, which ends no
// wait.
Woken Wait(int signal_fd, int trap_fd, WakeUp wake, std::optional<SteadyClock::time_point> trap_due,
           ServiceManager& service) {
  SteadyClock::time_point until = wake.at;
  bool for_traps = trap_due && *trap_due < until;
  if (for_traps) until = *trap_due;
  while (true) {
    auto left = until - SteadyClock::now();
    if (left <= SteadyClock::duration::zero()) {
      if (for_traps) return {Woken::Why::kTrapPollDue};
      return {wake.for_alerts ? Woken::Why::kAlerts : Woken::Why::kSlot};
    }
    if (auto pet = service.NextWatchdog()) {
      left = std::clamp<SteadyClock::duration>(*pet - SteadyClock::now(), {}, left);
    }
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {trap_fd, POLLIN, 0}};
    int ready = poll(fds, trap_fd >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(ms, 60'000)));
    service.PetWatchdog();
    if (ready < 0 && errno != EINTR) return {Woken::Why::kSlot};
    if (ready <= 0) continue;
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      if (read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        return {Woken::Why::kSignal, static_cast<int>(info.ssi_signo)};
      }
    }
    if (trap_fd >= 0 && (fds[1].revents & POLLIN)) return {Woken::Why::kTraps};
  }
}

// "trap linkDown from core-switch: sw-datong (link datong)": which port, by its ifIndex.
void LogTrap(const TrapEvent& trap, const DeviceConfig& from, const NetworkStatus& status) {
  std::string port;
  if (const DeviceStatus* device = status.FindDevice(from.name); device && trap.if_index) {
    for (const InterfaceStatus& i : device->interfaces) {
      if (i.index != *trap.if_index) continue;
      port = i.name;
      for (const LinkStatus& link : status.links) {
        if (link.device == from.name && link.interface == i.name) {
          port += fmt::format(" (link {})", link.name);
        }
      }
    }
    if (port.empty()) port = fmt::format("ifIndex {}", *trap.if_index);
  }
  spdlog::info("trap {} from {}{}{}; polling it", trap.kind, from.name, port.empty() ? "" : ": ",
               port);
}

// A signalfd. Two watch the same signals: one readable while SIGTERM or SIGINT is pending, so
// that a round in progress can be cut short (it is never read), and the one the loop waits on
// and reads.
class SignalFd {
 public:
  explicit SignalFd(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : signals) sigaddset(&set, s);
    fd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  ~SignalFd() {
    if (fd_ >= 0) close(fd_);
  }
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  // Block the signals before any thread starts, so that every thread inherits the mask and
  // only the loop's signalfd ever sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  UseFewMallocArenas();
  SignalFd stop_fd({SIGTERM, SIGINT});
  SignalFd signal_fd({SIGTERM, SIGINT, SIGHUP});
  ServiceManager service;  // systemd's READY, RELOADING, STOPPING, STATUS and watchdog

  auto loaded = LoadConfigFile(options.config_path);
  if (!loaded) {
    LogDiagnostics(loaded.error());
    spdlog::critical("refusing to start: {} is invalid", options.config_path);
    return 2;
  }
  if (loaded->example) {
    spdlog::critical("refusing to start: {}: {}", options.config_path, kExampleConfigMessage);
    return 2;
  }
  Config config = std::move(*loaded);
  for (const Diagnostic& w : config.warnings) spdlog::warn("{}", w.ToString());
  RaiseOpenFilesLimit(OpenFilesNeeded(config));
  std::string listen = options.listen.value_or(config.listen);
  service.WarnIfWatchdogShort(config.poll_interval);

  // Captures open while we may still open interfaces; every privilege goes before any
  // thread starts (capabilities are per thread). Declared before the server, so that it
  // outlives every scrape.
  CaptureRunner captures(config.captures);
  // Port 162 is privileged: the trap socket opens now too. Without it lanwatchd still polls.
  // The inbox outlives the receiver, whose thread pushes into it until it is joined.
  TrapInbox trap_inbox;
  std::unique_ptr<TrapReceiver> trap_receiver;
  if (!config.traps.listen.empty()) {
    if (auto opened = TrapReceiver::Open(config.traps.listen); opened) {
      trap_receiver = std::move(*opened);
    } else {
      spdlog::error("no trap receiver: {}; faults show at the next poll only",
                    opened.error().message);
    }
  }
  // Echo probes too: raw sockets need CAP_NET_RAW, which goes with the privileges.
  std::string probe_error;
  std::unique_ptr<ReachabilityMonitor> reachability;
  if (auto opened = ReachabilityMonitor::Open(config); opened) {
    reachability = std::move(*opened);
  } else {
    probe_error = opened.error().message;
    spdlog::error("{}; far ends and the uplink's ISP side are not measured", probe_error);
    reachability = std::make_unique<ReachabilityMonitor>(ProbeTargets(config), config.probes);
  }
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
  reachability->Start();
  auto services = std::make_unique<ServiceMonitor>(config.services);
  services->Start();
  TrapIntake trap_intake;
  if (trap_receiver) {
    trap_receiver->Start([&trap_inbox](TrapEvent trap) { trap_inbox.Push(std::move(trap)); });
  }
  SystemClock clock;
  AlertService alerts(config, state_dir, clock);
  auto collector = std::make_shared<StatusCollector>(LANWATCH_VERSION);
  collector->SetCaptureSource([&captures] { return captures.Snapshot(); });
  collector->SetReceiverSource([&alerts] { return alerts.ReceiverStatsNow(); });
  collector->SetProbeSource([&reachability] { return reachability->Snapshot(); });
  if (trap_receiver) {
    collector->SetTrapMalformedSource(
        [&trap_receiver] { return trap_receiver->malformed_total(); });
  }
  std::atomic<bool> ready{false};
  auto web = WebFront::Start(
      listen, config, state_dir, collector, [&] { return ready.load(); }, LANWATCH_VERSION);
  if (!web) {
    spdlog::critical("{}", web.error().message);
    return 1;
  }
  spdlog::info(
      "lanwatchd {} watching {} devices and {} links of '{}'; status page and metrics on {} "
      "(port {})",
      LANWATCH_VERSION, config.devices.size(), config.links.size(), config.site, listen,
      (*web)->port());

  DevicePoller poller;
  PollLoop loop(poller, clock);
  if (auto baselines = OpenFiberBaselineStore(state_dir); baselines) {
    loop.UseFiberBaselines(std::move(*baselines));
  } else {
    spdlog::warn("fiber baselines kept in memory only (a restart learns them again): {}",
                 baselines.error().message);
  }
  AccountingCheck accounting;
  SaturationMemory saturation;
  DaemonStats stats;
  if (trap_receiver) stats.traps = TrapCounts{};
  stats.probe_mode = reachability->mode();
  if (!reachability->targets().empty()) {
    spdlog::info("echo probes of {} targets every {} ms ({} sockets)",
                 reachability->targets().size(), config.probes.interval.count(),
                 stats.probe_mode.empty() ? "no" : stats.probe_mode);
  }
  // The state after a round (or a trap's poll, or an optics walk): judged, alerted, published.
  // A round's publish also goes to the history, at its slot; a trap's poll or an optics walk
  // adds nothing to it (its step has the round's rates).
  auto publish = [&](std::optional<WallTime> round_slot = std::nullopt) {
    NetworkStatus status = loop.Snapshot(config);
    status.probes = reachability->Snapshot();
    status.services = services->Snapshot();
    status.probe_error = probe_error;
    ApplyReachability(status, config, &saturation);
    accounting.Apply(status);
    alerts.Round(status, config);
    if (round_slot) (*web)->RecordRound(status, *round_slot);
    collector->SetAlerting(alerts.Status());
    service.Status(ServiceStatusLine(status));
    collector->Publish(std::move(status));
    if (trap_receiver) {
      trap_intake.SetMalformed(trap_receiver->malformed_total());
      stats.traps = trap_intake.counts();
    }
    collector->SetDaemonStats(stats);
    service.PetWatchdog();
    if (round_slot) ReturnFreedMemory();  // the round's replies and the snapshot it replaced
  };
  // Optics are walked after the round's figures are out, so a slow optics table never holds
  // them back; a link that changed state has its optics re-read at once.
  auto walk_due_optics = [&](SteadyClock::time_point deadline) {
    std::vector<std::string> due = loop.OpticsDue(config);
    if (due.empty()) return;
    loop.RunOptics(config, PollRequest{deadline, due, stop_fd.fd()});
    publish();
  };
  Schedule schedule(clock.Now(), config.poll_interval);
  for (int round = 1;; ++round) {
    accounting.SampleCaptures(config, captures);
    // The devices go out as the round goes, each part's old interfaces freed as it is done.
    RoundSummary summary =
        loop.RunRound(config, PollRequest{schedule.deadline(), {}, stop_fd.fd()},
                      [&] { collector->PublishDevices(loop.DeviceStatuses(config)); });
    ++stats.rounds_total;
    stats.last_round_seconds = std::chrono::duration<double>(summary.elapsed).count();
    // The history files each round under its slot's time, not the time it ended: slots are
    // one interval apart, so a slow round never shares a step with the next.
    publish(clock.WallNow() -
            std::chrono::duration_cast<WallTime::duration>(clock.Now() - schedule.slot()));
    if (!ready.exchange(true)) service.Ready();
    walk_due_optics(schedule.deadline());
    spdlog::debug("round {}: {}/{} devices answered in {} ms", round, summary.reachable,
                  summary.devices,
                  std::chrono::duration_cast<std::chrono::milliseconds>(summary.elapsed).count());
    if (options.max_rounds > 0 && round >= options.max_rounds) return 0;

    if (int64_t missed = schedule.Advance(clock.Now()); missed > 0) {
      stats.slots_skipped_total += static_cast<uint64_t>(missed);
      collector->SetDaemonStats(stats);
      spdlog::warn("polling round overran; skipped {} slot(s)", missed);
    }
    while (true) {
      Woken woken = Wait(signal_fd.fd(), trap_receiver ? trap_inbox.fd() : -1,
                         WakeAt(schedule, alerts, config, clock), trap_intake.NextDue(), service);
      if (woken.why == Woken::Why::kSlot) break;
      if (woken.why == Woken::Why::kAlerts) {  // a group wait ended between rounds
        alerts.Flush(config);
        collector->SetAlerting(alerts.Status());
        continue;
      }
      if (woken.why == Woken::Why::kTraps) {
        const auto resolved = poller.ResolvedAddresses(config);
        for (const TrapEvent& trap : trap_inbox.Take()) {
          if (const DeviceConfig* from = trap_intake.Accept(trap, config, resolved)) {
            LogTrap(trap, *from, loop.Snapshot(config));
          } else {
            spdlog::debug("trap {} from {} ignored (not a configured device, or its community)",
                          trap.kind, trap.source_address);
          }
        }
        // Counted at once, ignored ones too: they cause no poll, hence no publish.
        trap_intake.SetMalformed(trap_receiver->malformed_total());
        stats.traps = trap_intake.counts();
        collector->SetDaemonStats(stats);
        continue;
      }
      if (woken.why == Woken::Why::kTrapPollDue) {
        // A trap is a hint, the poll decides: the devices it names are polled now, with
        // their optics (did the light go?), and the outcome published and alerted at once.
        std::vector<std::string> devices = trap_intake.Due(clock.Now());
        if (devices.empty()) continue;
        spdlog::debug("trap poll of {}", fmt::join(devices, ", "));
        const auto deadline =
            clock.Now() + std::min<SteadyClock::duration>(config.poll_interval * 9 / 10,
                                                          std::chrono::seconds(10));
        accounting.SampleCaptures(config, captures);
        loop.RunRound(config, PollRequest{deadline, devices, stop_fd.fd()});
        loop.RunOptics(config, PollRequest{deadline, devices, stop_fd.fd()});
        publish();
        continue;
      }
      const int sig = woken.signal;
      if (sig != SIGHUP) {
        spdlog::info("stopping on signal {}", sig);
        service.Stopping();
        return 0;
      }
      auto reloading = service.Reloading();  // READY=1 again when this scope ends
      auto reloaded = LoadConfigFile(options.config_path);
      if (!reloaded || reloaded->example) {
        if (reloaded) {
          spdlog::error("{}: {}", options.config_path, kExampleConfigMessage);
        } else {
          LogDiagnostics(reloaded.error());
        }
        spdlog::error("config reload failed; keeping the running config");
        ++stats.reloads_failure_total;
        stats.last_reload_successful = false;
        collector->SetDaemonStats(stats);
        continue;
      }
      if (reloaded->listen != config.listen && !options.listen) {
        spdlog::warn("'listen' changed; it takes effect on restart");
      }
      if (reloaded->traps.listen != config.traps.listen) {
        spdlog::warn(
            "the trap receiver's 'listen' changes on restart only (port 162 opens "
            "before privileges drop)");
      }
      if (reloaded->captures.size() != config.captures.size()) {
        spdlog::warn("captures change on restart only (interfaces open before privileges drop)");
      }
      reloaded->captures = config.captures;
      if (ProbeTargets(*reloaded) != reachability->targets() ||
          reloaded->probes.interval != config.probes.interval ||
          reloaded->probes.window != config.probes.window ||
          reloaded->probes.timeout != config.probes.timeout ||
          reloaded->probes.mode != config.probes.mode) {
        spdlog::warn(
            "echo probe targets and timing change on restart only (raw sockets open before "
            "privileges drop); the running probes are judged with the new thresholds");
      }
      // What is probed stays what runs: a link's new peer would be judged on its old one's
      // probes, and a new link's on none.
      reloaded->probes = config.probes;
      for (LinkConfig& link : reloaded->links) {
        const LinkConfig* running = nullptr;
        for (const LinkConfig& l : config.links) {
          if (l.name == link.name) running = &l;
        }
        link.peer = running ? running->peer : "";
        link.beyond = running ? running->beyond : "";
      }
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
      const bool services_changed = reloaded->services != config.services;
      std::vector<ServiceStatus> unchanged;
      if (services_changed) {
        for (const ServiceStatus& st : services->Snapshot()) {
          auto old_one = std::ranges::find(config.services, st.name, &ServiceConfig::name);
          auto new_one = std::ranges::find(reloaded->services, st.name, &ServiceConfig::name);
          if (old_one != config.services.end() && new_one != reloaded->services.end() &&
              *old_one == *new_one) {
            unchanged.push_back(st);
          }
        }
      }
      config = std::move(*reloaded);
      for (const Diagnostic& w : config.warnings) spdlog::warn("{}", w.ToString());
      RaiseOpenFilesLimit(OpenFilesNeeded(config));
      loop.Retain(config);
      if (services_changed) {
        // Waits for a round of checks in progress (at most its longest timeout).
        services.reset();
        services = std::make_unique<ServiceMonitor>(config.services, unchanged);
        services->Start();
      }
      schedule.SetInterval(config.poll_interval);
      (*web)->Reload(config);
      ++stats.reloads_success_total;
      stats.last_reload_successful = true;
      collector->SetDaemonStats(stats);
      spdlog::info("config reloaded: {} devices, {} links", config.devices.size(),
                   config.links.size());
    }
  }
}

}  // namespace lanwatch
