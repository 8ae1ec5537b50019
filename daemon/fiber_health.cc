#include "daemon/fiber_health.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace lanwatch {
namespace {

using Module = FiberBaselineStore::Module;
using Sample = FiberBaselineStore::Sample;

// A baseline keeps at most this many samples over its window: hourly over 7 days.
constexpr int kSamplesPerWindow = 168;

// The lane that receives least: the one a dimming or a cut shows on first. No light counts as
// the floor whether or not the decoder filled rx_dbm.
struct WeakestLane {
  double rx_dbm;
  bool no_light;
  std::optional<double> tx_dbm;
};

// `lit_only`: dark lanes left out. A port that is up receives light, so a dark lane beside lit
// ones is an unused one (a QSFP in breakout), not a cut.
std::optional<WeakestLane> FindWeakestLane(const Transceiver& t, bool lit_only) {
  std::optional<WeakestLane> weakest;
  for (const OpticalLane& lane : t.lanes) {
    if (!lane.rx_dbm && !lane.rx_no_light) continue;
    const bool no_light = lane.rx_no_light || *lane.rx_dbm <= kNoLightDbm;
    if (lit_only && no_light) continue;
    const double rx =
        lane.rx_no_light ? std::min(kNoLightDbm, lane.rx_dbm.value_or(kNoLightDbm)) : *lane.rx_dbm;
    if (!weakest || rx < weakest->rx_dbm) weakest = WeakestLane{rx, no_light, lane.tx_dbm};
  }
  return weakest;
}

// Another module in the cage: a field the device now reports and that differs from the
// stored one. A field it did not report this time (empty) is no evidence of a swap.
bool IsAnotherModule(const Module& stored, const Transceiver& t) {
  auto differs = [](const std::string& stored_field, const std::string& now) {
    return !now.empty() && now != stored_field;
  };
  return differs(stored.serial, t.serial) || differs(stored.vendor, t.vendor);
}

std::optional<double> Median(const std::vector<Sample>& samples) {
  if (samples.empty()) return std::nullopt;
  std::vector<double> rx;
  rx.reserve(samples.size());
  for (const Sample& s : samples) rx.push_back(s.rx_dbm);
  std::sort(rx.begin(), rx.end());
  const size_t mid = rx.size() / 2;
  return rx.size() % 2 ? rx[mid] : (rx[mid - 1] + rx[mid]) / 2;
}

}  // namespace

std::string_view ToString(FiberState s) {
  switch (s) {
    case FiberState::kOk:
      return "ok";
    case FiberState::kDegraded:
      return "degraded";
    case FiberState::kNoLight:
      return "no_light";
    case FiberState::kLightButDown:
      return "light_but_down";
    case FiberState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

struct FiberHealth::Learned {
  Module module;
  std::vector<Sample> samples;  // oldest first, at most one per window/168
  bool store_failed = false;    // warned once already
};

FiberHealth::FiberHealth(std::unique_ptr<FiberBaselineStore> store) : store_(std::move(store)) {
  if (!store_) store_ = MakeMemoryFiberBaselineStore();
}

void FiberHealth::Warn(const std::string& link, Learned& learned, const Error& error) const {
  if (learned.store_failed) return;
  learned.store_failed = true;
  spdlog::warn("fiber baseline of {}: {}; it is kept in memory only until a restart", link,
               error.message);
}

FiberHealth::Learned& FiberHealth::Load(const std::string& link) const {
  if (auto it = links_.find(link); it != links_.end()) return *it->second;
  auto learned = std::make_shared<Learned>();
  // Whatever the store answers, the link is loaded now: a failed load starts it empty rather
  // than reading the file again at every poll.
  if (auto stored = store_->Load(link)) {
    learned->module = std::move(stored->first);
    learned->samples = std::move(stored->second);
  } else {
    Warn(link, *learned, stored.error());
  }
  return *links_.emplace(link, std::move(learned)).first->second;
}

void FiberHealth::Learn(const std::string& link, const Transceiver& transceiver, WallClockTime at,
                        const LinkThresholds& thresholds, bool port_up) {
  Learned& learned = Load(link);
  if (IsAnotherModule(learned.module, transceiver)) {
    learned.module = {transceiver.serial, transceiver.vendor};
    learned.samples.clear();
    if (auto ok = store_->Reset(link, learned.module); !ok) Warn(link, learned, ok.error());
  }
  // A cut, or the level of a port that is down, says nothing of the link's normal level.
  const std::optional<WeakestLane> weakest = FindWeakestLane(transceiver, /*lit_only=*/true);
  if (!port_up || !weakest) return;
  // Nor does a dimming that already alarms: learnt, it would end its own alarm within half a
  // window. A level that rises is learnt as any other.
  if (auto baseline = Median(learned.samples);
      baseline && weakest->rx_dbm < *baseline - thresholds.fiber_drop_db)
    return;

  // Whole seconds, as the store keeps them, so that memory and file trim alike.
  const WallClockTime at_s = std::chrono::floor<std::chrono::seconds>(at);
  const auto spacing = thresholds.fiber_baseline_window / kSamplesPerWindow;
  if (!learned.samples.empty() && at_s - learned.samples.back().at < spacing) return;
  const Sample sample{at_s, weakest->rx_dbm};
  learned.samples.push_back(sample);
  if (auto ok = store_->Add(link, sample); !ok) Warn(link, learned, ok.error());
  // Trimmed only as a sample is added: a link that stops learning (down for a month, or
  // dimmed below its baseline) keeps the baseline it had, rather than forgetting its fault.
  const WallClockTime before = at_s - thresholds.fiber_baseline_window;
  std::erase_if(learned.samples, [&](const Sample& s) { return s.at < before; });
  if (auto ok = store_->Trim(link, before); !ok) Warn(link, learned, ok.error());
}

std::optional<double> FiberHealth::Baseline(const std::string& link) const {
  return Median(Load(link).samples);
}

FiberStatus FiberHealth::Judge(const std::string& link, const FiberLinkFacts& facts,
                               const Transceiver* transceiver,
                               std::optional<WallClockTime> optics_at,
                               const LinkThresholds& thresholds) const {
  FiberStatus status;
  auto verdict = [&](FiberState state, const char* reason) {
    status.state = state;
    status.reason = reason;
    return status;
  };
  if (!transceiver) return verdict(FiberState::kUnknown, fiber_reason::kNoOptics);

  // Every level is filled whatever the verdict: exporters publish them even when not judged.
  const Learned& learned = Load(link);
  const bool carrying = facts.found && facts.oper_up;
  const std::optional<WeakestLane> weakest = FindWeakestLane(*transceiver, carrying);
  status.optics_at = optics_at;
  status.module_serial = transceiver->serial;
  status.module_vendor = transceiver->vendor;
  status.rx_low_warning_dbm = transceiver->rx_limits.low_warning;
  // The baseline of the module before a swap is not this module's.
  if (!IsAnotherModule(learned.module, *transceiver)) status.baseline_dbm = Median(learned.samples);
  if (weakest) {
    status.rx_dbm = weakest->rx_dbm;
    status.tx_dbm = weakest->tx_dbm;
    if (transceiver->rx_sensitivity_dbm)
      status.margin_db = weakest->rx_dbm - *transceiver->rx_sensitivity_dbm;
  }

  if (!facts.found) return verdict(FiberState::kUnknown, "");
  if (!facts.admin_up) return verdict(FiberState::kUnknown, fiber_reason::kAdminDown);
  // Read before the port last changed: they may show the fiber as it was (the daemon reads
  // them again at once).
  if (optics_at && facts.last_change && *optics_at < *facts.last_change)
    return verdict(FiberState::kUnknown, fiber_reason::kOpticsOutdated);
  if (!facts.oper_up) {
    if (!weakest) return verdict(FiberState::kUnknown, fiber_reason::kNoRxLevel);
    return verdict(weakest->no_light ? FiberState::kNoLight : FiberState::kLightButDown, "");
  }
  // Up, yet every lane reads dark: the module misreports (the link itself says light
  // arrives). Never "no light" on a link that carries traffic.
  if (!weakest && FindWeakestLane(*transceiver, false))
    return verdict(FiberState::kUnknown, fiber_reason::kDarkWhileUp);
  if (weakest && status.baseline_dbm &&
      weakest->rx_dbm < *status.baseline_dbm - thresholds.fiber_drop_db)
    return verdict(FiberState::kDegraded, fiber_reason::kBelowBaseline);
  if (weakest && status.rx_low_warning_dbm && weakest->rx_dbm < *status.rx_low_warning_dbm)
    return verdict(FiberState::kDegraded, fiber_reason::kBelowLowWarning);
  if (facts.errors_per_second && *facts.errors_per_second > thresholds.errors_warning)
    return verdict(FiberState::kDegraded, fiber_reason::kErrorsRising);
  return verdict(FiberState::kOk, "");
}

void FiberHealth::Retain(const Config& config) {
  std::set<std::string, std::less<>> configured;
  for (const LinkConfig& link : config.links) configured.insert(link.name);
  std::erase_if(links_, [&](const auto& entry) { return !configured.contains(entry.first); });
}

}  // namespace lanwatch
