// Agent text becomes UTF-8 where samples are decoded, as the device's text_encoding says.
#include <gtest/gtest.h>

#include "probes/snmp/device_poll.h"
#include "probes/snmp/discovery.h"
#include "probes/snmp/standard_oids.h"
#include "tests/support/snmp_values.h"

namespace lanwatch {
namespace {

using testing::Number;
using testing::Text;

const std::string kCoreSwitchGbk = "\xba\xcb\xd0\xc4\xbd\xbb\xbb\xbb\xbb\xfa";  // 核心交换机
const std::string kDatongFiberGbk =
    "\xb4\xf3\xcd\xac\xb7\xd6\xbe\xd6\xb9\xe2\xcf\xcb";  // 大同分局光纤
const std::string kMemoryGbk = "\xc4\xda\xb4\xe6";       // 内存
const std::string kFffd = "\xef\xbf\xbd";

// A server's reply whose names are GBK, as a Chinese-localised agent sends them.
SnmpResult GbkReply(const SnmpQuery& q) {
  SnmpResult r;
  r.scalars = {{oids::kSysUpTime, Number(SnmpType::kTimeTicks, 360000)},
               {oids::kSysName, Text(kCoreSwitchGbk)},
               {oids::kSysDescr, Text("Huawei VRP " + kCoreSwitchGbk)}};
  r.columns.resize(q.walk.size());
  r.column_complete.assign(q.walk.size(), true);
  auto cell = [&](const Oid& column, const SnmpValue& v) {
    for (size_t i = 0; i < q.walk.size(); ++i) {
      if (q.walk[i] == column) r.columns[i].push_back({column.Child(1), v});
    }
  };
  cell(oids::kIfDescr, Text("GE1/0/1 " + kDatongFiberGbk));
  cell(oids::kIfName, Text("GE1/0/1"));
  cell(oids::kIfAlias, Text(kDatongFiberGbk));
  cell(oids::kIfOperStatus, Number(SnmpType::kInteger, 1));
  SnmpValue ram;
  ram.type = SnmpType::kObjectId;
  ram.object_id = oids::kHrStorageTypes.Child(2);
  cell(oids::kHrStorageType, ram);
  cell(oids::kHrStorageDescr, Text(kMemoryGbk));
  cell(oids::kHrStorageUnits, Number(SnmpType::kInteger, 1024));
  cell(oids::kHrStorageSize, Number(SnmpType::kInteger, 100));
  return r;
}

TEST(SnmpValueAsText, DecodesPerEncoding) {
  EXPECT_EQ(Text(kCoreSwitchGbk).AsText(), "核心交换机");
  EXPECT_EQ(Text(kCoreSwitchGbk).AsText(TextEncoding::kGb18030), "核心交换机");
  EXPECT_EQ(Text("\xb4\xf3").AsText(TextEncoding::kUtf8), kFffd + kFffd);
  EXPECT_EQ(Text(std::string("Gi0/1\0\0 ", 8)).AsText(), "Gi0/1");
  EXPECT_EQ(Number(SnmpType::kInteger, 5).AsText(), "");
}

TEST(DecodeDeviceSample, GbkNamesArriveAsUtf8) {
  SnmpQuery q = BuildDeviceQuery(DeviceRole::kServer);
  auto s = DecodeDeviceSample(q, GbkReply(q), TextEncoding::kAuto);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->system.name, "核心交换机");
  EXPECT_EQ(s->system.description, "Huawei VRP 核心交换机");
  ASSERT_EQ(s->interfaces.count(1), 1u);
  EXPECT_EQ(s->interfaces[1].name, "GE1/0/1");
  EXPECT_EQ(s->interfaces[1].description, "GE1/0/1 大同分局光纤");
  EXPECT_EQ(s->interfaces[1].alias, "大同分局光纤");
  ASSERT_TRUE(s->host);
  ASSERT_EQ(s->host->storage.size(), 1u);
  EXPECT_EQ(s->host->storage[0].description, "内存");
}

TEST(DecodeDeviceSample, ForcedUtf8ReplacesGbk) {
  SnmpQuery q = BuildDeviceQuery(DeviceRole::kServer);
  auto s = DecodeDeviceSample(q, GbkReply(q), TextEncoding::kUtf8);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->system.name.starts_with(kFffd + kFffd + kFffd)) << s->system.name;
  EXPECT_EQ(s->interfaces[1].name, "GE1/0/1");
  EXPECT_TRUE(s->interfaces[1].alias.starts_with(kFffd));
  EXPECT_TRUE(s->host->storage[0].description.starts_with(kFffd));
}

TEST(DecodeDiscovery, SensorNamesAreDecodedToo) {
  SnmpQuery q = BuildDiscoveryQuery();
  SnmpResult r = GbkReply(q);
  auto add = [&](const Oid& column, const SnmpValue& v) {
    for (size_t i = 0; i < q.walk.size(); ++i) {
      if (q.walk[i] == column) r.columns[i].push_back({column.Child(1003), v});
    }
  };
  // An ENTITY-SENSOR dBm sensor (type 14, units, value -5) named in GBK.
  add(oids::kEntPhysicalName, Text(kDatongFiberGbk + " Rx"));
  add(oids::kEntPhySensorEntry.Child(1), Number(SnmpType::kInteger, 14));
  add(oids::kEntPhySensorEntry.Child(2), Number(SnmpType::kInteger, 9));
  add(oids::kEntPhySensorEntry.Child(4), Number(SnmpType::kInteger, 5));
  auto d = DecodeDiscovery(q, r, TextEncoding::kGb18030);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->device.system.name, "核心交换机");
  EXPECT_EQ(d->device.interfaces[1].alias, "大同分局光纤");
  ASSERT_EQ(d->optics.size(), 1u);
  EXPECT_EQ(d->optics[0].sensor, "大同分局光纤 Rx");
  ASSERT_NE(d->optics[0].Lane(1), nullptr);
  EXPECT_EQ(d->optics[0].Lane(1)->rx_dbm, 5.0);
}

}  // namespace
}  // namespace lanwatch
