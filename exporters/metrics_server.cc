#include "exporters/metrics_server.h"

#include <CivetServer.h>
#include <fmt/format.h>
#include <prometheus/text_serializer.h>

namespace lanwatch {
namespace {

void Respond(mg_connection* conn, int code, const char* reason, std::string_view content_type,
             std::string_view body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %.*s\r\nContent-Length: %zu\r\n"
            "Connection: close\r\n\r\n",
            code, reason, static_cast<int>(content_type.size()), content_type.data(), body.size());
  mg_write(conn, body.data(), body.size());
}

class MetricsHandler : public CivetHandler {
 public:
  explicit MetricsHandler(std::vector<std::shared_ptr<prometheus::Collectable>> sources)
      : sources_(std::move(sources)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    std::vector<prometheus::MetricFamily> families;
    for (const auto& source : sources_) {
      auto collected = source->Collect();
      families.insert(families.end(), std::make_move_iterator(collected.begin()),
                      std::make_move_iterator(collected.end()));
    }
    std::string body = prometheus::TextSerializer().Serialize(families);
    Respond(conn, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", body);
    return true;
  }

 private:
  std::vector<std::shared_ptr<prometheus::Collectable>> sources_;
};

class ProbeHandler : public CivetHandler {
 public:
  explicit ProbeHandler(std::function<bool()> ok) : ok_(std::move(ok)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    if (ok_())
      Respond(conn, 200, "OK", "text/plain", "OK\n");
    else
      Respond(conn, 503, "Service Unavailable", "text/plain", "not ready: first poll pending\n");
    return true;
  }

 private:
  std::function<bool()> ok_;
};

}  // namespace

struct MetricsServer::Impl {
  std::unique_ptr<CivetServer> server;
  MetricsHandler metrics;
  ProbeHandler healthy;
  ProbeHandler ready;
};

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() {
  if (impl_ && impl_->server) impl_->server->close();
}

std::expected<std::unique_ptr<MetricsServer>, Error> MetricsServer::Start(
    const std::string& listen, std::vector<std::shared_ptr<prometheus::Collectable>> sources,
    std::function<bool()> ready) {
  auto impl = std::unique_ptr<Impl>(new Impl{nullptr, MetricsHandler(std::move(sources)),
                                             ProbeHandler([] { return true; }),
                                             ProbeHandler(std::move(ready))});
  // civetweb wants "[::1]:9731" for IPv6 and "HOST:PORT" otherwise, as we do.
  std::vector<std::string> options = {"listening_ports",    listen, "num_threads", "4",
                                      "request_timeout_ms", "10000"};
  try {
    impl->server = std::make_unique<CivetServer>(options);
  } catch (const CivetException& e) {
    return std::unexpected(Error(fmt::format("cannot listen on {}: {}", listen, e.what())));
  }
  impl->server->addHandler("/metrics", impl->metrics);
  impl->server->addHandler("/-/healthy", impl->healthy);
  impl->server->addHandler("/-/ready", impl->ready);
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

std::vector<int> MetricsServer::ports() const { return impl_->server->getListeningPorts(); }

}  // namespace lanwatch
