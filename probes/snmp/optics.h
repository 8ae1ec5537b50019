// Optics: what a device says of its optical transceivers (digital optical monitoring), read
// from ENTITY-SENSOR-MIB, CISCO-ENTITY-SENSOR-MIB, HUAWEI-ENTITY-EXTENT-MIB
// (hwOpticalModuleInfoTable) and HH3C-TRANSCEIVER-INFO-MIB, decoded into dBm, °C, mA and V
// whatever units the vendor chose. Every level is kept; placeholders (empty cages, -255,
// thresholds of 0) become "absent", and every form of "no light" becomes no_light. Judging
// (verdicts, alarms) is the daemon's, not this file's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

// Receive power at or below this is no light at all (Cisco reports -40 dBm for it).
inline constexpr double kNoLightDbm = -40.0;

// One optical lane: a single-lane SFP has lane 1 only; a QSFP has 1 to 4.
struct OpticalLane {
  int lane = 1;
  std::optional<double> rx_dbm, tx_dbm;  // absent: not reported (or a placeholder)
  // Rx at the floor, in whatever form the device said it (-40 dBm, 0 uW, "-Inf", -99):
  // rx_dbm then holds kNoLightDbm.
  bool rx_no_light = false;
  std::optional<double> bias_milliamps;
};

// The module's own alarm and warning limits, where it reports them (0 or a placeholder:
// absent). dBm for power, °C, mA, V.
struct OpticalLimits {
  std::optional<double> low_alarm, low_warning, high_warning, high_alarm;
};

struct Transceiver {
  uint32_t if_index = 0;  // 0: not matched to an interface
  std::string sensor;     // entPhysicalName, where the device names it
  std::string source;     // the MIB it came from, e.g. "HUAWEI-ENTITY-EXTENT-MIB"
  // How the raw values were read, for `discover` and check: e.g. "0.01 dBm (table:
  // NE8000 rx)", "uW (table: S5720)", "LibreNMS rule: <= 0 is 0.01 dBm, > 0 is uW".
  std::string units;
  std::vector<OpticalLane> lanes;
  std::optional<double> temperature_celsius, voltage_volts;
  OpticalLimits rx_limits, tx_limits, temperature_limits, bias_limits, voltage_limits;
  // The module's identity: a change means another module, whose levels start over.
  std::string serial, vendor, part;
  // The lowest Rx it can receive at (the module's low Rx alarm, else its standard's figure,
  // e.g. -19 dBm for 1000BASE-LX); Rx minus this is the margin.
  std::optional<double> rx_sensitivity_dbm;

  const OpticalLane* Lane(int lane) const;
};

// Walks only (no GETs: some Huawei routers take ~300 ms per sensor GET): the ENTITY tables
// that map sensors to interfaces and name modules, and every vendor optics table.
SnmpQuery BuildOpticsQuery();

// `sys_object_id` picks the per-model unit table (Huawei reports uW on some models and
// 0.01 dBm on others, per column). Text (sensor names, serials) is read as `text` says.
std::vector<Transceiver> DecodeOptics(const SnmpQuery& query, const SnmpResult& result,
                                      const std::string& sys_object_id,
                                      TextEncoding text = TextEncoding::kAuto);

}  // namespace lanwatch
