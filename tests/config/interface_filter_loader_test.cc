// `interfaces: {include, exclude}` of a device: what each entry reads as, the mistakes the
// loader pins to their line, and the warnings about links whose port a filter leaves out.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.h"

namespace lanwatch {
namespace {

// The errors (or, for a valid file, its warnings) as "LINE:COL: message" strings.
std::vector<std::string> Messages(const std::string& yaml) {
  auto config = ParseConfig(yaml, "t.yaml");
  const Diagnostics& found = config ? config->warnings : config.error();
  std::vector<std::string> out;
  for (const Diagnostic& d : found) {
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  }
  return out;
}

std::string Device(const std::string& interfaces) {
  return "devices:\n  - name: sw\n    address: 198.18.1.2\n    interfaces: " + interfaces + "\n";
}

TEST(InterfaceFilterLoader, EachKindOfEntry) {
  auto config = ParseConfig(Device(R"({include: ["GigabitEthernet*", "type:ethernetCsmacd",
                 "type:6", "type:IEEE8023ADLAG"], exclude: ["Vlan*", "admin:down", "admin:up",
                 "type:softwareLoopback"]})"),
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  const InterfaceFilter& f = config->devices[0].interfaces;
  using Kind = InterfacePattern::Kind;
  ASSERT_EQ(f.include.size(), 4u);
  EXPECT_EQ(f.include[0].kind, Kind::kNameGlob);
  EXPECT_EQ(f.include[0].text, "GigabitEthernet*");
  EXPECT_EQ(f.include[1].kind, Kind::kType);
  EXPECT_EQ(f.include[1].type, 6);
  EXPECT_EQ(f.include[2].type, 6);
  EXPECT_EQ(f.include[3].type, 161) << "type names are matched regardless of case";
  ASSERT_EQ(f.exclude.size(), 4u);
  EXPECT_EQ(f.exclude[0].kind, Kind::kNameGlob);
  EXPECT_EQ(f.exclude[1].kind, Kind::kAdmin);
  EXPECT_FALSE(f.exclude[1].admin_up);
  EXPECT_TRUE(f.exclude[2].admin_up);
  EXPECT_EQ(f.exclude[3].type, 24);
  EXPECT_TRUE(config->warnings.empty());
}

TEST(InterfaceFilterLoader, NoFilterWatchesEverything) {
  auto config = ParseConfig("devices: [{name: sw, address: 198.18.1.2}]\n", "t.yaml");
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->devices[0].interfaces.empty());
}

TEST(InterfaceFilterLoader, MistakesArePinned) {
  auto p = Messages(Device(R"({include: ["type:ethernet", "type:0", "admin:off", ""],
      exclude: "Vlan*", exlude: []})"));
  ASSERT_EQ(p.size(), 6u) << ::testing::PrintToString(p);
  EXPECT_TRUE(
      p[0].starts_with("5:25: unknown key 'exlude' in device 'sw' interfaces (did you "
                       "mean 'exclude'?)"))
      << p[0];
  EXPECT_TRUE(
      p[1].starts_with("4:28: device 'sw' interfaces.include: 'type:ethernet': unknown interface "
                       "type 'ethernet'; give its IANAifType number (type:6) or one of other (1), "
                       "ethernetCsmacd (6),"))
      << p[1];
  EXPECT_NE(p[1].find("softwareLoopback (24)"), std::string::npos) << p[1];
  EXPECT_NE(p[1].find("ieee8023adLag (161)"), std::string::npos) << p[1];
  EXPECT_EQ(p[2], "4:45: device 'sw' interfaces.include: 'type:0': an ifType is 1 or more");
  EXPECT_EQ(p[3],
            "4:55: device 'sw' interfaces.include: 'admin:off': the admin state is admin:up or "
            "admin:down");
  EXPECT_EQ(p[4], "4:68: device 'sw' interfaces.include: an empty entry matches no interface");
  EXPECT_TRUE(p[5].starts_with("5:16: device 'sw' interfaces.exclude")) << p[5];
  auto scalar = Messages(Device("all"));
  ASSERT_EQ(scalar.size(), 1u) << ::testing::PrintToString(scalar);
  EXPECT_TRUE(scalar[0].starts_with("4:17: device 'sw' interfaces")) << scalar[0];
  auto nested = Messages(Device("{include: [[Gi1]]}"));
  ASSERT_EQ(nested.size(), 1u) << ::testing::PrintToString(nested);
  EXPECT_EQ(nested[0],
            "4:28: device 'sw' interfaces.include lists names (globs like Vlan*), type:NAME or "
            "admin:up|down");
}

TEST(InterfaceFilterLoader, WarnsOfALinkWhosePortTheFilterLeavesOut) {
  const std::string links = R"(links:
  - {name: vlan, device: sw, interface: Vlanif10}
  - {name: fiber, device: sw, interface: XGigabitEthernet0/0/1}
  - {name: typed, device: sw, interface: Eth-Trunk1}
  - {name: by-alias, device: sw, interface: {alias: Vlanif20}}
)";
  auto w = Messages(Device(R"({include: ["GigabitEthernet*", "Vlanif*"], exclude: ["Vlanif1?"]})") +
                    links);
  ASSERT_EQ(w.size(), 3u) << ::testing::PrintToString(w);
  EXPECT_EQ(w[0],
            "6:41: link 'vlan': interface 'Vlanif10' is excluded by 'Vlanif1?' in device 'sw' "
            "interfaces; watched anyway, as every configured link's port is");
  EXPECT_EQ(w[1],
            "7:42: link 'fiber': interface 'XGigabitEthernet0/0/1' is matched by no 'include' "
            "entry in device 'sw' interfaces; watched anyway, as every configured link's port is");
  EXPECT_TRUE(w[2].starts_with("8:42: link 'typed': interface 'Eth-Trunk1' is matched by no"))
      << w[2];
  // An include entry by type or admin state may take the port in once it is polled: no
  // warning from its name alone. An exclude by type cannot be judged before a poll either.
  auto typed = Messages(
      Device(R"({include: ["GigabitEthernet*", "type:161"], exclude: ["type:53"]})") + links);
  EXPECT_EQ(typed, std::vector<std::string>{});
}

TEST(InterfaceFilterLoader, TheExampleConfigFiltersTheCoreSwitch) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lanwatch.example.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  const DeviceConfig* sw = config->FindDevice("core-switch");
  ASSERT_NE(sw, nullptr);
  EXPECT_TRUE(sw->interfaces.include.empty());
  ASSERT_EQ(sw->interfaces.exclude.size(), 4u);
  EXPECT_EQ(sw->interfaces.exclude[2].type, 24);
  EXPECT_EQ(config->warnings.size(), 0u) << config->warnings.front().ToString();
}

}  // namespace
}  // namespace lanwatch
