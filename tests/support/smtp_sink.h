// Test support: a real SMTP server on loopback (tests/agents/smtp_sink.py, aiosmtpd under
// /usr/bin/python3) that stores every message it takes as a raw .eml file, and the checker
// that reads one back the way a mail client does (tests/agents/parse_mail.py). The sink is
// ready when the constructor returns and stopped by PID when it is destroyed; one that does
// not come up throws, which fails the test (start it in a test or SetUp, never in
// SetUpTestSuite, where gtest would call it a skip).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace lanwatch::testing {

struct SmtpSinkOptions {
  int fail_first = 0;      // answer DATA of the first N messages with fail_code
  std::string fail_while;  // answer DATA with fail_code while this file exists
  int fail_code = 451;
  std::string auth_user;  // offer AUTH (no TLS) and take only this user and password
  std::string auth_password;
  // Where it listens: a network namespace's loopback (the lab's monitor) and a fixed port;
  // by default the host's loopback and a free port.
  std::string netns;
  int port = 0;
};

class SmtpSink {
 public:
  explicit SmtpSink(const SmtpSinkOptions& options = {});
  // An SMTP outage: the server goes away (connections refused) and comes back on the same
  // port, keeping the messages it stored.
  void Stop();
  void Start();
  int port() const { return port_; }
  std::string url() const;  // smtp://127.0.0.1:PORT
  const std::string& dir() const { return mail_dir_; }
  // The stored messages, oldest first.
  std::vector<std::string> Messages() const;
  // Waits until at least `n` messages are stored; the messages then.
  std::vector<std::string> WaitForMessages(
      size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // What the sink logged (each DATA and its answer).
  std::string Log() const;

 private:
  SmtpSinkOptions options_;
  TempDir dir_;
  std::string mail_dir_;
  int port_;
  int starts_ = 0;
  ChildProcess process_;
};

// parse_mail.py's JSON for one .eml: decoded subject, headers, body, raw-format facts.
nlohmann::json ParseMail(const std::string& eml_path);

}  // namespace lanwatch::testing
