// The expiry of a certificate as libcurl's CURLINFO_CERTINFO reports it: the "Expire date"
// field's text, whose format depends on the TLS backend. Pure functions, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace lanwatch {

// Accepts OpenSSL's ASN1_TIME_print form ("Jan  1 00:00:00 2027 GMT") and the form of
// curl's own ASN.1 decoder used with GnuTLS and others ("2027-01-01 00:00:00 GMT", the zone
// optional). Times are UTC. nullopt for anything else.
std::optional<std::chrono::sys_seconds> ParseCertDate(std::string_view text);

// Whole days from `now` until `not_after`, rounded down: 9 for 9 days 23 hours, -1 for an
// hour past expiry, -2 for a day and an hour past (negative: expired, whatever the count).
int DaysLeft(std::chrono::sys_seconds not_after, std::chrono::sys_seconds now);

}  // namespace lanwatch
