// The SNMP query lanwatch makes of a device, and its decoding into a DeviceSample.
// Shared by the daemon, `lanwatch check` and `lanwatch discover`.
#pragma once

#include <expected>
#include <functional>
#include <map>

#include "config/config.h"
#include "config/error.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

// System scalars and interface columns; host resources too for servers.
SnmpQuery BuildDeviceQuery(DeviceRole role);

// Decodes a device query's walked cells as they come (SnmpJob::on_cell) into one
// DeviceSample, and its scalars at the end: what a round holds per running poll is the
// sample, not the replies. Cells may come in any order, and again (a retried session).
class DeviceSampleDecoder {
 public:
  // `query` (a BuildDeviceQuery) must outlive the decoder. Names and descriptions are read as
  // `text` says (the device's snmp.text_encoding), always into UTF-8.
  DeviceSampleDecoder(const SnmpQuery& query, TextEncoding text);
  DeviceSampleDecoder(DeviceSampleDecoder&&) = default;

  // A cell of query.walk[column].
  void Add(size_t column, const VarBind& cell);
  // The sample: the cells added, the result's scalars and column completeness. Whatever the
  // agent gave counts, a failed or cut-short query included: missing scalars (sysUpTime too:
  // many real switches lack it) and columns just leave their fields empty, and
  // `interfaces_complete` says whether every interface column reached its end. Fails only
  // when the agent gave nothing usable: no scalar and no table cell at all.
  std::expected<DeviceSample, Error> Finish(const SnmpResult& result) &&;

 private:
  enum class Field : uint8_t;
  struct StorageRow {
    StorageSample sample;
    uint64_t units = 0, size = 0, used = 0;
  };
  InterfaceSample& Row(uint32_t index);
  void FinishInterfaces();
  void FinishHost(const SnmpResult& result);

  const SnmpQuery& query_;
  TextEncoding text_;
  std::vector<Field> fields_;  // what each query.walk entry is
  bool any_cell_ = false;
  DeviceSample sample_;
  // Read apart and combined at the end, whatever order their cells came in: the 64-bit
  // counters count only where both directions are there, ifHighSpeed refines ifSpeed.
  std::map<uint32_t, uint64_t> hc_in_, hc_out_, high_speed_mbps_;
  std::map<uint32_t, int> cpu_load_;  // by hrDeviceIndex
  std::map<uint32_t, StorageRow> storage_;
  HostSample host_;
};

// DeviceSampleDecoder over a result whose cells were kept (SnmpResult::columns).
std::expected<DeviceSample, Error> DecodeDeviceSample(const SnmpQuery& query,
                                                      const SnmpResult& result,
                                                      TextEncoding text = TextEncoding::kAuto);

// Calls `apply(row_index, value)` for each cell the walk of `column` returned.
void ForEachRow(const SnmpQuery& query, const SnmpResult& result, const Oid& column,
                const std::function<void(const Oid&, const SnmpValue&)>& apply);

}  // namespace lanwatch
