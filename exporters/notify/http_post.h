// HttpPost: one blocking HTTP(S) POST with libcurl, for receivers that talk to a web API
// (Alertmanager). libcurl stays inside http_post.cc. Safe to call from several threads at
// once (each call has its own handle; the library is initialised once).
#pragma once

#include <chrono>
#include <expected>
#include <string>

#include "config/error.h"

namespace lanwatch {

struct HttpPostOptions {
  std::string content_type = "application/json";
  std::chrono::milliseconds connect_timeout{5'000};  // TCP (and TLS) connect
  std::chrono::milliseconds total_timeout{10'000};   // the whole exchange
};

struct HttpAnswer {
  long status = 0;   // the HTTP status code, whatever it is (a 4xx is an answer too)
  std::string body;  // the first 64 KiB of it
};

// POSTs `body` to `url` (http:// or https:// only). An error when no HTTP answer came back
// (no connection, timeout, TLS): curl's words, with the URL.
std::expected<HttpAnswer, Error> HttpPost(const std::string& url, const std::string& body,
                                          const HttpPostOptions& options = {});

}  // namespace lanwatch
