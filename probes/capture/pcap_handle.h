// RAII for libpcap handles, and opening them with errors as values. Internal to probes/.
#pragma once

#include <pcap/pcap.h>

#include <expected>
#include <memory>
#include <optional>
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

// The kernel's hardware type of `interface` (ARPHRD_*), asked through the handle's socket;
// nullopt when there is no such interface.
std::optional<int> InterfaceHardwareType(pcap_t* live, const std::string& interface);

// Points an open live capture at `interface` again after it went away and came back (a
// replugged NIC, a recreated veth): the packet socket outlives its interface, only its
// binding is lost. Binds the same socket (ring and kernel filter kept) to the interface's new
// index and asks for promiscuous mode there again. Needs no privilege: CAP_NET_RAW is checked
// when a packet socket is created, never when one is bound. Returns false while the
// interface is absent, true once bound, and an error when it came back unusable: with another
// hardware type than `hardware_type` (its packets would not decode as the link type the
// handle reports), or refusing the bind.
std::expected<bool, Error> RebindLiveCapture(pcap_t* live, const std::string& interface,
                                             int hardware_type);

}  // namespace lanwatch
