#include "config/alert_settings_loader.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <vector>

namespace lanwatch {
namespace {

constexpr std::array<std::string_view, 3> kDeviceKeys = {"unreachable_severity", "unreachable_for",
                                                         "reboot_severity"};
constexpr std::array<std::string_view, 35> kLinkKeys = {"link_down_severity",
                                                        "link_down_for",
                                                        "flapping_severity",
                                                        "flap_changes",
                                                        "flap_window",
                                                        "utilization_warning",
                                                        "utilization_critical",
                                                        "utilization_clear_margin",
                                                        "utilization_for",
                                                        "errors_warning",
                                                        "errors_critical",
                                                        "errors_for",
                                                        "discards_warning",
                                                        "discards_critical",
                                                        "discards_for",
                                                        "rate_clear_ratio",
                                                        "speed_severity",
                                                        "no_data_severity",
                                                        "no_data_for",
                                                        "mismatch_severity",
                                                        "mismatch_ratio",
                                                        "mismatch_for",
                                                        "fiber_degraded_severity",
                                                        "fiber_drop",
                                                        "fiber_for",
                                                        "no_light_severity",
                                                        "fiber_baseline_window",
                                                        "far_end_unreachable_severity",
                                                        "far_end_unreachable_for",
                                                        "far_end_loss_warning",
                                                        "far_end_loss_critical",
                                                        "far_end_loss_for",
                                                        "far_end_rtt_warning",
                                                        "far_end_rtt_critical",
                                                        "far_end_rtt_for"};
constexpr std::array<std::string_view, 5> kGlobalKeys = {
    "capture_drops_severity", "capture_drop_ratio", "capture_drops_for",
    "receiver_failing_severity", "receiver_failing_for"};

void ReadDeviceKeys(YamlReader& r, const YAML::Node& node, DeviceAlertSettings& d) {
  ReadSeverity(r, node, "unreachable_severity", d.unreachable_severity);
  r.ReadDuration(node, "unreachable_for", d.unreachable_for);
  ReadSeverity(r, node, "reboot_severity", d.reboot_severity);
}

// A round-trip time threshold, written as a duration ("100ms", "0.5s"), kept in seconds.
// Zero would flag every reply; a threshold too small to mean anything is refused.
void ReadRttThreshold(YamlReader& r, const YAML::Node& node, std::string_view key,
                      std::string_view where, double& out_seconds) {
  std::chrono::milliseconds rtt{};
  if (!r.ReadDuration(node, key, rtt)) return;
  if (rtt <= std::chrono::milliseconds(0)) {
    r.Report(
        node[std::string(key)],
        fmt::format("{}: {} must be at least 1ms (a round-trip time, like 100ms)", where, key));
    return;
  }
  out_seconds = std::chrono::duration<double>(rtt).count();
}

void ReadLinkKeys(YamlReader& r, const YAML::Node& node, std::string_view where,
                  LinkThresholds& t) {
  ReadSeverity(r, node, "link_down_severity", t.link_down_severity);
  r.ReadDuration(node, "link_down_for", t.link_down_for);
  ReadSeverity(r, node, "flapping_severity", t.flapping_severity);
  long long n = 0;
  if (r.ReadInt(node, "flap_changes", 2, 1000, n)) t.flap_changes = static_cast<int>(n);
  if (r.ReadDuration(node, "flap_window", t.flap_window) &&
      t.flap_window < std::chrono::seconds(1)) {
    r.Report(node["flap_window"], fmt::format("{}: flap_window must be at least 1s", where));
  }
  r.ReadRatio(node, "utilization_warning", t.utilization_warning);
  r.ReadRatio(node, "utilization_critical", t.utilization_critical);
  r.ReadRatio(node, "utilization_clear_margin", t.utilization_clear_margin);
  r.ReadDuration(node, "utilization_for", t.utilization_for);
  r.ReadEventRate(node, "errors_warning", t.errors_warning);
  r.ReadEventRate(node, "errors_critical", t.errors_critical);
  r.ReadDuration(node, "errors_for", t.errors_for);
  r.ReadEventRate(node, "discards_warning", t.discards_warning);
  r.ReadEventRate(node, "discards_critical", t.discards_critical);
  r.ReadDuration(node, "discards_for", t.discards_for);
  if (r.ReadRatio(node, "rate_clear_ratio", t.rate_clear_ratio) && t.rate_clear_ratio > 1) {
    r.Report(node["rate_clear_ratio"], fmt::format("{}: rate_clear_ratio is at most 100%", where));
  }
  ReadSeverity(r, node, "speed_severity", t.speed_severity);
  ReadSeverity(r, node, "no_data_severity", t.no_data_severity);
  r.ReadDuration(node, "no_data_for", t.no_data_for);
  ReadSeverity(r, node, "mismatch_severity", t.mismatch_severity);
  r.ReadRatio(node, "mismatch_ratio", t.mismatch_ratio);
  r.ReadDuration(node, "mismatch_for", t.mismatch_for);
  ReadSeverity(r, node, "fiber_degraded_severity", t.fiber_degraded_severity);
  r.ReadDecibels(node, "fiber_drop", t.fiber_drop_db);
  r.ReadDuration(node, "fiber_for", t.fiber_for);
  ReadSeverity(r, node, "no_light_severity", t.no_light_severity);
  if (r.ReadDuration(node, "fiber_baseline_window", t.fiber_baseline_window) &&
      t.fiber_baseline_window < std::chrono::hours(1)) {
    r.Report(node["fiber_baseline_window"],
             fmt::format("{}: fiber_baseline_window must be at least 1h", where));
  }
  ReadSeverity(r, node, "far_end_unreachable_severity", t.far_end_unreachable_severity);
  r.ReadDuration(node, "far_end_unreachable_for", t.far_end_unreachable_for);
  r.ReadRatio(node, "far_end_loss_warning", t.far_end_loss_warning);
  r.ReadRatio(node, "far_end_loss_critical", t.far_end_loss_critical);
  r.ReadDuration(node, "far_end_loss_for", t.far_end_loss_for);
  ReadRttThreshold(r, node, "far_end_rtt_warning", where, t.far_end_rtt_warning);
  ReadRttThreshold(r, node, "far_end_rtt_critical", where, t.far_end_rtt_critical);
  r.ReadDuration(node, "far_end_rtt_for", t.far_end_rtt_for);
  if (t.utilization_warning > t.utilization_critical) {
    r.Report(node, fmt::format("{}: utilization_warning is above utilization_critical", where));
  }
  if (t.errors_warning > t.errors_critical) {
    r.Report(node, fmt::format("{}: errors_warning is above errors_critical", where));
  }
  if (t.discards_warning > t.discards_critical) {
    r.Report(node, fmt::format("{}: discards_warning is above discards_critical", where));
  }
  if (t.far_end_loss_warning > t.far_end_loss_critical) {
    r.Report(node, fmt::format("{}: far_end_loss_warning is above far_end_loss_critical", where));
  }
  if (t.far_end_rtt_warning > t.far_end_rtt_critical) {
    r.Report(node, fmt::format("{}: far_end_rtt_warning is above far_end_rtt_critical", where));
  }
  if (t.utilization_clear_margin >= t.utilization_warning) {
    r.Report(node,
             fmt::format("{}: utilization_clear_margin must be below utilization_warning", where));
  }
}

void ReadGlobalKeys(YamlReader& r, const YAML::Node& node, GlobalAlertSettings& g) {
  ReadSeverity(r, node, "capture_drops_severity", g.capture_drops_severity);
  r.ReadRatio(node, "capture_drop_ratio", g.capture_drop_ratio);
  r.ReadDuration(node, "capture_drops_for", g.capture_drops_for);
  ReadSeverity(r, node, "receiver_failing_severity", g.receiver_failing_severity);
  r.ReadDuration(node, "receiver_failing_for", g.receiver_failing_for);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// scheme://user:secret@host: a secret inline, which then shows wherever the URL is printed.
bool HasUserInfo(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return false;
  std::string_view rest = url.substr(start + 3);
  return rest.substr(0, rest.find('/')).find('@') != std::string_view::npos;
}

// `to:` takes one address or a list of them.
void ReadAddressList(YamlReader& r, const YAML::Node& node, std::string_view key,
                     std::vector<std::string>& out) {
  YAML::Node value = node[std::string(key)];
  if (!value) return;
  if (value.IsScalar()) {
    out = {value.Scalar()};
    return;
  }
  if (!r.ExpectSequence(value, fmt::format("'{}'", key))) return;
  out.clear();
  for (const YAML::Node& item : value) {
    if (item.IsScalar()) {
      out.push_back(item.Scalar());
    } else {
      r.Report(item, fmt::format("'{}' lists addresses like it@bureau.example", key));
    }
  }
}

void ReadEmail(YamlReader& r, const YAML::Node& node, EmailSettings& e) {
  if (!r.ExpectMap(node, "'notify.email'")) return;
  r.CheckKeys(node, {"url", "starttls", "from", "to", "username", "password_file"},
              "'notify.email'");
  if (node["password"]) {
    r.Report(node["password"],
             "'notify.email' takes no password: put it in a file readable by lanwatchd only and "
             "name it in 'password_file'");
  }
  if (r.ReadString(node, "url", e.url) && HasUserInfo(e.url)) {
    r.Report(node["url"],
             "'notify.email.url' must not carry a user or password: use "
             "'username' and 'password_file'");
    e.url.clear();
  } else if (!e.url.empty() && !StartsWith(e.url, "smtp://") && !StartsWith(e.url, "smtps://")) {
    r.Report(node["url"], fmt::format("'notify.email.url' must start with smtp:// or smtps://, "
                                      "not '{}'",
                                      e.url));
  }
  r.ReadEnum<bool>(node, "starttls",
                   {{"true", true}, {"false", false}, {"yes", true}, {"no", false}}, e.starttls);
  r.ReadString(node, "from", e.from);
  ReadAddressList(r, node, "to", e.to);
  r.ReadString(node, "username", e.username);
  r.ReadString(node, "password_file", e.password_file);
  if (e.url.empty()) return;
  if (e.starttls && StartsWith(e.url, "smtps://")) {
    r.Report(node["starttls"], "'starttls' is for smtp:// URLs; smtps:// is TLS from the start");
  }
  if (e.from.find('@') == std::string::npos) {
    r.Report(node, "'notify.email' needs a 'from' address like lanwatch@bureau.example");
  }
  if (e.to.empty()) r.Report(node, "'notify.email' needs at least one 'to' address");
  for (const std::string& to : e.to) {
    if (to.find('@') == std::string::npos) {
      r.Report(node["to"], fmt::format("'{}' is not a mail address", to));
    }
  }
  if (!e.username.empty() && e.password_file.empty()) {
    r.Report(node, "'notify.email' has a 'username' but no 'password_file'");
  }
  if (e.username.empty() && !e.password_file.empty()) {
    r.Report(node, "'notify.email' has a 'password_file' but no 'username'");
  }
}

}  // namespace

bool ReadSeverity(YamlReader& r, const YAML::Node& node, std::string_view key, AlertSeverity& out) {
  return r.ReadEnum<AlertSeverity>(node, key,
                                   {{"critical", AlertSeverity::kCritical},
                                    {"warning", AlertSeverity::kWarning},
                                    {"none", AlertSeverity::kNone}},
                                   out);
}

void ReadAlertSettings(YamlReader& r, const YAML::Node& node, std::string_view where,
                       AlertScope scope, DeviceAlertSettings* device, LinkThresholds* link,
                       GlobalAlertSettings* global) {
  if (!r.ExpectMap(node, where)) return;
  std::vector<std::string_view> allowed(kLinkKeys.begin(), kLinkKeys.end());
  if (scope != AlertScope::kLink)
    allowed.insert(allowed.end(), kDeviceKeys.begin(), kDeviceKeys.end());
  if (scope == AlertScope::kTop)
    allowed.insert(allowed.end(), kGlobalKeys.begin(), kGlobalKeys.end());
  r.CheckKeys(node, allowed, where);
  if (device && scope != AlertScope::kLink) ReadDeviceKeys(r, node, *device);
  if (link) ReadLinkKeys(r, node, where, *link);
  if (global && scope == AlertScope::kTop) ReadGlobalKeys(r, node, *global);
}

void ReadNotify(YamlReader& r, const YAML::Node& node, NotifySettings& n) {
  if (!r.ExpectMap(node, "'notify'")) return;
  r.CheckKeys(node,
              {"language", "dashboard_url", "group_wait", "repeat_interval", "timezone", "email",
               "alertmanager"},
              "'notify'");
  r.ReadEnum<NotifyLanguage>(
      node, "language", {{"zh", NotifyLanguage::kZh}, {"en", NotifyLanguage::kEn}}, n.language);
  r.ReadString(node, "dashboard_url", n.dashboard_url);
  if (r.ReadDuration(node, "group_wait", n.group_wait) && n.group_wait > std::chrono::minutes(5)) {
    r.Report(node["group_wait"], "'group_wait' is at most 5m: alerts must not wait longer");
  }
  r.ReadDuration(node, "repeat_interval", n.repeat_interval);
  if (r.ReadString(node, "timezone", n.timezone) && !n.timezone.empty() &&
      !std::filesystem::exists("/usr/share/zoneinfo/" + n.timezone)) {
    r.Report(node["timezone"],
             fmt::format("unknown time zone '{}' (like Asia/Shanghai or UTC)", n.timezone));
  }
  if (node["email"]) ReadEmail(r, node["email"], n.email);
  if (YAML::Node am = node["alertmanager"]; am) {
    if (r.ExpectMap(am, "'notify.alertmanager'")) {
      r.CheckKeys(am, {"urls"}, "'notify.alertmanager'");
      ReadAddressList(r, am, "urls", n.alertmanager_urls);
      for (const std::string& url : n.alertmanager_urls) {
        if (HasUserInfo(url)) {
          r.Report(am["urls"], "an Alertmanager URL must not carry a user or password");
        } else if (!StartsWith(url, "http://") && !StartsWith(url, "https://")) {
          r.Report(am["urls"], fmt::format("'{}' is not an http:// or https:// URL", url));
        }
      }
    }
  }
}

}  // namespace lanwatch
