// Times as notifications print them: in the site's time zone (notify.timezone), which the
// process takes as its local zone. Thread safety: UseSiteTimezone changes the process's TZ and
// must run at startup before any thread; the formatting functions use localtime_r and are
// safe from any thread after that.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/error.h"

namespace lanwatch {

// Makes `zone` (IANA, e.g. "Asia/Shanghai") the process's local time zone; "" keeps the
// host's. An unknown zone is an Error (glibc would silently fall back to UTC).
std::expected<void, Error> UseSiteTimezone(std::string_view zone);

// "2026-12-01 21:47:05", and in English with the zone's abbreviation: "... CST".
std::string FormatSiteTime(std::chrono::system_clock::time_point t, NotifyLanguage language);

// RFC 5322 date-time in the local zone: "Tue, 01 Dec 2026 21:47:05 +0800" (English day and
// month names whatever the locale).
std::string FormatRfc5322Date(std::chrono::system_clock::time_point t);

// How long something lasted: "12 分钟", "1 小时 5 分钟" in Chinese; FormatDuration's "12m 0s"
// in English.
std::string FormatElapsed(std::chrono::seconds duration, NotifyLanguage language);

}  // namespace lanwatch
