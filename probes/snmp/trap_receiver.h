// TrapReceiver: SNMPv1 and v2c traps on a UDP socket, decoded with Net-SNMP into TrapEvents.
// Open() binds the socket (port 162 needs privileges: open it before they are dropped); Start()
// runs a thread that reads it and hands each trap to a callback. What a trap means (which
// device, accept or ignore) is the daemon's business (daemon/trap_intake.h). Malformed
// datagrams are counted, never fatal, and Net-SNMP prints nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "config/config.h"
#include "config/error.h"

namespace lanwatch {

// The `trap` label of lanwatch_snmp_traps_total.
namespace trap_kind {
inline constexpr const char* kLinkDown = "linkDown";
inline constexpr const char* kLinkUp = "linkUp";
inline constexpr const char* kColdStart = "coldStart";
inline constexpr const char* kWarmStart = "warmStart";
inline constexpr const char* kOther = "other";
}  // namespace trap_kind

struct TrapEvent {
  std::chrono::steady_clock::time_point received_at;
  std::string source_address;  // the UDP source, numeric (IPv4 or IPv6)
  std::string agent_address;   // a v1 trap's agent-addr; empty for v2c and for 0.0.0.0
  SnmpVersion version = SnmpVersion::kV2c;
  std::string community;
  std::string trap_oid;  // snmpTrapOID.0, dotted (a v1 trap converted as RFC 3584 says)
  const char* kind = trap_kind::kOther;  // one of trap_kind::*
  std::optional<uint32_t> if_index;      // linkDown/linkUp: the ifIndex varbind
};

class TrapReceiver {
 public:
  // `listen`: HOST[:PORT], port 162 unless given; IPv6 as [ADDR]:PORT.
  static std::expected<std::unique_ptr<TrapReceiver>, Error> Open(const std::string& listen);
  ~TrapReceiver();  // stops the thread, closes the socket
  TrapReceiver(const TrapReceiver&) = delete;
  TrapReceiver& operator=(const TrapReceiver&) = delete;

  // Starts reading; `on_trap` runs on the receiver's thread, once per well-formed trap.
  void Start(std::function<void(TrapEvent)> on_trap);
  uint16_t port() const;  // the bound port (useful when asked for port 0)
  // Datagrams that were not a v1/v2c trap, SNMPv3 traps included (their USM user table
  // belongs to the poller's thread).
  uint64_t malformed_total() const;

 private:
  TrapReceiver();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
