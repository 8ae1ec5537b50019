#include "probes/snmp/optics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "probes/snmp/device_poll.h"
#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

// ENTITY-SENSOR-MIB EntitySensorDataType values lanwatch reads.
constexpr int kSensorVoltsDc = 4;
constexpr int kSensorAmperes = 5;
constexpr int kSensorCelsius = 8;
constexpr int kSensorDbm = 14;

// Values that mean "nothing there" rather than a reading.
constexpr int64_t kH3cAbsent = 2147483647;
constexpr int64_t kHuaweiAbsent = -1;
constexpr int64_t kHuaweiAbsentTemperature = -255;
// Receive levels at or below this are the floor some devices report for no light (-99 dBm).
constexpr double kNoLightFloorDbm = -40.0;

// The columns walked. Every column is one object in each GETBULK, and agents limit the objects
// of a request (snmpsimd answers genError beyond 64; `discover` adds 18 interface columns), so
// only what lanwatch uses is asked: the Cisco threshold table as one subtree; Huawei without
// its Tx warning limits and per-lane text; H3C without its voltage and bias limits.
constexpr uint32_t kSensorColumns[] = {1, 2, 3, 4};  // type, scale, precision, value
// hwOpticalModuleInfoEntry: serial, temperature, voltage, bias, Rx, Tx, Rx low/high, Tx
// low/high, Rx low warning, vendor name, vendor part number.
constexpr uint32_t kHuaweiColumns[] = {4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 20, 24, 25};
// hh3cTransceiverInfoEntry: type, vendor, serial, Tx, Rx, temperature, voltage, bias;
// temperature high/low alarm, Tx high/low alarm, Rx high/low alarm and warning.
constexpr uint32_t kH3cColumns[] = {2, 4, 5, 9, 12, 15, 16, 17, 18, 19, 30, 31, 34, 35, 36, 37};

// What ENTITY-MIB says: names, containment, identity, and entity -> ifIndex mappings.
struct Entities {
  std::map<uint32_t, std::string> names, serials, vendors, models;
  std::map<uint32_t, uint32_t> parents;
  std::map<uint32_t, uint32_t> if_indexes;

  // The interface an entity (or the port that contains it) stands for.
  uint32_t IfIndexOf(uint32_t entity) const {
    for (int depth = 0; depth < 4 && entity != 0; ++depth) {
      if (auto it = if_indexes.find(entity); it != if_indexes.end()) return it->second;
      entity = ParentOf(entity);
    }
    return 0;
  }
  uint32_t ParentOf(uint32_t entity) const {
    auto it = parents.find(entity);
    return it == parents.end() ? 0 : it->second;
  }
  static std::string Find(const std::map<uint32_t, std::string>& m, uint32_t entity) {
    auto it = m.find(entity);
    return it == m.end() ? "" : it->second;
  }
};

std::optional<uint32_t> SingleIndex(const Oid& index) {
  if (index.size() != 1) return std::nullopt;
  return index.parts()[0];
}

Entities ReadEntities(const SnmpQuery& q, const SnmpResult& r, TextEncoding text) {
  Entities e;
  for (auto [column, target] : {std::pair{&oids::kEntPhysicalName, &e.names},
                                std::pair{&oids::kEntPhysicalSerialNum, &e.serials},
                                std::pair{&oids::kEntPhysicalMfgName, &e.vendors},
                                std::pair{&oids::kEntPhysicalModelName, &e.models}}) {
    ForEachRow(q, r, *column, [&](const Oid& i, const SnmpValue& v) {
      if (auto entity = SingleIndex(i); entity && v.type == SnmpType::kOctetString) {
        (*target)[*entity] = v.AsText(text);
      }
    });
  }
  ForEachRow(q, r, oids::kEntPhysicalContainedIn, [&](const Oid& i, const SnmpValue& v) {
    auto entity = SingleIndex(i);
    if (entity && v.type == SnmpType::kInteger && v.integer > 0 && v.integer <= UINT32_MAX) {
      e.parents[*entity] = static_cast<uint32_t>(v.integer);
    }
  });
  // Index: entPhysicalIndex.entLogicalIndex; value: ifIndex.N (an OID).
  ForEachRow(q, r, oids::kEntAliasMappingIdentifier, [&](const Oid& i, const SnmpValue& v) {
    if (i.size() == 2 && v.type == SnmpType::kObjectId &&
        v.object_id.StartsWith(oids::kIfIndexColumn) &&
        v.object_id.size() == oids::kIfIndexColumn.size() + 1) {
      e.if_indexes[i.parts()[0]] = v.object_id.parts().back();
    }
  });
  return e;
}

// A number from an INTEGER, a gauge, or text such as "-2.71" or "-Inf" (some agents send
// levels as strings); nullopt for anything else, garbage included.
std::optional<double> NumberOf(const SnmpValue& v) {
  switch (v.type) {
    case SnmpType::kInteger:
      return static_cast<double>(v.integer);
    case SnmpType::kGauge32:
    case SnmpType::kCounter32:
      return static_cast<double>(v.number);
    case SnmpType::kOctetString: {
      std::string_view s = v.bytes;
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
      while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '\0'))
        s.remove_suffix(1);
      std::string lower;
      for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "-inf" || lower == "-infinity") return -INFINITY;
      double out = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(out)) {
        return std::nullopt;
      }
      return out;
    }
    default:
      return std::nullopt;
  }
}

double MicrowattsToDbm(double uw) { return 10.0 * std::log10(uw / 1000.0); }

// An Rx level in dBm (-inf for "no light") into the lane: the floor and below is no light.
void SetRx(OpticalLane& lane, double dbm) {
  if (dbm <= kNoLightFloorDbm) {
    lane.rx_no_light = true;
    lane.rx_dbm = kNoLightDbm;
  } else {
    lane.rx_no_light = false;
    lane.rx_dbm = dbm;
  }
}
// A Tx level: a laser that is off reads at the floor, reported as the floor.
void SetTx(OpticalLane& lane, double dbm) { lane.tx_dbm = std::max(dbm, kNoLightDbm); }

OpticalLane& LaneOf(Transceiver& t, int lane) {
  for (OpticalLane& l : t.lanes) {
    if (l.lane == lane) return l;
  }
  OpticalLane added;
  added.lane = lane;
  t.lanes.push_back(added);
  std::sort(t.lanes.begin(), t.lanes.end(),
            [](const OpticalLane& a, const OpticalLane& b) { return a.lane < b.lane; });
  return LaneOf(t, lane);
}

bool HasLevels(const Transceiver& t) {
  return std::any_of(t.lanes.begin(), t.lanes.end(),
                     [](const OpticalLane& l) { return l.rx_dbm || l.tx_dbm || l.bias_milliamps; });
}

// A threshold of 0 (or a placeholder) is the device saying it has none.
std::optional<double> Limit(std::optional<double> v) {
  if (!v || *v == 0 || !std::isfinite(*v)) return std::nullopt;
  return v;
}

bool Contains(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.find(w) != std::string_view::npos; });
}

// "rx" or "tx" from a sensor's name ("Gi1/0/52 Receive Power Sensor", "xe-0/0/1 Tx Power").
std::string DirectionFromName(const std::string& name) {
  if (Contains(name, {"Receive", "receive", "RECEIVE", "Rx", "RX", "rx"})) return "rx";
  if (Contains(name, {"Transmit", "transmit", "TRANSMIT", "Tx", "TX", "tx"})) return "tx";
  return "";
}

// "... Lane 3 ..." (QSFP sensors name their lane); 1 otherwise.
int LaneFromName(const std::string& name) {
  for (std::string_view word : {"Lane ", "lane ", "LANE "}) {
    size_t at = name.find(word);
    if (at == std::string::npos) continue;
    int lane = 0;
    const char* begin = name.data() + at + word.size();
    auto [end, ec] = std::from_chars(begin, name.data() + name.size(), lane);
    if (ec == std::errc() && lane >= 1 && lane <= 8) return lane;
  }
  return 1;
}

// The lowest Rx a module of a known standard receives at, from its type or part name, where
// that name tells it (IEEE 802.3 receiver sensitivity; vendors' data sheets agree):
//   1000BASE-SX -17 dBm, 1000BASE-LX/LX10/LH -19, 1000BASE-ZX -23 (a vendor figure, not IEEE),
//   10GBASE-SR -11.1, 10GBASE-LR -14.4, 10GBASE-ER -15.8.
// Tokens are matched whole ("GLC-SX-MMD", "SFP-10G-LR", "1000_BASE_LX_SFP", "1000BaseSX").
std::optional<double> SensitivityFromType(const std::string& text) {
  std::vector<std::string> tokens;
  std::string token;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      token += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!token.empty()) {
      tokens.push_back(std::move(token));
      token.clear();
    }
  }
  bool ten_gig = false;
  std::string reach;
  for (const std::string& t : tokens) {
    if (t == "10G" || t == "10GBASE" || t == "XFP" || t == "SFPP" || t.starts_with("10GBASE") ||
        t == "10GE")
      ten_gig = true;
    for (const char* r : {"SX", "LX", "LX10", "LH", "ZX", "SR", "LR", "ER"}) {
      if (t == r || (t.starts_with("1000BASE") && t.substr(8) == r) ||
          (t.starts_with("10GBASE") && t.substr(7) == r)) {
        reach = r;
      }
    }
  }
  if (reach == "SX") return -17.0;
  if (reach == "LX" || reach == "LX10" || reach == "LH") return -19.0;
  if (reach == "ZX") return -23.0;
  if (ten_gig && reach == "SR") return -11.1;
  if (ten_gig && reach == "LR") return -14.4;
  if (ten_gig && reach == "ER") return -15.8;
  return std::nullopt;
}

void FillSensitivity(Transceiver& t, const std::string& type_text) {
  if (t.rx_limits.low_alarm) {
    t.rx_sensitivity_dbm = t.rx_limits.low_alarm;
  } else {
    t.rx_sensitivity_dbm = SensitivityFromType(type_text);
  }
}

// ---- ENTITY-SENSOR-MIB and CISCO-ENTITY-SENSOR-MIB -------------------------------------

struct SensorRow {
  std::optional<int> type, scale, precision;
  std::optional<int64_t> raw;
};

// scale: 9 = units, 8 = milli, 10 = kilo, ... (powers of 1000); precision: decimal places.
std::optional<double> Scaled(int64_t raw, const SensorRow& row) {
  const int scale = row.scale.value_or(9), precision = row.precision.value_or(0);
  if (scale < 1 || scale > 17 || precision < -8 || precision > 9) return std::nullopt;
  return static_cast<double>(raw) * std::pow(1000.0, scale - 9) / std::pow(10.0, precision);
}

std::map<uint32_t, SensorRow> ReadSensorRows(const SnmpQuery& q, const SnmpResult& r,
                                             const Oid& entry) {
  std::map<uint32_t, SensorRow> rows;
  for (uint32_t column : kSensorColumns) {
    ForEachRow(q, r, entry.Child(column), [&](const Oid& i, const SnmpValue& v) {
      auto entity = SingleIndex(i);
      if (!entity || v.type != SnmpType::kInteger) return;
      SensorRow& row = rows[*entity];
      const int small = static_cast<int>(std::clamp<int64_t>(v.integer, -1000, 1000));
      if (column == 1) row.type = small;
      if (column == 2) row.scale = small;
      if (column == 3) row.precision = small;
      if (column == 4) row.raw = v.integer;
    });
  }
  return rows;
}

// entSensorThresholdTable: per sensor, its limits (in the sensor's own units).
std::map<uint32_t, OpticalLimits> ReadCiscoThresholds(const SnmpQuery& q, const SnmpResult& r,
                                                      const std::map<uint32_t, SensorRow>& rows) {
  struct Threshold {
    std::optional<int64_t> severity, relation, value;
  };
  std::map<std::pair<uint32_t, uint32_t>, Threshold> thresholds;
  // Walked as one subtree: index column.entPhysicalIndex.entSensorThresholdIndex.
  ForEachRow(q, r, oids::kCiscoEntSensorThresholdEntry, [&](const Oid& i, const SnmpValue& v) {
    if (i.size() != 3 || v.type != SnmpType::kInteger) return;
    const uint32_t column = i.parts()[0];
    Threshold& t = thresholds[{i.parts()[1], i.parts()[2]}];
    if (column == 2) t.severity = v.integer;
    if (column == 3) t.relation = v.integer;
    if (column == 4) t.value = v.integer;
  });
  std::map<uint32_t, OpticalLimits> limits;
  for (const auto& [key, t] : thresholds) {
    auto row = rows.find(key.first);
    if (row == rows.end() || !t.severity || !t.relation || !t.value) continue;
    auto value = Limit(Scaled(*t.value, row->second));
    if (!value) continue;
    const bool alarm = *t.severity == 20 || *t.severity == 30;  // major, critical
    const bool warning = *t.severity == 10;                     // minor
    const bool low = *t.relation == 1 || *t.relation == 2;
    const bool high = *t.relation == 3 || *t.relation == 4;
    OpticalLimits& l = limits[key.first];
    // Several limits of one kind: the outermost is the alarm, the innermost the warning.
    auto keep = [&](std::optional<double>& slot, bool outer_is_lower) {
      if (!slot || (outer_is_lower ? *value < *slot : *value > *slot)) slot = value;
    };
    if (low && alarm) keep(l.low_alarm, true);
    if (low && warning) keep(l.low_warning, false);
    if (high && alarm) keep(l.high_alarm, false);
    if (high && warning) keep(l.high_warning, true);
  }
  return limits;
}

OpticalLimits Times(const OpticalLimits& l, double factor) {
  auto f = [&](const std::optional<double>& v) -> std::optional<double> {
    return v ? std::optional(*v * factor) : std::nullopt;
  };
  return {f(l.low_alarm), f(l.low_warning), f(l.high_warning), f(l.high_alarm)};
}

// One module per entity that holds dBm sensors (the sensors' container: an SFP, or the port).
void ReadSensorTable(const SnmpQuery& q, const SnmpResult& r, const Oid& entry, const char* source,
                     bool with_thresholds, const Entities& entities,
                     std::vector<Transceiver>& out) {
  const std::map<uint32_t, SensorRow> rows = ReadSensorRows(q, r, entry);
  const std::map<uint32_t, OpticalLimits> limits =
      with_thresholds ? ReadCiscoThresholds(q, r, rows) : std::map<uint32_t, OpticalLimits>{};
  std::map<uint32_t, Transceiver> modules;
  std::set<uint32_t> with_power;
  for (const auto& [entity, row] : rows) {
    if (!row.type || !row.raw) continue;
    const int type = *row.type;
    if (type != kSensorDbm && type != kSensorCelsius && type != kSensorVoltsDc &&
        type != kSensorAmperes)
      continue;
    const uint32_t parent = entities.ParentOf(entity);
    const uint32_t module_entity = parent != 0 ? parent : entity;
    const std::string name = Entities::Find(entities.names, entity);
    const OpticalLimits* sensor_limits = nullptr;
    if (auto it = limits.find(entity); it != limits.end()) sensor_limits = &it->second;
    auto value = Scaled(*row.raw, row);

    if (type == kSensorDbm) {
      const std::string direction = DirectionFromName(name);
      if (direction.empty()) continue;  // a dBm sensor that does not say which way: not ours
      Transceiver& t = modules[module_entity];
      with_power.insert(module_entity);
      OpticalLane& lane = LaneOf(t, LaneFromName(name));
      if (direction == "rx") {
        if (value) SetRx(lane, *value);
        if (sensor_limits) t.rx_limits = *sensor_limits;
      } else {
        if (value) SetTx(lane, *value);
        if (sensor_limits) t.tx_limits = *sensor_limits;
      }
      continue;
    }
    Transceiver& t = modules[module_entity];
    if (type == kSensorCelsius) {
      t.temperature_celsius = value;
      if (sensor_limits) t.temperature_limits = *sensor_limits;
    } else if (type == kSensorVoltsDc) {
      t.voltage_volts = value;
      if (sensor_limits) t.voltage_limits = *sensor_limits;
    } else if (type == kSensorAmperes) {
      if (value) LaneOf(t, LaneFromName(name)).bias_milliamps = *value * 1000.0;
      if (sensor_limits) t.bias_limits = Times(*sensor_limits, 1000.0);
    }
  }
  for (auto& [module_entity, t] : modules) {
    // Chassis temperature and voltage sensors hold no optical power: not a module. Nor is a
    // module whose every reading was unusable.
    if (!with_power.contains(module_entity) || !HasLevels(t)) continue;
    t.if_index = entities.IfIndexOf(module_entity);
    t.sensor = Entities::Find(entities.names, module_entity);
    t.source = source;
    t.units = "dBm (the sensor's scale and precision)";
    t.serial = Entities::Find(entities.serials, module_entity);
    t.vendor = Entities::Find(entities.vendors, module_entity);
    t.part = Entities::Find(entities.models, module_entity);
    FillSensitivity(t, t.part + " " + t.sensor);
    out.push_back(std::move(t));
  }
}

// ---- HUAWEI-ENTITY-EXTENT-MIB ----------------------------------------------------------

enum class PowerUnit { kMicrowatts, kCentiDbm };

// Models whose units are known, by sysObjectID prefix. Where a model is not listed, the
// LibreNMS rule decides per value (<= 0 is 0.01 dBm, > 0 is uW): a level cannot be negative
// microwatts, but 0 and small positive numbers stay ambiguous, hence the table.
struct HuaweiModelUnits {
  Oid object_id_prefix;
  const char* model;
  PowerUnit rx, tx;
};
const std::vector<HuaweiModelUnits>& HuaweiUnitTable() {
  static const std::vector<HuaweiModelUnits> kTable = {
      // The S5720 recorded in shared/data/snmprec/vrp_5720 (536 uW, 604 uW, ...).
      {{1, 3, 6, 1, 4, 1, 2011, 2, 23, 291},
       "S5720",
       PowerUnit::kMicrowatts,
       PowerUnit::kMicrowatts},
      // S5720-12TP-PWR-LI-AC (sysObjectID from fusioninventory's sysobject.ids).
      {{1, 3, 6, 1, 4, 1, 2011, 2, 23, 398},
       "S5720",
       PowerUnit::kMicrowatts,
       PowerUnit::kMicrowatts},
      // NetEngine 8000 M8 (sysObjectID from kentik/snmp-profiles): Rx in 0.01 dBm, Tx in uW.
      {{1, 3, 6, 1, 4, 1, 2011, 2, 360, 1, 9},
       "NE8000 M8",
       PowerUnit::kCentiDbm,
       PowerUnit::kMicrowatts},
  };
  return kTable;
}

const char* UnitName(PowerUnit u) { return u == PowerUnit::kMicrowatts ? "uW" : "0.01 dBm"; }

// A Huawei power column's value in dBm (-inf: no light), or nullopt for a placeholder.
std::optional<double> HuaweiPowerDbm(const SnmpValue& v, std::optional<PowerUnit> unit) {
  auto n = NumberOf(v);
  if (!n) return std::nullopt;
  if (std::isinf(*n)) return -INFINITY;  // "-Inf"
  if (v.type != SnmpType::kOctetString && *n == kHuaweiAbsent) return std::nullopt;
  // Without the model's unit, 0 is either no light (uW) or 0.00 dBm: the device does not say
  // which, and a wrong guess would read a cut as strong light.
  if (!unit && *n == 0) return std::nullopt;
  const PowerUnit u = unit ? *unit : (*n <= 0 ? PowerUnit::kCentiDbm : PowerUnit::kMicrowatts);
  if (u == PowerUnit::kCentiDbm) return *n / 100.0;
  if (*n < 0) return std::nullopt;  // negative microwatts: garbage
  return *n == 0 ? -INFINITY : MicrowattsToDbm(*n);
}

void ReadHuawei(const SnmpQuery& q, const SnmpResult& r, const std::string& sys_object_id,
                const Entities& entities, TextEncoding text, std::vector<Transceiver>& out) {
  std::optional<PowerUnit> rx_unit, tx_unit;
  std::string units = "LibreNMS rule: <= 0 is 0.01 dBm, > 0 is uW";
  if (auto oid = Oid::Parse(sys_object_id)) {
    for (const HuaweiModelUnits& m : HuaweiUnitTable()) {
      if (!oid->StartsWith(m.object_id_prefix)) continue;
      rx_unit = m.rx;
      tx_unit = m.tx;
      units = m.rx == m.tx ? fmt::format("{} (table: {})", UnitName(m.rx), m.model)
                           : fmt::format("rx {}, tx {} (table: {})", UnitName(m.rx), UnitName(m.tx),
                                         m.model);
      break;
    }
  }
  std::map<uint32_t, std::map<uint32_t, SnmpValue>> rows;  // entity -> column -> value
  for (uint32_t column : kHuaweiColumns) {
    ForEachRow(q, r, oids::kHuaweiOpticalEntry.Child(column),
               [&](const Oid& i, const SnmpValue& v) {
                 if (auto entity = SingleIndex(i)) rows[*entity][column] = v;
               });
  }
  std::map<uint32_t, double> entity_temperature;
  ForEachRow(q, r, oids::kHuaweiEntityTemperature, [&](const Oid& i, const SnmpValue& v) {
    auto entity = SingleIndex(i);
    if (entity && v.type == SnmpType::kInteger && v.integer > 0 && v.integer < 200) {
      entity_temperature[*entity] = static_cast<double>(v.integer);
    }
  });

  for (const auto& [entity, row] : rows) {
    auto cell = [&](uint32_t column) -> const SnmpValue* {
      auto it = row.find(column);
      return it == row.end() ? nullptr : &it->second;
    };
    // An integer that is not one of Huawei's placeholders.
    auto integer = [&](uint32_t column) -> std::optional<double> {
      const SnmpValue* v = cell(column);
      if (!v || v->type != SnmpType::kInteger || v->integer == kHuaweiAbsent ||
          v->integer == kHuaweiAbsentTemperature || v->integer == kH3cAbsent)
        return std::nullopt;
      return static_cast<double>(v->integer);
    };
    auto text_of = [&](uint32_t column) {
      const SnmpValue* v = cell(column);
      return v && v->type == SnmpType::kOctetString ? v->AsText(text) : std::string();
    };
    auto centi_dbm_limit = [&](uint32_t column) {
      auto v = integer(column);
      return Limit(v ? std::optional(*v / 100.0) : std::nullopt);
    };

    Transceiver t;
    t.if_index = entities.IfIndexOf(entity);
    t.sensor = Entities::Find(entities.names, entity);
    t.source = "HUAWEI-ENTITY-EXTENT-MIB";
    t.units = units;
    t.serial = text_of(4);
    if (t.serial.empty()) t.serial = Entities::Find(entities.serials, entity);
    t.vendor = text_of(24);
    if (t.vendor.empty()) t.vendor = Entities::Find(entities.vendors, entity);
    t.part = text_of(25);
    if (t.part.empty()) t.part = Entities::Find(entities.models, entity);

    OpticalLane& lane1 = LaneOf(t, 1);
    if (const SnmpValue* rx = cell(8)) {
      if (auto dbm = HuaweiPowerDbm(*rx, rx_unit)) SetRx(lane1, *dbm);
    }
    if (const SnmpValue* tx = cell(9)) {
      if (auto dbm = HuaweiPowerDbm(*tx, tx_unit)) SetTx(lane1, *dbm);
    }
    if (auto bias = integer(7); bias && *bias >= 0) lane1.bias_milliamps = *bias / 1000.0;
    if (auto celsius = integer(5); celsius && *celsius != 0) {
      t.temperature_celsius = celsius;
    } else if (auto it = entity_temperature.find(entity); it != entity_temperature.end()) {
      t.temperature_celsius = it->second;
    }
    if (auto millivolts = integer(6); millivolts && *millivolts > 0) {
      t.voltage_volts = *millivolts / 1000.0;
    }
    t.rx_limits = {centi_dbm_limit(13), centi_dbm_limit(20), std::nullopt, centi_dbm_limit(14)};
    t.tx_limits = {centi_dbm_limit(15), std::nullopt, std::nullopt, centi_dbm_limit(16)};
    // An empty cage: every level a placeholder, no identity.
    if (!HasLevels(t) && t.serial.empty()) continue;
    FillSensitivity(t, t.part);
    out.push_back(std::move(t));
  }
}

// ---- HH3C-TRANSCEIVER-INFO-MIB ---------------------------------------------------------

void ReadH3c(const SnmpQuery& q, const SnmpResult& r, TextEncoding text,
             std::vector<Transceiver>& out) {
  std::map<uint32_t, std::map<uint32_t, SnmpValue>> rows;  // ifIndex -> column -> value
  for (uint32_t column : kH3cColumns) {
    ForEachRow(q, r, oids::kH3cTransceiverEntry.Child(column),
               [&](const Oid& i, const SnmpValue& v) {
                 if (auto index = SingleIndex(i)) rows[*index][column] = v;
               });
  }
  for (const auto& [if_index, row] : rows) {
    auto integer = [&](uint32_t column) -> std::optional<double> {
      auto it = row.find(column);
      if (it == row.end() || it->second.type != SnmpType::kInteger ||
          it->second.integer == kH3cAbsent)
        return std::nullopt;
      return static_cast<double>(it->second.integer);
    };
    auto text_of = [&](uint32_t column) {
      auto it = row.find(column);
      return it != row.end() && it->second.type == SnmpType::kOctetString ? it->second.AsText(text)
                                                                          : std::string();
    };
    // Four limit columns from `first` (HiAlarm, LoAlarm, HiWarn, LoWarn), into our units.
    auto limits = [&](uint32_t first, auto convert) {
      auto at = [&](uint32_t c) -> std::optional<double> {
        auto v = Limit(integer(c));
        return v ? convert(*v) : std::nullopt;
      };
      return OpticalLimits{at(first + 1), at(first + 3), at(first + 2), at(first)};
    };
    // (Vcc .22 and bias .26 limits are not walked: see kH3cColumns.)
    auto scaled = [](double factor) {
      return [factor](double v) -> std::optional<double> { return v * factor; };
    };
    auto tenth_uw_to_dbm = [](double v) -> std::optional<double> {
      if (v <= 0) return std::nullopt;
      return MicrowattsToDbm(v / 10.0);
    };

    Transceiver t;
    t.if_index = if_index;
    t.source = "HH3C-TRANSCEIVER-INFO-MIB";
    t.units = "0.01 dBm (the MIB's unit)";
    t.vendor = text_of(4);
    t.serial = text_of(5);
    t.part = text_of(2);
    OpticalLane& lane = LaneOf(t, 1);
    if (auto rx = integer(12)) SetRx(lane, *rx / 100.0);
    if (auto tx = integer(9)) SetTx(lane, *tx / 100.0);
    if (auto bias = integer(17); bias && *bias >= 0) lane.bias_milliamps = *bias / 100.0;
    if (auto celsius = integer(15)) t.temperature_celsius = celsius;
    if (auto volts = integer(16); volts && *volts > 0) t.voltage_volts = *volts / 100.0;
    t.temperature_limits = limits(18, scaled(0.001));
    t.tx_limits = limits(30, tenth_uw_to_dbm);
    t.rx_limits = limits(34, tenth_uw_to_dbm);
    if (!HasLevels(t) && t.serial.empty()) continue;  // no module in the cage
    FillSensitivity(t, t.part);
    out.push_back(std::move(t));
  }
}

}  // namespace

const OpticalLane* Transceiver::Lane(int lane) const {
  for (const OpticalLane& l : lanes) {
    if (l.lane == lane) return &l;
  }
  return nullptr;
}

SnmpQuery BuildOpticsQuery() {
  SnmpQuery q;
  for (const Oid& column :
       {oids::kEntPhysicalContainedIn, oids::kEntPhysicalName, oids::kEntPhysicalSerialNum,
        oids::kEntPhysicalMfgName, oids::kEntPhysicalModelName, oids::kEntAliasMappingIdentifier}) {
    q.walk.push_back(column);
  }
  for (uint32_t c : kSensorColumns) {
    q.walk.push_back(oids::kEntPhySensorEntry.Child(c));
    q.walk.push_back(oids::kCiscoEntSensorEntry.Child(c));
  }
  q.walk.push_back(oids::kCiscoEntSensorThresholdEntry);
  for (uint32_t c : kHuaweiColumns) q.walk.push_back(oids::kHuaweiOpticalEntry.Child(c));
  q.walk.push_back(oids::kHuaweiEntityTemperature);
  for (uint32_t c : kH3cColumns) q.walk.push_back(oids::kH3cTransceiverEntry.Child(c));
  return q;
}

std::vector<Transceiver> DecodeOptics(const SnmpQuery& query, const SnmpResult& result,
                                      const std::string& sys_object_id, TextEncoding text) {
  const Entities entities = ReadEntities(query, result, text);
  std::vector<Transceiver> found;
  // Vendor tables first: they carry identity and limits. A module that a later table reports
  // again (many devices fill ENTITY-SENSOR-MIB too) is kept once.
  ReadHuawei(query, result, sys_object_id, entities, text, found);
  ReadH3c(query, result, text, found);
  ReadSensorTable(query, result, oids::kCiscoEntSensorEntry, "CISCO-ENTITY-SENSOR-MIB", true,
                  entities, found);
  ReadSensorTable(query, result, oids::kEntPhySensorEntry, "ENTITY-SENSOR-MIB", false, entities,
                  found);
  std::vector<Transceiver> out;
  std::set<uint32_t> seen;
  for (Transceiver& t : found) {
    if (t.if_index != 0 && !seen.insert(t.if_index).second) continue;
    out.push_back(std::move(t));
  }
  // By interface; those matched to none last.
  std::stable_sort(out.begin(), out.end(), [](const Transceiver& a, const Transceiver& b) {
    return (a.if_index == 0 ? UINT32_MAX : a.if_index) <
           (b.if_index == 0 ? UINT32_MAX : b.if_index);
  });
  return out;
}

}  // namespace lanwatch
