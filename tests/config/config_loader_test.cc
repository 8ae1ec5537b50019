#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace lanwatch {
namespace {

// The errors as "LINE:COL: message" strings, for compact assertions.
std::vector<std::string> Problems(std::string_view yaml) {
  auto config = ParseConfig(yaml, "t.yaml");
  std::vector<std::string> out;
  if (config) return out;
  for (const Diagnostic& d : config.error()) {
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  }
  return out;
}

bool AnyContains(const std::vector<std::string>& v, std::string_view needle) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

TEST(ConfigLoader, ExampleConfigOfTheBureauIsValid) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lanwatch.example.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->devices.size(), 3u);
  ASSERT_EQ(config->links.size(), 8u);
  const LinkConfig& uplink = config->links.front();
  EXPECT_EQ(uplink.kind, LinkKind::kUplink);
  EXPECT_DOUBLE_EQ(*uplink.capacity_bps, 10e6);
  EXPECT_EQ(std::count_if(config->links.begin(), config->links.end(),
                          [](const LinkConfig& l) { return l.kind == LinkKind::kSubordinate; }),
            7);
  const DeviceConfig* router = config->FindDevice("router");
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(router->snmp.version, SnmpVersion::kV3);
  EXPECT_EQ(router->snmp.auth_protocol, AuthProtocol::kSha256);
  EXPECT_EQ(router->snmp.priv_protocol, PrivProtocol::kAes);
}

TEST(ConfigLoader, DefaultsAndOverrides) {
  auto config = ParseConfig(R"(
poll_interval: 10s
snmp: {community: office, timeout: 1s, retries: 2}
devices:
  - {name: sw, role: switch, address: 198.18.1.2}
  - {name: old, address: 198.18.1.3, snmp: {version: 1, community: legacy}}
links:
  - {name: panji, kind: subordinate, device: sw, interface: {alias: "Panji fiber"}}
)",
                            "t.yaml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->poll_interval, std::chrono::seconds(10));
  EXPECT_EQ(config->devices[0].snmp.community, "office");
  EXPECT_EQ(config->devices[0].snmp.retries, 2);
  EXPECT_EQ(config->devices[1].snmp.community, "legacy");
  EXPECT_EQ(config->devices[1].snmp.version, SnmpVersion::kV1);
  EXPECT_EQ(config->devices[1].snmp.timeout, std::chrono::seconds(1));  // inherited
  EXPECT_EQ(config->links[0].interface.key, InterfaceKey::kAlias);
  EXPECT_FALSE(config->links[0].capacity_bps);  // falls back to port speed
  EXPECT_DOUBLE_EQ(config->links[0].thresholds.utilization_critical, 0.95);
}

TEST(ConfigLoader, NotifySection) {
  auto config = ParseConfig(R"(
devices:
  - {name: sw, role: switch, address: 198.18.1.2}
notify:
  language: en
  dashboard_url: http://lanwatch.bureau.example/
  timezone: Asia/Shanghai
  group_wait: 10s
  email:
    url: smtp://mail.bureau.example:587
    starttls: yes
    from: "lanwatch <lanwatch@bureau.example>"
    to: it@bureau.example
    username: lanwatch
    password_file: /etc/lanwatch/smtp-password
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  const NotifySettings& n = config->notify;
  EXPECT_EQ(n.language, NotifyLanguage::kEn);
  EXPECT_EQ(n.dashboard_url, "http://lanwatch.bureau.example/");
  EXPECT_EQ(n.timezone, "Asia/Shanghai");
  EXPECT_EQ(n.group_wait, std::chrono::seconds(10));
  EXPECT_EQ(n.email.url, "smtp://mail.bureau.example:587");
  EXPECT_TRUE(n.email.starttls);
  EXPECT_EQ(n.email.to, std::vector<std::string>{"it@bureau.example"});
  EXPECT_EQ(n.email.password_file, "/etc/lanwatch/smtp-password");

  auto p = Problems(R"(devices:
  - {name: sw, address: 198.18.1.2}
notify:
  language: fr
  email:
    url: http://mail.bureau.example
    username: lanwatch
    passwd: inline-secret
)");
  EXPECT_TRUE(AnyContains(p, "4:13: 'language' must be one of zh, en, not 'fr'")) << p.front();
  EXPECT_TRUE(AnyContains(p, "unknown key 'passwd'"));
  EXPECT_TRUE(AnyContains(p, "must start with smtp:// or smtps://"));
  EXPECT_TRUE(AnyContains(p, "needs a 'from' address"));
  EXPECT_TRUE(AnyContains(p, "needs at least one 'to' address"));
  EXPECT_TRUE(AnyContains(p, "has a 'username' but no 'password_file'"));
  EXPECT_TRUE(AnyContains(Problems("devices: []\nnotify: {email: {url: 'smtps://m:465', starttls: "
                                   "true, from: a@b, to: [c@d]}}\n"),
                          "smtps:// is TLS from the start"));
}

TEST(ConfigLoader, UnknownKeySuggestsTheClosestOne) {
  auto p = Problems("devices:\n  - {name: a, address: 198.18.1.1}\npoll_intervall: 5s\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0],
            "3:1: unknown key 'poll_intervall' in the top level (did you mean 'poll_interval'?)");
}

TEST(ConfigLoader, WrongTypeBadUnitAndBadEnumAreEachPinned) {
  auto p = Problems(R"(devices:
  - name: a
    address: 198.18.1.1
    role: firewall
    snmp:
      timeout: soon
      retries: many
links:
  - name: l
    device: a
    interface: eth0
    capacity: 10 furlongs
)");
  ASSERT_EQ(p.size(), 4u) << testing::PrintToString(p);
  EXPECT_TRUE(p[0].starts_with("4:11: 'role' must be one of router, switch, server, other"));
  EXPECT_TRUE(p[1].starts_with("6:16: 'timeout':"));
  EXPECT_TRUE(p[2].starts_with("7:16: 'retries' must be a whole number"));
  EXPECT_TRUE(p[3].starts_with("12:15: 'capacity': '10 furlongs' is not a bit rate"));
}

TEST(ConfigLoader, DuplicateNamesAndUnknownDevice) {
  auto p = Problems(R"(devices:
  - {name: sw, address: 198.18.1.2}
  - {name: sw, address: 198.18.1.3}
links:
  - {name: up, device: router, interface: eth0}
  - {name: up, device: sw, interface: eth1}
)");
  ASSERT_EQ(p.size(), 3u) << testing::PrintToString(p);
  EXPECT_EQ(p[0], "3:12: duplicate device name 'sw' (first defined at line 2)");
  EXPECT_EQ(p[1], "5:24: link 'up' names unknown device 'router'");
  EXPECT_EQ(p[2], "6:12: duplicate link name 'up' (first defined at line 5)");
}

TEST(ConfigLoader, IncompleteSnmpV3IsRefused) {
  auto p = Problems(R"(devices:
  - name: r
    address: 198.18.0.1
    snmp: {version: 3, auth_protocol: SHA, auth_passphrase: short, priv_protocol: AES}
)");
  EXPECT_TRUE(AnyContains(p, "SNMPv3 needs 'user'"));
  EXPECT_TRUE(AnyContains(p, "auth_passphrase must have at least 8 characters"));
  EXPECT_TRUE(AnyContains(p, "priv_passphrase must have at least 8 characters"));
}

TEST(ConfigLoader, Captures) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lanwatch.example.yaml");
  ASSERT_TRUE(config);
  ASSERT_EQ(config->captures.size(), 1u);
  EXPECT_EQ(config->captures[0].interface, "eth1");
  EXPECT_EQ(config->captures[0].link, "uplink");
  ASSERT_EQ(config->captures[0].local_networks.size(), 1u);
  EXPECT_EQ(config->captures[0].local_networks[0].prefix, 15);

  auto p = Problems(R"(devices: []
captures:
  - {name: span, interface: eth1, local_networks: [198.18.1.0/33], link: nowhere}
  - {name: span, interface: eth2, interval: 10ms}
)");
  ASSERT_EQ(p.size(), 4u) << testing::PrintToString(p);
  EXPECT_EQ(p[0], "3:52: capture 'span': '198.18.1.0/33' is not a network like 198.18.1.0/24");
  EXPECT_EQ(p[1], "3:74: capture 'span' names unknown link 'nowhere'");
  EXPECT_EQ(p[2], "4:45: capture 'span': interval must be at least 100ms");
  EXPECT_EQ(p[3], "4:12: duplicate capture name 'span' (first defined at line 3)");
}

TEST(ConfigLoader, Traps) {
  auto config = ParseConfig(R"(traps:
  listen: "[::]:1162"
  communities: [trapcomm, old]
  debounce: 500ms
devices:
  - {name: core, address: 198.18.1.2, trap_sources: [198.18.0.2, "[fd00::1]"]}
  - {name: old, address: 198.18.1.3, trap_sources: 198.18.0.6}
  - {name: sw, address: 198.18.1.4}
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->traps.listen, "[::]:1162");
  EXPECT_EQ(config->traps.communities, (std::vector<std::string>{"trapcomm", "old"}));
  EXPECT_EQ(config->traps.debounce, std::chrono::milliseconds(500));
  EXPECT_EQ(config->devices[0].trap_sources, (std::vector<std::string>{"198.18.0.2", "[fd00::1]"}));
  EXPECT_EQ(config->devices[1].trap_sources, std::vector<std::string>{"198.18.0.6"});
  EXPECT_TRUE(config->devices[2].trap_sources.empty());

  // Without `traps:` there is no receiver; the debounce keeps its default.
  auto plain = ParseConfig("devices: [{name: a, address: 198.18.1.1}]\n", "t.yaml");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->traps.listen, "");
  EXPECT_TRUE(plain->traps.communities.empty());
  EXPECT_EQ(plain->traps.debounce, std::chrono::milliseconds(200));
  // The port defaults to 162; a bare IPv6 address has no room for one.
  EXPECT_TRUE(ParseConfig("traps: {listen: 0.0.0.0}\ndevices: []\n", "t.yaml"));
  EXPECT_TRUE(ParseConfig("traps: {listen: '::'}\ndevices: []\n", "t.yaml"));
}

TEST(ConfigLoader, TrapsInTheExampleConfig) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lanwatch.example.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->traps.listen, "0.0.0.0:162");
  EXPECT_EQ(config->traps.communities, std::vector<std::string>{"bureau-trap"});
  EXPECT_EQ(config->traps.debounce, std::chrono::milliseconds(200));
  EXPECT_EQ(config->FindDevice("router")->trap_sources, std::vector<std::string>{"198.18.0.1"});
}

TEST(ConfigLoader, TrapMistakesArePinned) {
  auto p = Problems(R"(traps:
  listen: 198.18.0.300:162
  debounce: soon
  comunities: [x]
devices:
  - {name: core, address: 198.18.1.2, trap_sources: [198.18.0.2, core.example]}
)");
  ASSERT_EQ(p.size(), 4u) << testing::PrintToString(p);
  EXPECT_EQ(p[0], "4:3: unknown key 'comunities' in 'traps' (did you mean 'communities'?)");
  EXPECT_EQ(p[1],
            "2:11: 'traps.listen' '198.18.0.300:162': the host must be an IPv4 address, or an "
            "IPv6 one in brackets (HOST[:PORT], like 0.0.0.0:162 or [::]:162)");
  EXPECT_TRUE(p[2].starts_with("3:13: 'debounce':")) << p[2];
  EXPECT_EQ(p[3], "6:66: device 'core': trap source 'core.example' is not an IPv4 or IPv6 address");

  auto port = Problems("traps: {listen: '0.0.0.0:70000'}\ndevices: []\n");
  ASSERT_EQ(port.size(), 1u) << testing::PrintToString(port);
  EXPECT_TRUE(AnyContains(port, "the port must be a number from 0 to 65535")) << port[0];
  EXPECT_TRUE(AnyContains(Problems("traps: {listen: '0.0.0.0:0'}\ndevices: []\n"),
                          "'traps.listen' needs a port from 1 to 65535"));
  EXPECT_TRUE(AnyContains(Problems("traps: {listen: '[::1]162'}\ndevices: []\n"),
                          "only ':PORT' may follow ']'"));
  EXPECT_TRUE(AnyContains(Problems("traps: {listen: 'trapd.example:162'}\ndevices: []\n"),
                          "the host must be an IPv4 address"));
  EXPECT_TRUE(AnyContains(Problems("traps: {debounce: 5m}\ndevices: []\n"),
                          "'traps.debounce' must be at most 1m"));
  EXPECT_TRUE(AnyContains(Problems("traps: {communities: ['']}\ndevices: []\n"),
                          "'traps.communities' lists an empty one"));
}

TEST(ConfigLoader, TrapsFromAnSnmpV3DeviceNeedListedCommunities) {
  std::string devices = R"(devices:
  - name: r
    address: 198.18.0.1
    snmp: {version: 3, user: lw, auth_protocol: SHA, auth_passphrase: longenough}
)";
  auto p = Problems("traps: {listen: 0.0.0.0:162}\n" + devices);
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "1:8: device 'r' is polled with SNMPv3: list the community its traps carry in "
            "'traps.communities'");
  EXPECT_TRUE(
      Problems("traps: {listen: 0.0.0.0:162, communities: [trapcomm]}\n" + devices).empty());
  EXPECT_TRUE(Problems(devices).empty()) << "no receiver, nothing to check";
}

TEST(ConfigLoader, SyntaxErrorHasAPosition) {
  auto p = Problems("devices:\n  - {name: a, address: [\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].find("YAML syntax") != std::string::npos) << p[0];
  EXPECT_TRUE(p[0].starts_with("3:")) << p[0];
}

TEST(ConfigLoader, MissingFileIsReportedNotThrown) {
  auto config = LoadConfigFile("/nonexistent/lanwatch.yaml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().front().message, "cannot open the file for reading");
}

TEST(ConfigLoader, EmptyAndScalarDocumentsAreErrorsNotCrashes) {
  EXPECT_FALSE(Problems("").empty());
  EXPECT_FALSE(Problems("just text").empty());
  EXPECT_FALSE(Problems("devices: 5").empty());
  EXPECT_FALSE(Problems("devices: [5, [1], {}]").empty());
}

TEST(ConfigLoader, OpticsIntervalAndFiberThresholds) {
  auto config = ParseConfig(R"(
optics_interval: 2m
alerts: {fiber_drop: 2.5dB, fiber_for: 1m}
devices:
  - {name: sw, address: 127.0.0.1, optics_interval: 30s, alerts: {no_light_severity: warning}}
  - {name: r, address: 127.0.0.2}
links:
  - {name: a, device: sw, interface: ge1, thresholds: {fiber_baseline_window: 2d}}
  - {name: b, device: r, interface: ge1}
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->optics_interval, std::chrono::minutes(2));
  EXPECT_EQ(config->devices[0].optics_interval, std::chrono::seconds(30));
  EXPECT_FALSE(config->devices[1].optics_interval);
  const LinkThresholds& a = config->links[0].thresholds;
  EXPECT_DOUBLE_EQ(a.fiber_drop_db, 2.5);
  EXPECT_EQ(a.fiber_for, std::chrono::minutes(1));
  EXPECT_EQ(a.no_light_severity, AlertSeverity::kWarning);
  EXPECT_EQ(a.fiber_baseline_window, std::chrono::hours(48));
  EXPECT_EQ(config->links[1].thresholds.no_light_severity, AlertSeverity::kCritical);
  EXPECT_EQ(config->links[1].thresholds.fiber_baseline_window, std::chrono::hours(7 * 24));

  auto p = Problems(R"(
optics_interval: 100ms
alerts: {fiber_drop: 3 percent, fiber_baseline_window: 10m}
devices: [{name: sw, address: 127.0.0.1}]
)");
  EXPECT_TRUE(AnyContains(p, "2:18: 'optics_interval' must be at least 1s")) << p.front();
  EXPECT_TRUE(AnyContains(p, "'fiber_drop': '3 percent' is not a power difference")) << p.front();
  EXPECT_TRUE(AnyContains(p, "fiber_baseline_window must be at least 1h")) << p.front();
}

}  // namespace
}  // namespace lanwatch
