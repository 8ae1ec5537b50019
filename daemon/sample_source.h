// SampleSource: where a polling round's samples come from. DevicePoller asks the agents over
// SNMP; tests script samples of their own. The deciding code (PollLoop, NetworkState) only
// ever sees this interface.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/optics.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

// One device's poll in one round: what the agent exchange gave, and its decoding.
struct DevicePoll {
  const DeviceConfig* device = nullptr;  // points into the Config the round was asked for
  SnmpResult result;
  std::optional<DeviceSample> sample;  // absent when the agent gave nothing usable
  std::string decode_error;            // why `sample` is absent, when the exchange itself worked
};

// One device's optics walk: its transceivers as decoded, or why there are none.
struct OpticsPoll {
  const DeviceConfig* device = nullptr;
  bool answered = false;  // the agent answered (an agent without optics tables answers too)
  std::string error;      // why not, or what was cut short
  std::vector<Transceiver> transceivers;
};

struct PollRequest {
  std::chrono::steady_clock::time_point deadline;  // every device's poll ends by then
  std::vector<std::string> only;                   // device names; empty: every device
  int interrupt_fd = -1;  // when readable, unfinished polls are cancelled (SIGTERM)
};

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  // Polls the config's devices (or `request.only`) at once; results in config order.
  virtual std::vector<DevicePoll> Poll(const Config& config, const PollRequest& request) = 0;
  // The same, handing each device's poll to `sink` as soon as it is complete, in the order
  // they complete: a round over thousands of devices never holds them all. By default,
  // Poll() and then each in turn.
  virtual void PollEach(const Config& config, const PollRequest& request,
                        const std::function<void(DevicePoll&&)>& sink) {
    for (DevicePoll& poll : Poll(config, request)) sink(std::move(poll));
  }
  // Walks the transceivers' optics of `request.only` (or every device); results in config
  // order. Sources without optics return none.
  virtual std::vector<OpticsPoll> PollOptics(const Config& config, const PollRequest& request) {
    (void)config;
    (void)request;
    return {};
  }
  // Forgets devices no longer configured (sessions, caches).
  virtual void Retain(const Config& config) = 0;
};

}  // namespace lanwatch
