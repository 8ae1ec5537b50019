#include "exporters/notify/email_message.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "config/text_encoding.h"
#include "exporters/notify/alert_text.h"
#include "exporters/notify/mime.h"
#include "exporters/notify/site_time.h"

namespace lanwatch {
namespace {

// The fixed words of a message in one language.
struct MailWords {
  const char *critical, *warning, *resolved, *reminder, *test;  // subject and section tags
  const char* site_separator;                                   // between site and summary
  const char* site_label;
  const char* time_label;
  const char* ongoing_label;  // reminders: how long it has lasted by now
  const char* dashboard_label;
  const char* footer;  // {0}: notification id
};

constexpr MailWords kZh{"【严重】",
                        "【警告】",
                        "【已恢复】",
                        "【提醒】",
                        "【测试】",
                        "：",
                        "站点：",
                        "通知时间：",
                        "已持续：",
                        "状态页：",
                        "此邮件由 lanwatch 自动发送，请勿直接回复。通知编号：{0}"};
constexpr MailWords kEn{"[CRITICAL] ",
                        "[WARNING] ",
                        "[RESOLVED] ",
                        "[REMINDER] ",
                        "[TEST] ",
                        ": ",
                        "Site: ",
                        "Sent: ",
                        "Ongoing for: ",
                        "Status page: ",
                        "Sent automatically by lanwatch; replies are not read. Notification {0}"};

const MailWords& WordsFor(NotifyLanguage language) {
  return language == NotifyLanguage::kEn ? kEn : kZh;
}

const char* Tag(const MailWords& w, NotificationKind kind, Severity severity) {
  switch (kind) {
    case NotificationKind::kResolved:
      return w.resolved;
    case NotificationKind::kReminder:
      return w.reminder;
    case NotificationKind::kTest:
      return w.test;
    case NotificationKind::kFiring:
      break;
  }
  return severity == Severity::kCritical ? w.critical : w.warning;
}

const char* SectionTag(const MailWords& w, NotificationKind kind, Severity severity) {
  if (kind == NotificationKind::kResolved) return w.resolved;
  return severity == Severity::kCritical ? w.critical : w.warning;
}

// "（另有 7 条链路受影响）": what the subject's one alert does not say by itself.
std::string SubjectExtra(const Notification& n, NotifyLanguage language) {
  const AlertFacts& f = n.alerts.front().facts;
  size_t devices = f.affected_devices.size(), links = f.affected_links.size();
  size_t others = n.alerts.size() - 1;
  std::vector<std::string> parts;
  if (language == NotifyLanguage::kZh) {
    if (devices > 0 && links > 0) {
      parts.push_back(fmt::format("另有 {} 台设备、{} 条链路受影响", devices, links));
    } else if (devices > 0) {
      parts.push_back(fmt::format("另有 {} 台设备受影响", devices));
    } else if (links > 0) {
      parts.push_back(fmt::format("另有 {} 条链路受影响", links));
    }
    if (others > 0) parts.push_back(fmt::format("另有 {} 条告警", others));
    return parts.empty() ? "" : fmt::format("（{}）", fmt::join(parts, "，"));
  }
  auto plural = [](size_t k, const char* one, const char* many) { return k == 1 ? one : many; };
  if (devices > 0 && links > 0) {
    parts.push_back(fmt::format("{} more {} and {} {} affected", devices,
                                plural(devices, "device", "devices"), links,
                                plural(links, "link", "links")));
  } else if (devices > 0) {
    parts.push_back(
        fmt::format("{} more {} affected", devices, plural(devices, "device", "devices")));
  } else if (links > 0) {
    parts.push_back(fmt::format("{} more {} affected", links, plural(links, "link", "links")));
  }
  if (others > 0) {
    parts.push_back(fmt::format("{} more {}", others, plural(others, "alert", "alerts")));
  }
  return parts.empty() ? "" : fmt::format(" ({})", fmt::join(parts, "; "));
}

std::vector<AlertNote> MostSevereFirst(std::vector<AlertNote> alerts) {
  std::stable_sort(alerts.begin(), alerts.end(), [](const AlertNote& a, const AlertNote& b) {
    return Rank(a.severity) > Rank(b.severity);
  });
  return alerts;
}

EmailText ComposeTest(const Notification& n, const Config& config) {
  const NotifyLanguage language = config.notify.language;
  const MailWords& w = WordsFor(language);
  const EmailSettings& email = config.notify.email;
  std::string to = fmt::format("{}", fmt::join(email.to, ", "));
  std::string tls = email.starttls ? " (STARTTLS)" : "";
  EmailText t;
  std::string sent = FormatSiteTime(n.created_at, language);
  if (language == NotifyLanguage::kZh) {
    t.subject = fmt::format("{}{}{}lanwatch 测试邮件", w.test, config.site, w.site_separator);
    t.body = fmt::format(
        "这是一封测试邮件，由“lanwatch notify --test”发出，用来确认告警邮件能够送达。\n"
        "收到这封邮件，说明邮件配置正确，无需处理。\n\n"
        "站点：{}\n发送时间：{}\n邮件服务器：{}{}\n发件人：{}\n收件人：{}\n",
        config.site, sent, email.url, tls, email.from, to);
  } else {
    t.subject = fmt::format("{}{}{}lanwatch test message", w.test, config.site, w.site_separator);
    t.body = fmt::format(
        "This is a test message sent by \"lanwatch notify --test\" to check that alert mail "
        "gets through.\nIf you read this, email notifications are set up correctly; nothing "
        "to do.\n\nSite: {}\nSent: {}\nMail server: {}{}\nFrom: {}\nTo: {}\n",
        config.site, sent, email.url, tls, email.from, to);
  }
  if (!config.notify.dashboard_url.empty()) {
    t.body += fmt::format("{}{}\n", w.dashboard_label, config.notify.dashboard_url);
  }
  t.body += "\n-- \n" + fmt::format(fmt::runtime(w.footer), n.id) + "\n";
  return t;
}

}  // namespace

EmailText ComposeEmail(const Notification& n, const Config& config) {
  if (n.kind == NotificationKind::kTest || n.alerts.empty()) return ComposeTest(n, config);
  const NotifyLanguage language = config.notify.language;
  const MailWords& w = WordsFor(language);
  std::vector<AlertNote> alerts = MostSevereFirst(n.alerts);
  Notification sorted = n;
  sorted.alerts = alerts;

  EmailText t;
  AlertText first = DescribeAlert(alerts.front(), n.kind, config);
  t.subject = fmt::format("{}{}{}{}{}", Tag(w, n.kind, alerts.front().severity), config.site,
                          w.site_separator, first.summary, SubjectExtra(sorted, language));

  t.body = fmt::format("{}{}\n{}{}\n", w.site_label, config.site, w.time_label,
                       FormatSiteTime(n.created_at, language));
  for (const AlertNote& note : alerts) {
    AlertText text = DescribeAlert(note, n.kind, config);
    t.body += fmt::format("\n{}{}\n", SectionTag(w, n.kind, note.severity), text.summary);
    for (const std::string& line : text.details) t.body += "  " + line + "\n";
    if (n.kind == NotificationKind::kReminder && n.created_at > note.since) {
      auto ongoing = std::chrono::duration_cast<std::chrono::seconds>(n.created_at - note.since);
      t.body += fmt::format("  {}{}\n", w.ongoing_label, FormatElapsed(ongoing, language));
    }
  }
  if (!config.notify.dashboard_url.empty()) {
    t.body += fmt::format("\n{}{}\n", w.dashboard_label, config.notify.dashboard_url);
  }
  t.body += "\n-- \n" + fmt::format(fmt::runtime(w.footer), n.id) + "\n";
  t.subject = ToValidUtf8(t.subject);
  t.body = ToValidUtf8(t.body);
  return t;
}

std::string MessageIdDomain(const EmailSettings& email) {
  auto from = mime::ParseMailbox(email.from);
  std::string domain = from ? mime::AddressDomain(from->address) : "";
  return domain.empty() ? "lanwatch" : domain;
}

std::string RenderEmailMessage(const Notification& n, const Config& config) {
  const EmailSettings& email = config.notify.email;
  EmailText text = ComposeEmail(n, config);
  std::string domain = MessageIdDomain(email);

  std::vector<mime::Mailbox> from, to;
  if (auto box = mime::ParseMailbox(email.from)) from.push_back(*box);
  for (const std::string& address : email.to) {
    if (auto box = mime::ParseMailbox(address)) to.push_back(*box);
  }
  if (from.empty()) from.push_back({"lanwatch", "lanwatch@" + domain});

  std::string m;
  m += mime::AddressHeader("From", from);
  if (!to.empty()) m += mime::AddressHeader("To", to);
  m += mime::UnstructuredHeader("Subject", text.subject);
  m += "Date: " + FormatRfc5322Date(n.created_at) + "\r\n";
  m += "Message-ID: " + mime::MsgId(n.id, domain) + "\r\n";
  if (!n.in_reply_to.empty()) {
    std::vector<std::string> ids;
    for (const std::string& id : n.in_reply_to) ids.push_back(mime::MsgId(id, domain));
    m += mime::MsgIdHeader("In-Reply-To", ids);
    m += mime::MsgIdHeader("References", ids);
  }
  // Vacation responders and ticket systems must not answer a machine (RFC 3834), nor
  // Exchange's out-of-office.
  m += "Auto-Submitted: auto-generated\r\n";
  m += "X-Auto-Response-Suppress: All\r\n";
  // For the IT section's mail filters: what kind of notice, about which device.
  m += fmt::format("X-Lanwatch-Kind: {}\r\n", ToString(n.kind));
  if (!n.device.empty()) m += mime::UnstructuredHeader("X-Lanwatch-Device", n.device);
  if (!n.alerts.empty()) {
    std::vector<std::string> alerts;  // "rule device/link": what the mail is about
    for (const AlertNote& a : n.alerts) alerts.push_back(a.key.ToString());
    m += mime::UnstructuredHeader("X-Lanwatch-Alerts", fmt::format("{}", fmt::join(alerts, ", ")));
  }
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += fmt::format("Content-Language: {}\r\n",
                   config.notify.language == NotifyLanguage::kEn ? "en" : "zh-CN");
  m += "\r\n";
  std::string body;  // CRLF line ends inside the encoding too: text/plain's canonical form
  for (char c : text.body) {
    if (c == '\n') body += '\r';
    body += c;
  }
  m += mime::Base64Lines(body);
  return m;
}

}  // namespace lanwatch
