// DevicePoller: the real SampleSource. One SNMP round over the configured devices, all in
// parallel from the calling thread, each decoded into a DeviceSample. The daemon, `lanwatch
// check` and benchmarks share it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/sample_source.h"
#include "probes/snmp/device_poll.h"
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
  // Adds the reply to the second, small request of a linked device's poll: the HC packet
  // counters of its links, by the ifIndexes its walk just resolved.
  static void AddPacketCounters(const SnmpResult& result, DevicePoll& poll);
  // Finishes the decoding of one device's exchange into its poll.
  DevicePoll Decode(const DeviceConfig& device, DeviceSampleDecoder&& decoder, SnmpResult&& result);

  SnmpClient client_;
  // sysObjectID by device, from its last poll: the optics' unit tables are per model.
  std::map<std::string, std::string> object_ids_;
};

}  // namespace lanwatch
