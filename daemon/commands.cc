#include "daemon/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "config/config_loader.h"
#include "config/text_encoding.h"
#include "daemon/alerts/alert_engine.h"
#include "daemon/health_check.h"
#include "daemon/link_health.h"
#include "daemon/process_limits.h"
#include "exporters/alert_explain.h"
#include "exporters/check_report.h"
#include "exporters/discovery_report.h"
#include "exporters/notify/site_time.h"
#include "exporters/notify/smtp_receiver.h"
#include "exporters/replay_report.h"
#include "probes/capture/replay.h"
#include "probes/snmp/discovery.h"
#include "probes/snmp/snmp_client.h"

namespace lanwatch {

int RunValidateCommand(const std::string& config_path) {
  auto config = LoadConfigFile(config_path);
  if (!config) {
    for (const Diagnostic& d : config.error()) fmt::print(stderr, "{}\n", d.ToString());
    fmt::print(stderr, "{}: {} problem(s)\n", config_path, config.error().size());
    return 2;
  }
  fmt::print("{}: OK ({} devices, {} links{})\n", config_path, config->devices.size(),
             config->links.size(),
             config->services.empty() ? "" : fmt::format(", {} services", config->services.size()));
  std::fflush(stdout);  // the warnings (stderr) read after the verdict they qualify
  for (const Diagnostic& w : config->warnings) {
    fmt::print(stderr, "{}:{}:{}: warning: {}\n", w.file, w.line, w.column, w.message);
  }
  // Valid, so that the packaged example checks out; but lanwatchd will not run it.
  if (config->example)
    fmt::print("note: {}; lanwatchd refuses it until then\n", kExampleConfigMessage);
  // What will be probed and checked, so that a link left without its peer shows here.
  auto written = [](std::chrono::milliseconds d) {
    return d.count() % 1000 == 0 ? fmt::format("{}s", d.count() / 1000)
                                 : fmt::format("{}ms", d.count());
  };
  size_t peers = 0, beyond = 0;
  for (const LinkConfig& link : config->links) {
    peers += !link.peer.empty();
    beyond += !link.beyond.empty();
  }
  if (peers + beyond > 0) {
    const ProbeSettings& p = config->probes;
    fmt::print("echo probes: {} peers, {} beyond; every {}, window {}, timeout {}, mode {}\n",
               peers, beyond, written(p.interval), written(p.window), written(p.timeout),
               ToString(p.mode));
  }
  for (const ServiceConfig& service : config->services) {
    fmt::print("service {}: {} every {}\n", service.name,
               service.url.empty() ? "tcp " + service.tcp : service.url, written(service.interval));
  }
  return 0;
}

namespace {

// The alert engine on the check's snapshot: the same rules as the daemon, judged at this
// instant, or against the daemon's state where it can be read.
std::string ExplainAlerts(const Config& config, const NetworkStatus& status,
                          const std::string& state_dir) {
  ExplainInput in;
  in.now = std::chrono::system_clock::now();
  AlertEngine engine;
  if (!state_dir.empty()) {
    auto store = AlertStore::Open(state_dir);
    if (!store) return fmt::format("\nAlert rules: {}\n", store.error().message);
    if (auto records = (*store)->LoadAlerts()) in.records = std::move(*records);
    if (auto silences = (*store)->Silences(in.now)) in.silences = std::move(*silences);
    in.with_state = true;
  }
  // Evaluated on a copy of the records, so that what is shown is the daemon's own state.
  engine.Restore(in.records);
  engine.Evaluate(AlertRoundInput{status, config, in.now, in.silences, {}}, &in.observations);
  for (const AlertRecord& r : engine.Records()) in.suppressed[r.key] = r.suppressed_by;
  return RenderAlertExplanation(in);
}

}  // namespace

int RunCheckCommand(const CheckOptions& options) {
  auto config = LoadConfigFile(options.config_path);
  if (!config) {
    fmt::print("LANWATCH UNKNOWN - invalid config {}\n", options.config_path);
    for (const Diagnostic& d : config.error()) fmt::print("{}\n", d.ToString());
    return static_cast<int>(Severity::kUnknown);
  }
  // The daemon's state directory, where asked for: its fiber baselines, its alert state.
  if (!options.state_dir.empty()) config->state_dir = options.state_dir;
  RaiseOpenFilesLimit(OpenFilesNeeded(*config));
  NetworkStatus status = RunHealthCheck(*config, options.sample);
  Severity overall = OverallSeverity(status);
  std::string report =
      options.json ? RenderJsonReport(status, overall) : RenderNagiosReport(status, overall);
  if (options.explain) report += ExplainAlerts(*config, status, options.state_dir);
  fmt::print("{}", ToValidUtf8(report));  // text reports are UTF-8, whatever a device sent
  std::fflush(stdout);
  return static_cast<int>(overall);
}

namespace {

// Splits "host:port", "[v6]:port" and bare addresses; a bare IPv6 address has no port.
bool SplitTarget(const std::string& target, std::string& address, uint16_t& port) {
  std::string port_text;
  if (!target.empty() && target.front() == '[') {
    auto close = target.find(']');
    if (close == std::string::npos) return false;
    address = target.substr(1, close - 1);
    if (close + 1 < target.size()) {
      if (target[close + 1] != ':') return false;
      port_text = target.substr(close + 2);
    }
  } else if (std::count(target.begin(), target.end(), ':') == 1) {
    address = target.substr(0, target.find(':'));
    port_text = target.substr(target.find(':') + 1);
  } else {
    address = target;
  }
  if (address.empty()) return false;
  if (!port_text.empty()) {
    char* end = nullptr;
    long p = std::strtol(port_text.c_str(), &end, 10);
    if (*end != '\0' || p < 1 || p > 65535) return false;
    port = static_cast<uint16_t>(p);
  }
  return true;
}

}  // namespace

int RunDiscoverCommand(DiscoverOptions options) {
  std::string address;
  if (!SplitTarget(options.target, address, options.snmp.port)) {
    fmt::print(stderr, "discover: '{}' is not ADDRESS[:PORT]\n", options.target);
    return 2;
  }
  for (const std::string& problem : SnmpSettingsProblems(options.snmp)) {
    fmt::print(stderr, "discover: {}\n", problem);
  }
  if (!SnmpSettingsProblems(options.snmp).empty()) return 2;

  SnmpJob job{SnmpTarget{address, address, options.snmp},
              std::make_shared<const SnmpQuery>(BuildDiscoveryQuery()),
              std::chrono::steady_clock::now() + std::chrono::seconds(60),
              {}};
  SnmpClient client;
  SnmpResult result = std::move(client.Run({job}).front());
  // What arrived is shown even when the exchange stopped early (an agent that gives up in a
  // vendor table still has its interfaces): with a warning, and exit 1 only for nothing.
  auto discovery = DecodeDiscovery(*job.query, result, options.snmp.text_encoding);
  if (!discovery) {
    fmt::print(stderr, "discover: {}:{}: {}\n", address, options.snmp.port,
               result.ok() ? discovery.error().message : result.failure_message);
    return 1;
  }
  if (!result.ok()) {
    fmt::print(stderr, "discover: {}:{}: warning: incomplete answer ({}); showing what arrived\n",
               address, options.snmp.port, result.failure_message);
  }
  switch (options.output) {
    case DiscoverOptions::Output::kText:
      fmt::print("{}", RenderDiscoveryText(*discovery));
      break;
    case DiscoverOptions::Output::kJson:
      fmt::print("{}", RenderDiscoveryJson(*discovery));
      break;
    case DiscoverOptions::Output::kDraftConfig:
      fmt::print("{}", RenderDraftConfig(*discovery, address, options.snmp));
      break;
  }
  return 0;
}

int RunReplayCommand(const ReplayCommandOptions& options) {
  ReplayOptions replay;
  replay.interval = options.interval;
  replay.top_n = options.top_n;
  if (!options.local_networks.empty()) {
    replay.local_networks.clear();
    for (const std::string& text : options.local_networks) {
      auto cidr = Cidr::Parse(text);
      if (!cidr) {
        fmt::print(stderr, "replay: --local '{}' is not an address or CIDR\n", text);
        return 2;
      }
      replay.local_networks.push_back(*cidr);
    }
  }
  const double seconds = std::chrono::duration<double>(options.interval).count();
  std::string buffer;
  auto flush = [&] {
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    buffer.clear();
  };
  ReplaySummary summary =
      ReplayCaptureFile(options.path, replay, [&](const ReplayInterval& interval) {
        buffer += options.json ? RenderIntervalJson(interval, seconds)
                               : RenderIntervalText(interval, seconds);
        if (buffer.size() > 1 << 16) flush();
      });
  buffer += options.json ? RenderReplaySummaryJson(summary) : RenderReplaySummaryText(summary);
  flush();
  std::fflush(stdout);
  if (summary.error) {
    fmt::print(stderr, "replay: {}\n", *summary.error);
    return 1;
  }
  return 0;
}

int RunNotifyTestCommand(const std::string& config_path) {
  auto config = LoadConfigFile(config_path);
  if (!config) {
    for (const Diagnostic& d : config.error()) fmt::print(stderr, "{}\n", d.ToString());
    return 2;
  }
  const EmailSettings& email = config->notify.email;
  if (email.url.empty()) {
    fmt::print(stderr,
               "notify: no email is configured in {} (set notify: email: url, from, to); "
               "nothing sent\n",
               config_path);
    return 1;
  }
  // As lanwatchd does at startup: the mail's times in the site's zone.
  if (auto zone = UseSiteTimezone(config->notify.timezone); !zone) {
    fmt::print(stderr, "notify: warning: {}; times are in the host's zone\n", zone.error().message);
  }
  Notification test;
  test.kind = NotificationKind::kTest;
  test.device = kSelfDevice;
  test.created_at = std::chrono::system_clock::now();
  // Unique per run, so that a second test is a new message rather than a duplicate.
  test.id = fmt::format(
      "test.{}.{}",
      std::chrono::duration_cast<std::chrono::milliseconds>(test.created_at.time_since_epoch())
          .count(),
      getpid());
  EmailReceiver receiver(*config);
  auto answer = receiver.Deliver(receiver.Render(test));
  if (!answer) {
    fmt::print(stderr, "notify: test message NOT sent: {}\n", answer.error().message);
    return 1;
  }
  fmt::print("notify: test message sent to {} via {}; the server answered: {}\n",
             fmt::join(email.to, ", "), email.url, *answer);
  return 0;
}

}  // namespace lanwatch
