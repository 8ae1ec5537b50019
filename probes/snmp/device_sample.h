// What one SNMP poll of a device says, decoded into plain values: no rates, no history.
// The daemon turns successive samples into rates and state.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lanwatch {

struct SystemSample {
  std::string name;         // sysName
  std::string description;  // sysDescr
  std::string object_id;    // sysObjectID, dotted
  // Clocks for restart detection; agents have some of them, never reliably all (real ZTE,
  // TP-Link and Cisco switches answer without sysUpTime.0).
  std::optional<uint32_t> uptime_ticks;     // sysUpTime: the agent's, 1/100 s; wraps at 497 days
  std::optional<uint32_t> hr_uptime_ticks;  // hrSystemUptime: the host's (tells reboot from
                                            // agent restart), 1/100 s
  std::optional<uint32_t> engine_boots;     // snmpEngineBoots, where the agent has it
  std::optional<uint32_t> engine_time_seconds;  // snmpEngineTime: seconds since engine_boots
};

// The kinds of packets ifXTable counts apart (the `cast` label), in its column order.
enum class Cast { kUnicast = 0, kMulticast = 1, kBroadcast = 2 };
inline constexpr Cast kAllCasts[] = {Cast::kUnicast, Cast::kMulticast, Cast::kBroadcast};
inline constexpr const char* ToString(Cast c) {
  return c == Cast::kUnicast ? "unicast" : c == Cast::kMulticast ? "multicast" : "broadcast";
}

// ifXTable's 64-bit packet counters (ifHCIn/OutUcast/Multicast/BroadcastPkts), indexed by
// Cast. Read only for the interfaces of configured links (a GET after the walk), so absent
// on every other port, and wherever the agent lacks the column.
struct PacketCounters {
  std::array<std::optional<uint64_t>, 3> in, out;
};

struct InterfaceSample {
  uint32_t index = 0;       // from the OID suffix, so walks lacking the ifIndex column still work
  std::string name;         // ifName, or ifDescr where the agent has no ifXTable
  std::string description;  // ifDescr
  std::string alias;        // ifAlias
  int type = 0;             // ifType (IANAifType)
  bool admin_up = false;
  int oper_status = 0;  // 1 up, 2 down, 3 testing, 5 dormant, 6 notPresent, 7 lowerLayerDown
  bool oper_up() const { return oper_status == 1; }
  uint64_t speed_bps = 0;  // ifHighSpeed x 1e6 where it says more than ifSpeed can, else ifSpeed
  uint32_t last_change_ticks = 0;  // ifLastChange (sysUpTime at the last state change)

  // Octet counters: 64-bit HC where the agent has them, else the 32-bit ifTable ones.
  std::optional<uint64_t> in_octets, out_octets;
  int counter_bits = 0;  // 64 or 32 (0: no octet counters at all)
  std::optional<uint32_t> in_errors, out_errors, in_discards, out_discards;  // Counter32
  std::optional<uint32_t> counter_discontinuity_ticks;  // ifCounterDiscontinuityTime
  PacketCounters hc_packets;
};

struct StorageSample {
  std::string description;
  enum class Kind { kRam, kVirtualMemory, kDisk, kOther } kind = Kind::kOther;
  uint64_t size_bytes = 0;
  uint64_t used_bytes = 0;
};

struct HostSample {
  std::vector<int> cpu_load_percent;           // hrProcessorLoad, one per CPU
  std::optional<double> load1, load5, load15;  // UCD laLoad
  std::optional<uint64_t> memory_total_bytes, memory_available_bytes;  // UCD memory
  std::vector<StorageSample> storage;
};

struct DeviceSample {
  std::chrono::steady_clock::time_point taken_at;  // when the counters were read
  SystemSample system;
  std::map<uint32_t, InterfaceSample> interfaces;  // by ifIndex
  // False when some interface column's walk did not reach its end (a timeout, an agent error
  // mid-walk): the rows above are what arrived, and a missing row is not a vanished port.
  bool interfaces_complete = true;
  std::optional<HostSample> host;  // servers only
};

}  // namespace lanwatch
