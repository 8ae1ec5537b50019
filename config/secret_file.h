// Secrets kept in files of their own (an SMTP password, the status page's password), never in
// the config: the config is shown in diffs and mails, the file is readable by lanwatchd only.
#pragma once

#include <expected>
#include <string>

#include "config/error.h"

namespace lanwatch {

// A secret in memory, wiped when it goes.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string text) : text_(std::move(text)) {}
  ~Secret();
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  std::string& text() { return text_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The whole file, without its final newline (an editor's, not part of the secret). `what`
// names the setting in the message: "cannot read password_file /etc/...: No such file".
std::expected<void, Error> ReadSecretFile(const std::string& path, std::string_view what,
                                          Secret& out);

// The URL without any user:password@ someone put into it: what messages, labels and pages
// show of it ("smtp://***@mail.example:587").
std::string RedactUrlCredentials(const std::string& url);

}  // namespace lanwatch
