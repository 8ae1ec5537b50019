// A Notification as the complete Internet message (RFC 5322, MIME) the email receiver hands
// the SMTP server: UTF-8 text in the site's language, base64 body, RFC 2047 subject, a
// Message-ID made from Notification.id (so a resend is the same message) and In-Reply-To /
// References for resolved notifications and reminders, so that mail clients thread them under
// the firing one. Pure apart from the process's time zone (site_time.h); thread-safe.
#pragma once

#include <string>

#include "config/config.h"
#include "daemon/alerts/alert.h"

namespace lanwatch {

// The words of a message, before any MIME encoding (UTF-8, "\n" line ends).
struct EmailText {
  std::string
      subject;  // e.g. "【严重】市商务局：核心交换机 core-switch 无法访问（另有 7 条链路受影响）"
  std::string body;
};
EmailText ComposeEmail(const Notification& n, const Config& config);

// The whole message: headers, a blank line, the base64 body; 7-bit ASCII, CRLF line ends.
std::string RenderEmailMessage(const Notification& n, const Config& config);

// The right-hand side of Message-IDs: the domain of notify.email.from, else "lanwatch".
std::string MessageIdDomain(const EmailSettings& email);

}  // namespace lanwatch
