#include "exporters/alert_explain.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "config/units.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

std::string Seconds(WallTime::duration d) {
  return FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(d));
}

std::string Target(const AlertKey& key) {
  return key.link.empty() ? key.device : key.device + "/" + key.link;
}

std::string SuppressedWords(const std::string& by) {
  if (by.rfind("device:", 0) == 0) return fmt::format("suppressed: {} unreachable", by.substr(7));
  if (by == "flapping") return "folded into the link's flapping alert";
  if (by.rfind("silence:", 0) == 0) return fmt::format("silenced (silence {})", by.substr(8));
  return by;
}

std::string Verdict(const Observation& o, const AlertRecord* r, const ExplainInput& in,
                    const std::set<std::string>& unreachable) {
  auto held = in.suppressed.find(o.key);
  std::string suffix = held != in.suppressed.end() && !held->second.empty()
                           ? "; " + SuppressedWords(held->second)
                           : "";
  if (r && r->phase == AlertPhase::kFiring) {
    return fmt::format("FIRING {} for {}{}", ToString(r->severity),
                       Seconds(in.now - r->firing_since), suffix);
  }
  if (!o.judged && unreachable.contains(o.key.device)) {
    return fmt::format("no verdict: {} does not answer (its device_unreachable tells)",
                       o.key.device);
  }
  if (!o.judged) {
    return o.key.rule == std::string(rule::kLinkFlapping)
               ? "no verdict: needs a whole flap_window of history (the daemon keeps it)"
               : "no verdict this round (device down or no figures)";
  }
  if (o.level == Severity::kOk) return o.holds ? "OK (above the clear line)" : "OK";
  std::string level(ToString(o.level));
  for (char& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (r && r->phase == AlertPhase::kPending) {
    return fmt::format("{}, pending for {} of {}{}", level, Seconds(in.now - r->pending_since),
                       Seconds(o.hold_for), suffix);
  }
  if (o.hold_for.count() == 0 || o.event) {
    return fmt::format("{}: alerts at once{}", level, suffix);
  }
  return in.with_state ? fmt::format("{}: just began; alerts after holding {}{}", level,
                                     Seconds(o.hold_for), suffix)
                       : fmt::format("{}: the daemon alerts once it holds for {}{}", level,
                                     Seconds(o.hold_for), suffix);
}

}  // namespace

std::string FormatAlertValue(double value, const std::string& unit) {
  if (unit == "ratio") return fmt::format("{:.1f}%", value * 100);
  if (unit == "bps") return FormatBitRate(value);
  if (unit == "per_second") return fmt::format("{:.2f}/s", value);
  if (unit == "changes") return fmt::format("{:.0f} changes", value);
  if (unit == "seconds") return FormatDuration(std::chrono::seconds(static_cast<int64_t>(value)));
  return fmt::format("{:g}", value);
}

std::string RenderAlertExplanation(const ExplainInput& in) {
  std::map<AlertKey, const AlertRecord*> records;
  for (const AlertRecord& r : in.records) records[r.key] = &r;
  std::set<std::string> unreachable;
  for (const Observation& o : in.observations) {
    if (o.key.rule == std::string(rule::kDeviceUnreachable) && o.judged &&
        o.level != Severity::kOk) {
      unreachable.insert(o.key.device);
    }
  }
  std::vector<std::vector<std::string>> rows{{"RULE", "TARGET", "VALUE", "THRESHOLD", "VERDICT"}};
  for (const Observation& o : in.observations) {
    auto it = records.find(o.key);
    const AlertRecord* r = it == records.end() ? nullptr : it->second;
    std::string value = o.facts.value ? FormatAlertValue(*o.facts.value, o.facts.unit) : "-";
    if (o.key.rule == std::string(rule::kLinkDown) && o.judged) {
      value = o.level == Severity::kOk && !o.holds ? "up" : "down";
    }
    if (o.key.rule == std::string(rule::kDeviceUnreachable) && o.judged) {
      value = o.level == Severity::kOk ? "answers" : "no answer";
    }
    std::string threshold =
        o.facts.threshold ? FormatAlertValue(*o.facts.threshold, o.facts.unit) : "-";
    if (o.facts.window_seconds) {
      threshold +=
          " in " +
          FormatDuration(std::chrono::seconds(static_cast<int64_t>(*o.facts.window_seconds)));
    }
    rows.push_back({o.key.rule, Target(o.key), value, threshold, Verdict(o, r, in, unreachable)});
  }
  std::string out = "\nAlert rules (" +
                    std::string(in.with_state ? "with the daemon's state"
                                              : "this instant only; no daemon state read") +
                    "):\n" + RenderTable(rows);
  if (!in.silences.empty()) {
    out += "\nSilences in force:\n";
    std::vector<std::vector<std::string>> silences{{"ID", "TARGET", "ENDS IN", "COMMENT"}};
    for (const Silence& s : in.silences) {
      silences.push_back({std::to_string(s.id), s.link.empty() ? s.device : s.device + "/" + s.link,
                          Seconds(s.ends - in.now), s.comment});
    }
    out += RenderTable(silences);
  }
  return out;
}

}  // namespace lanwatch
