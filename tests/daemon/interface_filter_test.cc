// The interface filter: which ports a device's `interfaces:` watches, what a poll keeps of
// them, and that a port the filter leaves out after a reload leaves the state too.
#include "daemon/interface_filter.h"

#include <gtest/gtest.h>

#include <functional>

#include "daemon/poll_loop.h"
#include "tests/daemon/fake_clock.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

InterfacePattern Glob(std::string text) {
  return {InterfacePattern::Kind::kNameGlob, std::move(text), 0, false};
}
InterfacePattern Type(int type) { return {InterfacePattern::Kind::kType, "type", type, false}; }
InterfacePattern Admin(bool up) { return {InterfacePattern::Kind::kAdmin, "admin", 0, up}; }

InterfaceSample Port(uint32_t index, std::string name, int type = 6, bool admin_up = true) {
  InterfaceSample p;
  p.index = index;
  p.name = p.description = std::move(name);
  p.type = type;
  p.admin_up = admin_up;
  p.oper_status = admin_up ? 1 : 2;
  p.in_octets = p.out_octets = 0;
  p.counter_bits = 64;
  return p;
}

TEST(InterfaceFilter, AnEmptyFilterWatchesEveryInterface) {
  EXPECT_TRUE(Watched({}, Port(1, "Vlanif1", 53, false)));
}

TEST(InterfaceFilter, GlobsAreShellGlobsOnTheWholeNameAndCaseSensitive) {
  InterfaceFilter f;
  f.include = {Glob("GigabitEthernet*")};
  EXPECT_TRUE(Watched(f, Port(1, "GigabitEthernet0/0/1")));
  EXPECT_FALSE(Watched(f, Port(2, "XGigabitEthernet0/0/1"))) << "anchored at the start";
  EXPECT_FALSE(Watched(f, Port(3, "gigabitethernet0/0/1"))) << "case-sensitive";
  f.include = {Glob("Gi1/0/[1-4]"), Glob("Te?/1")};
  EXPECT_TRUE(Watched(f, Port(4, "Gi1/0/3")));
  EXPECT_FALSE(Watched(f, Port(5, "Gi1/0/5")));
  EXPECT_FALSE(Watched(f, Port(6, "Gi1/0/30"))) << "anchored at the end";
  EXPECT_TRUE(Watched(f, Port(7, "Te2/1")));
}

TEST(InterfaceFilter, ExcludeWinsOverInclude) {
  InterfaceFilter f;
  f.include = {Glob("*"), Type(53)};
  f.exclude = {Glob("Vlanif1"), Type(24), Admin(false)};
  EXPECT_TRUE(Watched(f, Port(1, "Vlanif10", 53)));
  EXPECT_FALSE(Watched(f, Port(2, "Vlanif1", 53)));
  EXPECT_FALSE(Watched(f, Port(3, "InLoopBack0", 24)));
  EXPECT_FALSE(Watched(f, Port(4, "GigabitEthernet0/0/9", 6, false))) << "admin down";
  EXPECT_TRUE(Watched(f, Port(5, "GigabitEthernet0/0/9", 6, true)));
}

TEST(InterfaceFilter, IncludeByTypeOrAdminStateAlone) {
  InterfaceFilter by_type;
  by_type.include = {Type(6), Type(161)};
  EXPECT_TRUE(Watched(by_type, Port(1, "Eth-Trunk1", 161)));
  EXPECT_TRUE(Watched(by_type, Port(2, "GigabitEthernet0/0/1", 6)));
  EXPECT_FALSE(Watched(by_type, Port(3, "Vlanif1", 53)));
  InterfaceFilter up;
  up.include = {Admin(true)};
  EXPECT_TRUE(Watched(up, Port(4, "Gi1/0/1", 6, true)));
  EXPECT_FALSE(Watched(up, Port(5, "Gi1/0/2", 6, false)));
}

Config SwitchWithFilter(InterfaceFilter filter) {
  Config config;
  config.poll_interval = 10s;
  DeviceConfig sw;
  sw.name = "sw";
  sw.interfaces = std::move(filter);
  config.devices.push_back(sw);
  return config;
}

void AddLink(Config& config, std::string name, InterfaceSelector port, std::string device = "sw") {
  LinkConfig link;
  link.name = std::move(name);
  link.device = std::move(device);
  link.interface = std::move(port);
  config.links.push_back(link);
}

DeviceSample Switch() {
  DeviceSample s;
  s.system.uptime_ticks = 100'000;
  for (const InterfaceSample& p : {Port(1, "Gi0/1"), Port(2, "Gi0/2"), Port(3, "Vlanif1", 53),
                                   Port(4, "Vlanif2", 53), Port(5, "InLoopBack0", 24)}) {
    s.interfaces[p.index] = p;
  }
  s.interfaces[4].alias = "to Datong";
  return s;
}

std::vector<uint32_t> Indexes(const DevicePoll& poll) {
  std::vector<uint32_t> out;
  for (const auto& [index, p] : poll.sample->interfaces) out.push_back(index);
  return out;
}

TEST(InterfaceFilter, DropKeepsWatchedPortsAndEveryLinksPort) {
  InterfaceFilter f;
  f.include = {Glob("Gi*"), Type(53)};
  f.exclude = {Glob("Vlanif*"), Glob("Gi0/2")};
  Config config = SwitchWithFilter(f);
  // Links name their ports every way a selector can; each is kept though the filter drops it.
  AddLink(config, "by-alias", {InterfaceKey::kAlias, "to Datong"});
  AddLink(config, "by-index", {InterfaceKey::kIndex, "5"});
  DevicePoll poll{&config.devices[0], {}, Switch(), {}};
  DropUnwatchedInterfaces(config, poll);
  EXPECT_EQ(Indexes(poll), (std::vector<uint32_t>{1, 4, 5}));
  // By name and by ifDescr, too; another device's link keeps nothing here.
  Config by_name = SwitchWithFilter(f);
  AddLink(by_name, "by-name", {InterfaceKey::kName, "Gi0/2"});
  AddLink(by_name, "by-descr", {InterfaceKey::kDescr, "Vlanif1"});
  AddLink(by_name, "elsewhere", {InterfaceKey::kName, "InLoopBack0"}, "router");
  DevicePoll named{&by_name.devices[0], {}, Switch(), {}};
  DropUnwatchedInterfaces(by_name, named);
  EXPECT_EQ(Indexes(named), (std::vector<uint32_t>{1, 2, 3}));
}

TEST(InterfaceFilter, DropLeavesAPollWithoutFilterOrSampleAlone) {
  Config config = SwitchWithFilter({});
  DevicePoll poll{&config.devices[0], {}, Switch(), {}};
  DropUnwatchedInterfaces(config, poll);
  EXPECT_EQ(poll.sample->interfaces.size(), 5u);
  InterfaceFilter f;
  f.exclude = {Glob("*")};
  Config all_out = SwitchWithFilter(f);
  DevicePoll failed{&all_out.devices[0], {}, std::nullopt, {}};
  DropUnwatchedInterfaces(all_out, failed);
  EXPECT_FALSE(failed.sample);
}

using testing::FakeClock;

// The whole switch every round, its walk complete unless `complete` says otherwise.
class SwitchSource final : public SampleSource {
 public:
  explicit SwitchSource(const FakeClock& clock) : clock_(clock) {}
  std::vector<DevicePoll> Poll(const Config& config, const PollRequest&) override {
    std::vector<DevicePoll> polls;
    for (const DeviceConfig& d : config.devices) {
      DevicePoll poll{&d, {}, Switch(), {}};
      poll.sample->taken_at = clock_.Now();
      poll.sample->interfaces_complete = complete;
      polls.push_back(std::move(poll));
    }
    return polls;
  }
  void Retain(const Config&) override {}
  bool complete = true;

 private:
  const FakeClock& clock_;
};

std::vector<std::string> Names(const NetworkStatus& status) {
  std::vector<std::string> out;
  for (const InterfaceStatus& i : status.devices.at(0).interfaces) out.push_back(i.name);
  return out;
}

TEST(InterfaceFilter, ThePollLoopKeepsNoStateOfUnwatchedPorts) {
  FakeClock clock;
  SwitchSource source(clock);
  PollLoop loop(source, clock);
  InterfaceFilter f;
  f.exclude = {Type(53), Type(24)};
  Config config = SwitchWithFilter(f);
  AddLink(config, "lo", {InterfaceKey::kName, "InLoopBack0"});
  loop.RunRound(config, {clock.Now() + 9s, {}});
  EXPECT_EQ(Names(loop.Snapshot(config)),
            (std::vector<std::string>{"Gi0/1", "Gi0/2", "InLoopBack0"}));
}

TEST(InterfaceFilter, APortLeftOutByAReloadedFilterLeavesTheState) {
  FakeClock clock;
  SwitchSource source(clock);
  PollLoop loop(source, clock);
  const Config before = SwitchWithFilter({});
  loop.RunRound(before, {clock.Now() + 9s, {}});
  ASSERT_EQ(loop.Snapshot(before).devices.at(0).interfaces.size(), 5u);
  // SIGHUP: the daemon retains the new config, and its next round polls with it.
  InterfaceFilter f;
  f.exclude = {Glob("Vlanif*")};
  const Config after = SwitchWithFilter(f);
  loop.Retain(after);
  // A walk cut short says nothing about missing rows: they stay, stale, until a whole walk.
  source.complete = false;
  clock.Advance(10s);
  loop.RunRound(after, {clock.Now() + 9s, {}});
  NetworkStatus cut = loop.Snapshot(after);
  ASSERT_EQ(cut.devices.at(0).interfaces.size(), 5u);
  EXPECT_TRUE(cut.devices[0].interfaces[2].stale);
  // A complete walk without them prunes them: NetworkState keeps only what the walk had.
  source.complete = true;
  clock.Advance(10s);
  loop.RunRound(after, {clock.Now() + 9s, {}});
  EXPECT_EQ(Names(loop.Snapshot(after)),
            (std::vector<std::string>{"Gi0/1", "Gi0/2", "InLoopBack0"}));
}

}  // namespace
}  // namespace lanwatch
