// TalkerTable: bytes per talker (a host, or a conversation's address pair) over an interval,
// in bounded memory and bounded time per packet whatever the traffic. Not thread-safe.
//
// Exact while at most `capacity` talkers are seen. When a new talker finds the table full,
// the table first drops its smaller three quarters (by bytes; ties by key, so the result does
// not depend on the order of the table), counting their bytes as dropped. A flood of one-packet
// talkers (a scan, spoofed sources) then costs amortised O(1) per packet, and a heavy hitter
// (more bytes between two drops than the flood's talkers) stays, with every byte since it was
// last inserted: its figure is a lower bound, exact unless it was dropped once.
//
// A flat open-addressing index (a 32-bit fingerprint and an entry number per slot, 8 bytes)
// over a dense array of entries: a lookup that misses touches only the index, and an insert
// allocates nothing once the table has filled once. A drop selects on the byte counts alone
// (ties kept in entry order) and rehashes nothing: entries keep their hash.
//
// `Traits` names the key's hash and comparisons, all cheap (they run per packet):
//   static uint64_t Hash(const Key&); static bool Equal(const Key&, const Key&);
//   static bool Less(const Key&, const Key&);  // the report's order for ties
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace lanwatch {

template <typename Key, typename Traits>
class TalkerTable {
 public:
  struct Entry {
    Key key;
    uint64_t bytes = 0;
    uint64_t hash = 0;
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // Keeps at least `keep_at_least` talkers (the report's top N) through a drop.
  TalkerTable(size_t capacity, size_t keep_at_least)
      : capacity_(capacity),
        keep_(std::min(capacity ? capacity - 1 : 0, std::max(capacity / 4, keep_at_least))),
        index_(std::bit_ceil(std::max<size_t>(2 * capacity, 8))) {}

  // Adds `bytes` to the key's entry, inserting it if new; returns the entry's number, valid
  // for AddAt() while generation() stays the same. kNone (and the bytes dropped) when the
  // table has no room at all (capacity 0).
  uint32_t Add(const Key& key, uint64_t bytes) { return Add(key, bytes, Traits::Hash(key)); }
  void AddAt(uint32_t entry, uint64_t bytes) { entries_[entry].bytes += bytes; }
  // Adds every entry of `other` (an interval's, into a whole file's), and its dropped bytes.
  void Merge(const TalkerTable& other) {
    for (const Entry& e : other.entries_) Add(e.key, e.bytes, e.hash);
    dropped_ += other.dropped_;
  }

  // Changes whenever entries move (a drop): entry numbers from before are stale.
  uint64_t generation() const { return generation_; }
  uint64_t dropped_bytes() const { return dropped_; }
  std::span<const Entry> entries() const { return entries_; }

  // The `n` talkers with the most bytes, most first; ties in key order.
  std::vector<Entry> Top(size_t n) const {
    std::vector<Entry> all(entries_.begin(), entries_.end());
    const size_t k = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                      MoreBytes);
    all.resize(k);
    return all;
  }

  void Clear() {
    if (!entries_.empty()) std::fill(index_.begin(), index_.end(), Slot{});
    entries_.clear();
    dropped_ = 0;
    ++generation_;
  }

 private:
  struct Slot {
    uint32_t fingerprint = 0;
    uint32_t entry = 0;  // entry number + 1; 0: empty
  };

  uint32_t Add(const Key& key, uint64_t bytes, uint64_t h) {
    size_t slot = Find(key, h);
    if (index_[slot].entry != 0) {
      const uint32_t at = index_[slot].entry - 1;
      entries_[at].bytes += bytes;
      return at;
    }
    if (capacity_ == 0) {
      dropped_ += bytes;
      return kNone;
    }
    if (entries_.size() == capacity_) {
      Drop();
      slot = Find(key, h);
    }
    entries_.push_back({key, bytes, h});
    index_[slot] = {Fingerprint(h), static_cast<uint32_t>(entries_.size())};
    return static_cast<uint32_t>(entries_.size() - 1);
  }

  static uint32_t Fingerprint(uint64_t h) { return static_cast<uint32_t>(h >> 32); }
  static bool MoreBytes(const Entry& a, const Entry& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : Traits::Less(a.key, b.key);
  }

  // The key's slot, or the empty slot where it would go. The index is at least twice the
  // capacity, so an empty slot is always found.
  size_t Find(const Key& key, uint64_t h) const {
    const size_t mask = index_.size() - 1;
    const uint32_t fingerprint = Fingerprint(h);
    for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
      const Slot& s = index_[slot];
      if (s.entry == 0 ||
          (s.fingerprint == fingerprint && Traits::Equal(entries_[s.entry - 1].key, key))) {
        return slot;
      }
    }
  }

  // Keeps the keep_ entries with the most bytes; those tied with the last one kept stay in
  // entry order (the order they came in).
  void Drop() {
    size_t above = 0, ties = 0;
    uint64_t threshold = UINT64_MAX;
    if (keep_ > 0) {
      counts_.resize(entries_.size());
      for (size_t i = 0; i < entries_.size(); ++i) counts_[i] = entries_[i].bytes;
      const auto nth = counts_.begin() + static_cast<std::ptrdiff_t>(keep_ - 1);
      std::nth_element(counts_.begin(), nth, counts_.end(), std::greater<>{});
      threshold = *nth;
      for (uint64_t c : counts_) above += c > threshold;
      ties = keep_ - above;
    }
    size_t kept = 0;
    for (Entry& e : entries_) {
      if (e.bytes > threshold || (e.bytes == threshold && ties > 0)) {
        ties -= e.bytes == threshold;
        entries_[kept++] = e;
      } else {
        dropped_ += e.bytes;
      }
    }
    entries_.resize(kept);
    std::fill(index_.begin(), index_.end(), Slot{});
    const size_t mask = index_.size() - 1;
    for (size_t i = 0; i < kept; ++i) {  // distinct keys: the first empty slot is theirs
      size_t slot = entries_[i].hash & mask;
      while (index_[slot].entry != 0) slot = (slot + 1) & mask;
      index_[slot] = {Fingerprint(entries_[i].hash), static_cast<uint32_t>(i + 1)};
    }
    ++generation_;
  }

  size_t capacity_, keep_;
  std::vector<Slot> index_;
  std::vector<Entry> entries_;
  std::vector<uint64_t> counts_;  // Drop()'s scratch, kept to allocate once
  uint64_t dropped_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace lanwatch
