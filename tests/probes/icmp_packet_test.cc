#include "probes/icmp/icmp_packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace lanwatch {
namespace {

// The request as the peer's kernel turns it into a reply: type changed, checksum redone.
std::vector<uint8_t> AsReply(std::vector<uint8_t> packet, IpFamily family) {
  packet[0] = family == IpFamily::kV4 ? icmp_type::kEchoReplyV4 : icmp_type::kEchoReplyV6;
  packet[2] = packet[3] = 0;
  if (family == IpFamily::kV4) {
    uint16_t sum = InternetChecksum(packet);
    packet[2] = static_cast<uint8_t>(sum >> 8);
    packet[3] = static_cast<uint8_t>(sum);
  }
  return packet;
}

// A 20-byte IPv4 header in front, as a raw socket delivers it.
std::vector<uint8_t> WithIpHeader(const std::vector<uint8_t>& icmp) {
  const uint8_t header[] = {0x45, 0, 0,   0,  0,   0, 0,   0,  64,  1,
                            0,    0, 198, 18, 100, 2, 198, 18, 100, 1};
  // Built in one go: g++ 12 -O2 warns falsely (array-bounds) on an insert into a vector
  // sized from an initializer list.
  std::vector<uint8_t> p(sizeof header + icmp.size());
  std::copy(std::begin(header), std::end(header), p.begin());
  std::copy(icmp.begin(), icmp.end(), p.begin() + sizeof header);
  p[2] = static_cast<uint8_t>(p.size() >> 8);
  p[3] = static_cast<uint8_t>(p.size());
  return p;
}

TEST(InternetChecksum, Rfc1071Example) {
  // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2, so the checksum is 220d.
  std::vector<uint8_t> bytes = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(InternetChecksum(bytes), 0x220d);
  std::vector<uint8_t> odd = {0x01};  // padded with a zero byte: 0100 -> feff
  EXPECT_EQ(InternetChecksum(odd), 0xfeff);
}

TEST(EchoPacket, V4RequestLayoutAndChecksum) {
  auto p = BuildEchoRequest(IpFamily::kV4, {0x1234, 0xabcd, 0x0102030405060708ull});
  ASSERT_EQ(p.size(), kIcmpHeaderBytes + kEchoPayloadBytes);
  EXPECT_EQ(p[0], 8);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[4], 0x12);
  EXPECT_EQ(p[5], 0x34);
  EXPECT_EQ(p[6], 0xab);
  EXPECT_EQ(p[7], 0xcd);
  EXPECT_EQ(p[8], 'l');
  EXPECT_EQ(p[16], 0x01);
  EXPECT_EQ(p[23], 0x08);
  EXPECT_EQ(InternetChecksum(p), 0) << "a packet with its checksum in place sums to zero";
}

TEST(EchoPacket, V4ReplyRoundTrip) {
  auto reply = AsReply(BuildEchoRequest(IpFamily::kV4, {7, 42, 99}), IpFamily::kV4);
  auto fields = ParseEchoReply(IpFamily::kV4, reply, false);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->identifier, 7);
  EXPECT_EQ(fields->sequence, 42);
  EXPECT_EQ(fields->token, 99u);
  auto raw = ParseEchoReply(IpFamily::kV4, WithIpHeader(reply), true);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->sequence, 42);
  EXPECT_EQ(raw->token, 99u);
}

TEST(EchoPacket, V4BadChecksumOrTypeIsRejected) {
  auto reply = AsReply(BuildEchoRequest(IpFamily::kV4, {7, 42, 99}), IpFamily::kV4);
  auto corrupt = reply;
  corrupt[20] ^= 0x40;
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, corrupt, false));
  auto request = BuildEchoRequest(IpFamily::kV4, {7, 42, 99});  // our own request, looped back
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, request, false));
}

TEST(EchoPacket, SomeoneElsesPingIsAReplyWithoutToken) {
  // iputils ping: 8 bytes of header, then a timestamp and a pattern, no lanwatch magic.
  std::vector<uint8_t> ping = {0, 0, 0, 0, 0, 9, 0, 1};
  for (int i = 0; i < 56; ++i) ping.push_back(static_cast<uint8_t>(i));
  auto reply = AsReply(ping, IpFamily::kV4);
  auto fields = ParseEchoReply(IpFamily::kV4, reply, false);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->sequence, 1);
  EXPECT_FALSE(fields->token);
}

TEST(EchoPacket, TruncatedAndGarbageNeverParse) {
  auto reply = AsReply(BuildEchoRequest(IpFamily::kV4, {7, 42, 99}), IpFamily::kV4);
  for (size_t n = 0; n < kIcmpHeaderBytes; ++n) {
    std::span<const uint8_t> cut(reply.data(), n);
    EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, cut, false)) << n;
    EXPECT_FALSE(ParseQuotedEchoRequest(IpFamily::kV4, cut)) << n;
  }
  // Cut in the payload: the checksum no longer holds.
  std::span<const uint8_t> half(reply.data(), reply.size() - 4);
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, half, false));
  // An IP header that claims more than arrived, or a header length below 20.
  auto framed = WithIpHeader(reply);
  std::span<const uint8_t> short_frame(framed.data(), framed.size() - 1);
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, short_frame, true));
  framed[0] = 0x44;
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, framed, true));
  framed[0] = 0x4f;  // 60-byte header, longer than the packet
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, framed, true));
  framed[0] = 0x65;  // not IPv4
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, framed, true));
  // Every byte pattern of a few lengths: no crash, no read past the end (ASan preset checks).
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> junk(static_cast<size_t>(round % 70));
    for (auto& b : junk) b = static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 16);
    (void)ParseEchoReply(IpFamily::kV4, junk, round % 2 == 0);
    (void)ParseEchoReply(IpFamily::kV6, junk, false);
    (void)ParseQuotedEchoRequest(IpFamily::kV6, junk);
  }
}

TEST(EchoPacket, V6RequestAndReply) {
  auto p = BuildEchoRequest(IpFamily::kV6, {0x0102, 0x0304, 5});
  EXPECT_EQ(p[0], 128);
  EXPECT_EQ(p[2], 0);  // the kernel's to compute
  EXPECT_EQ(p[3], 0);
  auto reply = AsReply(p, IpFamily::kV6);
  reply[2] = 0x5a;  // whatever the sender's checksum: the kernel checked it, we do not
  auto fields = ParseEchoReply(IpFamily::kV6, reply, false);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->identifier, 0x0102);
  EXPECT_EQ(fields->sequence, 0x0304);
  EXPECT_EQ(fields->token, 5u);
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV4, reply, false)) << "type 129 is not an IPv4 reply";
  EXPECT_FALSE(ParseEchoReply(IpFamily::kV6, p, false)) << "a request is no reply";
}

TEST(EchoPacket, QuotedRequestInAnError) {
  // Routers quote at least 8 bytes past the IP header: identifier and sequence, no token.
  auto v4 = BuildEchoRequest(IpFamily::kV4, {0x1234, 0x5678, 3});
  auto q4 = ParseQuotedEchoRequest(IpFamily::kV4, std::span<const uint8_t>(v4.data(), 8));
  ASSERT_TRUE(q4);
  EXPECT_EQ(q4->identifier, 0x1234);
  EXPECT_EQ(q4->sequence, 0x5678);
  EXPECT_FALSE(q4->token);
  auto v6 = BuildEchoRequest(IpFamily::kV6, {0x3344, 0x4455, 3});
  auto q6 = ParseQuotedEchoRequest(IpFamily::kV6, v6);
  ASSERT_TRUE(q6);
  EXPECT_EQ(q6->sequence, 0x4455);
  EXPECT_FALSE(ParseQuotedEchoRequest(IpFamily::kV4, v6)) << "type 128 is not an IPv4 request";
}

}  // namespace
}  // namespace lanwatch
