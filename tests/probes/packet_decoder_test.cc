#include "probes/capture/packet_decoder.h"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <random>
#include <vector>

#include "probes/capture/traffic_meter.h"

namespace lanwatch {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Ethernet(uint16_t type) {
  Bytes f(12, 0xaa);
  f.push_back(static_cast<uint8_t>(type >> 8));
  f.push_back(static_cast<uint8_t>(type));
  return f;
}
void Append(Bytes& f, const Bytes& more) { f.insert(f.end(), more.begin(), more.end()); }
Bytes Ipv4(uint8_t protocol, const Bytes& src = {198, 18, 1, 101},
           const Bytes& dst = {198, 18, 0, 1}) {
  Bytes h = {0x45, 0, 0, 40, 0, 0, 0, 0, 64, protocol, 0, 0};
  Append(h, src);
  Append(h, dst);
  Append(h, Bytes(20, 0));  // a transport header's worth
  return h;
}
Bytes Ipv6(uint8_t next) {
  Bytes h = {0x60, 0, 0, 0, 0, 8, next, 64};
  Bytes src(16, 0), dst(16, 0);
  src[0] = 0xfd;  // local (ULA)
  dst[0] = 0x20;
  Append(h, src);
  Append(h, dst);
  return h;
}

TEST(PacketDecoder, EthernetIpv4Tcp) {
  Bytes f = Ethernet(0x0800);
  Append(f, Ipv4(6));
  PacketInfo p = DecodePacket(DLT_EN10MB, f);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.transport, Transport::kTcp);
  EXPECT_EQ(p.source.ToString(), "198.18.1.101");
  EXPECT_EQ(p.destination.ToString(), "198.18.0.1");
  EXPECT_FALSE(p.truncated);
}

TEST(PacketDecoder, VlanAndQinQ) {
  Bytes f = Ethernet(0x88a8);
  Append(f, {0, 10, 0x81, 0x00});  // outer S-tag, then a C-tag
  Append(f, {0, 20, 0x08, 0x00});
  Append(f, Ipv4(17));
  PacketInfo p = DecodePacket(DLT_EN10MB, f);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.transport, Transport::kUdp);
}

TEST(PacketDecoder, MplsStack) {
  Bytes f = Ethernet(0x8847);
  Append(f, {0, 0, 0x10, 64, 0, 0, 0x21, 64});  // two labels, the second bottom-of-stack
  Append(f, Ipv4(1));
  PacketInfo p = DecodePacket(DLT_EN10MB, f);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.transport, Transport::kIcmp);
}

TEST(PacketDecoder, Ipv6ExtensionHeadersToTheTransport) {
  Bytes f = Ethernet(0x86dd);
  Append(f, Ipv6(0));                                            // hop-by-hop
  Append(f, {60, 0, 0, 0, 0, 0, 0, 0});                          // -> destination options, 8 bytes
  Append(f, {44, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // 16 bytes -> fragment
  Append(f, {6, 0, 0, 0, 0, 0, 0, 0});                           // fragment header -> TCP
  Append(f, Bytes(20, 0));
  PacketInfo p = DecodePacket(DLT_EN10MB, f);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.transport, Transport::kTcp);
  EXPECT_FALSE(p.truncated);
}

TEST(PacketDecoder, RawIpAndLinuxCooked) {
  EXPECT_EQ(DecodePacket(DLT_RAW, Ipv4(17)).transport, Transport::kUdp);
  Bytes sll(14, 0);
  Append(sll, {0x86, 0xdd});
  Append(sll, Ipv6(58));
  EXPECT_EQ(DecodePacket(DLT_LINUX_SLL, sll).transport, Transport::kIcmp);
}

TEST(PacketDecoder, EveryTruncationIsSafe) {
  Bytes f = Ethernet(0x8100);
  Append(f, {0, 5, 0x86, 0xdd});
  Append(f, Ipv6(43));
  Append(f, {17, 2, 0, 0, 0, 0, 0, 0});
  Append(f, Bytes(16, 0));
  for (size_t n = 0; n <= f.size(); ++n) {
    // Copy into an exact-size buffer so that ASan sees any read past it.
    Bytes cut(f.begin(), f.begin() + static_cast<long>(n));
    PacketInfo p = DecodePacket(DLT_EN10MB, cut);
    if (n < f.size()) {
      EXPECT_TRUE(p.truncated || p.ip_version == 6) << n;
    }
  }
}

TEST(PacketDecoder, RandomBytesNeverCrash) {
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    Bytes f(rng() % 120);
    for (auto& b : f) b = static_cast<uint8_t>(rng());
    if (f.size() > 13 && i % 2) {  // steer half of them into the tag and IPv6 paths
      f[12] = i % 4 ? 0x86 : 0x81;
      f[13] = i % 4 ? 0xdd : 0x00;
    }
    for (int link : {DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL}) DecodePacket(link, f);
  }
}

// Untagged Ethernet takes a short path to the IP decoders; a VLAN tag sends the same frame
// down the general one. Both must read every frame, cut anywhere, the same way.
TEST(PacketDecoder, UntaggedFastPathAgreesWithTheTaggedPath) {
  std::mt19937 rng(11);
  for (int i = 0; i < 4000; ++i) {
    const uint16_t type = i % 3 == 0 ? 0x0800 : i % 3 == 1 ? 0x86dd : 0x0806;
    Bytes payload(rng() % 90);
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    if (!payload.empty() && i % 2) payload[0] = type == 0x86dd ? 0x60 : 0x45;
    if (payload.size() > 6 && i % 4 == 1) payload[6] = static_cast<uint8_t>(rng() % 3 ? 6 : 0);
    Bytes untagged = Ethernet(type), tagged = Ethernet(0x8100);
    Append(tagged, {0, 7, static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type)});
    Append(untagged, payload);
    Append(tagged, payload);
    const PacketInfo fast = DecodePacket(DLT_EN10MB, untagged);
    const PacketInfo general = DecodePacket(DLT_EN10MB, tagged);
    EXPECT_EQ(fast.ip_version, general.ip_version) << i;
    EXPECT_EQ(fast.transport, general.transport) << i;
    EXPECT_EQ(fast.source, general.source) << i;
    EXPECT_EQ(fast.destination, general.destination) << i;
    EXPECT_EQ(fast.truncated, general.truncated) << i;
  }
}

TEST(CidrSet, MatchesEachAddressOnlyAgainstItsOwnFamily) {
  const CidrSet any_v4({*Cidr::Parse("0.0.0.0/0")}), any_v6({*Cidr::Parse("::/0")});
  const IpAddress v4{4, {1, 2, 3, 4}}, v6{6, {0x20, 0x01}}, none{};
  EXPECT_TRUE(any_v4.Contains(v4));
  EXPECT_FALSE(any_v4.Contains(v6));
  EXPECT_FALSE(any_v4.Contains(none));
  EXPECT_TRUE(any_v6.Contains(v6));
  EXPECT_FALSE(any_v6.Contains(v4));  // the same bytes, but not an IPv6 address
  // Prefixes in the second word, and single addresses.
  const CidrSet set(
      {*Cidr::Parse("fd00::1:0/112"), *Cidr::Parse("192.0.2.7"), *Cidr::Parse("10.0.0.0/8")});
  IpAddress in6{6, {0xfd}}, out6{6, {0xfd}};
  in6.bytes[13] = 1, in6.bytes[15] = 0x42;
  out6.bytes[13] = 2;
  EXPECT_TRUE(set.Contains(in6));
  EXPECT_FALSE(set.Contains(out6));
  EXPECT_TRUE(set.Contains(IpAddress{4, {192, 0, 2, 7}}));
  EXPECT_FALSE(set.Contains(IpAddress{4, {192, 0, 2, 8}}));
  EXPECT_TRUE(set.Contains(IpAddress{4, {10, 255, 0, 1}}));
  EXPECT_FALSE(set.Contains(IpAddress{4, {11, 0, 0, 1}}));
  EXPECT_FALSE(CidrSet({}).Contains(v4));
}

TEST(TrafficMeter, DirectionsByLocalNetworksAndTopTalkers) {
  TrafficMeter meter({*Cidr::Parse("198.18.1.0/24")}, 2);
  Bytes out = Ipv4(6, {198, 18, 1, 101}, {198, 18, 0, 1});
  Bytes in = Ipv4(6, {198, 18, 0, 1}, {198, 18, 1, 102});
  meter.Count(DecodePacket(DLT_RAW, out), 1000);
  meter.Count(DecodePacket(DLT_RAW, out), 1000);
  meter.Count(DecodePacket(DLT_RAW, in), 500);
  TrafficReport r = meter.Take();
  EXPECT_EQ(r.totals.bytes, 2500u);
  EXPECT_EQ(r.totals.bytes_out, 2000u);
  EXPECT_EQ(r.totals.bytes_in, 500u);
  ASSERT_EQ(r.top_hosts.size(), 2u);
  EXPECT_EQ(r.top_hosts[0].name, "198.18.1.101");
  EXPECT_EQ(r.top_hosts[0].bytes, 2000u);
  EXPECT_EQ(meter.Take().totals.bytes, 0u);  // a new interval
}

TEST(TrafficMeter, TrackingIsBounded) {
  TrafficMeter meter({*Cidr::Parse("10.0.0.0/8")}, 3, /*max_tracked=*/100);
  for (uint32_t i = 0; i < 10000; ++i) {  // a scan of 10,000 hosts
    Bytes p = Ipv4(
        6,
        {10, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)},
        {8, 8, 8, 8});
    meter.Count(DecodePacket(DLT_RAW, p), 60);
  }
  TrafficReport r = meter.Take();
  EXPECT_EQ(r.totals.bytes, 600000u);
  EXPECT_EQ(r.top_hosts.size(), 3u);
  EXPECT_GT(r.untracked_bytes, 0u);
}

TEST(Cidr, ParsesAndMatches) {
  auto lab = Cidr::Parse("198.18.0.0/15");
  ASSERT_TRUE(lab);
  IpAddress a{4, {198, 19, 255, 1}};
  IpAddress b{4, {198, 20, 0, 1}};
  EXPECT_TRUE(lab->Contains(a));
  EXPECT_FALSE(lab->Contains(b));
  EXPECT_FALSE(Cidr::Parse("198.18.0.0/33"));
  EXPECT_FALSE(Cidr::Parse("not-an-address"));
  EXPECT_TRUE(Cidr::Parse("fd00::/8")->Contains(IpAddress{6, {0xfd}}));
}

}  // namespace
}  // namespace lanwatch
