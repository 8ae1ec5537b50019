// make_capture: writes a large pcap for bench/pcap.py: N packets with a realistic size mix
// (50% small ACK-sized, 20% medium, 30% full-size: about 600 bytes on average), IPv4/IPv6,
// TCP/UDP, some VLAN-tagged, one microsecond apart. Two traffics:
//   - by default, between a few hundred hosts, in flow bursts of 1 to 32 packets, as on a real
//     link (a TCP window, a file transfer, a DNS exchange);
//   - with --unique-pairs, every packet is a new address pair (a scan, or a flood from spoofed
//     sources): the worst case for the traffic meter's tables. One side in 198.18.0.0/15
//     (fd00::/104 for IPv6), the other in 10.0.0.0/8 (fd12::/104): both local by default, so
//     every packet also names two hosts, most of them new. No pair repeats within 2^41 packets.
// It writes a file; nothing is sent.
//   make_capture [--unique-pairs] OUT.pcap 10000000
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

// Packet i's own pair: the low 17 bits of i pick the 198.18.0.0/15 side, the rest (shifted by
// a multiple of the first, so that the other side changes every packet too) the 10/8 side.
// Given the first side, the second gives back the rest of i: no pair repeats.
void WriteUniquePair(uint64_t i, bool v6, bool outbound, uint8_t* ip_header) {
  const uint32_t near = static_cast<uint32_t>(i & 0x1ffff);
  const uint32_t far = static_cast<uint32_t>(((i >> 17) + near * 40503ull) & 0xffffff);
  uint8_t local[16] = {}, remote[16] = {};
  if (v6) {
    local[0] = 0xfd, remote[0] = 0xfd, remote[1] = 0x12;
    for (int k = 0; k < 3; ++k) {
      local[15 - k] = static_cast<uint8_t>(near >> (8 * k));
      remote[15 - k] = static_cast<uint8_t>(far >> (8 * k));
    }
  } else {
    const uint32_t l = (198u << 24 | 18u << 16) + near, r = 10u << 24 | far;
    for (int k = 0; k < 4; ++k) {
      local[k] = static_cast<uint8_t>(l >> (24 - 8 * k));
      remote[k] = static_cast<uint8_t>(r >> (24 - 8 * k));
    }
  }
  const size_t length = v6 ? 16 : 4, source_at = v6 ? 8 : 12;
  std::memcpy(ip_header + source_at, outbound ? local : remote, length);
  std::memcpy(ip_header + source_at + length, outbound ? remote : local, length);
}

}  // namespace

int main(int argc, char** argv) {
  const bool unique_pairs = argc == 4 && std::strcmp(argv[1], "--unique-pairs") == 0;
  if (argc != 3 && !unique_pairs) {
    std::fprintf(stderr, "usage: make_capture [--unique-pairs] OUT.pcap PACKETS\n");
    return 2;
  }
  const char* path = argv[argc - 2];
  const long packets = std::atol(argv[argc - 1]);
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* out = pcap_dump_open(dead, path);
  if (!out) {
    std::fprintf(stderr, "%s\n", pcap_geterr(dead));
    return 1;
  }
  std::mt19937 rng(7);
  std::vector<uint8_t> frame(1514, 0);
  pcap_pkthdr h{};
  h.ts.tv_sec = 1'795'000'000;
  uint32_t flow = 0;
  long burst_left = 0;
  for (long i = 0; i < packets; ++i) {
    if (burst_left-- <= 0 || unique_pairs) {
      flow = static_cast<uint32_t>(rng());
      burst_left = static_cast<long>(rng() % 32);
    }
    // Addresses, protocol and tagging come from the flow; the size from the packet.
    uint32_t r = (flow & 0xffffff0fu) | (static_cast<uint32_t>(rng()) & 0xf0u);
    uint32_t s = static_cast<uint32_t>(rng());
    size_t size = s % 10 < 5 ? 64 + s % 40 : s % 10 < 7 ? 500 + s % 100 : 1514;
    bool vlan = r % 16 == 0, v6 = r % 8 == 1;
    size_t at = 12;
    if (vlan) {
      frame[at++] = 0x81, frame[at++] = 0x00, frame[at++] = 0, frame[at++] = 10;
    }
    frame[at++] = v6 ? 0x86 : 0x08;
    frame[at++] = v6 ? 0xdd : 0x00;
    uint8_t host = static_cast<uint8_t>(r >> 8), far = static_cast<uint8_t>(r >> 16);
    bool outbound = r & (1u << 24);
    if (v6) {
      frame[at] = 0x60, frame[at + 6] = (r & 1) ? 6 : 17;
      frame[at + 8] = outbound ? 0xfd : 0x20, frame[at + 23] = outbound ? host : far;
      frame[at + 24] = outbound ? 0x20 : 0xfd, frame[at + 39] = outbound ? far : host;
    } else {
      frame[at] = 0x45, frame[at + 9] = (r & 1) ? 6 : 17;
      uint8_t local[4] = {198, 18, 1, host}, remote[4] = {198, 51, 100, far};
      for (int k = 0; k < 4; ++k) {
        frame[at + 12 + k] = outbound ? local[k] : remote[k];
        frame[at + 16 + k] = outbound ? remote[k] : local[k];
      }
    }
    if (unique_pairs) WriteUniquePair(static_cast<uint64_t>(i), v6, outbound, frame.data() + at);
    h.len = h.caplen = static_cast<uint32_t>(size);
    h.ts.tv_usec = static_cast<suseconds_t>(i % 1'000'000);
    if (i % 1'000'000 == 0 && i) ++h.ts.tv_sec;
    pcap_dump(reinterpret_cast<u_char*>(out), &h, frame.data());
  }
  pcap_dump_close(out);
  pcap_close(dead);
  return 0;
}
