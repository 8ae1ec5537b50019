// RAII for libpcap handles, and opening them with errors as values. Internal to probes/.
#pragma once

#include <pcap/pcap.h>

#include <expected>
#include <memory>
#include <string>

#include "config/error.h"

namespace lanwatch {

struct PcapCloser {
  void operator()(pcap_t* p) const noexcept { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

// A pcap or pcapng file, timestamps in nanoseconds whatever the file's resolution.
std::expected<PcapHandle, Error> OpenCaptureFile(const std::string& path);

struct LiveCaptureOptions {
  std::string interface;
  std::string filter;          // BPF; empty: everything
  int snaplen = 128;           // headers are all we decode
  int buffer_bytes = 8 << 20;  // kernel ring (TPACKET_V3 on Linux)
  int timeout_ms = 100;        // how long the kernel may batch packets
};
std::expected<PcapHandle, Error> OpenLiveCapture(const LiveCaptureOptions& options);

}  // namespace lanwatch
