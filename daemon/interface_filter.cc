#include "daemon/interface_filter.h"

#include <fnmatch.h>

#include <algorithm>
#include <vector>

#include "daemon/network_state.h"

namespace lanwatch {
namespace {

bool AnyMatches(const std::vector<InterfacePattern>& patterns, const InterfaceSample& interface) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const InterfacePattern& p) { return PatternMatches(p, interface); });
}

}  // namespace

bool PatternMatches(const InterfacePattern& pattern, const InterfaceSample& interface) {
  switch (pattern.kind) {
    case InterfacePattern::Kind::kNameGlob:
      return fnmatch(pattern.text.c_str(), interface.name.c_str(), 0) == 0;
    case InterfacePattern::Kind::kType:
      return interface.type == pattern.type;
    case InterfacePattern::Kind::kAdmin:
      return interface.admin_up == pattern.admin_up;
  }
  return false;
}

bool Watched(const InterfaceFilter& filter, const InterfaceSample& interface) {
  if (!filter.include.empty() && !AnyMatches(filter.include, interface)) return false;
  return !AnyMatches(filter.exclude, interface);
}

void DropUnwatchedInterfaces(const Config& config, DevicePoll& poll) {
  if (!poll.device || !poll.sample || poll.device->interfaces.empty()) return;
  DeviceSample& sample = *poll.sample;
  const std::vector<uint32_t> links = LinkInterfaceIndexes(config, *poll.device, sample);
  std::erase_if(sample.interfaces, [&](const auto& entry) {
    const auto& [index, interface] = entry;
    if (std::find(links.begin(), links.end(), index) != links.end()) return false;
    return !Watched(poll.device->interfaces, interface);
  });
}

}  // namespace lanwatch
