// make_capture: writes a large pcap for bench/pcap.py: N packets with a realistic size mix
// (50% small ACK-sized, 20% medium, 30% full-size: about 600 bytes on average), IPv4/IPv6,
// TCP/UDP, some VLAN-tagged,
// between a few hundred hosts, one microsecond apart. Packets come in flow bursts of 1 to 32,
// as on a real link (a TCP window, a file transfer, a DNS exchange).
//   make_capture OUT.pcap 10000000
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_capture OUT.pcap PACKETS\n");
    return 2;
  }
  const long packets = std::atol(argv[2]);
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* out = pcap_dump_open(dead, argv[1]);
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
    if (burst_left-- <= 0) {
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
    h.len = h.caplen = static_cast<uint32_t>(size);
    h.ts.tv_usec = static_cast<suseconds_t>(i % 1'000'000);
    if (i % 1'000'000 == 0 && i) ++h.ts.tv_sec;
    pcap_dump(reinterpret_cast<u_char*>(out), &h, frame.data());
  }
  pcap_dump_close(out);
  pcap_close(dead);
  return 0;
}
