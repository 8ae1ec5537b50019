// EmailReceiver: notifications as email, delivered over SMTP by libcurl (smtp://, smtps://,
// STARTTLS when notify.email.starttls). Render is email_message.h; Deliver sends one rendered
// message to every `to` address and returns the server's final reply ("250 2.0.0 Ok: queued
// as 4F3A2"), or an Error with curl's reason and the SMTP code. The password is read from
// password_file at each send (a changed file needs no restart) and appears in no Error and no
// log. curl is private to this file's .cc. Deliver is blocking, bounded by the timeouts;
// one thread at a time per receiver (the outbox dispatcher's).
#pragma once

#include <chrono>
#include <expected>
#include <string>

#include "config/config.h"
#include "daemon/alerts/receiver.h"

namespace lanwatch {

struct SmtpTimeouts {
  std::chrono::milliseconds connect{10'000};  // TCP (and TLS) connect
  std::chrono::milliseconds total{30'000};    // the whole exchange, QUIT excepted
};

class EmailReceiver final : public Receiver {
 public:
  explicit EmailReceiver(Config config, SmtpTimeouts timeouts = {});

  std::string_view name() const override { return "email"; }
  std::string Render(const Notification& n) const override;
  std::expected<std::string, Error> Deliver(const std::string& payload) override;

 private:
  Config config_;
  SmtpTimeouts timeouts_;
};

}  // namespace lanwatch
