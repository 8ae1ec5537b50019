#include "daemon/device_poller.h"

#include <algorithm>
#include <map>
#include <memory>

#include "daemon/network_state.h"
#include "probes/snmp/device_poll.h"
#include "probes/snmp/packet_counters.h"

namespace lanwatch {

std::vector<DevicePoll> DevicePoller::Poll(const Config& config, const PollRequest& request) {
  std::vector<DevicePoll> polls;
  PollEach(config, request, [&](DevicePoll&& poll) { polls.push_back(std::move(poll)); });
  // Devices point into config.devices: their addresses are in config order.
  std::sort(polls.begin(), polls.end(),
            [](const DevicePoll& a, const DevicePoll& b) { return a.device < b.device; });
  return polls;
}

void DevicePoller::PollEach(const Config& config, const PollRequest& request,
                            const std::function<void(DevicePoll&&)>& sink) {
  std::vector<const DeviceConfig*> devices;
  for (const DeviceConfig& d : config.devices) {
    const auto& only = request.only;
    if (only.empty() || std::find(only.begin(), only.end(), d.name) != only.end()) {
      devices.push_back(&d);
    }
  }
  if (devices.empty()) return;
  // Devices with configured links go first (they matter most when a round runs late). Each
  // one's walk is followed at once, in its slot, by the GET of its links' packet counters,
  // so the two readings stay close together however long the rest of the round takes; and
  // all walks run in one exchange, so a round's dead agents wait out their timeouts together.
  std::stable_partition(devices.begin(), devices.end(), [&](const DeviceConfig* d) {
    return std::any_of(config.links.begin(), config.links.end(),
                       [&](const LinkConfig& l) { return l.device == d->name; });
  });
  // Each walk is decoded as its replies come: a running poll holds its sample, not its
  // replies. Decoders and walked polls exist for the polls running, not for every device of
  // a round of thousands, and the devices of a role share one query.
  std::map<DeviceRole, std::shared_ptr<const SnmpQuery>> queries;
  std::vector<std::unique_ptr<DeviceSampleDecoder>> decoders(devices.size());
  auto decoder = [&](size_t i) -> DeviceSampleDecoder& {
    if (!decoders[i]) {
      decoders[i] = std::make_unique<DeviceSampleDecoder>(*queries.at(devices[i]->role),
                                                          devices[i]->snmp.text_encoding);
    }
    return *decoders[i];
  };
  std::vector<SnmpJob> jobs;
  jobs.reserve(devices.size());
  for (const DeviceConfig* d : devices) {
    std::shared_ptr<const SnmpQuery>& query = queries[d->role];
    if (!query) query = std::make_shared<const SnmpQuery>(BuildDeviceQuery(d->role));
    const size_t i = jobs.size();
    jobs.push_back(SnmpJob{
        SnmpTarget{d->name, d->address, d->snmp}, query, request.deadline,
        [&decoder, i](size_t column, const VarBind& cell) { decoder(i).Add(column, cell); }});
  }
  // Walked polls waiting for their packet counters.
  std::vector<std::unique_ptr<DevicePoll>> walked(devices.size());
  client_.Run(
      jobs, {request.interrupt_fd, config.poll_concurrency},
      [&](size_t i, SnmpResult&& result) -> std::optional<SnmpQuery> {
        if (std::unique_ptr<DevicePoll>& poll = walked[i]) {
          AddPacketCounters(result, *poll);
          sink(std::move(*poll));
          poll.reset();
          return std::nullopt;
        }
        DevicePoll poll = Decode(*devices[i], std::move(decoder(i)), std::move(result));
        decoders[i].reset();
        // SNMPv1 has no Counter64: nothing to ask. A walk cut short (a timeout, the
        // deadline) asks nothing more of its agent this round: the GET would only
        // wait out another timeout in a slot the devices still waiting need.
        if (poll.sample && poll.result.ok() && poll.device->snmp.version != SnmpVersion::kV1) {
          std::vector<uint32_t> indexes = LinkInterfaceIndexes(config, *poll.device, *poll.sample);
          if (!indexes.empty()) {
            walked[i] = std::make_unique<DevicePoll>(std::move(poll));
            return BuildPacketCounterQuery(indexes);
          }
        }
        sink(std::move(poll));
        return std::nullopt;
      });
  // An interrupted round starts no follow-up: those polls go without their packet counters.
  for (std::unique_ptr<DevicePoll>& poll : walked) {
    if (poll) sink(std::move(*poll));
  }
}

DevicePoll DevicePoller::Decode(const DeviceConfig& device, DeviceSampleDecoder&& decoder,
                                SnmpResult&& result) {
  DevicePoll poll{&device, std::move(result), {}, {}};
  // What arrived is used even when the exchange stopped early: the sample says which
  // interface columns are incomplete (SnmpResult::column_complete), and the device stays
  // reachable with the failure noted. A cancelled poll comes back with the reason kCancelled.
  if (auto decoded = std::move(decoder).Finish(poll.result); decoded) {
    if (!decoded->system.object_id.empty()) object_ids_[device.name] = decoded->system.object_id;
    poll.sample = std::move(*decoded);
  } else {
    poll.decode_error = decoded.error().message;
  }
  // The raw replies are decoded: only the exchange's outcome stays.
  poll.result.scalars = {};
  return poll;
}

void DevicePoller::AddPacketCounters(const SnmpResult& result, DevicePoll& poll) {
  // A failed GET leaves the round's packet counters out (the next reading is a baseline);
  // its errors count with the device's like any other request's (one never sent is none).
  DecodePacketCounters(result, *poll.sample);
  for (const auto& [reason, count] : result.errors) {
    if (reason != snmp_error::kCancelled && reason != snmp_error::kNotStarted) {
      poll.result.errors[reason] += count;
    }
  }
}

std::vector<OpticsPoll> DevicePoller::PollOptics(const Config& config, const PollRequest& request) {
  std::vector<OpticsPoll> polls;
  std::vector<SnmpJob> jobs;
  const auto query = std::make_shared<const SnmpQuery>(BuildOpticsQuery());
  for (const DeviceConfig& d : config.devices) {
    const auto& only = request.only;
    if (!only.empty() && std::find(only.begin(), only.end(), d.name) == only.end()) continue;
    polls.push_back(OpticsPoll{&d, false, {}, {}});
    jobs.push_back(SnmpJob{SnmpTarget{d.name, d.address, d.snmp}, query, request.deadline, {}});
  }
  // Decoded as each walk ends, at most poll_concurrency at a time, like the round's polls.
  client_.Run(jobs, {request.interrupt_fd, config.poll_concurrency},
              [&](size_t i, SnmpResult&& result) -> std::optional<SnmpQuery> {
                OpticsPoll& poll = polls[i];
                // An agent without optics tables answers every walk with its end: answered,
                // no modules. A walk cut short is not an answer: a missing module is not a
                // pulled one.
                poll.answered = result.ok();
                if (!result.ok()) poll.error = result.failure_message;
                auto id = object_ids_.find(poll.device->name);
                poll.transceivers = DecodeOptics(
                    *query, result, id == object_ids_.end() ? std::string() : id->second,
                    poll.device->snmp.text_encoding);
                return std::nullopt;
              });
  return polls;
}

std::map<std::string, std::vector<std::string>> DevicePoller::ResolvedAddresses(
    const Config& config) {
  std::map<std::string, std::vector<std::string>> out;
  for (const DeviceConfig& d : config.devices) {
    if (auto address = client_.ResolvedAddress(d.address)) out[d.name] = {*address};
  }
  return out;
}

void DevicePoller::Retain(const Config& config) {
  std::vector<std::string> names;
  for (const DeviceConfig& d : config.devices) names.push_back(d.name);
  client_.ForgetExcept(names);
  std::erase_if(object_ids_, [&](const auto& entry) {
    return std::find(names.begin(), names.end(), entry.first) == names.end();
  });
}

}  // namespace lanwatch
