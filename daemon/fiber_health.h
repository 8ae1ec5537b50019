// Fiber health: a verdict per fiber link (the uplink, each unit's link) from its port's optics
// and state. FiberHealth learns each link's own Rx baseline (a median over days, kept in a
// FiberBaselineStore so that a restart keeps it, started over when the module changes) and
// judges: ok, degraded (Rx sinking below the baseline or the module's low warning, or errors
// rising), no_light (Rx at the floor: cut, or the far laser off), light_but_down (light
// arrives, the link is down: our transmit strand or the far port), unknown (no optics, port
// admin down, or optics older than the link's last change). Not thread-safe.
#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/error.h"
#include "probes/snmp/optics.h"

namespace lanwatch {

using WallClockTime = std::chrono::system_clock::time_point;

enum class FiberState { kOk, kDegraded, kNoLight, kLightButDown, kUnknown };
// "ok", "degraded", "no_light", "light_but_down", "unknown": the `state` label of
// lanwatch_link_fiber_state.
std::string_view ToString(FiberState s);
inline constexpr FiberState kAllFiberStates[] = {FiberState::kOk, FiberState::kDegraded,
                                                 FiberState::kNoLight, FiberState::kLightButDown,
                                                 FiberState::kUnknown};

// Why a verdict is what it is (a code; exporters word it).
namespace fiber_reason {
inline constexpr const char* kBelowBaseline = "rx_below_baseline";       // degraded
inline constexpr const char* kBelowLowWarning = "rx_below_low_warning";  // degraded
inline constexpr const char* kErrorsRising = "errors_rising";            // degraded
inline constexpr const char* kNoOptics = "no_optics";                    // unknown
inline constexpr const char* kAdminDown = "admin_down";                  // unknown
inline constexpr const char* kOpticsOutdated = "optics_outdated";
inline constexpr const char* kDarkWhileUp =
    "no_light_while_up";  // unknown: misreported        // unknown
// The module reports no Rx level and the port is down: a cut cannot be told from the far end.
inline constexpr const char* kNoRxLevel = "no_rx_level";  // unknown
}  // namespace fiber_reason

struct FiberStatus {
  FiberState state = FiberState::kUnknown;
  std::string reason;                    // a fiber_reason::*, or empty
  std::optional<double> rx_dbm, tx_dbm;  // the weakest lane's Rx, and its Tx
  std::optional<double> baseline_dbm;    // the link's learned Rx
  std::optional<double> rx_low_warning_dbm;
  std::optional<double> margin_db;  // Rx minus the module's sensitivity
  std::string module_serial, module_vendor;
  std::optional<WallClockTime> optics_at;  // when the optics were read
};

// A learned baseline's samples, durable. Implementations: SQLite (state_dir/fiber.db) and,
// when that cannot be opened, memory.
class FiberBaselineStore {
 public:
  struct Sample {
    WallClockTime at;
    double rx_dbm = 0;
  };
  struct Module {
    std::string serial, vendor;
  };
  virtual ~FiberBaselineStore() = default;
  // Everything kept for `link`: the module the samples belong to, and the samples, oldest first.
  virtual std::expected<std::pair<Module, std::vector<Sample>>, Error> Load(
      const std::string& link) = 0;
  // Starts `link` over for `module` (dropping its samples).
  virtual std::expected<void, Error> Reset(const std::string& link, const Module& module) = 0;
  virtual std::expected<void, Error> Add(const std::string& link, const Sample& sample) = 0;
  // Drops samples of `link` older than `before`.
  virtual std::expected<void, Error> Trim(const std::string& link, WallClockTime before) = 0;
  virtual std::expected<void, Error> Forget(const std::string& link) = 0;
};

// Opens (creating it) DIR/fiber.db.
std::expected<std::unique_ptr<FiberBaselineStore>, Error> OpenFiberBaselineStore(
    const std::string& dir);
std::unique_ptr<FiberBaselineStore> MakeMemoryFiberBaselineStore();

// What the verdict is judged from, besides the optics.
struct FiberLinkFacts {
  bool found = false;  // the port exists on a reachable device
  bool admin_up = false, oper_up = false;
  std::optional<WallClockTime> last_change;  // when the port last changed state
  std::optional<double> errors_per_second;
};

class FiberHealth {
 public:
  explicit FiberHealth(std::unique_ptr<FiberBaselineStore> store);

  // A new optics reading of `link`'s transceiver, taken at `at`: feeds the baseline (a new
  // module starts it over). Learned only with light and `port_up` (the port oper up), and
  // only if it does not already alarm (more than fiber_drop_db below the baseline): a fault
  // never becomes the new normal. A slow decline is still caught because the median over
  // days lags it. At most one sample per window/168 (hourly over 7 days), the first at once;
  // samples older than the window before the newest are trimmed as one is added, so that a
  // link that stops learning (down, or dimmed) keeps its baseline. Store failures are logged
  // once per link and the baseline lives on in memory.
  void Learn(const std::string& link, const Transceiver& transceiver, WallClockTime at,
             const LinkThresholds& thresholds, bool port_up = true);
  // The verdict now. `transceiver` is the link's latest reading (null: the port reports
  // none), read at `optics_at`.
  FiberStatus Judge(const std::string& link, const FiberLinkFacts& facts,
                    const Transceiver* transceiver, std::optional<WallClockTime> optics_at,
                    const LinkThresholds& thresholds) const;
  std::optional<double> Baseline(const std::string& link) const;
  // Forgets links no longer configured (in memory; the store keeps them, a link that comes
  // back finds its baseline).
  void Retain(const Config& config);

 private:
  struct Learned;
  // Loaded from the store on a link's first Learn, Judge or Baseline (hence mutable).
  Learned& Load(const std::string& link) const;
  void Warn(const std::string& link, Learned& learned, const Error& error) const;

  std::unique_ptr<FiberBaselineStore> store_;
  mutable std::map<std::string, std::shared_ptr<Learned>> links_;
};

}  // namespace lanwatch
