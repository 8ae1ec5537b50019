#include "probes/snmp/discovery.h"

#include <cmath>
#include <map>

#include "probes/snmp/device_poll.h"
#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

constexpr int kSensorTypeDbm = 14;

// What ENTITY-MIB says: entity names, containment, and entity -> ifIndex mappings.
struct Entities {
  std::map<uint32_t, std::string> names;
  std::map<uint32_t, uint32_t> parents;
  std::map<uint32_t, uint32_t> if_indexes;

  // The interface an entity (or the port that contains it) stands for.
  uint32_t IfIndexOf(uint32_t entity) const {
    for (int depth = 0; depth < 4 && entity != 0; ++depth) {
      if (auto it = if_indexes.find(entity); it != if_indexes.end()) return it->second;
      auto parent = parents.find(entity);
      entity = parent == parents.end() ? 0 : parent->second;
    }
    return 0;
  }
  std::string NameOf(uint32_t entity) const {
    auto it = names.find(entity);
    return it == names.end() ? "" : it->second;
  }
};

Entities ReadEntities(const SnmpQuery& q, const SnmpResult& r, TextEncoding text) {
  Entities e;
  ForEachRow(q, r, oids::kEntPhysicalName, [&](const Oid& i, const SnmpValue& v) {
    if (i.size() == 1) e.names[i.parts()[0]] = v.AsText(text);
  });
  ForEachRow(q, r, oids::kEntPhysicalContainedIn, [&](const Oid& i, const SnmpValue& v) {
    if (i.size() == 1) e.parents[i.parts()[0]] = static_cast<uint32_t>(v.integer);
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

std::string DirectionFromName(const std::string& name) {
  for (const char* rx : {"Receive", "receive", "Rx", "RX", "rx"}) {
    if (name.find(rx) != std::string::npos) return "rx";
  }
  for (const char* tx : {"Transmit", "transmit", "Tx", "TX", "tx"}) {
    if (name.find(tx) != std::string::npos) return "tx";
  }
  return "";
}

// ENTITY-SENSOR-MIB and its Cisco twin: keep the dBm sensors, scaled and made decimal.
void ReadSensorTable(const SnmpQuery& q, const SnmpResult& r, const Oid& entry, const char* source,
                     const Entities& entities, std::vector<OpticalReading>& out) {
  struct Row {
    int type = 0, scale = 9, precision = 0;
    std::optional<int64_t> value;
  };
  std::map<uint32_t, Row> rows;
  for (uint32_t column : {1u, 2u, 3u, 4u}) {
    ForEachRow(q, r, entry.Child(column), [&](const Oid& i, const SnmpValue& v) {
      if (i.size() != 1) return;
      Row& row = rows[i.parts()[0]];
      if (column == 1) row.type = static_cast<int>(v.integer);
      if (column == 2) row.scale = static_cast<int>(v.integer);
      if (column == 3) row.precision = static_cast<int>(v.integer);
      if (column == 4) row.value = v.integer;
    });
  }
  for (const auto& [entity, row] : rows) {
    if (row.type != kSensorTypeDbm || !row.value) continue;
    OpticalReading o;
    o.sensor = entities.NameOf(entity);
    o.direction = DirectionFromName(o.sensor);
    o.if_index = entities.IfIndexOf(entity);
    o.raw = *row.value;
    o.raw_unit = "dBm (scaled)";
    // scale: 9 = units, 8 = milli, ... (powers of 1000); precision: decimal places.
    o.dbm = static_cast<double>(*row.value) * std::pow(1000.0, row.scale - 9) /
            std::pow(10.0, row.precision);
    o.source = source;
    out.push_back(std::move(o));
  }
}

void ReadHuawei(const SnmpQuery& q, const SnmpResult& r, const Entities& entities,
                std::vector<OpticalReading>& out) {
  for (const auto& [column, direction] : {std::pair{oids::kHuaweiOpticalRxPower, "rx"},
                                          std::pair{oids::kHuaweiOpticalTxPower, "tx"}}) {
    ForEachRow(q, r, column, [&](const Oid& i, const SnmpValue& v) {
      // -1 marks a port without a module (or a reading the module cannot give).
      if (i.size() != 1 || v.type != SnmpType::kInteger || v.integer == -1) return;
      OpticalReading o;
      uint32_t entity = i.parts()[0];
      o.sensor = entities.NameOf(entity);
      o.if_index = entities.IfIndexOf(entity);
      o.direction = direction;
      o.raw = v.integer;
      o.source = "HUAWEI-ENTITY-EXTENT-MIB";
      if (v.integer > 0) {  // microwatts: S57xx and most access switches
        o.raw_unit = "uW";
        o.dbm = 10 * std::log10(static_cast<double>(v.integer) / 1000.0);
      } else if (v.integer < 0) {  // power below 1 mW cannot be negative microwatts
        o.raw_unit = "0.01 dBm";
        o.dbm = static_cast<double>(v.integer) / 100.0;
      } else {
        o.raw_unit = "unknown";  // 0: no light, or 0.00 dBm; the device does not say which
      }
      out.push_back(std::move(o));
    });
  }
}

void ReadH3c(const SnmpQuery& q, const SnmpResult& r, std::vector<OpticalReading>& out) {
  for (const auto& [column, direction] : {std::pair{oids::kH3cTransceiverRxPower, "rx"},
                                          std::pair{oids::kH3cTransceiverTxPower, "tx"}}) {
    ForEachRow(q, r, column, [&](const Oid& i, const SnmpValue& v) {
      if (i.size() != 1 || v.type != SnmpType::kInteger || v.integer == 2147483647) return;
      OpticalReading o;
      o.if_index = i.parts()[0];
      o.direction = direction;
      o.raw = v.integer;
      o.raw_unit = "0.01 dBm";
      o.dbm = static_cast<double>(v.integer) / 100.0;
      o.source = "HH3C-TRANSCEIVER-INFO-MIB";
      out.push_back(std::move(o));
    });
  }
}

}  // namespace

std::string VendorFromObjectId(const std::string& sys_object_id) {
  static const std::map<uint32_t, std::string> kVendors = {{9, "Cisco"},
                                                           {2011, "Huawei"},
                                                           {25506, "H3C"},
                                                           {3902, "ZTE"},
                                                           {4881, "Ruijie"},
                                                           {11863, "TP-Link"},
                                                           {30065, "Arista"},
                                                           {8072, "net-snmp"},
                                                           {2636, "Juniper"},
                                                           {14988, "MikroTik"},
                                                           {11, "HP"},
                                                           {43, "3Com"},
                                                           {6486, "Alcatel-Lucent"},
                                                           {1991, "Brocade"},
                                                           {171, "D-Link"},
                                                           {4526, "Netgear"}};
  static const Oid kEnterprises{1, 3, 6, 1, 4, 1};
  auto oid = Oid::Parse(sys_object_id);
  if (!oid || !oid->StartsWith(kEnterprises) || oid->size() <= kEnterprises.size()) {
    return "unknown";
  }
  auto it = kVendors.find(oid->parts()[kEnterprises.size()]);
  return it == kVendors.end() ? "unknown" : it->second;
}

SnmpQuery BuildDiscoveryQuery() {
  SnmpQuery q = BuildDeviceQuery(DeviceRole::kSwitch);
  for (const Oid& column :
       {oids::kEntPhysicalContainedIn, oids::kEntPhysicalName, oids::kEntAliasMappingIdentifier,
        oids::kHuaweiOpticalRxPower, oids::kHuaweiOpticalTxPower, oids::kH3cTransceiverTxPower,
        oids::kH3cTransceiverRxPower}) {
    q.walk.push_back(column);
  }
  for (uint32_t c : {1u, 2u, 3u, 4u}) {
    q.walk.push_back(oids::kEntPhySensorEntry.Child(c));
    q.walk.push_back(oids::kCiscoEntSensorEntry.Child(c));
  }
  return q;
}

std::expected<Discovery, Error> DecodeDiscovery(const SnmpQuery& query, const SnmpResult& result,
                                                TextEncoding text) {
  auto device = DecodeDeviceSample(query, result, text);
  if (!device) return std::unexpected(device.error());
  Discovery d;
  d.device = std::move(*device);
  d.vendor = VendorFromObjectId(d.device.system.object_id);
  Entities entities = ReadEntities(query, result, text);
  ReadSensorTable(query, result, oids::kEntPhySensorEntry, "ENTITY-SENSOR-MIB", entities, d.optics);
  ReadSensorTable(query, result, oids::kCiscoEntSensorEntry, "CISCO-ENTITY-SENSOR-MIB", entities,
                  d.optics);
  ReadHuawei(query, result, entities, d.optics);
  ReadH3c(query, result, d.optics);
  for (OpticalReading& o : d.optics) {
    auto it = d.device.interfaces.find(o.if_index);
    if (it == d.device.interfaces.end()) {
      o.if_index = 0;
    } else {
      o.interface = it->second.name;
    }
  }
  return d;
}

}  // namespace lanwatch
