// An AlertEngine driven round by round over a hand-made network, for the engine's and the
// rules' tests. `Network` has a `config` (Config) and `Snapshot()` (NetworkStatus).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "daemon/alerts/alert_engine.h"

namespace lanwatch {

template <typename Network>
class EngineRounds : public ::testing::Test {
 protected:
  // A round at `at` seconds: evaluate, then whatever is due at that moment.
  std::vector<Notification> Round(double at) {
    now_ =
        start_ + std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(at));
    NetworkStatus status = net_.Snapshot();
    observations_.clear();
    engine_.Evaluate(AlertRoundInput{status, net_.config, now_, silences_, receivers_},
                     &observations_);
    return engine_.TakeDue(now_, net_.config.notify);
  }
  // Rounds every `step` seconds from `from` to `to`, all notifications in order.
  std::vector<Notification> Rounds(double from, double to, double step = 5) {
    std::vector<Notification> all;
    for (double t = from; t <= to + 1e-9; t += step) {
      for (auto& n : Round(t)) all.push_back(std::move(n));
    }
    return all;
  }
  // "rule:link" of each alert a notification tells.
  static std::vector<std::string> Rules(const Notification& n) {
    std::vector<std::string> out;
    for (const AlertNote& a : n.alerts) out.push_back(a.key.rule + ":" + a.key.link);
    return out;
  }

  Network net_;
  AlertEngine engine_;
  std::vector<Observation> observations_;  // the last round's
  std::vector<Silence> silences_;
  std::vector<ReceiverStats> receivers_;
  WallTime start_ = WallTime(std::chrono::seconds(1'800'000'000));
  WallTime now_;
};

}  // namespace lanwatch
