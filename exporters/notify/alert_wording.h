// Internal to exporters/notify: what DescribeAlert (alert_text.cc) hands the wording of each
// language (alert_text_zh.cc, alert_text_en.cc), and the figure formatting they share.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "daemon/alerts/alert.h"
#include "exporters/notify/alert_text.h"

namespace lanwatch::wording {

// One alert with what the config knows of its targets. Pointers are null for targets the
// config does not name (a link renamed since the alert fired).
struct AlertContext {
  const AlertNote& note;
  NotificationKind kind;
  const Config& config;
  NotifyLanguage language = NotifyLanguage::kZh;
  const DeviceConfig* device = nullptr;        // the alert's device
  const LinkConfig* link = nullptr;            // link rules: the link; capture_mismatch: its link
  const CaptureConfig* capture = nullptr;      // capture rules
  const ServiceConfig* service = nullptr;      // service rules (service_down, cert_expiring)
  std::optional<std::chrono::seconds> lasted;  // resolved: from `since` to `ended`

  const AlertFacts& facts() const { return note.facts; }
  const std::string& rule() const { return note.key.rule; }
  bool firing() const { return kind == NotificationKind::kFiring; }
  bool resolved() const { return kind == NotificationKind::kResolved; }
  bool reminder() const { return kind == NotificationKind::kReminder; }
};

bool IsServiceRule(std::string_view rule);
// Whether a resolved notice tells the worst value it reached: not where the value is a state
// (every probe lost), a status code or days left.
bool TellsPeak(std::string_view rule);

AlertText WordInChinese(const AlertContext& c);
AlertText WordInEnglish(const AlertContext& c);

// `v` in the unit the rule measures it in (facts.unit): a percentage, a bit rate, an event
// rate, a count, a duration (a round-trip time in milliseconds), days; nullopt for no value.
std::optional<std::string> Figure(const AlertContext& c, std::optional<double> v);
// Errors are judged per minute (thresholds of 1/min), discards per second: whichever the
// threshold reads naturally in.
bool PerMinute(const AlertFacts& facts);
// "12 个/分钟", "12/min".
std::string EventRate(double per_second, bool per_minute, NotifyLanguage language);
// For utilization: the rate behind a ratio, when the capacity is known ("9.6 Mbit/s").
std::optional<std::string> RateOfRatio(const AlertFacts& facts, std::optional<double> ratio);
// The port of a link alert: the interface the rule saw, else the configured selector.
std::string PortName(const AlertContext& c);
// The flapping window of the alert's link (its thresholds), the default if unknown.
std::chrono::seconds FlapWindow(const AlertContext& c);
// The probe window a far-end figure is over (facts.window_seconds), else the config's.
std::chrono::seconds ProbeWindow(const AlertContext& c);
// The probes sent and lost in that window, where the rule counted them (facts.samples).
struct ProbeCount {
  long long sent, lost;
};
std::optional<ProbeCount> Probes(const AlertContext& c);
// cert_expiring: the certificate's expiry day in the site's zone ("2026-12-06"), or "".
std::string CertExpiryDay(const AlertContext& c);
// A failed check's own reason, without libcurl's words: "connection refused",
// "timeout after 5 s", "HTTP 500, expected 200-399".
std::string_view ServiceFailure(std::string_view error);

// Joins pieces of Chinese text as Chinese typesetting does: a space between a Han character
// and a letter or digit ("中断 12 分钟"), a space around every name (from Spaced), whatever
// script it is in ("下属单位 石桥 的光纤链路"), and no space next to full-width punctuation
// or at either end.
std::string ZhJoin(std::initializer_list<std::string_view> parts);
// A configured name as a ZhJoin piece: spaced off from the words around it.
std::string Spaced(std::string_view name);

}  // namespace lanwatch::wording
