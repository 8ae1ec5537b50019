// TrapIntake: which traps are accepted, what is counted, and when the polls they ask for are
// due. Plain values: TrapEvents as the receiver makes them, a Config as the loader makes it.
#include "daemon/trap_intake.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point() + 1000h;

DeviceConfig Device(std::string name, std::string address, std::string community = "office") {
  DeviceConfig d;
  d.name = std::move(name);
  d.address = std::move(address);
  d.snmp.community = std::move(community);
  return d;
}

Config Bureau() {
  Config c;
  c.traps.listen = "0.0.0.0:162";
  c.traps.debounce = 200ms;
  c.devices.push_back(Device("core", "198.18.1.2"));
  DeviceConfig router = Device("router", "router.bureau.example");
  router.trap_sources = {"198.18.0.2", "[fd00::1]"};
  c.devices.push_back(router);
  c.devices.push_back(Device("server", "fd00::10", "srv"));
  return c;
}

// The router's name resolved to 198.18.1.1 (the poller's resolver knows it).
const std::map<std::string, std::vector<std::string>> kResolved = {{"router", {"198.18.1.1"}}};

TrapEvent Trap(std::string source, const char* kind = trap_kind::kLinkDown,
               Clock::time_point at = kStart, std::string community = "office") {
  TrapEvent t;
  t.received_at = at;
  t.source_address = std::move(source);
  t.community = std::move(community);
  t.kind = kind;
  t.trap_oid = "1.3.6.1.6.3.1.1.5.3";
  return t;
}

TEST(TrapIntake, AcceptedBySourceAddress) {
  TrapIntake intake;
  Config config = Bureau();
  intake.Accept(Trap("198.18.1.2"), config, kResolved);
  intake.Accept(Trap("198.18.1.1", trap_kind::kLinkUp), config, kResolved);  // resolved
  // An IPv6 literal written differently from the config still matches.
  intake.Accept(Trap("fd00:0::10", trap_kind::kColdStart, kStart, "srv"), config, kResolved);
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkDown), 1u);
  EXPECT_EQ(intake.counts().accepted.at("router").at(trap_kind::kLinkUp), 1u);
  EXPECT_EQ(intake.counts().accepted.at("server").at(trap_kind::kColdStart), 1u);
  EXPECT_TRUE(intake.counts().ignored.empty());
  EXPECT_EQ(intake.Due(kStart + 200ms), (std::vector<std::string>{"core", "router", "server"}));
}

TEST(TrapIntake, AcceptedByV1AgentAddress) {
  TrapIntake intake;
  // Through a NAT or a relay: the datagram comes from elsewhere, the agent-addr names the core.
  TrapEvent trap = Trap("198.18.9.9");
  trap.version = SnmpVersion::kV1;
  trap.agent_address = "198.18.1.2";
  intake.Accept(trap, Bureau(), kResolved);
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkDown), 1u);
  EXPECT_EQ(intake.Due(kStart + 1s), std::vector<std::string>{"core"});
}

TEST(TrapIntake, AcceptedByTrapSources) {
  TrapIntake intake;
  Config config = Bureau();
  intake.Accept(Trap("198.18.0.2"), config, kResolved);
  intake.Accept(Trap("fd00::1", trap_kind::kWarmStart), config, kResolved);  // was "[fd00::1]"
  EXPECT_EQ(intake.counts().accepted.at("router").at(trap_kind::kLinkDown), 1u);
  EXPECT_EQ(intake.counts().accepted.at("router").at(trap_kind::kWarmStart), 1u);
  EXPECT_EQ(intake.counts().accepted.size(), 1u);
}

TEST(TrapIntake, UnresolvedNameMatchesOnlyAsText) {
  TrapIntake intake;
  Config config = Bureau();
  // Before the resolver answered, the router is known by its name only: nothing matches it
  // but its trap_sources.
  intake.Accept(Trap("198.18.1.1"), config, {});
  EXPECT_EQ(intake.counts().ignored.at(trap_ignored::kUnknownSource), 1u);
  intake.Accept(Trap("198.18.0.2"), config, {});
  EXPECT_EQ(intake.counts().accepted.at("router").at(trap_kind::kLinkDown), 1u);
}

TEST(TrapIntake, UnknownSourceAndBadCommunityAreIgnoredAndCounted) {
  TrapIntake intake;
  Config config = Bureau();
  intake.Accept(Trap("198.18.7.7"), config, kResolved);
  intake.Accept(Trap("127.0.0.1"), config, kResolved);
  // A v2c trap has no agent-addr: an address in it counts for nothing.
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkDown, kStart, "guess"), config, kResolved);
  // The server is polled with "srv": "office" is another device's community.
  intake.Accept(Trap("fd00::10", trap_kind::kLinkDown, kStart, "office"), config, kResolved);
  EXPECT_EQ(intake.counts().ignored.at(trap_ignored::kUnknownSource), 2u);
  EXPECT_EQ(intake.counts().ignored.at(trap_ignored::kBadCommunity), 2u);
  EXPECT_TRUE(intake.counts().accepted.empty());
  EXPECT_TRUE(intake.Due(kStart + 1h).empty());
  EXPECT_FALSE(intake.NextDue());
}

TEST(TrapIntake, ListedCommunitiesReplaceTheDevicesOwn) {
  Config config = Bureau();
  config.traps.communities = {"trapcomm", "old"};
  config.devices[0].snmp.version = SnmpVersion::kV3;  // no community of its own
  TrapIntake intake;
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkDown, kStart, "trapcomm"), config, kResolved);
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkUp, kStart, "old"), config, kResolved);
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkUp, kStart, "office"), config, kResolved);
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkDown), 1u);
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkUp), 1u);
  EXPECT_EQ(intake.counts().ignored.at(trap_ignored::kBadCommunity), 1u);

  // Without the list a v3-polled device accepts no trap at all, whatever it carries.
  config.traps.communities.clear();
  config.devices[0].snmp.community = "office";  // left over from the defaults
  TrapIntake without_list;
  without_list.Accept(Trap("198.18.1.2"), config, kResolved);
  EXPECT_EQ(without_list.counts().ignored.at(trap_ignored::kBadCommunity), 1u);
}

TEST(TrapIntake, MalformedCountComesFromTheReceiver) {
  TrapIntake intake;
  intake.SetMalformed(7);
  EXPECT_EQ(intake.counts().malformed, 7u);
}

TEST(TrapIntake, BurstIsOnePollAtTheEndOfTheDebounce) {
  TrapIntake intake;
  Config config = Bureau();
  // A cut fiber: linkDown, then four more within 100 ms.
  for (int i = 0; i < 5; ++i) {
    intake.Accept(
        Trap("198.18.1.2", i % 2 ? trap_kind::kLinkUp : trap_kind::kLinkDown, kStart + i * 25ms),
        config, kResolved);
  }
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkDown), 3u);
  EXPECT_EQ(intake.counts().accepted.at("core").at(trap_kind::kLinkUp), 2u);
  ASSERT_TRUE(intake.NextDue());
  EXPECT_EQ(*intake.NextDue(), kStart + 200ms);  // the first trap + debounce
  EXPECT_TRUE(intake.Due(kStart + 199ms).empty());
  EXPECT_EQ(intake.Due(kStart + 200ms), std::vector<std::string>{"core"});
  EXPECT_TRUE(intake.Due(kStart + 10s).empty()) << "one burst, one poll";
  EXPECT_FALSE(intake.NextDue());

  // A trap after the poll was taken opens a window of its own, but the device is polled again
  // no sooner than 2 s after the last trap poll.
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkUp, kStart + 300ms), config, kResolved);
  EXPECT_EQ(*intake.NextDue(), kStart + 2200ms);
  EXPECT_EQ(intake.Due(kStart + 2200ms), std::vector<std::string>{"core"});
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkDown, kStart + 9s), config, kResolved);
  EXPECT_EQ(*intake.NextDue(), kStart + 9200ms) << "long after: just the debounce";
}

TEST(TrapIntake, TrapsThatKeepComingArePolledEveryTwoSecondsAtMost) {
  TrapIntake intake;
  Config config = Bureau();
  // A port flapping (or a forger sending) every 50 ms for 5 s: polled after the first
  // debounce, then every 2 s, never once per burst.
  std::vector<Clock::time_point> polls;
  for (int i = 0; i <= 100; ++i) {
    Clock::time_point now = kStart + i * 50ms;
    intake.Accept(Trap("198.18.1.2", trap_kind::kLinkDown, now), config, kResolved);
    if (!intake.Due(now).empty()) polls.push_back(now);
  }
  EXPECT_EQ(polls,
            (std::vector<Clock::time_point>{kStart + 200ms, kStart + 2200ms, kStart + 4200ms}));
}

TEST(TrapIntake, DevicesAreDebouncedIndependently) {
  TrapIntake intake;
  Config config = Bureau();
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkDown, kStart), config, kResolved);
  intake.Accept(Trap("198.18.1.1", trap_kind::kLinkDown, kStart + 150ms), config, kResolved);
  intake.Accept(Trap("198.18.1.2", trap_kind::kLinkUp, kStart + 180ms), config, kResolved);
  EXPECT_EQ(*intake.NextDue(), kStart + 200ms);
  EXPECT_EQ(intake.Due(kStart + 200ms), std::vector<std::string>{"core"});
  EXPECT_EQ(*intake.NextDue(), kStart + 350ms);
  EXPECT_TRUE(intake.Due(kStart + 349ms).empty());
  EXPECT_EQ(intake.Due(kStart + 350ms), std::vector<std::string>{"router"});
  EXPECT_FALSE(intake.NextDue());
}

TEST(TrapIntake, ZeroDebounceIsDueAtOnce) {
  TrapIntake intake;
  Config config = Bureau();
  config.traps.debounce = 0ms;
  intake.Accept(Trap("198.18.1.2"), config, kResolved);
  EXPECT_EQ(intake.Due(kStart), std::vector<std::string>{"core"});
}

}  // namespace
}  // namespace lanwatch
