#include "probes/capture/pcap_handle.h"

#include <fmt/format.h>

namespace lanwatch {

std::expected<PcapHandle, Error> OpenCaptureFile(const std::string& path) {
  char error[PCAP_ERRBUF_SIZE] = {};
  PcapHandle h(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error));
  if (!h) return std::unexpected(Error(fmt::format("{}: {}", path, error)));
  return h;
}

std::expected<PcapHandle, Error> OpenLiveCapture(const LiveCaptureOptions& o) {
  char error[PCAP_ERRBUF_SIZE] = {};
  PcapHandle h(pcap_create(o.interface.c_str(), error));
  auto fail = [&](std::string_view what) {
    return std::unexpected(Error(
        fmt::format("capture on {}: {}: {}", o.interface, what, h ? pcap_geterr(h.get()) : error)));
  };
  if (!h) return fail("cannot create");
  pcap_set_snaplen(h.get(), o.snaplen);
  pcap_set_promisc(h.get(), 1);
  pcap_set_timeout(h.get(), o.timeout_ms);
  pcap_set_buffer_size(h.get(), o.buffer_bytes);
  pcap_set_tstamp_precision(h.get(), PCAP_TSTAMP_PRECISION_NANO);
  if (int rc = pcap_activate(h.get()); rc < 0) return fail(pcap_statustostr(rc));
  if (!o.filter.empty()) {
    bpf_program program{};
    if (pcap_compile(h.get(), &program, o.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      return fail("bad filter '" + o.filter + "'");
    }
    int rc = pcap_setfilter(h.get(), &program);
    pcap_freecode(&program);
    if (rc != 0) return fail("cannot set filter");
  }
  return h;
}

}  // namespace lanwatch
