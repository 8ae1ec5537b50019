#include "exporters/packet_metrics.h"

#include "config/text_encoding.h"

namespace lanwatch {

std::vector<prometheus::MetricFamily> WithPacketFamilies(
    std::vector<prometheus::MetricFamily> families, const NetworkStatus& status) {
  using prometheus::ClientMetric;
  prometheus::MetricFamily received{
      "lanwatch_link_receive_packets_total",
      "Packets the link's port received (ifXTable HC counters), by cast; monotonic across "
      "agent restarts, counted from lanwatchd's start.",
      prometheus::MetricType::Counter,
      {}};
  prometheus::MetricFamily transmitted{
      "lanwatch_link_transmit_packets_total",
      "Packets the link's port transmitted (ifXTable HC counters), by cast; monotonic across "
      "agent restarts, counted from lanwatchd's start.",
      prometheus::MetricType::Counter,
      {}};
  for (const LinkStatus& link : status.links) {
    // Link names come from the config; still, one invalid label value would fail the scrape.
    const std::string name = IsValidUtf8(link.name) ? link.name : ToValidUtf8(link.name);
    for (Cast cast : kAllCasts) {
      const auto c = static_cast<size_t>(cast);
      for (const auto& [family, total] : {std::pair{&received, link.packets.receive[c]},
                                          std::pair{&transmitted, link.packets.transmit[c]}}) {
        if (!total) continue;
        ClientMetric m;
        m.label = {{"link", name}, {"cast", ToString(cast)}};
        m.counter.value = static_cast<double>(*total);
        family->metric.push_back(std::move(m));
      }
    }
  }
  families.push_back(std::move(received));
  families.push_back(std::move(transmitted));
  return families;
}

}  // namespace lanwatch
