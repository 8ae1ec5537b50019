// ServiceCheck and ServiceResult: what one check of a bureau service (the web site, the
// office-automation system) asks and what it found. Plain values; service_checker.h runs them.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace lanwatch {

enum class ServiceKind {
  kTcp,   // a TCP connect to "host:port", nothing sent
  kHttp,  // a request to an http:// or https:// URL
};

enum class HttpMethod { kHead, kGet };

// The status codes that count as up, inclusive. Default 2xx and 3xx: redirects are not
// followed, a site that answers with one is up.
struct StatusRange {
  long low = 200;
  long high = 399;
};

struct ServiceCheck {
  std::string name;
  ServiceKind kind = ServiceKind::kHttp;
  std::string target;  // "host:port" (kTcp) or an http(s):// URL (kHttp)
  // The whole check (connect, TLS, answer); clipped to the round's deadline.
  std::chrono::milliseconds timeout{5000};
  StatusRange expected_status;
  HttpMethod method = HttpMethod::kHead;  // GET reads and discards the body
  // HTTPS: a PEM file of the CA that signed the server's certificate (or the self-signed
  // certificate itself), for office systems with a private CA. Empty: the system's CAs.
  // Verification is never switched off.
  std::string ca_file;
};

bool StatusExpected(const StatusRange& range, long status);

struct ServiceResult {
  std::string name;
  bool up = false;
  // Why it is down, in words, with curl's own message and code; empty when up.
  std::string error;
  long status = 0;  // HTTP status code; 0 for TCP and when no answer came
  // Each measured from the start of the check (libcurl's *_TIME_T); zero when that stage was
  // not reached. time_to_first_byte includes connect and TLS, as a browser feels it.
  std::chrono::microseconds connect_time{0};
  std::chrono::microseconds tls_handshake_time{0};  // TLS alone: appconnect - connect
  std::chrono::microseconds time_to_first_byte{0};
  std::chrono::microseconds total_time{0};
  // HTTPS: the peer certificate's notAfter, also when verification failed (a second,
  // unverified handshake reads it then), and whole days left from the check's time (negative
  // once expired).
  std::optional<std::chrono::sys_seconds> cert_not_after;
  std::optional<int> cert_days_left;
};

}  // namespace lanwatch
