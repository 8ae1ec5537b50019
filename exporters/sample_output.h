// Where the status collector's samples go (internal to exporters/). One generator decides which
// samples exist (status_collector.cc); these receive them: as prometheus::MetricFamily objects
// (BuildMetricFamilies: tests, `lanwatch check`), as text straight onto a writer (the families
// that scale with interfaces, streamed), or as text held per family until its turn comes in
// kFamilies order (the small ones, generated device by device). Not thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <span>
#include <string>
#include <vector>

#include "exporters/metric_text.h"
#include "probes/icmp/probe_window.h"

namespace lanwatch {

class SampleOutput {
 public:
  virtual ~SampleOutput() = default;
  // `family` indexes metric_families::kFamilies; its type says what the value counts.
  virtual void Sample(size_t family, std::span<const MetricLabel> labels, double value) = 0;
  virtual void Histogram(size_t family, std::span<const MetricLabel> labels,
                         const RttHistogram& histogram) = 0;
};

// Every family of kFamilies, in order, with HELP and TYPE, whether or not it has samples.
class FamilyObjects final : public SampleOutput {
 public:
  FamilyObjects();
  void Sample(size_t family, std::span<const MetricLabel> labels, double value) override;
  void Histogram(size_t family, std::span<const MetricLabel> labels,
                 const RttHistogram& histogram) override;
  std::vector<prometheus::MetricFamily> Take() { return std::move(families_); }

 private:
  prometheus::ClientMetric& Add(size_t family, std::span<const MetricLabel> labels);
  std::vector<prometheus::MetricFamily> families_;
};

// Each family's sample lines (no HELP or TYPE), kept until they are written.
class FamilyTexts final : public SampleOutput {
 public:
  FamilyTexts();
  void Sample(size_t family, std::span<const MetricLabel> labels, double value) override;
  void Histogram(size_t family, std::span<const MetricLabel> labels,
                 const RttHistogram& histogram) override;
  // The family's lines, given up: the memory goes as soon as they are written.
  std::string Take(size_t family) { return std::move(texts_.at(family)); }

 private:
  std::vector<std::string> texts_;
};

// Sample lines onto the writer as they come; the caller writes the family's header first.
class StreamedSamples final : public SampleOutput {
 public:
  explicit StreamedSamples(MetricTextWriter& writer) : writer_(writer) {}
  void Sample(size_t family, std::span<const MetricLabel> labels, double value) override;
  void Histogram(size_t family, std::span<const MetricLabel> labels,
                 const RttHistogram& histogram) override;

 private:
  MetricTextWriter& writer_;
};

}  // namespace lanwatch
