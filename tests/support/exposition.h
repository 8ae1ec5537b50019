// Test support: reading Prometheus text exposition back into samples, and checking it with
// promtool.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lanwatch::testing {

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

std::vector<MetricSample> ParseExposition(const std::string& text);

// The value of the one sample named `name` whose labels include `labels`; nullopt if none.
std::optional<double> FindValue(const std::vector<MetricSample>& samples, const std::string& name,
                                const std::map<std::string, std::string>& labels = {});

// What the real `promtool check metrics` says about `text`, one line each, leaving out only
// its advice to put the `_bits_per_second` families in bytes (README, Metrics): parse errors
// (an invalid label value breaks the whole scrape) and lint problems. Empty when clean.
std::vector<std::string> PromtoolProblems(const std::string& text);

}  // namespace lanwatch::testing
