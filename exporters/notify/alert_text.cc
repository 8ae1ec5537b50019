// DescribeAlert: finds the alert's targets in the config and hands it to the wording of the
// site's language; the figure formatting both languages share.
#include "exporters/notify/alert_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/text_encoding.h"
#include "config/units.h"
#include "exporters/notify/alert_wording.h"
#include "exporters/notify/site_time.h"

namespace lanwatch {
namespace wording {
namespace {

const LinkConfig* FindLink(const Config& config, std::string_view name) {
  auto it = std::find_if(config.links.begin(), config.links.end(),
                         [&](const LinkConfig& l) { return l.name == name; });
  return it == config.links.end() ? nullptr : &*it;
}

const CaptureConfig* FindCapture(const Config& config, std::string_view name) {
  auto it = std::find_if(config.captures.begin(), config.captures.end(),
                         [&](const CaptureConfig& c) { return c.name == name; });
  return it == config.captures.end() ? nullptr : &*it;
}

bool IsCaptureRule(std::string_view rule) {
  return rule == rule::kCaptureMismatch || rule == rule::kCaptureDrops;
}

const ServiceConfig* FindService(const Config& config, std::string_view name) {
  auto it = std::find_if(config.services.begin(), config.services.end(),
                         [&](const ServiceConfig& s) { return s.name == name; });
  return it == config.services.end() ? nullptr : &*it;
}

// "2026-12-06T04:00:00Z" (service_rules.cc), UTC.
std::optional<std::chrono::sys_seconds> ParseUtc(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
    return std::nullopt;
  }
  std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_days(day) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

// The code point that starts at `s[i]` (valid UTF-8), and its length.
char32_t CodePointAt(std::string_view s, size_t i, size_t* length) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = 1;
  char32_t cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *length = n;
  return cp;
}

char32_t LastCodePoint(std::string_view s) {
  size_t i = s.size();
  while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i;
  size_t length = 0;
  return i == 0 ? 0 : CodePointAt(s, i - 1, &length);
}

bool IsHan(char32_t c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0x20000 && c <= 0x2FFFF); }
bool IsLatin(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '%' ||
         c == '_' || c == '-' || c == '/' || c == '.';
}
// Full-width punctuation (，、：（）【】): it carries its own space.
bool IsFullWidthPunctuation(char32_t c) {
  if (c >= 0x3000 && c <= 0x303F) return true;
  bool letter_or_digit =
      (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
  return c >= 0xFF00 && c <= 0xFFEF && !letter_or_digit;
}

}  // namespace

bool IsServiceRule(std::string_view rule) {
  return rule == rule::kServiceDown || rule == rule::kCertExpiring;
}

bool TellsPeak(std::string_view rule) {
  return rule != rule::kFarEndUnreachable && rule != rule::kUplinkIspDown && !IsServiceRule(rule);
}

std::string Spaced(std::string_view name) { return " " + std::string(name) + " "; }

std::string ZhJoin(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool space_wanted = false;  // the piece before ended with a space (a name)
  for (std::string_view part : parts) {
    bool wants_left = !part.empty() && part.front() == ' ';
    bool wants_right = !part.empty() && part.back() == ' ';
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) {
      space_wanted = space_wanted || wants_left || wants_right;
      continue;
    }
    if (!out.empty()) {
      size_t length = 0;
      char32_t left = LastCodePoint(out), right = CodePointAt(part, 0, &length);
      bool mixed = (IsHan(left) && IsLatin(right)) || (IsLatin(left) && IsHan(right));
      bool punctuation = IsFullWidthPunctuation(left) || IsFullWidthPunctuation(right);
      if ((space_wanted || wants_left || mixed) && !punctuation) out += ' ';
    }
    out += part;
    space_wanted = wants_right;
  }
  // A phrase that ends in a name keeps asking for a space ("出口链路 电信" + "中断"); the
  // space goes where the phrase is used, and DescribeAlert trims what is left at the end.
  if (space_wanted && !out.empty()) out += ' ';
  return out;
}

bool PerMinute(const AlertFacts& facts) {
  double reference = facts.threshold.value_or(facts.value.value_or(0));
  return reference < 1.0;
}

std::string EventRate(double per_second, bool per_minute, NotifyLanguage language) {
  double v = per_minute ? per_second * 60 : per_second;
  std::string number = fmt::format("{:.3g}", v);
  if (language == NotifyLanguage::kZh) {
    return fmt::format("{} 个/{}", number, per_minute ? "分钟" : "秒");
  }
  return fmt::format("{}/{}", number, per_minute ? "min" : "s");
}

std::optional<std::string> Figure(const AlertContext& c, std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return std::nullopt;
  const std::string& unit = c.facts().unit;
  if (unit == "ratio") return FormatPercent(*v);
  if (unit == "bps") return FormatBitRate(*v);
  if (unit == "per_second") return EventRate(*v, PerMinute(c.facts()), c.language);
  if (unit == "seconds" && c.rule() == rule::kFarEndLatency) {
    return fmt::format("{:.3g} ms", *v * 1000);  // a round trip: 0.052 -> "52 ms"
  }
  if (unit == "seconds") {
    return FormatElapsed(std::chrono::seconds(std::llround(*v)), c.language);
  }
  if (unit == "days") {
    long long days = std::llround(*v);
    if (c.language == NotifyLanguage::kZh) return fmt::format("{} 天", days);
    return fmt::format("{} {}", days, days == 1 || days == -1 ? "day" : "days");
  }
  if (unit == "changes") return fmt::format("{:.0f}", *v);
  if (unit == "dBm") return fmt::format("{:.1f} dBm", *v);
  return fmt::format("{:.3g}", *v);
}

std::optional<std::string> RateOfRatio(const AlertFacts& facts, std::optional<double> ratio) {
  if (!ratio || !facts.capacity_bps || facts.unit != "ratio") return std::nullopt;
  return FormatBitRate(*ratio * *facts.capacity_bps);
}

std::string PortName(const AlertContext& c) {
  if (!c.facts().interface.empty()) return c.facts().interface;
  return c.link ? c.link->interface.value : "";
}

std::chrono::seconds FlapWindow(const AlertContext& c) {
  auto window = c.link ? c.link->thresholds.flap_window : LinkThresholds{}.flap_window;
  return std::chrono::duration_cast<std::chrono::seconds>(window);
}

std::chrono::seconds ProbeWindow(const AlertContext& c) {
  if (c.facts().window_seconds)
    return std::chrono::seconds(std::llround(*c.facts().window_seconds));
  return std::chrono::duration_cast<std::chrono::seconds>(c.config.probes.window);
}

std::optional<ProbeCount> Probes(const AlertContext& c) {
  const AlertFacts& f = c.facts();
  if (!f.samples || !f.value || f.unit != "ratio") return std::nullopt;
  long long sent = std::llround(*f.samples);
  return ProbeCount{sent, std::llround(*f.value * static_cast<double>(sent))};
}

std::string CertExpiryDay(const AlertContext& c) {
  auto at = ParseUtc(c.facts().detail);
  if (!at) return "";
  return FormatSiteTime(*at, NotifyLanguage::kZh).substr(0, 10);  // "2026-12-06 12:00:00"
}

std::string_view ServiceFailure(std::string_view error) {
  if (size_t curl = error.find(" (curl "); curl != std::string_view::npos) {
    return error.substr(0, curl);
  }
  if (size_t deadline = error.find(" (the round's deadline)"); deadline != std::string_view::npos) {
    return error.substr(0, deadline);
  }
  return error;
}

}  // namespace wording

AlertText DescribeAlert(const AlertNote& note, NotificationKind kind, const Config& config) {
  return DescribeAlert(note, kind, config, config.notify.language);
}

AlertText DescribeAlert(const AlertNote& note, NotificationKind kind, const Config& config,
                        NotifyLanguage language) {
  wording::AlertContext c{note,    kind,    config,  language,    nullptr,
                          nullptr, nullptr, nullptr, std::nullopt};
  c.device = config.FindDevice(note.key.device);
  if (wording::IsServiceRule(note.key.rule)) {
    c.service = wording::FindService(config, note.key.link);  // its "link" is the service
  } else if (wording::IsCaptureRule(note.key.rule)) {
    c.capture = wording::FindCapture(config, note.key.link);
    if (c.capture && !c.capture->link.empty()) c.link = wording::FindLink(config, c.capture->link);
  } else if (!note.key.link.empty()) {
    c.link = wording::FindLink(config, note.key.link);
  }
  if (note.ended && *note.ended >= note.since) {
    c.lasted = std::chrono::duration_cast<std::chrono::seconds>(*note.ended - note.since);
  }
  AlertText text =
      language == NotifyLanguage::kEn ? wording::WordInEnglish(c) : wording::WordInChinese(c);
  // Names come from devices and configs: whatever they hold, the words are valid UTF-8.
  auto finish = [](std::string& line) {
    line = ToValidUtf8(line);
    while (!line.empty() && line.back() == ' ') line.pop_back();
  };
  finish(text.summary);
  for (std::string& line : text.details) finish(line);
  return text;
}

}  // namespace lanwatch
