// WebFront: what lanwatchd serves on `listen` and keeps for it: the web server (metrics, the
// status page, the API), the per-link history under state_dir/history, and the status page's
// credentials. Part of the composition root (lanwatch_app): it wires daemon/history and
// exporters/web together so that daemon.cc stays the loop.
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "config/error.h"
#include "daemon/history/link_history.h"
#include "daemon/network_status.h"
#include "exporters/status_collector.h"
#include "exporters/web/page_routes.h"
#include "exporters/web/web_server.h"

namespace lanwatch {

// The status page's user and password (web.basic_auth), the password read from its file;
// nullopt when the config sets none.
std::expected<std::optional<BasicAuthCredentials>, Error> ReadWebCredentials(
    const WebSettings& web);

// Each link's rates in `status`, as the history keeps them.
std::vector<LinkRates> HistoryRates(const NetworkStatus& status);

class WebFront {
 public:
  // Reads the credentials first: with basic auth configured and its password unreadable,
  // nothing is served (an Error), rather than the page without a password.
  static std::expected<std::unique_ptr<WebFront>, Error> Start(
      const std::string& listen, const Config& config, const std::string& state_dir,
      const std::shared_ptr<StatusCollector>& collector, std::function<bool()> ready,
      std::string version);
  ~WebFront();

  // After a round: its rates go to the history, filed at `slot` (when the round was due).
  // A trap's or an optics walk's publish does not call this: the round's step has them.
  void RecordRound(const NetworkStatus& status, std::chrono::system_clock::time_point slot);
  // After a reload: the page's config, the history's step, the credentials (kept when the
  // new password file cannot be read, with a warning).
  void Reload(const Config& config);
  int port() const;  // the first port bound

 private:
  WebFront() = default;
  std::unique_ptr<LinkHistory> history_;  // null: web.history off, or unusable
  std::unique_ptr<PageRoutes> pages_;
  std::unique_ptr<WebServer> server_;  // last: stops before the pages and history go
  uint64_t history_errors_told_ = 0;
  std::string last_history_error_;
};

}  // namespace lanwatch
