#include "daemon/alerts/alert_codec.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace lanwatch::codec {
namespace {

using nlohmann::json;

template <typename E, size_t N>
std::optional<E> Parse(std::string_view s, const E (&all)[N]) {
  for (E e : all)
    if (ToString(e) == s) return e;
  return std::nullopt;
}

void PutNumber(json& j, const char* name, const std::optional<double>& v) {
  if (v) j[name] = *v;  // nlohmann writes NaN and infinities as null
}
void PutText(json& j, const char* name, const std::string& v) {
  if (!v.empty()) j[name] = v;
}
void PutList(json& j, const char* name, const std::vector<std::string>& v) {
  if (!v.empty()) j[name] = v;
}

// Absent and null read as unset; a value of the wrong type is an error (json::type_error).
void GetNumber(const json& j, const char* name, std::optional<double>& out) {
  if (auto it = j.find(name); it != j.end() && !it->is_null()) out = it->get<double>();
}
void GetText(const json& j, const char* name, std::string& out) {
  if (auto it = j.find(name); it != j.end() && !it->is_null()) out = it->get<std::string>();
}
void GetList(const json& j, const char* name, std::vector<std::string>& out) {
  if (auto it = j.find(name); it != j.end() && !it->is_null())
    out = it->get<std::vector<std::string>>();
}

}  // namespace

std::optional<AlertPhase> ParsePhase(std::string_view s) {
  static constexpr AlertPhase kAll[] = {AlertPhase::kPending, AlertPhase::kFiring,
                                        AlertPhase::kResolved};
  return Parse(s, kAll);
}

std::optional<NotificationKind> ParseKind(std::string_view s) {
  static constexpr NotificationKind kAll[] = {NotificationKind::kFiring,
                                              NotificationKind::kResolved,
                                              NotificationKind::kReminder, NotificationKind::kTest};
  return Parse(s, kAll);
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  static constexpr Severity kAll[] = {Severity::kOk, Severity::kWarning, Severity::kCritical,
                                      Severity::kUnknown};
  return Parse(s, kAll);
}

int64_t ToMillis(WallTime t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

WallTime FromMillis(int64_t ms) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

std::optional<int64_t> ToMillis(const std::optional<WallTime>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

std::optional<WallTime> FromMillis(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  return FromMillis(*ms);
}

std::string FactsToJson(const AlertFacts& f) {
  json j = json::object();
  PutNumber(j, "value", f.value);
  PutNumber(j, "threshold", f.threshold);
  PutNumber(j, "capacity_bps", f.capacity_bps);
  PutText(j, "unit", f.unit);
  PutText(j, "direction", f.direction);
  PutText(j, "interface", f.interface);
  PutText(j, "detail", f.detail);
  PutList(j, "affected_devices", f.affected_devices);
  PutList(j, "affected_links", f.affected_links);
  PutNumber(j, "window_seconds", f.window_seconds);
  PutNumber(j, "samples", f.samples);
  PutList(j, "supersedes", f.supersedes);
  // Unicode as is (ensure_ascii off), so that `sqlite3 lanwatch.db` shows 盘集, not \u escapes.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::expected<AlertFacts, Error> FactsFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return std::unexpected(Error(fmt::format("facts are not a JSON object: {}", text)));
  AlertFacts f;
  try {
    GetNumber(j, "value", f.value);
    GetNumber(j, "threshold", f.threshold);
    GetNumber(j, "capacity_bps", f.capacity_bps);
    GetText(j, "unit", f.unit);
    GetText(j, "direction", f.direction);
    GetText(j, "interface", f.interface);
    GetText(j, "detail", f.detail);
    GetList(j, "affected_devices", f.affected_devices);
    GetList(j, "affected_links", f.affected_links);
    GetNumber(j, "window_seconds", f.window_seconds);
    GetNumber(j, "samples", f.samples);
    GetList(j, "supersedes", f.supersedes);
  } catch (const json::exception& e) {
    return std::unexpected(Error(fmt::format("facts {}: {}", text, e.what())));
  }
  return f;
}

}  // namespace lanwatch::codec
