#include "exporters/sample_output.h"

#include "config/text_encoding.h"
#include "exporters/metric_families.h"

namespace lanwatch {

using metric_families::kFamilies;
using prometheus::ClientMetric;
using prometheus::MetricType;

FamilyObjects::FamilyObjects() {
  families_.reserve(std::size(kFamilies));
  for (const metric_families::FamilySpec& spec : kFamilies) {
    families_.push_back(prometheus::MetricFamily{spec.name, spec.help, spec.type, {}});
  }
}

ClientMetric& FamilyObjects::Add(size_t family, std::span<const MetricLabel> labels) {
  ClientMetric& metric = families_.at(family).metric.emplace_back();
  metric.label.reserve(labels.size());
  for (const MetricLabel& l : labels) {
    // Prometheus rejects a whole scrape for one invalid label value. Agent text is decoded
    // at the source; this is the last line of defence.
    metric.label.push_back(
        {std::string(l.name), IsValidUtf8(l.value) ? std::string(l.value) : ToValidUtf8(l.value)});
  }
  return metric;
}

void FamilyObjects::Sample(size_t family, std::span<const MetricLabel> labels, double value) {
  ClientMetric& metric = Add(family, labels);
  if (families_[family].type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
}

void FamilyObjects::Histogram(size_t family, std::span<const MetricLabel> labels,
                              const RttHistogram& h) {
  ClientMetric::Histogram& out = Add(family, labels).histogram;
  out.sample_count = h.count;
  out.sample_sum = h.sum_seconds;
  // The serializer adds the +Inf bucket from sample_count.
  for (size_t k = 0; k < kRttBucketBounds.size(); ++k) {
    out.bucket.push_back({h.cumulative[k], kRttBucketBounds[k]});
  }
}

FamilyTexts::FamilyTexts() : texts_(std::size(kFamilies)) {}

void FamilyTexts::Sample(size_t family, std::span<const MetricLabel> labels, double value) {
  metric_text::AppendSample(texts_.at(family), kFamilies[family].name, labels, value);
}

void FamilyTexts::Histogram(size_t family, std::span<const MetricLabel> labels,
                            const RttHistogram& h) {
  metric_text::AppendHistogram(texts_.at(family), kFamilies[family].name, labels, kRttBucketBounds,
                               h.cumulative, h.count, h.sum_seconds);
}

void StreamedSamples::Sample(size_t family, std::span<const MetricLabel> labels, double value) {
  writer_.Sample(kFamilies[family].name, labels, value);
}

void StreamedSamples::Histogram(size_t family, std::span<const MetricLabel> labels,
                                const RttHistogram& h) {
  writer_.Histogram(kFamilies[family].name, labels, kRttBucketBounds, h.cumulative, h.count,
                    h.sum_seconds);
}

}  // namespace lanwatch
