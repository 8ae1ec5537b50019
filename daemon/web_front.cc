#include "daemon/web_front.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "config/secret_file.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

// The history's step: the poll interval in whole seconds (RRDtool's unit), at least one.
std::chrono::seconds HistoryStep(const Config& config) {
  return std::max(std::chrono::seconds(1),
                  std::chrono::ceil<std::chrono::seconds>(config.poll_interval));
}

}  // namespace

std::expected<std::optional<BasicAuthCredentials>, Error> ReadWebCredentials(
    const WebSettings& web) {
  if (web.basic_auth_user.empty()) return std::nullopt;
  Secret password;
  if (auto read =
          ReadSecretFile(web.basic_auth_password_file, "web.basic_auth.password_file", password);
      !read) {
    return std::unexpected(read.error());
  }
  if (password.text().empty()) {
    // An empty file would let anyone in with a blank password.
    return std::unexpected(Error(
        fmt::format("web.basic_auth.password_file {} is empty", web.basic_auth_password_file)));
  }
  return BasicAuthCredentials{web.basic_auth_user, password.text()};
}

std::vector<LinkRates> HistoryRates(const NetworkStatus& status) {
  std::vector<LinkRates> rates;
  rates.reserve(status.links.size());
  for (const LinkStatus& link : status.links) {
    rates.push_back(LinkRates{link.name, link.in_bps, link.out_bps});
  }
  return rates;
}

std::expected<std::unique_ptr<WebFront>, Error> WebFront::Start(
    const std::string& listen, const Config& config, const std::string& state_dir,
    const std::shared_ptr<StatusCollector>& collector, std::function<bool()> ready,
    std::string version) {
  auto credentials = ReadWebCredentials(config.web);
  if (!credentials) {
    return std::unexpected(credentials.error().context(
        "web.basic_auth is set but its password cannot be read; nothing is served without it"));
  }
  std::unique_ptr<WebFront> front(new WebFront());
  if (config.web.history && config.poll_interval % std::chrono::seconds(1) != 0ms) {
    spdlog::warn(
        "poll_interval {} ms is not whole seconds: the history's step is {} s, and rounds "
        "that fall in one step keep only the first",
        config.poll_interval.count(), HistoryStep(config).count());
  }
  if (config.web.history) {
    if (auto opened = LinkHistory::Open(state_dir + "/history", HistoryStep(config)); opened) {
      front->history_ = std::move(*opened);
      front->history_->Start();
    } else {
      spdlog::warn("no link history (the page shows no graphs): {}", opened.error().message);
    }
  }
  front->pages_ = std::make_unique<PageRoutes>(
      [collector] {
        return PublishedState{collector->latest(), collector->alerting()};
      },
      front->history_.get(), std::move(version), config);
  WebServerOptions options;
  options.listen = listen;
  options.metrics = [collector](ByteSink& out) { collector->WriteMetrics(out); };
  options.ready = std::move(ready);
  options.pages = [pages = front->pages_.get()](const HttpRequest& r) { return pages->Handle(r); };
  options.basic_auth = std::move(*credentials);
  auto server = WebServer::Start(std::move(options));
  if (!server) return std::unexpected(server.error());
  front->server_ = std::move(*server);
  return front;
}

WebFront::~WebFront() { server_.reset(); }

void WebFront::RecordRound(const NetworkStatus& status,
                           std::chrono::system_clock::time_point slot) {
  if (!history_) return;
  history_->Record(slot, HistoryRates(status));
  // The writer's failures (a full disk, a file that is not RRD) are told once each, here.
  const LinkHistory::Stats stats = history_->stats();
  if (stats.errors_total > history_errors_told_ && stats.last_error != last_history_error_) {
    spdlog::warn("link history: {}", stats.last_error);
    last_history_error_ = stats.last_error;
  }
  history_errors_told_ = stats.errors_total;
}

void WebFront::Reload(const Config& config) {
  pages_->SetConfig(config);
  if (history_) history_->SetStep(HistoryStep(config));
  if (auto credentials = ReadWebCredentials(config.web); credentials) {
    server_->SetBasicAuth(std::move(*credentials));
  } else {
    spdlog::warn("{}; the status page keeps its previous password", credentials.error().message);
  }
}

int WebFront::port() const {
  const std::vector<int> ports = server_->ports();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace lanwatch
