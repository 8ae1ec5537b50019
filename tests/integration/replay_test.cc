// `lanwatch replay` on capture files: ones the test writes with known contents, the real
// captures in ../shared/data/pcap, and broken ones; per-second figures checked against
// tshark's io,stat on the same files.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/support/agents.h"

namespace lanwatch {
namespace {

using nlohmann::json;
using testing::RunCommand;
using Bytes = std::vector<uint8_t>;
constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kEpoch = 1'795'000'000LL * kSecond;  // Nov 2026

// Writes a pcap file with libpcap itself.
class PcapWriter {
 public:
  PcapWriter(const std::string& path, int link_type, int snaplen, bool nano) {
    dead_ = pcap_open_dead_with_tstamp_precision(
        link_type, snaplen, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    dumper_ = pcap_dump_open(dead_, path.c_str());
    nano_ = nano;
    snaplen_ = static_cast<uint32_t>(snaplen);
  }
  ~PcapWriter() {
    pcap_dump_close(dumper_);
    pcap_close(dead_);
  }
  void Write(int64_t ts_ns, const Bytes& frame) {
    pcap_pkthdr h{};
    h.ts.tv_sec = ts_ns / kSecond;
    h.ts.tv_usec = nano_ ? ts_ns % kSecond : ts_ns % kSecond / 1000;
    h.len = static_cast<uint32_t>(frame.size());
    h.caplen = std::min(h.len, snaplen_);
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, frame.data());
  }

 private:
  pcap_t* dead_;
  pcap_dumper_t* dumper_;
  bool nano_;
  uint32_t snaplen_;
};

// Writes a pcapng file block by block, little-endian, with the timestamp options libpcap
// applies: if_tsresol (a power of 10, or of 2 with the top bit set) and if_tsoffset (seconds
// added to every timestamp).
class PcapngWriter {
 public:
  explicit PcapngWriter(const std::string& path) : out_(path, std::ios::binary) {
    Bytes shb;
    Put32(shb, 0x1A2B3C4D);  // byte-order magic
    Put16(shb, 1);           // version 1.0
    Put16(shb, 0);
    Put64(shb, ~uint64_t{0});  // section length: unknown
    Block(0x0A0D0D0A, shb);
  }
  // Returns the interface's id.
  uint32_t Interface(uint8_t tsresol, int64_t tsoffset) {
    Bytes idb;
    Put16(idb, DLT_EN10MB);
    Put16(idb, 0);
    Put32(idb, 65535);  // snaplen
    Put16(idb, 9);      // if_tsresol
    Put16(idb, 1);
    idb.insert(idb.end(), {tsresol, 0, 0, 0});
    Put16(idb, 14);  // if_tsoffset
    Put16(idb, 8);
    Put64(idb, static_cast<uint64_t>(tsoffset));
    Put32(idb, 0);  // opt_endofopt
    Block(1, idb);
    return interfaces_++;
  }
  // An enhanced packet block: `timestamp` in the interface's units, before its offset.
  void Packet(uint32_t interface, uint64_t timestamp, const Bytes& frame) {
    Bytes epb;
    Put32(epb, interface);
    Put32(epb, static_cast<uint32_t>(timestamp >> 32));
    Put32(epb, static_cast<uint32_t>(timestamp));
    Put32(epb, static_cast<uint32_t>(frame.size()));
    Put32(epb, static_cast<uint32_t>(frame.size()));
    epb.insert(epb.end(), frame.begin(), frame.end());
    epb.resize((epb.size() + 3) / 4 * 4, 0);
    Block(6, epb);
  }

 private:
  static void Put16(Bytes& b, uint16_t v) { b.insert(b.end(), {uint8_t(v), uint8_t(v >> 8)}); }
  static void Put32(Bytes& b, uint32_t v) {
    Put16(b, static_cast<uint16_t>(v));
    Put16(b, static_cast<uint16_t>(v >> 16));
  }
  static void Put64(Bytes& b, uint64_t v) {
    Put32(b, static_cast<uint32_t>(v));
    Put32(b, static_cast<uint32_t>(v >> 32));
  }
  void Block(uint32_t type, const Bytes& body) {
    Bytes block;
    const auto total = static_cast<uint32_t>(body.size() + 12);
    Put32(block, type);
    Put32(block, total);
    block.insert(block.end(), body.begin(), body.end());
    Put32(block, total);
    out_.write(reinterpret_cast<const char*>(block.data()),
               static_cast<std::streamsize>(block.size()));
  }
  std::ofstream out_;
  uint32_t interfaces_ = 0;
};

// An Ethernet frame of `size` bytes: IPv4/UDP, IPv6/TCP behind a hop-by-hop header, 802.1Q,
// QinQ, or ARP, by `kind`.
Bytes Frame(int kind, size_t size) {
  Bytes f(12, 0x02);
  auto push16 = [&](uint16_t v) {
    f.push_back(static_cast<uint8_t>(v >> 8));
    f.push_back(static_cast<uint8_t>(v));
  };
  Bytes ipv4 = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 1, 101, 198, 18, 0, 1};
  switch (kind % 5) {
    case 0:
      push16(0x0800);
      f.insert(f.end(), ipv4.begin(), ipv4.end());
      break;
    case 1: {
      push16(0x86dd);
      Bytes h = {0x60, 0, 0, 0, 0, 0, 0, 64};
      h.resize(40, 0);
      h[8] = 0xfd;
      h[24] = 0x20;
      f.insert(f.end(), h.begin(), h.end());
      Bytes hop = {6, 0, 0, 0, 0, 0, 0, 0};
      f.insert(f.end(), hop.begin(), hop.end());
      break;
    }
    case 2:
      push16(0x8100);
      push16(7);
      push16(0x0800);
      f.insert(f.end(), ipv4.begin(), ipv4.end());
      break;
    case 3:
      push16(0x88a8);
      push16(7);
      push16(0x8100);
      push16(8);
      push16(0x0800);
      f.insert(f.end(), ipv4.begin(), ipv4.end());
      break;
    case 4:
      push16(0x0806);
      break;  // ARP
  }
  f.resize(std::max(size, f.size()), 0);
  return f;
}

struct Second {
  uint64_t packets = 0, bytes = 0;
};

// What tshark says per 1 s interval (relative to the first packet); empty ones included.
std::vector<Second> Tshark(const std::string& path) {
  auto r = RunCommand(fmt::format("tshark -r {} -q -z io,stat,1", path));
  std::vector<Second> out;
  std::regex row(R"(\|\s*[\d.]+\s*<>\s*([\d.]+|Dur)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|)");
  std::stringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) {
      out.push_back({std::stoull(m[2]), std::stoull(m[3])});
    }
  }
  return out;
}

// NOLINTNEXTLINE(bugprone-exception-escape): clang-tidy 16 suspects its implicit members
struct Replay {
  int exit_code = -1;
  std::map<int64_t, Second> seconds;  // by interval index from the first packet
  json summary;
  std::string output;
};

Replay RunReplay(const std::string& path, const std::string& args = "") {
  Replay r;
  auto run =
      RunCommand(fmt::format("{} replay {} --json {}", testing::LanwatchBinary(), path, args));
  r.exit_code = run.exit_code;
  r.output = run.output;
  std::stringstream lines(run.output);
  std::vector<json> intervals;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    json j = json::parse(line);
    if (j.contains("summary"))
      r.summary = j["summary"];
    else
      intervals.push_back(j);
  }
  for (const json& j : intervals) {
    double first = r.summary.is_null() ? intervals[0]["start"].get<double>()
                                       : r.summary["first"].get<double>();
    auto index = std::llround(j["start"].get<double>() - first);
    r.seconds[index] = {j["packets"].get<uint64_t>(), j["bytes"].get<uint64_t>()};
  }
  return r;
}

void ExpectMatchesTshark(const std::string& path, const Replay& ours) {
  std::vector<Second> theirs = Tshark(path);
  ASSERT_FALSE(theirs.empty()) << "tshark gave nothing for " << path;
  for (size_t i = 0; i < theirs.size(); ++i) {
    auto it = ours.seconds.find(static_cast<int64_t>(i));
    Second mine = it == ours.seconds.end() ? Second{} : it->second;
    EXPECT_EQ(mine.packets, theirs[i].packets) << path << " second " << i;
    EXPECT_EQ(mine.bytes, theirs[i].bytes) << path << " second " << i;
  }
  EXPECT_LE(ours.seconds.size(), theirs.size());
}

TEST(Replay, KnownPerSecondFiguresAndTsharkAgree) {
  testing::TempDir dir;
  std::string path = dir.path() + "/mixed.pcap";
  std::map<int64_t, Second> expected;
  {
    PcapWriter w(path, DLT_EN10MB, 65535, false);
    for (int s = 0; s < 6; ++s) {
      if (s == 3) continue;  // a quiet second
      for (int k = 0; k <= s; ++k) {
        size_t size = 60 + static_cast<size_t>(100 * k + 7 * s);
        w.Write(kEpoch + s * kSecond + int64_t{k} * 100'000'000 + 123'000, Frame(k + s, size));
        expected[s].packets++;
        expected[s].bytes += size;
      }
    }
  }
  Replay r = RunReplay(path, "--local 198.18.1.0/24 --local fd00::/8");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.seconds.size(), expected.size());
  for (const auto& [s, want] : expected) {
    EXPECT_EQ(r.seconds[s].packets, want.packets) << s;
    EXPECT_EQ(r.seconds[s].bytes, want.bytes) << s;
  }
  EXPECT_GT(r.summary["ipv6_bytes"].get<uint64_t>(), 0u);
  EXPECT_GT(r.summary["non_ip_bytes"].get<uint64_t>(), 0u);  // the ARP frames
  EXPECT_EQ(r.summary["bytes_out"].get<uint64_t>() + r.summary["bytes_in"].get<uint64_t>() +
                r.summary["non_ip_bytes"].get<uint64_t>(),
            r.summary["bytes"].get<uint64_t>());
  ExpectMatchesTshark(path, r);
}

TEST(Replay, SnaplenTruncatedPacketsCountTheirWireLength) {
  testing::TempDir dir;
  std::string path = dir.path() + "/snap.pcap";
  {
    PcapWriter w(path, DLT_EN10MB, 20, false);  // cuts inside every IP header
    for (int k = 0; k < 10; ++k) w.Write(kEpoch + int64_t{k} * 50'000'000, Frame(k, 1000));
  }
  Replay r = RunReplay(path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.summary["bytes"], 10000);
  EXPECT_GT(r.summary["truncated_packets"].get<uint64_t>(), 0u);
  ExpectMatchesTshark(path, r);
}

TEST(Replay, NanosecondTimestampsSplitWhereMicrosecondsCannot) {
  testing::TempDir dir;
  std::string path = dir.path() + "/nano.pcap";
  {
    PcapWriter w(path, DLT_EN10MB, 65535, true);
    w.Write(kEpoch, Frame(0, 100));
    w.Write(kEpoch + kSecond - 1, Frame(0, 200));  // 0.999999999 s: still the first second
    w.Write(kEpoch + kSecond, Frame(0, 300));      // 1.000000000 s: the second one
  }
  Replay r = RunReplay(path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.seconds[0].bytes, 300u);
  EXPECT_EQ(r.seconds[1].bytes, 300u);
  // Not compared with tshark: its io,stat rounds relative times to the microsecond and puts
  // the 0.999999999 s packet in the second second.
}

TEST(Replay, PcapngWithSeveralInterfaces) {
  testing::TempDir dir;
  {
    PcapWriter a(dir.path() + "/a.pcap", DLT_EN10MB, 65535, false);
    PcapWriter b(dir.path() + "/b.pcap", DLT_EN10MB, 65535, true);
    for (int k = 0; k < 20; ++k) {
      a.Write(kEpoch + int64_t{k} * 200'000'000, Frame(k, 100 + k));  // past INT_MAX as int
      b.Write(kEpoch + int64_t{k} * 150'000'000 + 1, Frame(k + 1, 500 + k));
    }
  }
  std::string path = dir.path() + "/both.pcapng";
  auto merged = RunCommand(
      fmt::format("mergecap -F pcapng -w {} {}/a.pcap {}/b.pcap", path, dir.path(), dir.path()));
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  Replay r = RunReplay(path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.summary["packets"], 40);
  EXPECT_EQ(r.summary["bytes"], 20 * 100 + 190 + 20 * 500 + 190);
  ExpectMatchesTshark(path, r);
}

TEST(Replay, TruncatedFileNamesTheRecordAndKeepsTheFiguresBeforeIt) {
  testing::TempDir dir;
  std::string path = dir.path() + "/cut.pcap";
  {
    PcapWriter w(path, DLT_EN10MB, 65535, false);
    for (int k = 0; k < 5; ++k) w.Write(kEpoch + k * kSecond, Frame(0, 1000));
  }
  ASSERT_EQ(RunCommand("truncate -s -500 " + path).exit_code, 0);  // the 5th record is cut
  Replay r = RunReplay(path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("cut.pcap: record 5:"), std::string::npos) << r.output;
  EXPECT_EQ(r.summary["packets"], 4);
  EXPECT_EQ(r.summary["bytes"], 4000);
  EXPECT_FALSE(r.summary["error"].is_null());
}

TEST(Replay, NotACaptureFileIsAClearError) {
  testing::TempDir dir;
  std::string path = dir.Write("notes.txt", "this is not a capture\n");
  auto r = RunCommand(fmt::format("{} replay {}", testing::LanwatchBinary(), path));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("notes.txt"), std::string::npos) << r.output;
}

TEST(Replay, YearsBetweenPacketsAllocateNothing) {
  testing::TempDir dir;
  std::string path = dir.path() + "/years.pcap";
  {
    PcapWriter w(path, DLT_EN10MB, 65535, false);
    w.Write(0, Frame(0, 100));       // no timestamp at all
    w.Write(kEpoch, Frame(0, 100));  // 56 years later
  }
  Replay r = RunReplay(path, "--interval 1ms");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.summary["intervals"], 2);
}

// Timestamps that int64 nanoseconds cannot hold, or whose distance they cannot: seconds
// resolution with 2^62 s, and offsets of -9e9 s and +9e9 s on two interfaces (each time fits,
// 1.8e19 ns between them does not). Every record counts; none overflows anything (the asan
// preset's UBSan aborts on signed overflow).
TEST(Replay, PcapngTimestampsBeyondInt64NanosecondsOverflowNothing) {
  testing::TempDir dir;
  std::string path = dir.path() + "/crafted.pcapng";
  constexpr int64_t kOffset = 9'000'000'000;  // s: 285 years either side of 1970
  {
    PcapngWriter w(path);
    uint32_t seconds = w.Interface(0, 0);                 // 10^0: the timestamp counts seconds
    uint32_t early = w.Interface(6, -kOffset);            // microseconds, 9e9 s before 1970
    uint32_t late = w.Interface(6, kOffset);              // microseconds, 9e9 s after
    uint32_t binary = w.Interface(0x80 | 63, 0);          // 2^-63 s
    uint32_t normal = w.Interface(9, 0);                  // nanoseconds
    w.Packet(early, 0, Frame(0, 100));                    // the first packet: -9e18 ns
    w.Packet(late, 0, Frame(0, 200));                     // 1.8e19 ns later
    w.Packet(seconds, uint64_t{1} << 62, Frame(0, 300));  // 4.6e18 s: no int64 ns
    w.Packet(binary, ~uint64_t{0}, Frame(0, 400));        // 1 s, a fraction libpcap scales wrapping
    w.Packet(normal, static_cast<uint64_t>(kEpoch), Frame(0, 500));  // back in time
  }
  Replay r = RunReplay(path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("runtime error"), std::string::npos) << r.output;
  EXPECT_EQ(r.summary["packets"], 5) << r.output;
  EXPECT_EQ(r.summary["bytes"], 1500);
  EXPECT_EQ(r.summary["first"].get<double>(), -9e9);
  EXPECT_EQ(r.summary["last"].get<double>(), 9e9);
  // The first second, then the one 1.8e10 s later holding every packet after it: each of
  // them is out of range or goes back in time.
  ASSERT_EQ(r.summary["intervals"], 2) << r.output;
  std::vector<json> intervals;
  std::stringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("{\"bytes\"")) intervals.push_back(json::parse(line));
  }
  ASSERT_EQ(intervals.size(), 2u) << r.output;
  EXPECT_EQ(intervals[0]["start"].get<double>(), -9e9);
  EXPECT_EQ(intervals[0]["bytes"], 100);
  EXPECT_EQ(intervals[1]["start"].get<double>(), 9e9);
  EXPECT_EQ(intervals[1]["bytes"], 1400);
}

TEST(Replay, RealCapturesFromTheSharedData) {
  struct Case {
    const char* file;
    uint64_t packets, bytes;
  };
  for (Case c :
       {Case{"tcpreplay_test.pcap", 179, 69'000}, Case{"ndpi_ultrasurf_vlan.pcap", 333, 226'771}}) {
    std::string path = testing::SharedDataDir() + "/pcap/" + c.file;
    Replay r = RunReplay(path);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.summary["packets"], c.packets) << c.file;
    EXPECT_EQ(r.summary["bytes"], c.bytes) << c.file;
    ExpectMatchesTshark(path, r);
  }
}

}  // namespace
}  // namespace lanwatch
