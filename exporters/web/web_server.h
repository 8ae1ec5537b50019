// WebServer: lanwatchd's HTTP endpoint. /metrics (the text exposition, for Prometheus: streamed
// in chunks as it is written, gzip-compressed on the fly when the scraper accepts gzip), /-/healthy
// (the process is alive), /-/ready (the first round is done), and every other path to `pages` (the
// status page and its API). Every response carries a strict Content-Security-Policy (the page's own
// stylesheet, nothing else: no script may run), nosniff, no-referrer, no framing and no caching.
// Read-only: GET and HEAD only. Basic auth, when set, covers every path but /-/healthy and
// /-/ready. civetweb stays inside the .cc file. Thread-safe.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "exporters/web/http_exchange.h"

namespace lanwatch {

class ByteSink;

struct BasicAuthCredentials {
  std::string user, password;
};

struct WebServerOptions {
  std::string listen;  // HOST:PORT (port 0 picks a free one)
  // In force from the first request: the server never answers without it.
  std::optional<BasicAuthCredentials> basic_auth;
  // Writes the whole /metrics exposition onto the sink, in as many pieces as it likes; each
  // goes out as it comes. Called on civetweb's threads, one call per scrape. Null: no samples.
  std::function<void(ByteSink&)> metrics;
  std::function<bool()> ready;                            // asked on each /-/ready
  std::function<HttpResponse(const HttpRequest&)> pages;  // null: 404 for the rest
};

class WebServer {
 public:
  static std::expected<std::unique_ptr<WebServer>, Error> Start(WebServerOptions options);
  ~WebServer();

  // nullopt: no authentication. Takes effect for the next request (a reload).
  void SetBasicAuth(std::optional<BasicAuthCredentials> credentials);

  // The TCP ports actually bound.
  std::vector<int> ports() const;

 private:
  struct Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The headers every response carries, in HTTP form ("Content-Security-Policy: ...\r\n...").
std::string_view SecurityHeaders();

}  // namespace lanwatch
