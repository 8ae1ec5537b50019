#include "probes/capture/talker_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "probes/capture/traffic_meter.h"

namespace lanwatch {
namespace {

// A weak hash on purpose: neighbouring keys land in neighbouring slots, so probing runs long.
struct WeakTraits {
  static uint64_t Hash(uint64_t key) { return key * 0x100000001ULL; }
  static bool Equal(uint64_t a, uint64_t b) { return a == b; }
  static bool Less(uint64_t a, uint64_t b) { return a < b; }
};
using Table = TalkerTable<uint64_t, WeakTraits>;

uint64_t Sum(const Table& table) {
  uint64_t sum = 0;
  for (const auto& e : table.entries()) sum += e.bytes;
  return sum;
}

TEST(TalkerTable, ExactWhileWithinCapacity) {
  Table table(1000, 5);
  std::map<uint64_t, uint64_t> truth;
  std::mt19937 rng(1);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t key = rng() % 1000, bytes = 60 + rng() % 1454;
    table.Add(key, bytes);
    truth[key] += bytes;
  }
  ASSERT_EQ(table.entries().size(), truth.size());
  for (const auto& e : table.entries()) EXPECT_EQ(e.bytes, truth[e.key]) << e.key;
  EXPECT_EQ(table.dropped_bytes(), 0u);
  EXPECT_EQ(table.generation(), 0u);  // nothing ever moved
}

TEST(TalkerTable, KeepsTheHeavyHittersUnderAFloodOfUniqueKeys) {
  constexpr size_t kCapacity = 256;
  Table table(kCapacity, 5);
  std::map<uint64_t, uint64_t> heavy;  // keys 1..5, interleaved with a flood
  uint64_t total = 0;
  uint64_t flood_key = 1'000'000;
  for (int i = 0; i < 500'000; ++i) {
    uint64_t key = 0, bytes = 0;
    if (i % 20 == 0) {
      key = 1 + static_cast<uint64_t>(i / 20) % 5;
      bytes = 1000 + key;  // distinct totals, so the order is known
      heavy[key] += bytes;
    } else {
      key = flood_key++;  // every one new: a scan, spoofed sources
      bytes = 60 + static_cast<uint64_t>(i) % 1454;
    }
    table.Add(key, bytes);
    total += bytes;
    ASSERT_LE(table.entries().size(), kCapacity);
  }
  const auto top = table.Top(5);
  ASSERT_EQ(top.size(), 5u);
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].key, 5 - i);                // most bytes first
    EXPECT_EQ(top[i].bytes, heavy[top[i].key]);  // never dropped: every byte
  }
  EXPECT_GT(table.dropped_bytes(), 0u);
  EXPECT_EQ(Sum(table) + table.dropped_bytes(), total);  // no byte lost or counted twice
}

// Whatever the counts (all tied, a few values, all distinct), a drop keeps a top set: every
// talker kept has at least the bytes of every talker dropped; it keeps the report's top N
// and frees at least half the table; and no byte is lost.
TEST(TalkerTable, EveryDropKeepsATopSetWhateverTheTies) {
  for (const uint64_t values : {1ull, 3ull, 40ull, 1ull << 40}) {
    constexpr size_t kCapacity = 2048;
    Table table(kCapacity, 5);
    std::mt19937_64 rng(values);
    uint64_t total = 0, drops = 0, next_key = 0;
    for (int i = 0; i < 40'000; ++i) {
      const uint64_t key = rng() % 4 == 0 ? rng() % 64 : 1'000 + next_key++;
      const uint64_t bytes = 60 + rng() % values;
      std::vector<Table::Entry> before;  // a drop comes only with a full table
      if (table.entries().size() == kCapacity)
        before.assign(table.entries().begin(), table.entries().end());
      const uint64_t generation = table.generation();
      table.Add(key, bytes);
      total += bytes;
      if (table.generation() == generation) continue;
      ASSERT_EQ(before.size(), kCapacity);
      ++drops;
      std::map<uint64_t, uint64_t> kept;
      for (const auto& e : table.entries()) kept[e.key] = e.bytes;
      uint64_t least_kept = UINT64_MAX, most_dropped = 0;
      for (const auto& e : before) {
        if (kept.contains(e.key))
          least_kept = std::min(least_kept, e.bytes);
        else
          most_dropped = std::max(most_dropped, e.bytes);
      }
      ASSERT_GE(least_kept, most_dropped) << values << " at " << i;
      ASSERT_GE(table.entries().size(), 5u) << values;
      ASSERT_LE(table.entries().size(), kCapacity / 2 + 1) << values;
    }
    EXPECT_GT(drops, 10u) << values;
    EXPECT_EQ(Sum(table) + table.dropped_bytes(), total) << values;
  }
}

// A flood of one-size talkers with fewer heavy ones than the report's top N: the sampled
// threshold is the tied size, and a drop keeps what the exact selection keeps: the heavy ones
// and then the first ties in entry order, a quarter of the table in all.
TEST(TalkerTable, ADropAmongTiesKeepsTheHeavyOnesThenTheFirstTies) {
  constexpr size_t kCapacity = 1024, kQuarter = kCapacity / 4;
  Table table(kCapacity, 5);
  for (uint64_t key = 0; key < kCapacity; ++key) table.Add(key, key % 400 == 7 ? 1500 : 60);
  ASSERT_EQ(table.generation(), 0u);
  table.Add(5000, 60);  // the table is full: this one drops first
  ASSERT_EQ(table.generation(), 1u);
  const auto kept = table.entries();
  ASSERT_EQ(kept.size(), kQuarter + 1);
  std::vector<uint64_t> keys;
  for (const auto& e : kept) keys.push_back(e.key);
  // Entry order: the 253 first ties are keys 0 to 253 but 7, which is heavy and kept as well.
  std::vector<uint64_t> expected;
  for (uint64_t key = 0; key <= 253; ++key) expected.push_back(key);
  expected.insert(expected.end(), {407, 807});
  expected.push_back(5000);
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(table.dropped_bytes(), (kCapacity - kQuarter) * 60u);
}

TEST(TalkerTable, EntryNumbersHoldUntilTheGenerationChanges) {
  Table table(4, 1);
  const uint32_t first = table.Add(7, 100);
  const uint64_t generation = table.generation();
  table.AddAt(first, 50);
  for (uint64_t key = 8; key < 11; ++key) table.Add(key, 1);
  EXPECT_EQ(table.generation(), generation);  // full, not yet over
  EXPECT_EQ(table.entries()[first].bytes, 150u);
  table.Add(11, 1);  // the fifth talker: a drop
  EXPECT_NE(table.generation(), generation);
  ASSERT_EQ(table.Top(1).size(), 1u);
  EXPECT_EQ(table.Top(1)[0].key, 7u);
  EXPECT_EQ(table.Top(1)[0].bytes, 150u);
}

// Talkers that come back soon after a drop took them: each finds no trace of its old entry
// (which memory may still hold, past the live ones), and is counted afresh.
TEST(TalkerTable, ADroppedTalkerThatComesBackIsCountedAfresh) {
  // Keys spread over the index, then keys that all start at one slot (a drop's rebuild and
  // every lookup then walk the same run).
  for (const int shift : {0, 8}) {
    SCOPED_TRACE(shift ? "colliding keys" : "spread keys");
    Table table(64, 4);
    std::mt19937 rng(3);
    uint64_t total = 0;
    for (int i = 0; i < 20000; ++i) {
      const uint64_t talker = rng() % 200;  // 200 talkers through 64 places
      const uint64_t key = talker << shift, bytes = 1 + talker % 7;
      const uint32_t at = table.Add(key, bytes);
      total += bytes;
      ASSERT_LT(at, table.entries().size()) << "packet " << i << " key " << key;
      ASSERT_EQ(table.entries()[at].key, key);
    }
    EXPECT_GT(table.generation(), 100u);
    EXPECT_EQ(Sum(table) + table.dropped_bytes(), total);  // no byte lost or counted twice
    std::set<uint64_t> keys;  // and no talker in two entries (one the index lost track of)
    for (const auto& e : table.entries()) keys.insert(e.key);
    EXPECT_EQ(keys.size(), table.entries().size());
  }
}

TEST(TalkerTable, NoCapacityDropsEverything) {
  Table table(0, 5);
  EXPECT_EQ(table.Add(1, 100), Table::kNone);
  EXPECT_TRUE(table.entries().empty());
  EXPECT_EQ(table.dropped_bytes(), 100u);
  table.Clear();
  EXPECT_EQ(table.dropped_bytes(), 0u);
}

IpAddress V4(uint32_t a) {
  IpAddress out{4, {}};
  for (int k = 0; k < 4; ++k) out.bytes[k] = static_cast<uint8_t>(a >> (24 - 8 * k));
  return out;
}

// The meter over a flood of unique pairs, and its whole-file figures merged interval by
// interval as `lanwatch replay` does: the heavy conversation stays on top of both.
TEST(TrafficMeter, HeavyConversationSurvivesAFloodOfUniquePairs) {
  const std::vector<Cidr> local = {*Cidr::Parse("198.18.0.0/15")};
  TrafficMeter interval(local, 3, /*max_tracked=*/512), whole(local, 3, 512);
  PacketInfo heavy{4, Transport::kTcp, V4(0xc6120101), V4(0xc6336401)};  // .1.1 -> 198.51.100.1
  uint64_t heavy_bytes = 0, total = 0;
  TrafficReport last;
  for (uint32_t i = 0; i < 200'000; ++i) {
    PacketInfo flood{4, Transport::kUdp, V4(0x0a000000 + i), V4(0xc6130000 + (i & 0xffff))};
    const bool is_heavy = i % 16 == 0;
    const uint32_t bytes = is_heavy ? 1500 : 64;
    interval.Count(is_heavy ? heavy : flood, bytes);
    heavy_bytes += is_heavy ? bytes : 0;
    total += bytes;
    if (i % 50'000 == 49'999) last = interval.Take(&whole);
  }
  ASSERT_FALSE(last.top_conversations.empty());
  EXPECT_EQ(last.top_conversations[0].name, "198.18.1.1 <-> 198.51.100.1");
  EXPECT_EQ(last.top_conversations[0].bytes, heavy_bytes / 4);
  TrafficReport r = whole.Take();
  EXPECT_EQ(r.totals.bytes, total);
  ASSERT_FALSE(r.top_conversations.empty());
  EXPECT_EQ(r.top_conversations[0].name, "198.18.1.1 <-> 198.51.100.1");
  EXPECT_EQ(r.top_conversations[0].bytes, heavy_bytes);
  ASSERT_FALSE(r.top_hosts.empty());
  EXPECT_EQ(r.top_hosts[0].name, "198.18.1.1");
  EXPECT_EQ(r.top_hosts[0].bytes, heavy_bytes);
  EXPECT_GT(r.untracked_bytes, 0u);
}

}  // namespace
}  // namespace lanwatch
