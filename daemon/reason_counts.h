// ReasonCounts: how often each reason happened, since start (a device's SNMP errors and
// sample discontinuities). Every device has two, and a city's network has thousands of
// devices: flat pairs in reason order, not a map of strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace lanwatch {

class ReasonCounts {
 public:
  using Entry = std::pair<std::string_view, uint64_t>;

  ReasonCounts() = default;
  // Each of `known` there from the start, at 0, so that rates over them are defined.
  template <size_t N>
  explicit ReasonCounts(const char* const (&known)[N]) {
    counts_.reserve(N);
    for (const char* reason : known) (*this)[reason];
  }

  // The reason's count, added at 0 when it is new. The reference lasts until the next reason
  // is added: count with it at once (`++counts[reason]`).
  uint64_t& operator[](std::string_view reason);
  // Its count, 0 when it never happened.
  uint64_t value(std::string_view reason) const;
  bool contains(std::string_view reason) const;

  std::vector<Entry>::const_iterator begin() const { return counts_.begin(); }
  std::vector<Entry>::const_iterator end() const { return counts_.end(); }
  size_t size() const { return counts_.size(); }
  bool operator==(const ReasonCounts&) const = default;

 private:
  std::vector<Entry>::const_iterator Find(std::string_view reason) const;
  // Sorted by reason. A reason's view is of its interned copy: reasons are the code's own
  // words (snmp_error::, discontinuity::), a handful in all, kept for the process's life.
  std::vector<Entry> counts_;
};

}  // namespace lanwatch
