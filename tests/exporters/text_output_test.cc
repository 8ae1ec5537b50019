// What lanwatch writes is UTF-8 whatever reaches the exporters: Chinese names read naturally in
// tables, drafts and metrics; invalid bytes (which decoding at the source should already have
// removed) become U+FFFD instead of an exception or a broken scrape.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "config/config_loader.h"
#include "config/text_encoding.h"
#include "exporters/check_report.h"
#include "exporters/discovery_report.h"
#include "exporters/status_collector.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

const std::string kRawGbk = "\xba\xcb\xd0\xc4";  // 核心 in GBK: not UTF-8
const std::string kRawGbkReplaced =
    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";  // 4 x U+FFFD
const std::string kFffd = "\xef\xbf\xbd";

TEST(RenderTable, AlignsChineseByScreenColumns) {
  std::string table = RenderTable({{"NAME", "ALIAS", "STATE"},
                                   {"GE1/0/1", "大同分局光纤", "up"},
                                   {"GE1/0/2", "ISP uplink", "down"}});
  EXPECT_EQ(table,
            "NAME     ALIAS         STATE\n"
            "GE1/0/1  大同分局光纤  up\n"
            "GE1/0/2  ISP uplink    down\n");
  EXPECT_EQ(RenderTable({{"a" + kRawGbk, "b"}, {"abcdef", "c"}}),
            "a" + kFffd + kFffd + kFffd + kFffd + "   b\n" + "abcdef  c\n");
}

NetworkStatus StatusWithText(const std::string& sys_name, const std::string& interface) {
  NetworkStatus s;
  DeviceStatus d;
  d.name = "core";
  d.role = "switch";
  d.polled = d.up = true;
  d.sys_name = sys_name;
  InterfaceStatus i;
  i.index = 1;
  i.name = interface;
  d.interfaces.push_back(i);
  s.devices.push_back(d);
  LinkStatus l;
  l.name = "datong";
  l.device = "core";
  l.interface = interface;
  l.found = true;
  s.links.push_back(l);
  return s;
}

TEST(MetricLabels, InvalidUtf8NeverReachesTheExposition) {
  std::string text = prometheus::TextSerializer().Serialize(
      BuildMetricFamilies(StatusWithText(kRawGbk, "GE1/0/1 " + kRawGbk), "1"));
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_NE(text.find("sys_name=\"" + kRawGbkReplaced + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("interface=\"GE1/0/1 " + kFffd), std::string::npos) << text;
}

TEST(MetricLabels, ChineseLabelsAreKept) {
  std::string text = prometheus::TextSerializer().Serialize(
      BuildMetricFamilies(StatusWithText("核心交换机", "大同分局光纤"), "1"));
  EXPECT_NE(text.find("sys_name=\"核心交换机\""), std::string::npos) << text;
  EXPECT_NE(text.find("lanwatch_interface_up{device=\"core\",interface=\"大同分局光纤\"}"),
            std::string::npos)
      << text;
}

TEST(CheckReport, JsonAndTextNeverThrowOnInvalidUtf8) {
  NetworkStatus s = StatusWithText(kRawGbk, "GE1/0/1 " + kRawGbk);
  std::string json;
  ASSERT_NO_THROW(json = RenderJsonReport(s, Severity::kOk));
  EXPECT_TRUE(IsValidUtf8(json));
  EXPECT_EQ(nlohmann::json::parse(json)["devices"][0]["sys_name"], kRawGbkReplaced);
  std::string text =
      RenderNagiosReport(StatusWithText("核心交换机", "大同分局光纤"), Severity::kOk);
  EXPECT_NE(text.find("核心交换机"), std::string::npos) << text;
}

Discovery ChineseSwitch() {
  Discovery d;
  d.vendor = "Huawei";
  d.device.system.name = "核心交换机";
  d.device.system.object_id = "1.3.6.1.4.1.2011.2.23.1";
  auto port = [&](uint32_t index, std::string name, std::string alias) {
    InterfaceSample& i = d.device.interfaces[index];
    i.index = index;
    i.name = std::move(name);
    i.alias = std::move(alias);
    i.oper_status = 1;
    i.speed_bps = 1'000'000'000;
  };
  port(1, "GE1/0/1", "大同分局光纤");
  port(2, "GE1/0/2", "上联电信（主）");
  port(3, "GE1/0/3", "田家庵区 光纤");
  port(4, "GE1/0/4", kRawGbk);  // cannot happen after decoding; must still be harmless
  return d;
}

TEST(DraftConfig, ChineseAliasesMakeReadableLinkNamesThatValidate) {
  SnmpSettings snmp;
  snmp.text_encoding = TextEncoding::kGb18030;
  std::string draft = RenderDraftConfig(ChineseSwitch(), "198.18.1.2", snmp);
  EXPECT_TRUE(IsValidUtf8(draft));
  EXPECT_NE(draft.find("  - name: 核心交换机\n"), std::string::npos) << draft;
  EXPECT_NE(draft.find("      text_encoding: gb18030\n"), std::string::npos) << draft;
  EXPECT_NE(draft.find("  - name: 大同分局光纤\n    kind: subordinate\n"), std::string::npos)
      << draft;
  EXPECT_NE(draft.find("  - name: 上联电信-主\n    kind: uplink\n"), std::string::npos) << draft;
  EXPECT_NE(draft.find("  - name: 田家庵区-光纤\n"), std::string::npos) << draft;
  auto config = ParseConfig(draft, "draft.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString() << "\n" << draft;
  EXPECT_EQ(config->devices[0].snmp.text_encoding, TextEncoding::kGb18030);
  EXPECT_EQ(config->links.size(), 4u);
}

TEST(DiscoveryReport, JsonAndTextStayUtf8) {
  std::string json;
  ASSERT_NO_THROW(json = RenderDiscoveryJson(ChineseSwitch()));
  EXPECT_TRUE(IsValidUtf8(json));
  auto parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed["system"]["name"], "核心交换机");
  EXPECT_EQ(parsed["interfaces"][0]["alias"], "大同分局光纤");
  std::string text = RenderDiscoveryText(ChineseSwitch());
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_NE(text.find("name:        核心交换机\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace lanwatch
