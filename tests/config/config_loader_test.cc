#include "config/config_loader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

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
  // The .deb installs this file as /etc/lanwatch/lanwatch.yaml: its lab addresses must never
  // be polled, so it carries the marker lanwatchd refuses.
  EXPECT_TRUE(config->example);
}

TEST(ConfigLoader, ExampleMarkerIsOffByDefaultAndMustBeABoolean) {
  const std::string devices = "devices: [{name: a, address: 198.18.1.1}]\n";
  auto plain = ParseConfig(devices, "t.yaml");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->example);
  auto marked = ParseConfig("example: true\n" + devices, "t.yaml");
  ASSERT_TRUE(marked);
  EXPECT_TRUE(marked->example);
  auto removed = ParseConfig("example: no\n" + devices, "t.yaml");
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->example);
  auto p = Problems("example: maybe\n" + devices);
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_TRUE(p[0].starts_with("1:10: 'example' must be one of true, false")) << p[0];
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

// Reachability (issue 11): probes, links' peer and beyond, far-end thresholds, services.

constexpr std::string_view kDevices = R"(devices:
  - {name: sw, role: switch, address: 198.18.1.2}
  - {name: r, role: router, address: 198.18.1.1}
  - {name: server, role: server, address: 198.18.1.10}
)";

std::vector<std::string> ProblemsWithDevices(std::string_view rest) {
  return Problems(std::string(kDevices) + std::string(rest));
}

TEST(ConfigLoader, ProbesSectionAndItsDefaults) {
  auto config = ParseConfig(std::string(kDevices) + R"(probes:
  interval: 250ms
  window: 5s
  timeout: 1.5s
  mode: Datagram
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->probes.interval, std::chrono::milliseconds(250));
  EXPECT_EQ(config->probes.window, std::chrono::seconds(5));
  EXPECT_EQ(config->probes.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(config->probes.mode, ProbeSocketMode::kDatagram);
  EXPECT_EQ(ParseConfig(std::string(kDevices) + "probes: {mode: raw}\n", "t.yaml")->probes.mode,
            ProbeSocketMode::kRaw);

  auto plain = ParseConfig(kDevices, "t.yaml");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->probes.interval, std::chrono::seconds(1));
  EXPECT_EQ(plain->probes.window, std::chrono::seconds(10));
  EXPECT_EQ(plain->probes.timeout, std::chrono::seconds(2));
  EXPECT_EQ(plain->probes.mode, ProbeSocketMode::kAuto);
}

TEST(ConfigLoader, ProbeMistakesArePinned) {
  auto p = ProblemsWithDevices("probes: {interval: 5 ms, mode: icmp, count: 3}\n");
  ASSERT_EQ(p.size(), 3u) << testing::PrintToString(p);
  EXPECT_TRUE(p[0].starts_with("5:38: unknown key 'count' in 'probes'")) << p[0];
  EXPECT_TRUE(p[1].starts_with("5:32: 'mode' must be one of auto, datagram, raw, not 'icmp'"))
      << p[1];
  EXPECT_EQ(p[2],
            "5:20: 'probes.interval' must be at least 10ms (one echo request per target each "
            "interval; switches rate-limit ICMP to themselves)");

  p = ProblemsWithDevices("probes: {interval: 10s, window: 5s}\n");
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "5:33: 'probes.window' (5s) must be at least 3 x 'probes.interval' (10s): a far end "
            "is judged on three probes at least");

  // The default window (10 s) judges a timeout given alone; the window given alone is
  // judged against the default timeout (2 s), and the problem is pinned where it was written.
  p = ProblemsWithDevices("probes: {timeout: 20s}\n");
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "5:19: 'probes.timeout' (20s) must be at most 'probes.window' (10s): a probe's "
            "outcome must be known inside its window");
  p = ProblemsWithDevices("probes: {interval: 500ms, window: 1500ms}\n");
  ASSERT_EQ(p.size(), 1u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "5:9: 'probes.timeout' (2s) must be at most 'probes.window' (1500ms): a probe's "
            "outcome must be known inside its window");
  EXPECT_TRUE(AnyContains(ProblemsWithDevices("probes: {timeout: 0s}\n"),
                          "5:19: 'probes.timeout' must be at least 10ms"));
  EXPECT_TRUE(AnyContains(ProblemsWithDevices("probes: [1s]\n"),
                          "'probes' must be a mapping of key: value"));
  EXPECT_TRUE(
      ProblemsWithDevices("probes: {interval: 10ms, window: 30ms, timeout: 10ms}\n").empty())
      << "the bounds themselves are allowed";
}

TEST(ConfigLoader, PeerAndBeyondOfLinks) {
  auto config = ParseConfig(std::string(kDevices) + R"(links:
  - {name: uplink, kind: uplink, device: r, interface: wan0, peer: 198.18.0.1,
     beyond: "[2001:db8:ffff::2]"}
  - {name: a, kind: subordinate, device: sw, interface: ge1, peer: 2001:db8:11::2}
  - {name: b, kind: subordinate, device: sw, interface: ge2, peer: 198.18.11.2}
  - {name: c, kind: subordinate, device: sw, interface: ge3}
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->links[0].peer, "198.18.0.1");
  EXPECT_EQ(config->links[0].beyond, "2001:db8:ffff::2") << "brackets are taken off";
  EXPECT_EQ(config->links[1].peer, "2001:db8:11::2");
  EXPECT_EQ(config->links[1].beyond, "");
  EXPECT_EQ(config->links[2].peer, "198.18.11.2");
  EXPECT_EQ(config->links[3].peer, "") << "no peer: not probed";
  EXPECT_EQ(config->links[3].beyond, "");

  // Two links to one far device (a trunk of two fibers) share its address.
  EXPECT_TRUE(ProblemsWithDevices(R"(links:
  - {name: a, device: sw, interface: ge1, peer: 198.18.11.2}
  - {name: b, device: sw, interface: ge2, peer: 198.18.11.2}
)")
                  .empty());
}

TEST(ConfigLoader, PeerMistakesArePinned) {
  auto p = ProblemsWithDevices(R"(links:
  - {name: a, kind: subordinate, device: sw, interface: ge1, peer: unit-a.bureau.example}
  - {name: b, kind: subordinate, device: sw, interface: ge2, peer: 198.18.11.300,
     beyond: 198.19.0.2}
  - {name: up, kind: uplink, device: r, interface: wan0, beyond: [198.19.0.2]}
)");
  ASSERT_EQ(p.size(), 4u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "6:68: link 'a': peer 'unit-a.bureau.example' is not an IPv4 or IPv6 address: echo "
            "targets must be numeric, not host names");
  EXPECT_TRUE(p[1].starts_with("7:68: link 'b': peer '198.18.11.300' is not an IPv4 or IPv6"))
      << p[1];
  EXPECT_EQ(p[2],
            "8:14: link 'b': 'beyond' is for the uplink only (kind: uplink): a host past the "
            "ISP, to tell its network from the line");
  EXPECT_TRUE(p[3].starts_with("9:66: 'beyond' must be a single value, not a list")) << p[3];
}

TEST(ConfigLoader, FarEndThresholdsAtEveryLevel) {
  auto config = ParseConfig(R"(alerts:
  far_end_unreachable_severity: warning
  far_end_unreachable_for: 20s
  far_end_loss_warning: 2%
  far_end_loss_critical: 0.1
  far_end_loss_for: 1m
  far_end_rtt_warning: 50ms
  far_end_rtt_critical: 0.5s
  far_end_rtt_for: 2m
devices:
  - {name: sw, address: 198.18.1.2, alerts: {far_end_loss_warning: 0.05, far_end_rtt_for: 30s}}
  - {name: r, address: 198.18.1.1}
links:
  - name: a
    device: sw
    interface: ge1
    thresholds: {far_end_rtt_critical: 250ms, far_end_unreachable_severity: none}
  - {name: b, device: sw, interface: ge2}
  - {name: up, device: r, interface: wan0}
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  const LinkThresholds& a = config->links[0].thresholds;  // link over device over top level
  EXPECT_EQ(a.far_end_unreachable_severity, AlertSeverity::kNone);
  EXPECT_EQ(a.far_end_unreachable_for, std::chrono::seconds(20));
  EXPECT_DOUBLE_EQ(a.far_end_loss_warning, 0.05);
  EXPECT_DOUBLE_EQ(a.far_end_loss_critical, 0.1);
  EXPECT_EQ(a.far_end_loss_for, std::chrono::minutes(1));
  EXPECT_DOUBLE_EQ(a.far_end_rtt_warning, 0.050);
  EXPECT_DOUBLE_EQ(a.far_end_rtt_critical, 0.250);
  EXPECT_EQ(a.far_end_rtt_for, std::chrono::seconds(30));
  const LinkThresholds& b = config->links[1].thresholds;  // the device's
  EXPECT_EQ(b.far_end_unreachable_severity, AlertSeverity::kWarning);
  EXPECT_DOUBLE_EQ(b.far_end_loss_warning, 0.05);
  EXPECT_DOUBLE_EQ(b.far_end_rtt_critical, 0.5);
  EXPECT_EQ(b.far_end_rtt_for, std::chrono::seconds(30));
  const LinkThresholds& up = config->links[2].thresholds;  // the top level's
  EXPECT_DOUBLE_EQ(up.far_end_loss_warning, 0.02);
  EXPECT_EQ(up.far_end_rtt_for, std::chrono::minutes(2));

  auto plain = ParseConfig(std::string(kDevices) + "links: [{name: a, device: sw, interface: x}]\n",
                           "t.yaml");
  ASSERT_TRUE(plain);
  const LinkThresholds& d = plain->links[0].thresholds;
  EXPECT_EQ(d.far_end_unreachable_severity, AlertSeverity::kCritical);
  EXPECT_EQ(d.far_end_unreachable_for, std::chrono::seconds(10));
  EXPECT_DOUBLE_EQ(d.far_end_loss_warning, 0.05);
  EXPECT_DOUBLE_EQ(d.far_end_loss_critical, 0.20);
  EXPECT_EQ(d.far_end_loss_for, std::chrono::seconds(30));
  EXPECT_DOUBLE_EQ(d.far_end_rtt_warning, 0.100);
  EXPECT_DOUBLE_EQ(d.far_end_rtt_critical, 0.500);
  EXPECT_EQ(d.far_end_rtt_for, std::chrono::minutes(1));
}

TEST(ConfigLoader, FarEndThresholdMistakesArePinned) {
  auto p = ProblemsWithDevices(R"(alerts: {far_end_loss_warning: 30%, far_end_rtt_warning: 1s}
)");
  ASSERT_EQ(p.size(), 2u) << testing::PrintToString(p);
  EXPECT_EQ(p[0], "5:9: 'alerts': far_end_loss_warning is above far_end_loss_critical");
  EXPECT_EQ(p[1], "5:9: 'alerts': far_end_rtt_warning is above far_end_rtt_critical");

  p = ProblemsWithDevices(R"(links:
  - name: a
    device: sw
    interface: ge1
    thresholds:
      far_end_loss_critical: 120%
      far_end_rtt_warning: 0ms
      far_end_rtt_critical: 5 parsecs
      far_end_unreachable_severity: loud
)");
  ASSERT_EQ(p.size(), 4u) << testing::PrintToString(p);
  EXPECT_TRUE(AnyContains(p, "10:30: 'far_end_loss_critical': '120%' is more than 100%"));
  EXPECT_TRUE(AnyContains(p,
                          "11:28: link 'a' thresholds: far_end_rtt_warning must be at least 1ms "
                          "(a round-trip time, like 100ms)"));
  EXPECT_TRUE(AnyContains(p, "12:29: 'far_end_rtt_critical': '5 parsecs' is not a duration"));
  EXPECT_TRUE(AnyContains(p, "13:37: 'far_end_unreachable_severity' must be one of critical"));
  EXPECT_TRUE(AnyContains(ProblemsWithDevices("alerts: {far_end_los_for: 1m}\n"),
                          "(did you mean 'far_end_loss_for'?)"));
}

TEST(ConfigLoader, ServicesEveryKey) {
  std::string ca = ::testing::TempDir() + "lanwatch-test-ca.pem";
  {
    std::ofstream out(ca);
    out << "-----BEGIN CERTIFICATE-----\n";
  }
  auto config = ParseConfig(std::string(kDevices) + fmt::format(R"(services:
  - name: 网站
    url: HTTPS://198.18.1.10/index.html
    device: server
    interval: 10s
    timeout: 3s
    expect_status: 200-299
    method: get
    ca_file: {}
    down_severity: warning
    down_for: 20s
    cert_severity: critical
    cert_warning_days: 30
    cert_critical_days: 30
  - {{name: 办公自动化, tcp: "[2001:db8::10]:8080", expect_status: 204, method: Head}}
  - {{name: oa-by-name, tcp: oa.bureau.example:443}}
  - {{name: plain, url: http://198.18.1.10/}}
)",
                                                                ca),
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  ASSERT_EQ(config->services.size(), 4u);
  const ServiceConfig& web = config->services[0];
  EXPECT_EQ(web.name, "网站");
  EXPECT_EQ(web.url, "https://198.18.1.10/index.html") << "the scheme in lower case";
  EXPECT_EQ(web.tcp, "");
  EXPECT_EQ(web.device, "server");
  EXPECT_EQ(web.interval, std::chrono::seconds(10));
  EXPECT_EQ(web.timeout, std::chrono::seconds(3));
  EXPECT_EQ(web.expect_status_low, 200);
  EXPECT_EQ(web.expect_status_high, 299);
  EXPECT_TRUE(web.get);
  EXPECT_EQ(web.ca_file, ca);
  EXPECT_EQ(web.down_severity, AlertSeverity::kWarning);
  EXPECT_EQ(web.down_for, std::chrono::seconds(20));
  EXPECT_EQ(web.cert_severity, AlertSeverity::kCritical);
  EXPECT_EQ(web.cert_warning_days, 30);
  EXPECT_EQ(web.cert_critical_days, 30);
  const ServiceConfig& oa = config->services[1];
  EXPECT_EQ(oa.tcp, "[2001:db8::10]:8080");
  EXPECT_EQ(oa.url, "");
  EXPECT_EQ(oa.expect_status_low, 204);
  EXPECT_EQ(oa.expect_status_high, 204);
  EXPECT_FALSE(oa.get);
  EXPECT_EQ(config->services[2].tcp, "oa.bureau.example:443");
  const ServiceConfig& plain = config->services[3];  // the defaults
  EXPECT_EQ(plain.device, "");
  EXPECT_EQ(plain.interval, std::chrono::seconds(30));
  EXPECT_EQ(plain.timeout, std::chrono::seconds(5));
  EXPECT_EQ(plain.expect_status_low, 200);
  EXPECT_EQ(plain.expect_status_high, 399);
  EXPECT_FALSE(plain.get);
  EXPECT_EQ(plain.ca_file, "");
  EXPECT_EQ(plain.down_severity, AlertSeverity::kCritical);
  EXPECT_EQ(plain.down_for, std::chrono::minutes(1));
  EXPECT_EQ(plain.cert_severity, AlertSeverity::kWarning);
  EXPECT_EQ(plain.cert_warning_days, 21);
  EXPECT_EQ(plain.cert_critical_days, 7);
  std::filesystem::remove(ca);

  EXPECT_TRUE(ParseConfig(kDevices, "t.yaml")->services.empty());
}

TEST(ConfigLoader, ServiceMistakesArePinned) {
  auto p = ProblemsWithDevices(R"(services:
  - {name: web, url: ftp://198.18.1.10/, device: www}
  - {name: web, tcp: 198.18.1.10}
  - {url: http://198.18.1.10/, tcp: 198.18.1.10:80}
  - {name: none}
  - {name: v6, tcp: "2001:db8::10:8080", method: POST}
  - {name: port, tcp: "198.18.1.10:99999", expect_status: 200-99}
  - {name: host, url: "http:///", expect_status: ok}
  - {name: fast, tcp: "[2001:db8::10]:22", interval: 500ms, cert_warning_days: -1}
  - {name: slow, tcp: "oa.example:22", interval: 5s, timeout: 5s, cert_critical_days: 30}
  - {name: zero, tcp: "oa.example:22", timeout: 0s, verify: false}
  - {name: ca1, tcp: "oa.example:22", ca_file: /etc/hostname}
  - {name: ca2, url: "http://oa.example/", ca_file: /etc/hostname}
)");
  ASSERT_EQ(p.size(), 21u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "6:22: service 'web': url 'ftp://198.18.1.10/' must start with http:// or https:// "
            "(a TCP service takes 'tcp: host:port')");
  EXPECT_EQ(p[1], "6:50: service 'web' names unknown device 'www'");
  EXPECT_EQ(p[2],
            "7:22: service 'web': tcp '198.18.1.10': needs a port (host:port, like "
            "198.18.1.10:8080 or [2001:db8::10]:8080)");
  EXPECT_EQ(p[3], "7:12: duplicate service name 'web' (first defined at line 6)");
  EXPECT_EQ(p[4], "8:5: a service needs a 'name'");
  EXPECT_EQ(p[5], "8:5: service '': give either 'url' or 'tcp', not both");
  EXPECT_EQ(p[6],
            "9:5: service 'none' needs a 'url' (http:// or https://: a request) or a 'tcp' "
            "(host:port: a connect)");
  EXPECT_TRUE(
      p[7].starts_with("10:21: service 'v6': tcp '2001:db8::10:8080': an IPv6 address "
                       "goes in brackets"))
      << p[7];
  EXPECT_TRUE(p[8].starts_with("10:50: 'method' must be one of HEAD, GET, not 'POST'")) << p[8];
  EXPECT_TRUE(
      p[9].starts_with("11:23: service 'port': tcp '198.18.1.10:99999': the port must be "
                       "a number from 1 to 65535"))
      << p[9];
  EXPECT_EQ(p[10],
            "11:59: service 'port': expect_status '200-99' must be a status code like 200 or a "
            "range like 200-399 (codes 100 to 599, low to high)");
  EXPECT_EQ(p[11], "12:23: service 'host': url 'http:///' names no host");
  EXPECT_TRUE(p[12].starts_with("12:50: service 'host': expect_status 'ok'")) << p[12];
  EXPECT_EQ(p[13], "13:54: service 'fast': interval must be at least 1s");
  EXPECT_TRUE(p[14].starts_with("13:80: 'cert_warning_days' must be between 0 and 3650, not -1"))
      << p[14];
  EXPECT_EQ(p[15],
            "14:63: service 'slow': timeout (5s) must be shorter than interval (5s): a check "
            "ends before the next one starts");
  EXPECT_EQ(p[16],
            "14:87: service 'slow': cert_critical_days (30) is above cert_warning_days (21): the "
            "warning comes first");
  EXPECT_TRUE(p[17].starts_with("15:53: unknown key 'verify' in a service")) << p[17];
  EXPECT_EQ(p[18], "15:49: service 'zero': timeout must be more than 0");
  EXPECT_EQ(p[19], "16:48: service 'ca1': ca_file is for https:// URLs only");
  EXPECT_EQ(p[20], "17:53: service 'ca2': ca_file is for https:// URLs only");
}

TEST(ConfigLoader, ServiceCaFileMustBeReadable) {
  auto p = ProblemsWithDevices(R"(services:
  - {name: ca3, url: "https://oa.example/", ca_file: /nonexistent/ca.pem}
  - {name: ca4, url: "https://oa.example/", ca_file: /etc}
)");
  ASSERT_EQ(p.size(), 2u) << testing::PrintToString(p);
  EXPECT_EQ(p[0],
            "6:54: service 'ca3': ca_file '/nonexistent/ca.pem': no such file (a PEM file of the "
            "CA that signed the server's certificate, readable by lanwatchd)");
  EXPECT_TRUE(p[1].starts_with("7:54: service 'ca4': ca_file '/etc': not a regular file")) << p[1];
  EXPECT_TRUE(
      AnyContains(ProblemsWithDevices("services: {name: web}\n"), "'services' must be a list"));
}

TEST(ConfigLoader, ReachabilityInTheExampleConfig) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lanwatch.example.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->probes.interval, std::chrono::seconds(1));
  EXPECT_EQ(config->probes.mode, ProbeSocketMode::kAuto);
  const LinkConfig& uplink = config->links.front();
  EXPECT_EQ(uplink.peer, "198.18.0.2");
  EXPECT_EQ(uplink.beyond, "198.19.0.2");
  for (const LinkConfig& link : config->links) {
    EXPECT_FALSE(link.peer.empty()) << link.name;
    if (link.kind == LinkKind::kSubordinate) {
      EXPECT_TRUE(link.beyond.empty()) << link.name;
    }
    EXPECT_DOUBLE_EQ(link.thresholds.far_end_rtt_warning, 0.1) << link.name;
  }
  ASSERT_EQ(config->services.size(), 2u);
  EXPECT_EQ(config->services[0].url, "https://198.18.1.10/");
  EXPECT_EQ(config->services[1].tcp, "198.18.1.10:8080");
  EXPECT_EQ(config->services[1].device, "server");
}

// The bureau lab (tests/lab/bureau): each unit's switch at 198.18.1.101-107, the ISP and a
// host past it, the server's two services, and holds short enough to see faults in seconds.
TEST(ConfigLoader, ReachabilityInTheLabConfig) {
  auto config = LoadConfigFile(LANWATCH_SOURCE_DIR "/config/lab.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  const std::vector<std::pair<std::string, std::string>> peers = {
      {"uplink", "198.18.0.1"},     {"datong", "198.18.1.101"},     {"tianjiaan", "198.18.1.102"},
      {"xiejiaji", "198.18.1.103"}, {"bagongshan", "198.18.1.104"}, {"panji", "198.18.1.105"},
      {"maoji", "198.18.1.106"},    {"fengtai", "198.18.1.107"}};
  ASSERT_EQ(config->links.size(), peers.size());
  for (size_t i = 0; i < peers.size(); ++i) {
    EXPECT_EQ(config->links[i].name, peers[i].first);
    EXPECT_EQ(config->links[i].peer, peers[i].second) << peers[i].first;
    const LinkThresholds& t = config->links[i].thresholds;
    EXPECT_EQ(t.far_end_unreachable_for, std::chrono::seconds(3));
    EXPECT_EQ(t.far_end_loss_for, std::chrono::seconds(5));
    EXPECT_EQ(t.far_end_rtt_for, std::chrono::seconds(5));
    EXPECT_DOUBLE_EQ(t.far_end_rtt_warning, 0.030);
    EXPECT_DOUBLE_EQ(t.far_end_rtt_critical, 0.200);
  }
  EXPECT_EQ(config->links[0].beyond, "198.19.0.2");
  ASSERT_EQ(config->services.size(), 2u);
  EXPECT_EQ(config->services[0].name, "网站");
  EXPECT_EQ(config->services[0].url, "http://198.18.1.10/");
  EXPECT_EQ(config->services[1].name, "办公自动化");
  EXPECT_EQ(config->services[1].tcp, "198.18.1.10:8080");
  for (const ServiceConfig& s : config->services) {
    EXPECT_EQ(s.device, "server");
    EXPECT_EQ(s.interval, std::chrono::seconds(5));
    EXPECT_EQ(s.timeout, std::chrono::seconds(2));
    EXPECT_EQ(s.down_for, std::chrono::seconds(5));
  }
}

// The status page (issue 12): `web:`.
TEST(ConfigLoader, WebDefaultsAndEveryKey) {
  auto defaults = ParseConfig(kDevices, "t.yaml");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_TRUE(defaults->web.basic_auth_user.empty());
  EXPECT_EQ(defaults->web.refresh, std::chrono::seconds(30));
  EXPECT_TRUE(defaults->web.history);
  auto config = ParseConfig(std::string(kDevices) + R"(web:
  refresh: 1m
  history: no
  basic_auth: {user: it, password_file: /etc/lanwatch/web.password}
)",
                            "t.yaml");
  ASSERT_TRUE(config.has_value()) << testing::PrintToString(config.error());
  EXPECT_EQ(config->web.refresh, std::chrono::minutes(1));
  EXPECT_FALSE(config->web.history);
  EXPECT_EQ(config->web.basic_auth_user, "it");
  EXPECT_EQ(config->web.basic_auth_password_file, "/etc/lanwatch/web.password");
}

TEST(ConfigLoader, WebMistakesArePinned) {
  auto p = ProblemsWithDevices(R"(web:
  refresh: 1s
  basic_auth: {user: it, password: hunter2}
)");
  ASSERT_EQ(p.size(), 3u) << testing::PrintToString(p);
  EXPECT_EQ(p[0], "6:12: 'web.refresh' must be at least 5s (each reload renders the page)");
  EXPECT_TRUE(p[1].find("'password'") != std::string::npos) << p[1];
  EXPECT_TRUE(p[2].find("needs both 'user' and 'password_file'") != std::string::npos) << p[2];
  auto colon = ProblemsWithDevices("web: {basic_auth: {user: 'a:b', password_file: /x}}\n");
  ASSERT_EQ(colon.size(), 1u) << testing::PrintToString(colon);
  EXPECT_NE(colon[0].find("cannot contain ':'"), std::string::npos);
}

TEST(ConfigLoader, PollConcurrencyBoundsTheDevicesPolledAtOnce) {
  auto config = ParseConfig("devices: []\npoll_concurrency: 200\n", "test.yaml");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->poll_concurrency, 200u);
  auto defaults = ParseConfig("devices: []\n", "test.yaml");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->poll_concurrency, 64u);
  auto p = Problems("devices: []\npoll_concurrency: 0\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].starts_with("2:19: 'poll_concurrency'")) << p[0];
}

}  // namespace
}  // namespace lanwatch
