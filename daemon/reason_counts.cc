#include "daemon/reason_counts.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <string>

namespace lanwatch {
namespace {

// A view that outlives every ReasonCounts: of the one copy of `reason` made for the process.
std::string_view Interned(std::string_view reason) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> interned;
  std::lock_guard lock(mutex);
  auto it = interned.find(reason);
  if (it == interned.end()) it = interned.emplace(reason).first;
  return *it;
}

}  // namespace

std::vector<ReasonCounts::Entry>::const_iterator ReasonCounts::Find(std::string_view reason) const {
  return std::lower_bound(counts_.begin(), counts_.end(), reason,
                          [](const Entry& e, std::string_view r) { return e.first < r; });
}

uint64_t& ReasonCounts::operator[](std::string_view reason) {
  auto at = counts_.begin() + (Find(reason) - counts_.cbegin());
  if (at == counts_.end() || at->first != reason) at = counts_.emplace(at, Interned(reason), 0);
  return at->second;
}

uint64_t ReasonCounts::value(std::string_view reason) const {
  auto at = Find(reason);
  return at != counts_.end() && at->first == reason ? at->second : 0;
}

bool ReasonCounts::contains(std::string_view reason) const {
  auto at = Find(reason);
  return at != counts_.end() && at->first == reason;
}

}  // namespace lanwatch
