// Test support: reading Prometheus text exposition back into samples.
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

}  // namespace lanwatch::testing
