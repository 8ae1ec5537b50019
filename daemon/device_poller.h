// DevicePoller: the real SampleSource. One SNMP round over the configured devices, all in
// parallel from the calling thread, each decoded into a DeviceSample. The daemon, `lanwatch
// check` and benchmarks share it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "daemon/sample_source.h"
#include "probes/snmp/snmp_client.h"

namespace lanwatch {

class DevicePoller final : public SampleSource {
 public:
  std::vector<DevicePoll> Poll(const Config& config, const PollRequest& request) override;
  void PollEach(const Config& config, const PollRequest& request,
                const std::function<void(DevicePoll&&)>& sink) override;
  std::vector<OpticsPoll> PollOptics(const Config& config, const PollRequest& request) override;
  void Retain(const Config& config) override;
  // Device name -> the addresses its `address` resolved to (for matching traps by source).
  std::map<std::string, std::vector<std::string>> ResolvedAddresses(const Config& config);

 private:
  // The second, small exchange of a round: each device's configured links' HC packet
  // counters, GET by the ifIndexes its walk just resolved.
  void PollPacketCounters(const Config& config, std::vector<DevicePoll>& polls,
                          const PollRequest& request);
  // Walks `devices`, handing each decoded poll to `sink` as it completes.
  void WalkDevices(const Config& config, const PollRequest& request,
                   const std::vector<const DeviceConfig*>& devices,
                   const std::function<void(DevicePoll&&)>& sink);
  // Decodes one device's exchange into its poll.
  DevicePoll Decode(const DeviceConfig& device, const SnmpQuery& query, SnmpResult&& result);

  SnmpClient client_;
  // sysObjectID by device, from its last poll: the optics' unit tables are per model.
  std::map<std::string, std::string> object_ids_;
};

}  // namespace lanwatch
