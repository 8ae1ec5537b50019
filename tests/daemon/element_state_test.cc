#include "daemon/element_state.h"

#include <gtest/gtest.h>

#include "tests/exporters/lab_snapshot.h"

namespace lanwatch {
namespace {

using testing::MakeLabSnapshot;

struct Lab {
  testing::LabSnapshot lab = MakeLabSnapshot();
  LinkStatus& Link(std::string_view name) {
    for (LinkStatus& l : lab.status.links) {
      if (l.name == name) return l;
    }
    throw std::runtime_error("no link " + std::string(name));
  }
  DeviceStatus& Device(std::string_view name) {
    for (size_t k = 0; k < lab.status.devices.size(); ++k) {
      if (lab.status.devices[k].name == name) return lab.status.devices.Mutable(k);
    }
    throw std::runtime_error("no device " + std::string(name));
  }
  ElementState LinkState(std::string_view name, bool with_alerts = true) {
    return LinkElementState(Link(name), lab.status, lab.config,
                            with_alerts ? &lab.alerting : nullptr);
  }
  ElementState DeviceState(std::string_view name) {
    return DeviceElementState(Device(name), lab.status, lab.config, &lab.alerting);
  }
  void Unreachable(std::string_view device) {
    Device(device).up = false;
    Device(device).error = "no reply (timeout)";
  }
};

TEST(ElementState, Words) {
  EXPECT_EQ(ToString(ElementState::kOk), "ok");
  EXPECT_EQ(ToString(ElementState::kWarning), "warning");
  EXPECT_EQ(ToString(ElementState::kCritical), "critical");
  EXPECT_EQ(ToString(ElementState::kUnknown), "unknown");
  EXPECT_EQ(ToString(ElementState::kSuppressed), "suppressed");
}

TEST(ElementState, LinkFollowsItsSeverity) {
  Lab t;
  EXPECT_EQ(t.LinkState("panji"), ElementState::kOk);
  EXPECT_EQ(t.LinkState("uplink"), ElementState::kCritical);  // saturated
  EXPECT_EQ(t.LinkState("datong"), ElementState::kCritical);  // cut
  t.Link("maoji").severity = Severity::kWarning;
  EXPECT_EQ(t.LinkState("maoji"), ElementState::kWarning);
  t.Link("maoji").severity = Severity::kUnknown;
  EXPECT_EQ(t.LinkState("maoji"), ElementState::kUnknown);
  // Without an alert engine (lanwatch check) severity alone decides.
  EXPECT_EQ(t.LinkState("datong", /*with_alerts=*/false), ElementState::kCritical);
}

TEST(ElementState, DeviceUpDownNotPolled) {
  Lab t;
  EXPECT_EQ(t.DeviceState("core-switch"), ElementState::kOk);
  t.Unreachable("server");
  EXPECT_EQ(t.DeviceState("server"), ElementState::kCritical);
  t.Device("router").polled = t.Device("router").up = false;
  EXPECT_EQ(t.DeviceState("router"), ElementState::kUnknown);
}

TEST(ElementState, DeviceWarnsWhileItsOwnAlertFires) {
  Lab t;
  AlertRecord reboot;
  reboot.key = {rule::kDeviceRebooted, "server", ""};
  reboot.event = true;
  reboot.phase = AlertPhase::kFiring;
  reboot.severity = Severity::kWarning;
  t.lab.alerting.records.push_back(reboot);
  EXPECT_EQ(t.DeviceState("server"), ElementState::kWarning);
  t.lab.alerting.records.back().phase = AlertPhase::kResolved;
  EXPECT_EQ(t.DeviceState("server"), ElementState::kOk);
}

TEST(ElementState, SuppressedByTheUnreachableDeviceItIsOn) {
  Lab t;
  t.Unreachable("router");
  t.Link("uplink").severity = Severity::kCritical;
  EXPECT_EQ(t.LinkState("uplink"), ElementState::kSuppressed);
  EXPECT_EQ(t.DeviceState("router"), ElementState::kCritical);  // the root cause itself
}

TEST(ElementState, SuppressedByAnUnreachableParentDevice) {
  Lab t;
  // The core switch is gone: the router and the server are reached through it.
  t.Unreachable("core-switch");
  t.Unreachable("router");
  t.Unreachable("server");
  EXPECT_EQ(t.DeviceState("core-switch"), ElementState::kCritical);
  EXPECT_EQ(t.DeviceState("router"), ElementState::kSuppressed);
  EXPECT_EQ(t.DeviceState("server"), ElementState::kSuppressed);
  EXPECT_EQ(t.LinkState("uplink"), ElementState::kSuppressed);  // on the router, behind it
  EXPECT_EQ(t.LinkState("datong"), ElementState::kSuppressed);  // on the switch itself
  // Its services too.
  t.lab.status.services[0].severity = Severity::kCritical;
  EXPECT_EQ(
      ServiceElementState(t.lab.status.services[0], t.lab.status, t.lab.config, &t.lab.alerting),
      ElementState::kSuppressed);
}

TEST(ElementState, SuppressedWhenEveryOwnAlertIsSilenced) {
  Lab t;
  for (AlertRecord& r : t.lab.alerting.records) {
    if (r.key.link == "uplink") r.suppressed_by = "silence:7";
  }
  EXPECT_EQ(t.LinkState("uplink"), ElementState::kSuppressed);
  // A second alert of its own still told: not suppressed.
  AlertRecord loss;
  loss.key = {rule::kUplinkIspLoss, "router", "uplink"};
  loss.phase = AlertPhase::kPending;
  loss.severity = Severity::kWarning;
  t.lab.alerting.records.push_back(loss);
  EXPECT_EQ(t.LinkState("uplink"), ElementState::kCritical);
}

TEST(ElementState, FoldedAlertsDoNotSuppress) {
  Lab t;
  // datong's link_down is folded into its no-light alert; both are about the link.
  EXPECT_EQ(t.LinkState("datong"), ElementState::kCritical);
  // A flapping link: its down alert folded into the flapping one, which is told.
  t.Link("panji").severity = Severity::kWarning;
  AlertRecord down;
  down.key = {rule::kLinkDown, "core-switch", "panji"};
  down.phase = AlertPhase::kFiring;
  down.severity = Severity::kCritical;
  down.suppressed_by = "flapping";
  t.lab.alerting.records.push_back(down);
  EXPECT_EQ(t.LinkState("panji"), ElementState::kWarning);
  AlertRecord flapping = down;
  flapping.key.rule = rule::kLinkFlapping;
  flapping.severity = Severity::kWarning;
  flapping.suppressed_by.clear();
  t.lab.alerting.records.push_back(flapping);
  EXPECT_EQ(t.LinkState("panji"), ElementState::kWarning);
}

}  // namespace
}  // namespace lanwatch
