// Oid: an SNMP object identifier as a value type, ordered lexicographically like the agent
// orders them. Free of Net-SNMP headers so that samples can carry OIDs anywhere.
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanwatch {

class Oid {
 public:
  Oid() = default;
  Oid(std::initializer_list<uint32_t> parts) : parts_(parts) {}
  explicit Oid(std::vector<uint32_t> parts) : parts_(std::move(parts)) {}

  // "1.3.6.1.2.1.1.3.0" or ".1.3.6..."; nullopt on anything else.
  static std::optional<Oid> Parse(std::string_view text);

  bool StartsWith(const Oid& prefix) const;
  // The part after `prefix`, e.g. the row index of a table cell. Requires StartsWith(prefix).
  Oid SuffixAfter(const Oid& prefix) const;
  Oid Child(uint32_t part) const;

  const std::vector<uint32_t>& parts() const { return parts_; }
  size_t size() const { return parts_.size(); }
  bool empty() const { return parts_.empty(); }
  std::string ToString() const;

  auto operator<=>(const Oid&) const = default;

 private:
  std::vector<uint32_t> parts_;
};

}  // namespace lanwatch
