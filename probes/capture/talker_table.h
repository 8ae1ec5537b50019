// TalkerTable: bytes per talker (a host, or a conversation's address pair) over an interval,
// in bounded memory and bounded time per packet whatever the traffic. Not thread-safe.
//
// Exact while at most `capacity` talkers are seen. When a new talker finds the table full,
// the table first drops about its smaller three quarters (by bytes, at a threshold taken from
// a sample of the counts; see Drop()), counting their bytes as dropped. A flood of one-packet
// talkers (a scan, spoofed sources) then costs amortised O(1) per packet, and a heavy hitter
// (more bytes between two drops than the flood's talkers) stays, with every byte since it was
// last inserted: its figure is a lower bound, exact unless it was dropped once.
//
// A flat open-addressing index (a 32-bit fingerprint and an entry number per slot, 8 bytes)
// over a dense array of entries: a lookup that misses touches only the index, and an insert
// allocates nothing once the table has filled once. The index has four slots per entry, at
// most a quarter full: under a flood every packet's lookups miss, and a miss then mostly
// ends at its first slot, where at half full it probes two or three (the meter took 83 ns a
// packet on a flood of new pairs, 76 ns after, for 64 KiB more per table of 4,096). A drop
// selects on the byte counts alone and rehashes nothing: entries keep their hash.
//
// `Traits` names the key's hash and comparisons, all cheap (they run per packet):
//   static uint64_t Hash(const Key&); static bool Equal(const Key&, const Key&);
//   static bool Less(const Key&, const Key&);  // the report's order for ties
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <type_traits>
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
        keep_at_least_(std::min(keep_, keep_at_least)),
        index_(std::bit_ceil(std::max<size_t>(4 * capacity, 8))) {}

  // Adds `bytes` to the key's entry, inserting it if new; returns the entry's number, valid
  // for AddAt() while generation() stays the same. kNone (and the bytes dropped) when the
  // table has no room at all (capacity 0).
  uint32_t Add(const Key& key, uint64_t bytes) { return Add(key, bytes, Traits::Hash(key)); }
  // The same, with the key's hash already at hand (it must equal Traits::Hash(key)).
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
    // Field by field, in place: an entry built whole on the stack and then copied is read
    // back in 16-byte loads across the smaller stores that built it, which stalls each one.
    Entry& entry = entries_.emplace_back();
    entry.key = key;
    entry.bytes = bytes;
    entry.hash = h;
    index_[slot] = {Fingerprint(h), static_cast<uint32_t>(entries_.size())};
    return static_cast<uint32_t>(entries_.size() - 1);
  }
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
    if (!entries_.empty()) ClearIndex();
    entries_.clear();
    dropped_ = 0;
    ++generation_;
  }

 private:
  struct Slot {
    uint32_t fingerprint = 0;
    uint32_t entry = 0;  // entry number + 1; 0: empty
  };

  // memset rather than std::fill, which GCC writes as a loop of 8-byte stores: a third of a
  // drop's time, when floods of new talkers drop every few thousand packets.
  void ClearIndex() {
    static_assert(std::is_trivially_copyable_v<Slot> && Slot{}.entry == 0);  // zeros: empty
    std::memset(static_cast<void*>(index_.data()), 0, index_.size() * sizeof(Slot));
  }

  static uint32_t Fingerprint(uint64_t h) { return static_cast<uint32_t>(h >> 32); }
  static bool MoreBytes(const Entry& a, const Entry& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : Traits::Less(a.key, b.key);
  }

  // The key's slot, or the empty slot where it would go. The index has at least four slots
  // per entry (and at least 8), so an empty slot is always found.
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

  // Keeps the talkers with the most bytes: about keep_ of them, at least keep_at_least_ and
  // at most half the table (so that a drop frees room for many inserts). The threshold comes
  // from a strided sample of the byte counts (repeatable, and a selection over kSample counts
  // rather than all), kept with its ties or without; when neither fits, the exact selection
  // of keep_ (ties in entry order), which needs no selection of its own when the threshold is
  // the keep_-th count. Either way every entry kept has at least the bytes of every entry
  // dropped.
  void Drop() {
    const size_t size = entries_.size();
    const size_t most = std::max(keep_at_least_, size / 2);
    if (keep_ > 0 && size >= 4 * kSample) {
      const size_t stride = size / kSample;
      counts_.resize(kSample);
      for (size_t i = 0; i < kSample; ++i) counts_[i] = entries_[i * stride].bytes;
      const auto nth = counts_.begin() + static_cast<std::ptrdiff_t>(kSample * keep_ / size);
      std::nth_element(counts_.begin(), nth, counts_.end(), std::greater<>{});
      const uint64_t threshold = *nth;
      size_t above = 0, tied = 0;
      for (const Entry& e : entries_) {
        above += e.bytes > threshold;
        tied += e.bytes == threshold;
      }
      if (above + tied >= keep_at_least_ && above + tied <= most) {
        return KeepFrom(threshold, tied);
      }
      if (above >= keep_at_least_ && above <= most) return KeepFrom(threshold, 0);
      // The exact selection's result, at once: common when most counts are equal (a flood of
      // one-packet talkers of a few sizes).
      if (above < keep_ && above + tied >= keep_) return KeepFrom(threshold, keep_ - above);
    }
    size_t above = 0, ties = 0;
    uint64_t threshold = UINT64_MAX;
    if (keep_ > 0) {
      counts_.resize(size);
      for (size_t i = 0; i < size; ++i) counts_[i] = entries_[i].bytes;
      const auto nth = counts_.begin() + static_cast<std::ptrdiff_t>(keep_ - 1);
      std::nth_element(counts_.begin(), nth, counts_.end(), std::greater<>{});
      threshold = *nth;
      for (uint64_t c : counts_) above += c > threshold;
      ties = keep_ - above;
    }
    KeepFrom(threshold, ties);
  }

  // Keeps the entries with more than `threshold` bytes and the first `ties` with exactly
  // that many, in entry order; counts the others' bytes as dropped and rebuilds the index.
  void KeepFrom(uint64_t threshold, size_t ties) {
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
    ClearIndex();
    const size_t mask = index_.size() - 1;
    for (size_t i = 0; i < kept; ++i) {  // distinct keys: the first empty slot is theirs
      size_t slot = entries_[i].hash & mask;
      while (index_[slot].entry != 0) slot = (slot + 1) & mask;
      index_[slot] = {Fingerprint(entries_[i].hash), static_cast<uint32_t>(i + 1)};
    }
    ++generation_;
  }

  static constexpr size_t kSample = 256;
  size_t capacity_, keep_, keep_at_least_;
  std::vector<Slot> index_;
  std::vector<Entry> entries_;
  std::vector<uint64_t> counts_;  // Drop()'s scratch, kept to allocate once
  uint64_t dropped_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace lanwatch
