// pcap_count: the practical limit for reading a capture file: a bare pcap_loop that only
// adds up bytes. bench/pcap.py times lanwatch replay against it.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(argv[1], error);
  if (!p) {
    std::fprintf(stderr, "%s\n", error);
    return 1;
  }
  uint64_t totals[2] = {0, 0};
  pcap_loop(
      p, -1,
      [](u_char* user, const pcap_pkthdr* h, const u_char*) {
        auto* t = reinterpret_cast<uint64_t*>(user);
        ++t[0];
        t[1] += h->len;
      },
      reinterpret_cast<u_char*>(totals));
  std::printf("%llu packets %llu bytes\n", static_cast<unsigned long long>(totals[0]),
              static_cast<unsigned long long>(totals[1]));
  pcap_close(p);
  return 0;
}
