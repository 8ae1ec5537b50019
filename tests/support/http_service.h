// Test support: a real web service on loopback (tests/agents/http_service.py under
// /usr/bin/python3) serving chosen status codes and delayed answers, over HTTP or, given a
// certificate, HTTPS. Ready when the constructor returns, stopped by PID when destroyed; one
// that does not come up throws, which fails the test (start it in a test or SetUp).
#pragma once

#include <string>

#include "tests/support/process.h"

namespace lanwatch::testing {

struct HttpServiceOptions {
  std::string cert_file;  // PEM; with key_file, the service speaks HTTPS
  std::string key_file;
};

class HttpService {
 public:
  explicit HttpService(const HttpServiceOptions& options = {});
  int port() const { return port_; }
  // http(s)://127.0.0.1:PORT + path ("/status/404", "/delay/300").
  std::string Url(const std::string& path) const;
  std::string Log() const;

 private:
  bool https_;
  TempDir dir_;
  int port_;
  ChildProcess process_;
};

// A throw-away CA and server certificates for 127.0.0.1 it signed, made with the openssl
// command in `dir`. Throws when openssl fails.
struct TestPki {
  std::string ca_cert;
  std::string server_key;
  std::string cert_for_10_days;  // valid now, expires in 10 days
  std::string cert_expired;      // notAfter a day before now
};
TestPki MakeTestPki(const std::string& dir);

}  // namespace lanwatch::testing
