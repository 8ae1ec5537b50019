// The English wording of alerts: what is wrong where first ("Unit panji's fiber link is
// down"), then the figures, the times, what else it takes down, and what usually causes it.
// Names stay as configured: scripts filter on them.
#include <fmt/format.h>

#include <cctype>
#include <utility>

#include "config/secret_file.h"
#include "config/units.h"
#include "daemon/fiber_health.h"
#include "daemon/uplink_verdict.h"
#include "exporters/notify/alert_wording.h"
#include "exporters/notify/site_time.h"

namespace lanwatch::wording {
namespace {

constexpr NotifyLanguage kEn = NotifyLanguage::kEn;

std::string DevicePhrase(const Config& config, std::string_view name) {
  const DeviceConfig* d = config.FindDevice(name);
  if (!d) return fmt::format("device {}", name);
  switch (d->role) {
    case DeviceRole::kRouter:
      return fmt::format("router {}", name);
    case DeviceRole::kSwitch:  // the switch at the top of the tree is the core one
      return fmt::format("{} {}", d->parent.empty() ? "core switch" : "switch", name);
    case DeviceRole::kServer:
      return fmt::format("server {}", name);
    case DeviceRole::kOther:
      break;
  }
  return fmt::format("device {}", name);
}

std::string LinkPhrase(const LinkConfig* link, std::string_view name) {
  LinkKind kind = link ? link->kind : LinkKind::kOther;
  if (kind == LinkKind::kUplink) return fmt::format("the uplink {} (to the ISP)", name);
  if (kind == LinkKind::kSubordinate) return fmt::format("unit {}'s fiber link", name);
  return fmt::format("link {}", name);
}

// "web site portal (http://198.18.1.10/)", "service oa (198.18.1.11:8080)".
std::string ServicePhrase(const AlertContext& c) {
  const std::string& name = c.note.key.link;
  if (!c.service) return fmt::format("service {}", name);
  if (!c.service->url.empty())
    return fmt::format("web site {} ({})", name, RedactUrlCredentials(c.service->url));
  return fmt::format("service {} ({})", name, c.service->tcp);
}

std::string Target(const AlertContext& c) {
  const AlertKey& key = c.note.key;
  if (IsServiceRule(key.rule)) return ServicePhrase(c);
  if (key.rule == rule::kCaptureMismatch || key.rule == rule::kCaptureDrops) {
    return fmt::format("capture {}", key.link);
  }
  if (key.rule == rule::kReceiverFailing) return fmt::format("the {} receiver", key.link);
  if (key.link.empty()) return DevicePhrase(c.config, key.device);
  return LinkPhrase(c.link, key.link);
}

std::string Direction(const AlertContext& c) {
  bool uplink = c.link && c.link->kind == LinkKind::kUplink;
  if (c.facts().direction == "in") return uplink ? "download" : "inbound";
  if (c.facts().direction == "out") return uplink ? "upload" : "outbound";
  return "";
}

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string ReasonOfNoData(std::string_view detail) {
  if (detail == no_rate::kNoCounters) return "the device has no traffic counters for the port";
  if (detail == no_rate::kNotInLastWalk) {
    return "the SNMP walk did not reach the port (cut short, or the port is gone)";
  }
  if (detail == no_rate::kFirstSample) return "polling just started: nothing to compare yet";
  return std::string(detail);
}

std::string ReasonOfUnreachable(std::string_view detail) {
  if (detail == "timeout") return "SNMP requests time out: the device does not answer";
  return std::string(detail);
}

// The uplink's probe targets that went silent, by the verdict's reason.
std::string SilentPastTheRouter(std::string_view reason) {
  if (reason == uplink_reason::kPeerLost) return "the ISP's next hop does not answer";
  if (reason == uplink_reason::kBeyondLost) return "the host beyond the ISP does not answer";
  return "neither the ISP's next hop nor the host beyond answers";
}

struct Words {
  std::string summary;
  std::vector<std::string> figures;
  std::string hint;
};

Words Describe(const AlertContext& c) {
  const AlertFacts& f = c.facts();
  const std::string target = Target(c);
  const std::string value = Figure(c, f.value).value_or("");
  const std::string threshold = Figure(c, f.threshold).value_or("");
  const std::string peak = Figure(c, c.note.peak).value_or("");
  const std::string lasted = c.lasted ? FormatElapsed(*c.lasted, kEn) : "";
  const std::string& rule = c.rule();
  auto pick = [&](std::string firing, std::string resolved, std::string reminder) {
    return std::move(c.resolved() ? resolved : c.reminder() ? reminder : firing);
  };
  auto in_brackets = [](const std::string& s) { return s.empty() ? s : " (" + s + ")"; };
  auto after = [&](const std::string& what) {
    return lasted.empty() ? std::string() : fmt::format(" after {} {}", lasted, what);
  };
  auto against = [&](const std::string& label) {
    if (value.empty()) return std::string();
    return threshold.empty() ? fmt::format("{}: {}", label, value)
                             : fmt::format("{}: {} (threshold {})", label, value, threshold);
  };
  Words w;

  if (rule == rule::kLinkDown) {
    w.summary = pick(target + " is down", target + " is back up" + after("down"),
                     target + " is still down");
    bool uplink = c.link && c.link->kind == LinkKind::kUplink;
    w.hint = uplink ? "Report it to the ISP; check the router's WAN port, optics and fiber."
                    : "Ask the unit whether its equipment has power; check optics, patch cords "
                      "and fiber.";
  } else if (rule == rule::kLinkFlapping) {
    std::string window = FormatElapsed(FlapWindow(c), kEn);
    std::string times = value.empty() ? "" : fmt::format("{} changes in {}", value, window);
    w.summary = pick(target + " is flapping" + in_brackets(times),
                     target + " is stable again" + after("of flapping"),
                     target + " is still flapping" + in_brackets(times));
    if (!times.empty()) {
      w.figures.push_back(
          threshold.empty() ? "Up/down changes: " + times
                            : fmt::format("Up/down changes: {} (threshold {})", times, threshold));
    }
    w.hint =
        "Usually loose or dirty optics or patch cords, too much fiber loss, or the far end "
        "rebooting over and over.";
  } else if (rule == rule::kLinkUtilization) {
    std::string direction = Direction(c);
    std::string now =
        value.empty() ? "" : fmt::format("{}{}{}", value, direction.empty() ? "" : " ", direction);
    w.summary = pick(target + " is near capacity" + in_brackets(now),
                     target + " is back below its utilization threshold" +
                         in_brackets(peak.empty() ? "" : "peak " + peak),
                     target + " is still near capacity" + in_brackets(now));
    if (auto rate = RateOfRatio(f, f.value)) {
      w.figures.push_back(fmt::format("{}: {} of {} ({}{})",
                                      Capitalized(direction.empty() ? "traffic" : direction), *rate,
                                      FormatBitRate(*f.capacity_bps), value,
                                      threshold.empty() ? "" : ", threshold " + threshold));
    } else {
      w.figures.push_back(
          against(Capitalized(direction.empty() ? "utilization" : direction + " utilization")));
    }
    w.hint = c.link && c.link->kind == LinkKind::kUplink
                 ? "Internet access and public services slow down; the status page shows who "
                   "uses the bandwidth."
                 : "Traffic on this link slows down; the status page shows which hosts send the "
                   "most.";
  } else if (rule == rule::kLinkErrors) {
    w.summary = pick(target + " has errors" + in_brackets(value), target + " is free of errors",
                     target + " still has errors" + in_brackets(value));
    w.figures.push_back(against("Errors (in+out)"));
    w.hint =
        "Common causes: aging optics or low receive power, dirty or bent fiber, a duplex "
        "mismatch.";
  } else if (rule == rule::kLinkDiscards) {
    w.summary = pick(target + " is discarding packets" + in_brackets(value),
                     target + " no longer discards packets",
                     target + " is still discarding packets" + in_brackets(value));
    w.figures.push_back(against("Discards (in+out)"));
    w.hint = "Usually congestion or short buffers on the port, often with high utilization.";
  } else if (rule == rule::kLinkSpeed) {
    std::string expected = threshold.empty() ? "" : " instead of " + threshold;
    w.summary = pick(target + " runs at " + value + expected,
                     target + " runs at its expected speed" + in_brackets(threshold),
                     target + " still runs at " + value + expected);
    if (!value.empty() && !threshold.empty()) {
      w.figures.push_back(fmt::format("Port speed: {}, expected {}", value, threshold));
    }
    w.hint = "Usually optics, a patch cord or autonegotiation; check the far end's port too.";
  } else if (rule == rule::kLinkNoData) {
    w.summary =
        pick("No traffic figures for " + target, "Traffic figures for " + target + " are back",
             "Still no traffic figures for " + target);
    if (f.unit == "seconds" && !value.empty()) w.figures.push_back("No reading for " + value);
    if (!f.detail.empty()) w.figures.push_back("Why: " + ReasonOfNoData(f.detail));
    w.hint = "Until it comes back, utilization and error alerts cannot judge this link.";
  } else if (rule == rule::kCaptureMismatch) {
    std::string other =
        c.link ? "the SNMP counters of " + LinkPhrase(c.link, c.link->name) : "the SNMP counters";
    w.summary = pick(
        target + " and " + other + " disagree" + in_brackets(value.empty() ? "" : "by " + value),
        target + " and " + other + " agree again",
        target + " and " + other + " still disagree" +
            in_brackets(value.empty() ? "" : "by " + value));
    w.figures.push_back(against("Difference"));
    w.hint =
        "The switch's mirror (SPAN) session may have changed, or the capture host drops "
        "packets.";
  } else if (rule == rule::kFiberDegraded) {
    w.summary =
        pick(target + "'s light is weakening" + in_brackets(value.empty() ? "" : "Rx " + value),
             target + "'s light is back to normal",
             target + "'s light is still weak" + in_brackets(value.empty() ? "" : "Rx " + value));
    if (f.detail == fiber_reason::kBelowBaseline && !value.empty()) {
      w.figures.push_back(
          threshold.empty()
              ? "Rx power: " + value + ", well below its usual level"
              : fmt::format("Rx power: {} (alerts below {}, {:.0f} dB under its usual level)",
                            value, threshold,
                            (c.link ? c.link->thresholds : LinkThresholds{}).fiber_drop_db));
    } else if (f.detail == fiber_reason::kBelowLowWarning) {
      w.figures.push_back(against("Rx power (below the module's own low warning)"));
    } else if (f.detail == fiber_reason::kErrorsRising) {
      w.figures.push_back("Errors are rising on the port");
    }
    w.hint =
        "The fiber still works but is getting worse: clean the optics and patch cord "
        "connectors, check for bent cords and ageing modules, before it goes dark.";
  } else if (rule == rule::kFiberNoLight) {
    w.summary = pick(target + ": no light: fiber cut or far-end laser off",
                     target + " receives light again" + after("without light"),
                     target + " still receives no light");
    if (!c.resolved()) {
      w.figures.push_back("Rx power: no light (nothing arrives from the far end)");
    } else if (f.value && *f.value > kNoLightDbm && !value.empty()) {
      w.figures.push_back("Rx power: back to " + value);
    }
    w.hint = c.link && c.link->kind == LinkKind::kUplink
                 ? "Report it to the ISP: usually a cut cable or the ISP's equipment without power."
                 : "Usually a cut fiber, an unplugged patch cord, or the unit's switch or optics "
                   "without power: call the unit first to ask whether its equipment is on.";
  } else if (rule == rule::kFarEndUnreachable) {
    std::string far_end = target + ": far end" + (f.detail.empty() ? "" : " " + f.detail);
    std::string window = FormatElapsed(ProbeWindow(c), kEn);
    auto probes = Probes(c);
    // Silent for seconds is unreachable before the whole window is lost (far_end_silence.h).
    std::string all_lost = !probes ? fmt::format("every probe lost in {}", window)
                           : probes->lost >= probes->sent
                               ? fmt::format("all {} probes lost in {}", probes->sent, window)
                               : fmt::format("{} of {} probes lost in {}, the newest all lost",
                                             probes->lost, probes->sent, window);
    w.summary =
        pick(far_end + " does not answer (" + all_lost + ")",
             far_end + " answers again" + after("unreachable"), far_end + " still does not answer");
    w.hint =
        "The port is up but the far end does not reply: usually the unit's switch or router "
        "hangs or lost power, or a media converter in between failed. Call the unit first.";
  } else if (rule == rule::kFarEndLoss) {
    std::string window = FormatElapsed(ProbeWindow(c), kEn);
    std::string over = value.empty() ? "" : fmt::format(" {} of probes (over {})", value, window);
    w.summary = pick(target + ": far end loses" + over,
                     target + ": far-end loss is back to normal" +
                         in_brackets(peak.empty() ? "" : "peak " + peak),
                     target + ": far end still loses" + over);
    w.figures.push_back(against("Far-end loss"));
    if (auto probes = Probes(c)) {
      w.figures.push_back(fmt::format("Probes: {} lost of {} sent in {}{}", probes->lost,
                                      probes->sent, window,
                                      f.detail.empty() ? "" : " (far end " + f.detail + ")"));
    }
    w.hint =
        "Common causes: degrading fiber or optics, congestion, an overloaded far end. Note: "
        "switches rate-limit ICMP to their own address, so loss may be the far end's "
        "policer, not the link.";
  } else if (rule == rule::kFarEndLatency) {
    std::string now = value.empty() ? "" : " " + value + " (median)";
    w.summary = pick(target + ": far-end round trip" + now,
                     target + ": far-end round trip is back to normal" +
                         in_brackets(peak.empty() ? "" : "peak " + peak),
                     target + ": far-end round trip still" + now);
    w.figures.push_back(against("Median round trip"));
    if (!f.detail.empty()) w.figures.push_back("Far end: " + f.detail);
    w.hint = "Usually congestion or an overloaded far end; compare with the link's utilization.";
  } else if (rule == rule::kUplinkIspDown) {
    std::string silent = SilentPastTheRouter(f.detail);
    w.summary = pick("ISP side down on " + target + ": the router is fine, but " + silent +
                         " — call the ISP (the fault line is in the contract)",
                     "ISP side of " + target + " is back" + after("down"),
                     "ISP side still down on " + target + ": " + silent + " — call the ISP");
    if (c.link && !c.link->peer.empty() && f.detail != uplink_reason::kBeyondLost) {
      w.figures.push_back("ISP next hop: " + c.link->peer + " (no answer)");
    }
    if (c.link && !c.link->beyond.empty() && f.detail != uplink_reason::kPeerLost) {
      w.figures.push_back("Host beyond the ISP: " + c.link->beyond + " (no answer)");
    }
    w.hint =
        "The router and its WAN port work; the fault is on the ISP's side. Call the fault "
        "line in the contract with the line's number and when it started.";
  } else if (rule == rule::kUplinkIspLoss) {
    w.summary = pick("ISP side loses " + value + " on " + target + " — call the ISP",
                     "ISP-side loss on " + target + " is back to normal" +
                         in_brackets(peak.empty() ? "" : "peak " + peak),
                     "ISP side still loses " + value + " on " + target + " — call the ISP");
    w.figures.push_back(against("Loss"));
    if (f.detail == uplink_reason::kPeerLoss) w.figures.push_back("Where: to the ISP's next hop");
    if (f.detail == uplink_reason::kBeyondLoss) {
      w.figures.push_back("Where: to the host beyond the ISP");
    }
    w.hint =
        "The uplink is not full, so the loss is not the bureau's own traffic: report it to the "
        "ISP (the fault line is in the contract) with the loss and when it started.";
  } else if (rule == rule::kServiceDown) {
    std::string reason(ServiceFailure(f.detail));
    std::string why = reason.empty() ? "" : " — " + reason;
    w.summary = pick("Service down: " + target + why, "Service back: " + target + after("down"),
                     "Service still down: " + target + why);
    if (!c.resolved() && f.value) w.figures.push_back(fmt::format("HTTP status: {:.0f}", *f.value));
    if (!c.resolved() && !f.detail.empty()) w.figures.push_back("Check: " + f.detail);
    if (c.service && !c.service->device.empty()) {
      w.figures.push_back("Served by: " + DevicePhrase(c.config, c.service->device));
    }
    w.hint =
        "Check that the service's process runs on the server, that no firewall blocks the port, "
        "and the server's load.";
  } else if (rule == rule::kCertExpiring) {
    std::string day = CertExpiryDay(c);
    bool expired = f.value && *f.value < 0;
    std::string left, now;
    if (f.value && expired) {
      std::string ago = *Figure(c, -*f.value) + " ago";
      left = day.empty() ? " expired " + ago : fmt::format(" expired on {} ({})", day, ago);
    } else if (f.value) {
      now = fmt::format(" has {} left", value);
      left = now + (day.empty() ? "" : " (expires " + day + ")");
    }
    std::string whose = target + "'s certificate";
    w.summary = pick(
        (expired ? "Certificate expired: " : "Certificate expiring: ") + whose + left,
        "Certificate renewed: " + whose + now,
        (expired ? "Certificate still expired: " : "Certificate still expiring: ") + whose + left);
    if (c.service) {
      w.figures.push_back(fmt::format("Alerts {} days before expiry, critical from {} days",
                                      c.service->cert_warning_days, c.service->cert_critical_days));
    }
    w.hint =
        "Renew the server's certificate before it expires: browsers block the site and clients "
        "fail to connect after that.";
  } else if (rule == rule::kDeviceUnreachable) {
    w.summary = pick(target + " is unreachable", target + " is reachable again" + after("down"),
                     target + " is still unreachable");
    if (!f.detail.empty()) w.figures.push_back("Why: " + ReasonOfUnreachable(f.detail));
    w.hint = "Check the device's power, its uplink cable or fiber, and whether it hangs.";
  } else if (rule == rule::kDeviceRebooted) {
    w.summary =
        pick(target + " restarted", target + "'s restart alert is over", target + " restarted");
    if (f.unit == "seconds" && !value.empty())
      w.figures.push_back("Up since the restart: " + value);
    w.hint = "If nobody planned it, check the power (UPS) and the device's log.";
  } else if (rule == rule::kCaptureDrops) {
    w.summary = pick(target + " is dropping packets" + in_brackets(value),
                     target + " no longer drops packets",
                     target + " is still dropping packets" + in_brackets(value));
    w.figures.push_back(against("Dropped"));
    w.hint =
        "The capture host is overloaded or its buffer (buffer_mib) is small; capture "
        "figures read low meanwhile.";
  } else if (rule == rule::kReceiverFailing) {
    w.summary =
        pick(target + " cannot deliver notifications", target + " delivers notifications again",
             target + " still cannot deliver notifications");
    if (f.unit == "seconds" && !value.empty()) w.figures.push_back("Failing for: " + value);
    if (!f.detail.empty()) w.figures.push_back("Last error: " + f.detail);
    w.hint = "Undelivered notifications stay queued and go out once it works again.";
  } else {
    w.summary =
        pick(fmt::format("{}: {}", target, rule), fmt::format("{}: {} resolved", target, rule),
             fmt::format("{}: {} still firing", target, rule));
    w.figures.push_back(against("Value"));
  }
  w.summary = Capitalized(w.summary);
  std::erase(w.figures, "");
  return w;
}

}  // namespace

AlertText WordInEnglish(const AlertContext& c) {
  Words w = Describe(c);
  AlertText t{w.summary, w.figures};
  const AlertNote& n = c.note;
  if (std::string port = PortName(c); !port.empty() && !n.key.link.empty() && !c.capture) {
    t.details.push_back(fmt::format("Port: {} on {}", port, DevicePhrase(c.config, n.key.device)));
  } else if (c.capture) {
    t.details.push_back("Capture interface: " + c.capture->interface);
  }
  bool event = n.key.rule == rule::kDeviceRebooted;  // a moment, not a state that began
  t.details.push_back((event ? "At: " : "Since: ") + FormatSiteTime(n.since, kEn));
  if (c.resolved() && n.ended) {
    t.details.push_back("Ended: " + FormatSiteTime(*n.ended, kEn));
    if (c.lasted) t.details.push_back("Lasted: " + FormatElapsed(*c.lasted, kEn));
  }
  if (c.resolved() && n.peak && TellsPeak(n.key.rule)) {
    std::string peak = *Figure(c, n.peak);
    if (auto rate = RateOfRatio(n.facts, n.peak)) peak += " (" + *rate + ")";
    t.details.push_back("Peak: " + peak);
  }
  const AlertFacts& f = n.facts;
  if (!f.affected_devices.empty()) {
    std::vector<std::string> devices;
    for (const std::string& d : f.affected_devices) devices.push_back(DevicePhrase(c.config, d));
    t.details.push_back(
        fmt::format("Devices affected ({}): {}", devices.size(), fmt::join(devices, ", ")));
  }
  if (!f.affected_links.empty()) {
    t.details.push_back(fmt::format("Links affected ({}): {}", f.affected_links.size(),
                                    fmt::join(f.affected_links, ", ")));
  }
  if (!c.resolved() && (!f.affected_devices.empty() || !f.affected_links.empty())) {
    t.details.push_back(
        fmt::format("Their own alerts are held back until {} is reachable again.", n.key.device));
  }
  for (const std::string& superseded : n.facts.supersedes) {
    t.details.push_back(
        superseded == rule::kLinkDown && n.key.rule == rule::kFiberNoLight
            ? "The link's down alert (link_down) is folded into this one."
        : superseded == rule::kLinkDown
            ? "The link's down alerts (link_down) are folded into this one: no mail per drop "
              "while it flaps."
        : superseded == rule::kFarEndLoss
            ? "The far end's loss alert (far_end_loss) is folded into this one."
        : superseded == rule::kUplinkIspLoss
            ? "The ISP-side loss alert (uplink_isp_loss) is folded into this one."
            : "Folded into this alert: " + superseded);
  }
  if (!c.resolved() && !w.hint.empty()) t.details.push_back("Hint: " + w.hint);
  return t;
}

}  // namespace lanwatch::wording
