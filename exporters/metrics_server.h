// MetricsServer: the HTTP endpoint Prometheus scrapes. Serves /metrics (text exposition of
// every registered collectable), /-/healthy (the process is alive) and /-/ready (the first
// polling round is done). civetweb stays inside the .cc file. Thread-safe.
#pragma once

#include <prometheus/collectable.h>

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/error.h"

namespace lanwatch {

class MetricsServer {
 public:
  // `listen` is HOST:PORT (port 0 picks a free one). `ready` is asked on each /-/ready.
  static std::expected<std::unique_ptr<MetricsServer>, Error> Start(
      const std::string& listen, std::vector<std::shared_ptr<prometheus::Collectable>> sources,
      std::function<bool()> ready);
  ~MetricsServer();

  // The TCP ports actually bound.
  std::vector<int> ports() const;

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
