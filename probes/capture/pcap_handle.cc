#include "probes/capture/pcap_handle.h"

#include <fmt/format.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

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

std::optional<int> InterfaceHardwareType(pcap_t* live, const std::string& interface) {
  ifreq ifr{};
  if (interface.size() >= sizeof(ifr.ifr_name)) return std::nullopt;
  std::memcpy(ifr.ifr_name, interface.c_str(), interface.size() + 1);
  if (ioctl(pcap_fileno(live), SIOCGIFHWADDR, &ifr) != 0) return std::nullopt;
  return ifr.ifr_hwaddr.sa_family;
}

std::expected<bool, Error> RebindLiveCapture(pcap_t* live, const std::string& interface,
                                             int hardware_type) {
  auto fail = [&](std::string_view what) {
    return std::unexpected(Error(fmt::format("capture on {}: {}", interface, what)));
  };
  const unsigned index = if_nametoindex(interface.c_str());
  auto type = InterfaceHardwareType(live, interface);
  if (index == 0 || !type) return false;
  if (*type != hardware_type) {
    return fail(fmt::format(
        "came back with hardware type {} instead of {}; restart lanwatchd to capture on it", *type,
        hardware_type));
  }
  const int fd = pcap_fileno(live);
  sockaddr_ll where{};
  where.sll_family = AF_PACKET;
  where.sll_protocol = htons(ETH_P_ALL);  // what libpcap binds to unless told otherwise
  where.sll_ifindex = static_cast<int>(index);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&where), sizeof(where)) != 0) {
    return fail(fmt::format("cannot bind to index {}: {}", index, std::strerror(errno)));
  }
  packet_mreq promiscuous{};
  promiscuous.mr_ifindex = static_cast<int>(index);
  promiscuous.mr_type = PACKET_MR_PROMISC;
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promiscuous, sizeof(promiscuous)) != 0) {
    return fail(fmt::format("cannot set promiscuous mode: {}", std::strerror(errno)));
  }
  return true;
}

}  // namespace lanwatch
