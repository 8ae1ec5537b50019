#include "exporters/notify/site_time.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "config/units.h"

namespace lanwatch {
namespace {

std::tm LocalTm(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return tm;
}

}  // namespace

std::expected<void, Error> UseSiteTimezone(std::string_view zone) {
  if (zone.empty()) return {};
  std::string name(zone);
  // TZ=NAME names a file under the zoneinfo directory; a missing one means UTC without a
  // word from glibc, which would put every time in the mails eight hours off in Beijing.
  bool relative = name.front() != '/' && name.find("..") == std::string::npos;
  std::string file = relative ? "/usr/share/zoneinfo/" + name : name;
  if (access(file.c_str(), R_OK) != 0) {
    return std::unexpected(
        Error(fmt::format("time zone '{}' is unknown here (no {}); install tzdata or use an "
                          "IANA name like Asia/Shanghai",
                          name, file)));
  }
  setenv("TZ", name.c_str(), 1);
  tzset();
  return {};
}

std::string FormatSiteTime(std::chrono::system_clock::time_point t, NotifyLanguage language) {
  std::tm tm = LocalTm(t);
  std::string text = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  // A Chinese reader reads the bureau's own clock; an English one may sit elsewhere.
  if (language == NotifyLanguage::kEn && tm.tm_zone) text += fmt::format(" {}", tm.tm_zone);
  return text;
}

std::string FormatRfc5322Date(std::chrono::system_clock::time_point t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = LocalTm(t);
  long offset_minutes = tm.tm_gmtoff / 60;
  char sign = offset_minutes < 0 ? '-' : '+';
  if (offset_minutes < 0) offset_minutes = -offset_minutes;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}", kDays[tm.tm_wday],
                     tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, sign, offset_minutes / 60, offset_minutes % 60);
}

std::string FormatElapsed(std::chrono::seconds duration, NotifyLanguage language) {
  if (language == NotifyLanguage::kEn) return FormatDuration(duration);
  long long s = duration.count() < 0 ? 0 : duration.count();
  long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d > 0) return h > 0 ? fmt::format("{} 天 {} 小时", d, h) : fmt::format("{} 天", d);
  if (h > 0) return m > 0 ? fmt::format("{} 小时 {} 分钟", h, m) : fmt::format("{} 小时", h);
  if (m > 0) return fmt::format("{} 分钟", m);
  return fmt::format("{} 秒", s);
}

}  // namespace lanwatch
