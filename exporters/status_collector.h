// StatusCollector: publishes the latest NetworkStatus as Prometheus metrics. The daemon hands
// it a snapshot after each round; scrapes read the newest one. Thread-safe. Metrics are
// generated at scrape time from the snapshot, so a device or interface that disappears takes
// its series with it, and counters come straight from our monotonic totals. A scrape writes
// the text out as it goes (WriteMetrics), shares the snapshot rather than copying it, and
// never holds the lock while it writes.
#pragma once

#include <prometheus/collectable.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/alerts/alerting_status.h"
#include "daemon/alerts/outbox_dispatcher.h"
#include "daemon/network_status.h"
#include "exporters/metric_text.h"

namespace lanwatch {

class StatusCollector : public prometheus::Collectable {
 public:
  explicit StatusCollector(std::string version) : version_(std::move(version)) {}

  void Publish(NetworkStatus status);
  // While a round runs: the devices as polled so far, in place of the published snapshot's
  // (its links, probes and services stay until the round's Publish). The snapshot a round
  // replaces thereby lets go of each part's interfaces as the round goes, instead of the
  // old and the new statuses of every port being held at once at its end.
  void PublishDevices(SharedItems<DeviceStatus> devices);
  // Captures report every second, more often than polling rounds: scrapes ask them directly.
  void SetCaptureSource(std::function<std::vector<CaptureStatus>()> source);
  // Echo probes report every second too: when set, scrapes take the probe targets from it
  // (a loss shows within seconds), else from the published snapshot's `probes`.
  void SetProbeSource(std::function<std::vector<ProbeTargetStatus>()> source);
  // lanwatchd's own health (rounds, reloads); published as it changes, between rounds too.
  void SetDaemonStats(const DaemonStats& stats);
  // The alerts after a round; the receivers' counters are asked at scrape time.
  void SetAlerting(AlertingStatus alerting);
  void SetReceiverSource(std::function<std::vector<ReceiverStats>()> source);
  // Malformed datagrams on the trap port wake nobody: the count is asked at scrape time.
  void SetTrapMalformedSource(std::function<uint64_t()> source);
  bool has_status() const;
  // The newest snapshot and alerts as published (the status page reads them); null and
  // nullopt before the first round.
  std::shared_ptr<const NetworkStatus> latest() const;
  std::optional<AlertingStatus> alerting() const;
  // The families as objects: every sample at once (tests; ~1 GB at 5,000 48-port switches).
  std::vector<prometheus::MetricFamily> Collect() const override;
  // The same samples as exposition text onto `sink`, written as they are generated: what
  // /metrics serves.
  void WriteMetrics(ByteSink& sink) const;

 private:
  template <typename Render>
  auto WithInputs(Render render) const;

  std::string version_;
  mutable std::mutex mutex_;
  std::shared_ptr<const NetworkStatus> status_;
  std::function<std::vector<CaptureStatus>()> captures_;
  std::function<std::vector<ProbeTargetStatus>()> probes_;
  std::optional<DaemonStats> daemon_;
  std::optional<AlertingStatus> alerting_;
  std::function<std::vector<ReceiverStats>()> receivers_;
  std::function<uint64_t()> trap_malformed_;
};

// What the families of the alerting side are built from.
struct AlertingMetrics {
  AlertingStatus alerting;
  std::vector<ReceiverStats> receivers;
};

// What one scrape is made of: the snapshot, and what is asked fresh for the scrape (captures
// and probes report between rounds). Views: the caller keeps them alive.
struct MetricInputs {
  const NetworkStatus& status;
  const std::vector<CaptureStatus>& captures;
  const std::vector<ProbeTargetStatus>& probes;
  const std::string& version;
  const std::optional<DaemonStats>& daemon;
  const std::optional<AlertingMetrics>& alerting;
};

// The families for one snapshot; exposed for tests and for `lanwatch check --metrics`.
// Every family is present, with HELP and TYPE, even with no samples yet.
std::vector<prometheus::MetricFamily> BuildMetricFamilies(
    const NetworkStatus& status, const std::string& version,
    const std::optional<DaemonStats>& daemon = std::nullopt,
    const std::optional<AlertingMetrics>& alerting = std::nullopt);
std::vector<prometheus::MetricFamily> BuildMetricFamilies(const MetricInputs& inputs);

// The same families from the same generator, as text: byte for byte what
// prometheus::TextSerializer makes of BuildMetricFamilies, written onto `sink` in pieces.
void WriteMetricText(const NetworkStatus& status, const std::string& version, ByteSink& sink,
                     const std::optional<DaemonStats>& daemon = std::nullopt,
                     const std::optional<AlertingMetrics>& alerting = std::nullopt);
void WriteMetricText(const MetricInputs& inputs, ByteSink& sink);

}  // namespace lanwatch
