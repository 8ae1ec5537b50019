// How the state database spells the alert model: the inverses of the ToString words (phase,
// notification kind, severity), times as integer milliseconds since the Unix epoch, and
// AlertFacts as a JSON object. Internal to the store; pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "config/error.h"
#include "daemon/alerts/alert.h"

namespace lanwatch::codec {

std::optional<AlertPhase> ParsePhase(std::string_view s);
std::optional<NotificationKind> ParseKind(std::string_view s);
// The words of ToString(Severity): "OK", "WARNING", "CRITICAL", "UNKNOWN".
std::optional<Severity> ParseSeverity(std::string_view s);

// Whole milliseconds, rounded down (also before 1970).
int64_t ToMillis(WallTime t);
WallTime FromMillis(int64_t ms);
std::optional<int64_t> ToMillis(const std::optional<WallTime>& t);
std::optional<WallTime> FromMillis(const std::optional<int64_t>& ms);

// {"value":0.97,"threshold":0.95,"unit":"ratio",...}: unset numbers and empty strings and
// lists are left out. Bytes that are not UTF-8 become U+FFFD rather than fail the round;
// NaN and infinities become null (read back as unset).
std::string FactsToJson(const AlertFacts& facts);
std::expected<AlertFacts, Error> FactsFromJson(std::string_view json);

}  // namespace lanwatch::codec
