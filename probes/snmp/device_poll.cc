#include "probes/snmp/device_poll.h"

#include <functional>

#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

constexpr uint64_t kIfSpeedSaturated = 4'294'967'295;  // ifSpeed's "look at ifHighSpeed" value

// Calls `apply(row_index, value)` for each cell of a column whose rows have one-part indexes.
void ForEachCell(const SnmpQuery& query, const SnmpResult& result, const Oid& column,
                 const std::function<void(uint32_t, const SnmpValue&)>& apply) {
  ForEachRow(query, result, column, [&](const Oid& index, const SnmpValue& value) {
    if (index.size() == 1) apply(index.parts()[0], value);
  });
}

uint32_t Low32(const SnmpValue& v) { return static_cast<uint32_t>(v.AsUnsigned().value_or(0)); }

void DecodeInterfaces(const SnmpQuery& q, const SnmpResult& r, TextEncoding text,
                      DeviceSample& out) {
  auto& ifs = out.interfaces;
  auto row = [&](uint32_t index) -> InterfaceSample& {
    InterfaceSample& s = ifs[index];
    s.index = index;
    return s;
  };
  ForEachCell(q, r, oids::kIfDescr,
              [&](uint32_t i, const SnmpValue& v) { row(i).description = v.AsText(text); });
  ForEachCell(q, r, oids::kIfType,
              [&](uint32_t i, const SnmpValue& v) { row(i).type = static_cast<int>(v.integer); });
  ForEachCell(q, r, oids::kIfAdminStatus,
              [&](uint32_t i, const SnmpValue& v) { row(i).admin_up = v.integer == 1; });
  ForEachCell(q, r, oids::kIfOperStatus, [&](uint32_t i, const SnmpValue& v) {
    row(i).oper_status = static_cast<int>(v.integer);
  });
  ForEachCell(q, r, oids::kIfLastChange,
              [&](uint32_t i, const SnmpValue& v) { row(i).last_change_ticks = Low32(v); });
  ForEachCell(q, r, oids::kIfSpeed, [&](uint32_t i, const SnmpValue& v) {
    row(i).speed_bps = v.AsUnsigned().value_or(0);
  });
  ForEachCell(q, r, oids::kIfInErrors,
              [&](uint32_t i, const SnmpValue& v) { row(i).in_errors = Low32(v); });
  ForEachCell(q, r, oids::kIfOutErrors,
              [&](uint32_t i, const SnmpValue& v) { row(i).out_errors = Low32(v); });
  ForEachCell(q, r, oids::kIfInDiscards,
              [&](uint32_t i, const SnmpValue& v) { row(i).in_discards = Low32(v); });
  ForEachCell(q, r, oids::kIfOutDiscards,
              [&](uint32_t i, const SnmpValue& v) { row(i).out_discards = Low32(v); });
  ForEachCell(q, r, oids::kIfInOctets, [&](uint32_t i, const SnmpValue& v) {
    row(i).in_octets = Low32(v);
    row(i).counter_bits = 32;
  });
  ForEachCell(q, r, oids::kIfOutOctets,
              [&](uint32_t i, const SnmpValue& v) { row(i).out_octets = Low32(v); });
  // ifXTable, where present, refines the above.
  ForEachCell(q, r, oids::kIfName,
              [&](uint32_t i, const SnmpValue& v) { row(i).name = v.AsText(text); });
  ForEachCell(q, r, oids::kIfAlias,
              [&](uint32_t i, const SnmpValue& v) { row(i).alias = v.AsText(text); });
  ForEachCell(q, r, oids::kIfHighSpeed, [&](uint32_t i, const SnmpValue& v) {
    uint64_t high = v.AsUnsigned().value_or(0) * 1'000'000;
    InterfaceSample& s = row(i);
    if (high > 0 && (s.speed_bps == 0 || s.speed_bps == kIfSpeedSaturated || high > s.speed_bps)) {
      s.speed_bps = high;
    }
  });
  ForEachCell(q, r, oids::kIfCounterDiscontinuityTime, [&](uint32_t i, const SnmpValue& v) {
    row(i).counter_discontinuity_ticks = Low32(v);
  });
  // Prefer 64-bit counters, but only where the agent has both directions of them.
  std::map<uint32_t, uint64_t> hc_in;
  ForEachCell(q, r, oids::kIfHcInOctets, [&](uint32_t i, const SnmpValue& v) {
    if (v.type == SnmpType::kCounter64) hc_in[i] = v.number;
  });
  ForEachCell(q, r, oids::kIfHcOutOctets, [&](uint32_t i, const SnmpValue& v) {
    auto in = hc_in.find(i);
    if (v.type != SnmpType::kCounter64 || in == hc_in.end()) return;
    InterfaceSample& s = row(i);
    s.in_octets = in->second;
    s.out_octets = v.number;
    s.counter_bits = 64;
  });
  for (auto& [index, s] : ifs) {
    if (s.name.empty()) s.name = s.description;
    if (s.name.empty()) s.name = "if" + std::to_string(index);
    if (!s.in_octets || !s.out_octets) {
      s.in_octets.reset();
      s.out_octets.reset();
      s.counter_bits = 0;
    }
  }
}

StorageSample::Kind StorageKind(const SnmpValue& type) {
  if (type.type != SnmpType::kObjectId || !type.object_id.StartsWith(oids::kHrStorageTypes) ||
      type.object_id.size() != oids::kHrStorageTypes.size() + 1) {
    return StorageSample::Kind::kOther;
  }
  switch (type.object_id.parts().back()) {
    case 2:
      return StorageSample::Kind::kRam;
    case 3:
      return StorageSample::Kind::kVirtualMemory;
    case 4:
      return StorageSample::Kind::kDisk;
    default:
      return StorageSample::Kind::kOther;
  }
}

void DecodeHost(const SnmpQuery& q, const SnmpResult& r, TextEncoding text, DeviceSample& out) {
  HostSample host;
  ForEachCell(q, r, oids::kHrProcessorLoad, [&](uint32_t, const SnmpValue& v) {
    host.cpu_load_percent.push_back(static_cast<int>(v.integer));
  });
  ForEachCell(q, r, oids::kUcdLaLoad, [&](uint32_t i, const SnmpValue& v) {
    // laLoad is a DisplayString such as "0.42".
    double load = std::strtod(v.AsText().c_str(), nullptr);
    if (i == 1) host.load1 = load;
    if (i == 2) host.load5 = load;
    if (i == 3) host.load15 = load;
  });
  if (const SnmpValue* v = r.Scalar(oids::kUcdMemTotalReal)) {
    if (auto kb = v->AsUnsigned()) host.memory_total_bytes = *kb * 1024;
  }
  if (const SnmpValue* v = r.Scalar(oids::kUcdMemAvailReal)) {
    if (auto kb = v->AsUnsigned()) host.memory_available_bytes = *kb * 1024;
  }
  struct Row {
    StorageSample sample;
    uint64_t units = 0, size = 0, used = 0;
  };
  std::map<uint32_t, Row> rows;
  ForEachCell(q, r, oids::kHrStorageType,
              [&](uint32_t i, const SnmpValue& v) { rows[i].sample.kind = StorageKind(v); });
  ForEachCell(q, r, oids::kHrStorageDescr,
              [&](uint32_t i, const SnmpValue& v) { rows[i].sample.description = v.AsText(text); });
  ForEachCell(q, r, oids::kHrStorageUnits,
              [&](uint32_t i, const SnmpValue& v) { rows[i].units = v.AsUnsigned().value_or(0); });
  // hrStorageSize/Used are INTEGER (signed 32-bit); agents wrap large disks to negatives.
  ForEachCell(q, r, oids::kHrStorageSize, [&](uint32_t i, const SnmpValue& v) {
    rows[i].size = static_cast<uint32_t>(v.integer);
  });
  ForEachCell(q, r, oids::kHrStorageUsed, [&](uint32_t i, const SnmpValue& v) {
    rows[i].used = static_cast<uint32_t>(v.integer);
  });
  for (auto& [index, row] : rows) {
    if (row.sample.kind == StorageSample::Kind::kOther || row.units == 0) continue;
    row.sample.size_bytes = row.size * row.units;
    row.sample.used_bytes = row.used * row.units;
    host.storage.push_back(std::move(row.sample));
  }
  out.host = std::move(host);
}

}  // namespace

void ForEachRow(const SnmpQuery& query, const SnmpResult& result, const Oid& column,
                const std::function<void(const Oid&, const SnmpValue&)>& apply) {
  for (size_t i = 0; i < query.walk.size() && i < result.columns.size(); ++i) {
    if (query.walk[i] != column) continue;
    for (const VarBind& vb : result.columns[i]) apply(vb.oid.SuffixAfter(column), vb.value);
  }
}

SnmpQuery BuildDeviceQuery(DeviceRole role) {
  SnmpQuery q;
  // Every clock an agent may have for restart detection: none is reliably there.
  q.get = {oids::kSysDescr,        oids::kSysObjectId,    oids::kSysUpTime,     oids::kSysName,
           oids::kSnmpEngineBoots, oids::kSnmpEngineTime, oids::kHrSystemUptime};
  q.walk = {oids::kIfDescr,       oids::kIfType,        oids::kIfSpeed,
            oids::kIfAdminStatus, oids::kIfOperStatus,  oids::kIfLastChange,
            oids::kIfInOctets,    oids::kIfInDiscards,  oids::kIfInErrors,
            oids::kIfOutOctets,   oids::kIfOutDiscards, oids::kIfOutErrors,
            oids::kIfName,        oids::kIfHcInOctets,  oids::kIfHcOutOctets,
            oids::kIfHighSpeed,   oids::kIfAlias,       oids::kIfCounterDiscontinuityTime};
  if (role == DeviceRole::kServer) {
    q.get.push_back(oids::kUcdMemTotalReal);
    q.get.push_back(oids::kUcdMemAvailReal);
    for (const Oid& column :
         {oids::kHrStorageType, oids::kHrStorageDescr, oids::kHrStorageUnits, oids::kHrStorageSize,
          oids::kHrStorageUsed, oids::kHrProcessorLoad, oids::kUcdLaLoad}) {
      q.walk.push_back(column);
    }
  }
  return q;
}

std::expected<DeviceSample, Error> DecodeDeviceSample(const SnmpQuery& query,
                                                      const SnmpResult& result, TextEncoding text) {
  bool any_cell = !result.scalars.empty();
  for (const auto& column : result.columns) any_cell |= !column.empty();
  if (!any_cell) {
    return std::unexpected(
        Error("the agent answered nothing usable (no system object, no table row)"));
  }
  DeviceSample sample;
  // When the counters were read: the first walk reply, else the scalars' reply (the clocks),
  // else the start; never the time spent before on name lookup, discovery or retries.
  constexpr std::chrono::steady_clock::time_point kUnset{};
  sample.taken_at = result.first_walk_reply_at != kUnset ? result.first_walk_reply_at
                    : result.scalars_at != kUnset        ? result.scalars_at
                                                         : result.started;
  auto u32 = [&](const Oid& oid) -> std::optional<uint32_t> {
    const SnmpValue* v = result.Scalar(oid);
    auto n = v ? v->AsUnsigned() : std::nullopt;
    if (!n) return std::nullopt;
    return static_cast<uint32_t>(*n);
  };
  sample.system.uptime_ticks = u32(oids::kSysUpTime);
  sample.system.hr_uptime_ticks = u32(oids::kHrSystemUptime);
  sample.system.engine_boots = u32(oids::kSnmpEngineBoots);
  sample.system.engine_time_seconds = u32(oids::kSnmpEngineTime);
  if (const SnmpValue* v = result.Scalar(oids::kSysName)) sample.system.name = v->AsText(text);
  if (const SnmpValue* v = result.Scalar(oids::kSysDescr))
    sample.system.description = v->AsText(text);
  if (const SnmpValue* v = result.Scalar(oids::kSysObjectId)) sample.system.object_id = v->AsText();
  for (size_t i = 0; i < query.walk.size(); ++i) {
    bool interface_column =
        query.walk[i].StartsWith(oids::kIfEntry) || query.walk[i].StartsWith(oids::kIfXEntry);
    bool complete = i < result.column_complete.size() && result.column_complete[i];
    if (interface_column && !complete) sample.interfaces_complete = false;
  }
  DecodeInterfaces(query, result, text, sample);
  bool asked_host = false;
  for (const Oid& o : query.walk) asked_host |= o == oids::kHrProcessorLoad;
  if (asked_host) DecodeHost(query, result, text, sample);
  return sample;
}

}  // namespace lanwatch
