#include "exporters/web/web_server.h"

#include <CivetServer.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "config/secret_file.h"
#include "exporters/metric_text.h"
#include "exporters/notify/mime.h"
#include "exporters/web/gzip_sink.h"

namespace lanwatch {
namespace {

// No script, frame, font, connection or form may come from anywhere; styles and images from
// lanwatchd itself only (the stylesheet; inline SVG needs no source).
constexpr std::string_view kSecurityHeaders =
    "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Cache-Control: no-store\r\n";

std::string_view Reason(int code) {
  switch (code) {
    case 200:
      return "OK";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

void Respond(mg_connection* conn, const HttpResponse& response, bool head = false,
             std::string_view extra_headers = "") {
  const std::string_view reason = Reason(response.status);
  mg_printf(conn,
            "HTTP/1.1 %d %.*s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%.*s%.*s"
            "Connection: close\r\n\r\n",
            response.status, static_cast<int>(reason.size()), reason.data(),
            response.content_type.c_str(), response.body.size(),
            static_cast<int>(kSecurityHeaders.size()), kSecurityHeaders.data(),
            static_cast<int>(extra_headers.size()), extra_headers.data());
  if (!head) mg_write(conn, response.body.data(), response.body.size());
}

HttpResponse Text(int status, std::string body) {
  return HttpResponse{status, "text/plain; charset=utf-8", std::move(body)};
}

// The expected "Authorization" header value, compared in constant time: how long a wrong
// guess takes says nothing of how close it was.
class BasicAuth {
 public:
  void Set(std::optional<BasicAuthCredentials> credentials) {
    std::lock_guard lock(mutex_);
    if (!credentials) {
      expected_.reset();
      return;
    }
    Secret joined(credentials->user + ":" + credentials->password);
    expected_ = std::make_unique<Secret>("Basic " + mime::Base64(joined.text()));
  }
  bool Admits(const char* authorization) const {
    std::lock_guard lock(mutex_);
    if (!expected_) return true;
    const std::string_view got = authorization ? authorization : "";
    const std::string& want = expected_->text();
    unsigned char differ = got.size() == want.size() ? 0 : 1;
    for (size_t i = 0; i < want.size(); ++i) {
      differ |= static_cast<unsigned char>(want[i] ^ (i < got.size() ? got[i] : 0));
    }
    return differ == 0;
  }

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<Secret> expected_;
};

// Read-only: anything but GET and HEAD is refused, whatever the path.
class ReadOnlyHandler : public CivetHandler {
 public:
  bool handlePost(CivetServer*, mg_connection* c) override { return Refuse(c); }
  bool handlePut(CivetServer*, mg_connection* c) override { return Refuse(c); }
  bool handleDelete(CivetServer*, mg_connection* c) override { return Refuse(c); }
  bool handlePatch(CivetServer*, mg_connection* c) override { return Refuse(c); }

 private:
  static bool Refuse(mg_connection* conn) {
    Respond(conn, Text(405, "read-only: GET and HEAD only\n"), false, "Allow: GET, HEAD\r\n");
    return true;
  }
};

// A response body sent as it comes: in HTTP/1.1 chunks, or for an HTTP/1.0 client as plain
// bytes ended by closing the connection. A client that went away makes the rest a no-op.
class StreamedBody final : public ByteSink {
 public:
  StreamedBody(mg_connection* conn, bool chunked) : conn_(conn), chunked_(chunked) {}
  void Write(std::string_view bytes) override {
    if (failed_ || bytes.empty()) return;  // an empty chunk would end the body
    const int sent = chunked_
                         ? mg_send_chunk(conn_, bytes.data(), static_cast<unsigned>(bytes.size()))
                         : mg_write(conn_, bytes.data(), bytes.size());
    if (sent <= 0) failed_ = true;  // 0: the client has gone
  }
  // The last chunk: without it the client knows the body is incomplete.
  void Finish() {
    if (chunked_ && !failed_) mg_send_chunk(conn_, "", 0);
  }

 private:
  mg_connection* conn_;
  bool chunked_;
  bool failed_ = false;
};

// Level 1 of 9: the exposition's repeated names compress ~10x at level 1 already, several
// times faster than the default 6 (bench/scrape_bench).
constexpr int kGzipLevel = 1;

// Answers 401 when `auth` is set and the request's credentials are not its own.
bool Refused(const BasicAuth* auth, mg_connection* conn, bool head) {
  if (!auth || auth->Admits(mg_get_header(conn, "Authorization"))) return false;
  Respond(conn, Text(401, "authentication required\n"), head,
          "WWW-Authenticate: Basic realm=\"lanwatch\", charset=\"UTF-8\"\r\n");
  return true;
}

// /metrics, behind basic auth when `auth` is given: the exposition written straight into the
// response, never held whole.
class MetricsHandler : public ReadOnlyHandler {
 public:
  MetricsHandler(const BasicAuth* auth, std::function<void(ByteSink&)> write)
      : auth_(auth), write_(std::move(write)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override { return Handle(conn, false); }
  bool handleHead(CivetServer*, mg_connection* conn) override { return Handle(conn, true); }

 private:
  bool Handle(mg_connection* conn, bool head) {
    if (Refused(auth_, conn, head)) return true;
    const char* accept_encoding = mg_get_header(conn, "Accept-Encoding");
    const bool gzip = accept_encoding && AcceptsGzip(accept_encoding);
    const mg_request_info* info = mg_get_request_info(conn);
    const bool chunked = !info->http_version || std::string_view(info->http_version) != "1.0";
    mg_printf(conn,
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
              "%s%sVary: Accept-Encoding\r\n%.*sConnection: close\r\n\r\n",
              chunked ? "Transfer-Encoding: chunked\r\n" : "",
              gzip ? "Content-Encoding: gzip\r\n" : "", static_cast<int>(kSecurityHeaders.size()),
              kSecurityHeaders.data());
    if (head) return true;
    StreamedBody body(conn, chunked);
    // civetweb's threads are C: an exception escaping here would end lanwatchd. The headers
    // are out: a failed scrape ends without its last chunk, which the scraper reports.
    try {
      if (gzip) {
        auto compressed = GzipSink::Open(body, kGzipLevel);
        if (!compressed) throw std::runtime_error(compressed.error().message);
        Write(**compressed);
        (*compressed)->Finish();
      } else {
        Write(body);
      }
      body.Finish();
    } catch (const std::exception& e) {
      spdlog::error("web: /metrics failed: {}", e.what());
    }
    return true;
  }
  void Write(ByteSink& sink) const {
    if (write_) write_(sink);
  }

  const BasicAuth* auth_;
  std::function<void(ByteSink&)> write_;
};

// Serves through `serve`, behind basic auth when `auth` is given.
class RouteHandler : public ReadOnlyHandler {
 public:
  RouteHandler(const BasicAuth* auth, std::function<HttpResponse(const HttpRequest&)> serve)
      : auth_(auth), serve_(std::move(serve)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override { return Handle(conn, false); }
  bool handleHead(CivetServer*, mg_connection* conn) override { return Handle(conn, true); }

 private:
  bool Handle(mg_connection* conn, bool head) {
    if (Refused(auth_, conn, head)) return true;
    const mg_request_info* info = mg_get_request_info(conn);
    HttpRequest request;
    request.path = info->local_uri ? info->local_uri : "/";
    request.query = info->query_string ? info->query_string : "";
    const char* language = mg_get_header(conn, "Accept-Language");
    request.accept_language = language ? language : "";
    // civetweb's threads are C: an exception escaping here would end lanwatchd.
    HttpResponse response;
    try {
      response = serve_(request);
    } catch (const std::exception& e) {
      spdlog::error("web: {} failed: {}", request.path, e.what());
      response = Text(500, "internal error; see lanwatchd's log\n");
    }
    Respond(conn, response, head);
    return true;
  }

  const BasicAuth* auth_;
  std::function<HttpResponse(const HttpRequest&)> serve_;
};

}  // namespace

std::string_view SecurityHeaders() { return kSecurityHeaders; }

struct WebServer::Impl {
  BasicAuth auth;
  std::unique_ptr<MetricsHandler> metrics;
  std::unique_ptr<RouteHandler> healthy, ready, pages;
  std::unique_ptr<CivetServer> server;  // last: stopped before the handlers go
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebServer::~WebServer() {
  if (impl_ && impl_->server) impl_->server->close();
}

std::expected<std::unique_ptr<WebServer>, Error> WebServer::Start(WebServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->auth.Set(std::move(options.basic_auth));
  impl->metrics = std::make_unique<MetricsHandler>(&impl->auth, std::move(options.metrics));
  // Liveness and readiness say nothing but that: open to probes without credentials.
  impl->healthy =
      std::make_unique<RouteHandler>(nullptr, [](const HttpRequest&) { return Text(200, "OK\n"); });
  impl->ready = std::make_unique<RouteHandler>(
      nullptr, [ready = std::move(options.ready)](const HttpRequest&) {
        return ready() ? Text(200, "OK\n") : Text(503, "not ready: first poll pending\n");
      });
  std::function<HttpResponse(const HttpRequest&)> pages = std::move(options.pages);
  if (!pages) pages = [](const HttpRequest&) { return Text(404, "not found\n"); };
  impl->pages = std::make_unique<RouteHandler>(&impl->auth, std::move(pages));

  // civetweb wants "[::1]:9731" for IPv6 and "HOST:PORT" otherwise, as we do.
  std::vector<std::string> civet_options = {
      "listening_ports", options.listen, "num_threads", "4", "request_timeout_ms", "10000"};
  try {
    impl->server = std::make_unique<CivetServer>(civet_options);
  } catch (const CivetException& e) {
    return std::unexpected(Error(fmt::format("cannot listen on {}: {}", options.listen, e.what())));
  }
  // Exact paths first; "**" takes every other one.
  impl->server->addHandler("/metrics", *impl->metrics);
  impl->server->addHandler("/-/healthy", *impl->healthy);
  impl->server->addHandler("/-/ready", *impl->ready);
  impl->server->addHandler("**", *impl->pages);
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

void WebServer::SetBasicAuth(std::optional<BasicAuthCredentials> credentials) {
  impl_->auth.Set(std::move(credentials));
}

std::vector<int> WebServer::ports() const { return impl_->server->getListeningPorts(); }

}  // namespace lanwatch
