#include "probes/service/cert_expiry.h"

#include <array>
#include <cstdio>
#include <string>

namespace lanwatch {
namespace {

using std::chrono::sys_seconds;

std::optional<sys_seconds> FromFields(int year, unsigned month, unsigned day, int hour, int minute,
                                      int second) {
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                   std::chrono::day{day}};
  if (!date.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  return sys_seconds{std::chrono::sys_days{date}} + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

// A zone after the time, if any, must be UTC: certificates carry UTCTime or GeneralizedTime in
// Zulu, and both printers say so as "GMT" (OpenSSL) or "GMT"/"UTC"/"Z" (curl's decoder).
// curl's decoder keeps a GeneralizedTime's fraction of a second (".5"): skipped.
bool UtcZone(std::string_view rest) {
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest.empty() || rest == "GMT" || rest == "UTC" || rest == "Z";
}

}  // namespace

std::optional<sys_seconds> ParseCertDate(std::string_view text) {
  std::string s(text);  // sscanf needs the terminating NUL
  int year = 0, day = 0, hour = 0, minute = 0, second = 0, month = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &used) == 6) {
    if (!UtcZone(std::string_view(s).substr(used))) return std::nullopt;
    return FromFields(year, month, day, hour, minute, second);
  }
  char month_name[4] = {};
  used = 0;
  if (std::sscanf(s.c_str(), "%3s %d %d:%d:%d %4d%n", month_name, &day, &hour, &minute, &second,
                  &year, &used) == 6) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned m = 0; m < kMonths.size(); ++m) {
      if (kMonths[m] != month_name) continue;
      if (!UtcZone(std::string_view(s).substr(used))) return std::nullopt;
      return FromFields(year, m + 1, day, hour, minute, second);
    }
  }
  return std::nullopt;
}

int DaysLeft(sys_seconds not_after, sys_seconds now) {
  return static_cast<int>(std::chrono::floor<std::chrono::days>(not_after - now).count());
}

}  // namespace lanwatch
