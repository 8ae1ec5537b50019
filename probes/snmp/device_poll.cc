#include "probes/snmp/device_poll.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "probes/snmp/standard_oids.h"

namespace lanwatch {
namespace {

constexpr uint64_t kIfSpeedSaturated = 4'294'967'295;  // ifSpeed's "look at ifHighSpeed" value

uint32_t Low32(const SnmpValue& v) { return static_cast<uint32_t>(v.AsUnsigned().value_or(0)); }

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

enum class DeviceSampleDecoder::Field : uint8_t {
  kOther,
  kIfDescr,
  kIfType,
  kIfSpeed,
  kIfAdminStatus,
  kIfOperStatus,
  kIfLastChange,
  kIfInOctets,
  kIfInDiscards,
  kIfInErrors,
  kIfOutOctets,
  kIfOutDiscards,
  kIfOutErrors,
  kIfName,
  kIfHcInOctets,
  kIfHcOutOctets,
  kIfHighSpeed,
  kIfAlias,
  kIfCounterDiscontinuityTime,
  kHrStorageType,
  kHrStorageDescr,
  kHrStorageUnits,
  kHrStorageSize,
  kHrStorageUsed,
  kHrProcessorLoad,
  kUcdLaLoad,
};

DeviceSampleDecoder::DeviceSampleDecoder(const SnmpQuery& query, TextEncoding text)
    : query_(query), text_(text) {
  static const std::pair<const Oid*, Field> kColumns[] = {
      {&oids::kIfDescr, Field::kIfDescr},
      {&oids::kIfType, Field::kIfType},
      {&oids::kIfSpeed, Field::kIfSpeed},
      {&oids::kIfAdminStatus, Field::kIfAdminStatus},
      {&oids::kIfOperStatus, Field::kIfOperStatus},
      {&oids::kIfLastChange, Field::kIfLastChange},
      {&oids::kIfInOctets, Field::kIfInOctets},
      {&oids::kIfInDiscards, Field::kIfInDiscards},
      {&oids::kIfInErrors, Field::kIfInErrors},
      {&oids::kIfOutOctets, Field::kIfOutOctets},
      {&oids::kIfOutDiscards, Field::kIfOutDiscards},
      {&oids::kIfOutErrors, Field::kIfOutErrors},
      {&oids::kIfName, Field::kIfName},
      {&oids::kIfHcInOctets, Field::kIfHcInOctets},
      {&oids::kIfHcOutOctets, Field::kIfHcOutOctets},
      {&oids::kIfHighSpeed, Field::kIfHighSpeed},
      {&oids::kIfAlias, Field::kIfAlias},
      {&oids::kIfCounterDiscontinuityTime, Field::kIfCounterDiscontinuityTime},
      {&oids::kHrStorageType, Field::kHrStorageType},
      {&oids::kHrStorageDescr, Field::kHrStorageDescr},
      {&oids::kHrStorageUnits, Field::kHrStorageUnits},
      {&oids::kHrStorageSize, Field::kHrStorageSize},
      {&oids::kHrStorageUsed, Field::kHrStorageUsed},
      {&oids::kHrProcessorLoad, Field::kHrProcessorLoad},
      {&oids::kUcdLaLoad, Field::kUcdLaLoad},
  };
  for (const Oid& root : query.walk) {
    Field field = Field::kOther;
    for (const auto& [oid, f] : kColumns) {
      if (*oid == root) field = f;
    }
    fields_.push_back(field);
  }
}

InterfaceSample& DeviceSampleDecoder::Row(uint32_t index) {
  InterfaceSample& s = sample_.interfaces[index];
  s.index = index;
  return s;
}

void DeviceSampleDecoder::Add(size_t column, const VarBind& cell) {
  if (column >= fields_.size()) return;
  any_cell_ = true;
  // Every column read here has one-part row indexes (ifIndex, hrStorageIndex, ...).
  const Oid& root = query_.walk[column];
  if (cell.oid.size() != root.size() + 1 || !cell.oid.StartsWith(root)) return;
  const uint32_t i = cell.oid.parts().back();
  const SnmpValue& v = cell.value;
  switch (fields_[column]) {
    case Field::kOther:
      return;
    case Field::kIfDescr:
      Row(i).description = v.AsText(text_);
      return;
    case Field::kIfType:
      Row(i).type = static_cast<int>(v.integer);
      return;
    case Field::kIfSpeed:
      Row(i).speed_bps = v.AsUnsigned().value_or(0);
      return;
    case Field::kIfAdminStatus:
      Row(i).admin_up = v.integer == 1;
      return;
    case Field::kIfOperStatus:
      Row(i).oper_status = static_cast<int>(v.integer);
      return;
    case Field::kIfLastChange:
      Row(i).last_change_ticks = Low32(v);
      return;
    case Field::kIfInOctets:
      Row(i).in_octets = Low32(v);
      Row(i).counter_bits = 32;
      return;
    case Field::kIfInDiscards:
      Row(i).in_discards = Low32(v);
      return;
    case Field::kIfInErrors:
      Row(i).in_errors = Low32(v);
      return;
    case Field::kIfOutOctets:
      Row(i).out_octets = Low32(v);
      return;
    case Field::kIfOutDiscards:
      Row(i).out_discards = Low32(v);
      return;
    case Field::kIfOutErrors:
      Row(i).out_errors = Low32(v);
      return;
    case Field::kIfName:
      Row(i).name = v.AsText(text_);
      return;
    case Field::kIfHcInOctets:
      if (v.type == SnmpType::kCounter64) hc_in_[i] = v.number;
      return;
    case Field::kIfHcOutOctets:
      if (v.type == SnmpType::kCounter64) hc_out_[i] = v.number;
      return;
    case Field::kIfHighSpeed:
      Row(i);
      high_speed_mbps_[i] = v.AsUnsigned().value_or(0);
      return;
    case Field::kIfAlias:
      Row(i).alias = v.AsText(text_);
      return;
    case Field::kIfCounterDiscontinuityTime:
      Row(i).counter_discontinuity_ticks = Low32(v);
      return;
    case Field::kHrStorageType:
      storage_[i].sample.kind = StorageKind(v);
      return;
    case Field::kHrStorageDescr:
      storage_[i].sample.description = v.AsText(text_);
      return;
    case Field::kHrStorageUnits:
      storage_[i].units = v.AsUnsigned().value_or(0);
      return;
    // hrStorageSize/Used are INTEGER (signed 32-bit); agents wrap large disks to negatives.
    case Field::kHrStorageSize:
      storage_[i].size = static_cast<uint32_t>(v.integer);
      return;
    case Field::kHrStorageUsed:
      storage_[i].used = static_cast<uint32_t>(v.integer);
      return;
    case Field::kHrProcessorLoad:
      cpu_load_[i] = static_cast<int>(v.integer);
      return;
    case Field::kUcdLaLoad: {
      // laLoad is a DisplayString such as "0.42".
      double load = std::strtod(v.AsText().c_str(), nullptr);
      if (i == 1) host_.load1 = load;
      if (i == 2) host_.load5 = load;
      if (i == 3) host_.load15 = load;
      return;
    }
  }
}

void DeviceSampleDecoder::FinishInterfaces() {
  for (const auto& [index, in] : hc_in_) {
    if (hc_out_.contains(index)) Row(index);
  }
  for (auto& [index, s] : sample_.interfaces) {
    if (auto high = high_speed_mbps_.find(index); high != high_speed_mbps_.end()) {
      uint64_t bps = high->second * 1'000'000;
      if (bps > 0 && (s.speed_bps == 0 || s.speed_bps == kIfSpeedSaturated || bps > s.speed_bps)) {
        s.speed_bps = bps;
      }
    }
    // Prefer 64-bit counters, but only where the agent has both directions of them.
    auto in = hc_in_.find(index);
    auto out = hc_out_.find(index);
    if (in != hc_in_.end() && out != hc_out_.end()) {
      s.in_octets = in->second;
      s.out_octets = out->second;
      s.counter_bits = 64;
    }
    if (s.name.empty()) s.name = s.description;
    if (s.name.empty()) s.name = "if" + std::to_string(index);
    if (!s.in_octets || !s.out_octets) {
      s.in_octets.reset();
      s.out_octets.reset();
      s.counter_bits = 0;
    }
  }
}

void DeviceSampleDecoder::FinishHost(const SnmpResult& result) {
  for (const auto& [index, load] : cpu_load_) host_.cpu_load_percent.push_back(load);
  if (const SnmpValue* v = result.Scalar(oids::kUcdMemTotalReal)) {
    if (auto kb = v->AsUnsigned()) host_.memory_total_bytes = *kb * 1024;
  }
  if (const SnmpValue* v = result.Scalar(oids::kUcdMemAvailReal)) {
    if (auto kb = v->AsUnsigned()) host_.memory_available_bytes = *kb * 1024;
  }
  for (auto& [index, row] : storage_) {
    if (row.sample.kind == StorageSample::Kind::kOther || row.units == 0) continue;
    row.sample.size_bytes = row.size * row.units;
    row.sample.used_bytes = row.used * row.units;
    host_.storage.push_back(std::move(row.sample));
  }
  sample_.host = std::move(host_);
}

std::expected<DeviceSample, Error> DeviceSampleDecoder::Finish(const SnmpResult& result) && {
  if (!any_cell_ && result.scalars.empty()) {
    return std::unexpected(
        Error("the agent answered nothing usable (no system object, no table row)"));
  }
  DeviceSample& sample = sample_;
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
  if (const SnmpValue* v = result.Scalar(oids::kSysName)) sample.system.name = v->AsText(text_);
  if (const SnmpValue* v = result.Scalar(oids::kSysDescr))
    sample.system.description = v->AsText(text_);
  if (const SnmpValue* v = result.Scalar(oids::kSysObjectId)) sample.system.object_id = v->AsText();
  for (size_t i = 0; i < query_.walk.size(); ++i) {
    bool interface_column =
        query_.walk[i].StartsWith(oids::kIfEntry) || query_.walk[i].StartsWith(oids::kIfXEntry);
    bool complete = i < result.column_complete.size() && result.column_complete[i];
    if (interface_column && !complete) sample.interfaces_complete = false;
  }
  FinishInterfaces();
  if (std::find(fields_.begin(), fields_.end(), Field::kHrProcessorLoad) != fields_.end()) {
    FinishHost(result);
  }
  return std::move(sample_);
}

std::expected<DeviceSample, Error> DecodeDeviceSample(const SnmpQuery& query,
                                                      const SnmpResult& result, TextEncoding text) {
  DeviceSampleDecoder decoder(query, text);
  for (size_t i = 0; i < result.columns.size(); ++i) {
    for (const VarBind& cell : result.columns[i]) decoder.Add(i, cell);
  }
  return std::move(decoder).Finish(result);
}

}  // namespace lanwatch
