// IcmpProber: ICMP/ICMPv6 echo probes to a list of numeric addresses, SmokePing-style, on a
// thread of its own. Each target has its own interval (default one request a second), and the
// targets' requests are spread over it (target k of N at k/N of the interval), never sent in
// a burst. RTT is the kernel's receive timestamp (SO_TIMESTAMPNS) minus CLOCK_REALTIME read
// just before sendto, never a user-space receive time. Each probe ends once: answered, lost
// after `timeout`, or failed (an ICMP error such as host unreachable, or sendto refusing).
// Replies that are not ours, duplicates and replies after the timeout are counted, never
// taken for a probe's answer; malformed packets are counted and dropped.
//
// Open() creates the sockets: unprivileged datagram ones where net.ipv4.ping_group_range
// admits the process's group, else raw ones (CAP_NET_RAW). Call it before dropping
// privileges, and inside the network namespace to probe from: sockets stay where they were
// made, the prober's thread may run anywhere. What a result means (windows, alerts) is the
// caller's business: see probe_window.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"

namespace lanwatch {

struct IcmpTarget {
  std::string address;  // numeric IPv4 or IPv6 ("198.18.100.2", "2001:db8:100::2")
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
};

struct IcmpProberOptions {
  enum class Mode { kAuto, kDatagram, kRaw };
  Mode mode = Mode::kAuto;  // kAuto: datagram where allowed, else raw
  // A request without a reply this long after it was sent is lost.
  std::chrono::nanoseconds timeout = std::chrono::seconds(2);
};

// kLost: no reply within the timeout. kError: an ICMP error about the request (host or net
// unreachable, TTL exceeded) or sendto refusing it. For loss figures both count as lost.
enum class ProbeOutcome { kReply, kLost, kError };

struct ProbeResult {
  std::string target;                                 // as given in IcmpTarget::address
  uint64_t sequence = 0;                              // that target's probe number, from 0
  std::chrono::system_clock::time_point sent_at;      // CLOCK_REALTIME just before sendto
  std::chrono::steady_clock::time_point sent_steady;  // the same moment, for windows
  ProbeOutcome outcome = ProbeOutcome::kLost;
  std::optional<std::chrono::nanoseconds> rtt;  // kReply only
  std::string error;                            // kError: why ("No route to host (...)")
};

// Packets the prober read and did not attribute to a probe, since Open().
struct IcmpProberCounters {
  uint64_t foreign = 0;              // an echo reply not for any probe of ours
  uint64_t duplicates = 0;           // a second reply to a probe already answered
  uint64_t late = 0;                 // a reply to a probe already counted lost
  uint64_t malformed = 0;            // too short, wrong checksum, not an echo reply
  uint64_t without_kernel_time = 0;  // replies with no SO_TIMESTAMPNS (probe: kError)
};

class IcmpProber {
 public:
  // Fails on an address that is not a numeric IPv4/IPv6 one, an interval of 0, or a socket
  // that cannot be opened in any mode allowed.
  static std::expected<std::unique_ptr<IcmpProber>, Error> Open(
      const std::vector<IcmpTarget>& targets, IcmpProberOptions options = {});
  ~IcmpProber();  // stops the thread (within milliseconds) and closes the sockets
  IcmpProber(const IcmpProber&) = delete;
  IcmpProber& operator=(const IcmpProber&) = delete;

  // "datagram" or "raw": which kind of socket Open() got.
  const char* mode() const;
  // Starts probing; `on_result` runs on the prober's thread once per probe, in the order
  // probes end (not always the order sent). Call once.
  void Start(std::function<void(const ProbeResult&)> on_result);
  IcmpProberCounters counters() const;  // from any thread

 private:
  struct Impl;
  explicit IcmpProber(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
