#include "probes/snmp/oid.h"

#include <algorithm>
#include <charconv>

namespace lanwatch {

std::optional<Oid> Oid::Parse(std::string_view text) {
  if (!text.empty() && text.front() == '.') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::vector<uint32_t> parts;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (p < end) {
    uint32_t part = 0;
    auto [next, ec] = std::from_chars(p, end, part);
    if (ec != std::errc() || next == p) return std::nullopt;
    parts.push_back(part);
    p = next;
    if (p < end) {
      if (*p != '.' || p + 1 == end) return std::nullopt;
      ++p;
    }
  }
  return Oid(std::move(parts));
}

bool Oid::StartsWith(const Oid& prefix) const {
  return prefix.size() <= size() &&
         std::equal(prefix.parts_.begin(), prefix.parts_.end(), parts_.begin());
}

Oid Oid::SuffixAfter(const Oid& prefix) const {
  return Oid(
      std::vector<uint32_t>(parts_.begin() + static_cast<long>(prefix.size()), parts_.end()));
}

Oid Oid::Child(uint32_t part) const {
  Oid child = *this;
  child.parts_.push_back(part);
  return child;
}

std::string Oid::ToString() const {
  std::string out;
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(parts_[i]);
  }
  return out;
}

}  // namespace lanwatch
