#include "probes/snmp/discovery.h"

#include <map>

#include "probes/snmp/device_poll.h"

namespace lanwatch {

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

std::string Discovery::InterfaceName(uint32_t if_index) const {
  auto it = device.interfaces.find(if_index);
  return if_index == 0 || it == device.interfaces.end() ? "" : it->second.name;
}

SnmpQuery BuildDiscoveryQuery() {
  SnmpQuery q = BuildDeviceQuery(DeviceRole::kSwitch);
  SnmpQuery optics = BuildOpticsQuery();
  q.get.insert(q.get.end(), optics.get.begin(), optics.get.end());
  q.walk.insert(q.walk.end(), optics.walk.begin(), optics.walk.end());
  return q;
}

std::expected<Discovery, Error> DecodeDiscovery(const SnmpQuery& query, const SnmpResult& result,
                                                TextEncoding text) {
  auto device = DecodeDeviceSample(query, result, text);
  if (!device) return std::unexpected(device.error());
  Discovery d;
  d.device = std::move(*device);
  d.vendor = VendorFromObjectId(d.device.system.object_id);
  d.optics = DecodeOptics(query, result, d.device.system.object_id, text);
  for (Transceiver& t : d.optics) {
    if (!d.device.interfaces.contains(t.if_index)) t.if_index = 0;
  }
  return d;
}

}  // namespace lanwatch
