// The Prometheus text exposition (format 0.0.4), written as it is produced onto a ByteSink
// rather than built whole: a scrape of thousands of devices never holds its text at once.
// Bytes are the ones prometheus::TextSerializer writes for the same samples (numbers as
// printf's %.16g, so large counters have no exponent; NaN as "Nan", +Inf, -Inf; label values
// escaped), so dashboards and text tests see the same output; label values are made valid
// UTF-8 first (Prometheus drops a whole scrape for one invalid value). Not thread-safe: one
// writer per scrape.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "exporters/metric_families.h"

namespace lanwatch {

// Where exposition bytes go: a string (tests), an HTTP response, a compressor.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(std::string_view bytes) = 0;
};

class StringSink final : public ByteSink {
 public:
  void Write(std::string_view bytes) override { text_.append(bytes); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// One label of a sample; views into the snapshot, so writing a sample copies no string.
struct MetricLabel {
  std::string_view name, value;
};

namespace metric_text {

// Each appends its lines to `out`.
void AppendValue(std::string& out, double value);
void AppendLabelValue(std::string& out, std::string_view value);  // repaired and escaped
// "# HELP" (escaped as the format says: backslash and newline) and "# TYPE".
void AppendFamilyHeader(std::string& out, const metric_families::FamilySpec& family);
void AppendSample(std::string& out, std::string_view name, std::span<const MetricLabel> labels,
                  double value);
// name_count, name_sum, one name_bucket per bound (`cumulative[k]` samples <= `bounds[k]`),
// then the +Inf bucket (`count`), as TextSerializer orders them.
void AppendHistogram(std::string& out, std::string_view name, std::span<const MetricLabel> labels,
                     std::span<const double> bounds, std::span<const uint64_t> cumulative,
                     uint64_t count, double sum);

}  // namespace metric_text

// Buffers lines and hands them to the sink in pieces of about kBufferBytes. Call Finish() at
// the end: the destructor writes nothing (a scrape cut short by an exception is not sent
// as if complete).
class MetricTextWriter {
 public:
  static constexpr size_t kBufferBytes = size_t{64} * 1024;

  explicit MetricTextWriter(ByteSink& sink);
  MetricTextWriter(const MetricTextWriter&) = delete;
  MetricTextWriter& operator=(const MetricTextWriter&) = delete;

  void Family(const metric_families::FamilySpec& family);
  void Sample(std::string_view name, std::span<const MetricLabel> labels, double value);
  void Sample(std::string_view name, std::initializer_list<MetricLabel> labels, double value) {
    Sample(name, std::span<const MetricLabel>(labels.begin(), labels.size()), value);
  }
  void Histogram(std::string_view name, std::span<const MetricLabel> labels,
                 std::span<const double> bounds, std::span<const uint64_t> cumulative,
                 uint64_t count, double sum);
  // Lines already in the format (a family rendered aside), passed on as they are.
  void Text(std::string_view lines);
  void Finish();

 private:
  void FlushIfFull() {
    if (buffer_.size() >= kBufferBytes) Flush();
  }
  void Flush();

  ByteSink& sink_;
  std::string buffer_;
};

}  // namespace lanwatch
