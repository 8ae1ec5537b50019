#include "exporters/metric_text.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "config/text_encoding.h"

namespace lanwatch::metric_text {
namespace {

constexpr std::string_view TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Histogram:
      return "histogram";
    case prometheus::MetricType::Untyped:
      break;
  }
  return "untyped";
}

void AppendUnsigned(std::string& out, uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// The characters a label value escapes; anything else (valid UTF-8) is copied as is.
bool NeedsEscape(char c) { return c == '\\' || c == '"' || c == '\n'; }

void AppendEscaped(std::string& out, std::string_view value) {
  size_t start = 0;
  for (size_t k = 0; k < value.size(); ++k) {
    if (!NeedsEscape(value[k])) continue;
    out.append(value.substr(start, k - start));
    out += '\\';
    out += value[k] == '\n' ? 'n' : value[k];
    start = k + 1;
  }
  out.append(value.substr(start));
}

void AppendHead(std::string& out, std::string_view name, std::string_view suffix,
                std::span<const MetricLabel> labels, std::string_view extra_name = {},
                std::string_view extra_value = {}) {
  out.append(name);
  out.append(suffix);
  if (!labels.empty() || !extra_name.empty()) {
    char separator = '{';
    for (const MetricLabel& l : labels) {
      out += separator;
      out.append(l.name);
      out.append("=\"");
      AppendLabelValue(out, l.value);
      out += '"';
      separator = ',';
    }
    if (!extra_name.empty()) {
      out += separator;
      out.append(extra_name);
      out.append("=\"");
      out.append(extra_value);  // a number or +Inf: nothing to escape
      out += '"';
    }
    out += '}';
  }
  out += ' ';
}

}  // namespace

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("Nan");  // as TextSerializer spells it; Prometheus reads it case-blind
    return;
  }
  if (std::isinf(value)) {
    out.append(value < 0 ? "-Inf" : "+Inf");
    return;
  }
  // Most samples are counters and flags: whole numbers below 1e16 print in full under %.16g,
  // and integer conversion is several times cheaper than the general one.
  if (value == 0) {
    out.append(std::signbit(value) ? "-0" : "0");
    return;
  }
  if (std::fabs(value) < 1e16 && value == std::trunc(value)) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(value));
    out.append(digits, end);
    return;
  }
  // TextSerializer's own format: printf's %.16g (max_digits10 - 1 significant digits), which
  // std::to_chars reproduces exactly in the general format with that precision.
  char digits[32];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::general,
                                 std::numeric_limits<double>::max_digits10 - 1);
  out.append(digits, end);
}

void AppendLabelValue(std::string& out, std::string_view value) {
  if (IsValidUtf8(value)) {
    AppendEscaped(out, value);
  } else {
    AppendEscaped(out, ToValidUtf8(value));
  }
}

void AppendFamilyHeader(std::string& out, const metric_families::FamilySpec& family) {
  out.append("# HELP ");
  out.append(family.name);
  out += ' ';
  // The format escapes backslash and newline in HELP (a quote stays as it is).
  for (std::string_view help = family.help; char c : help) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out += c;
    }
  }
  out.append("\n# TYPE ");
  out.append(family.name);
  out += ' ';
  out.append(TypeName(family.type));
  out += '\n';
}

void AppendSample(std::string& out, std::string_view name, std::span<const MetricLabel> labels,
                  double value) {
  AppendHead(out, name, "", labels);
  AppendValue(out, value);
  out += '\n';
}

void AppendHistogram(std::string& out, std::string_view name, std::span<const MetricLabel> labels,
                     std::span<const double> bounds, std::span<const uint64_t> cumulative,
                     uint64_t count, double sum) {
  AppendHead(out, name, "_count", labels);
  AppendUnsigned(out, count);
  out += '\n';
  AppendHead(out, name, "_sum", labels);
  AppendValue(out, sum);
  out += '\n';
  std::string bound;
  for (size_t k = 0; k < bounds.size() && k < cumulative.size(); ++k) {
    bound.clear();
    AppendValue(bound, bounds[k]);
    AppendHead(out, name, "_bucket", labels, "le", bound);
    AppendUnsigned(out, cumulative[k]);
    out += '\n';
  }
  if (bounds.empty() || bounds.back() != std::numeric_limits<double>::infinity()) {
    AppendHead(out, name, "_bucket", labels, "le", "+Inf");
    AppendUnsigned(out, count);
    out += '\n';
  }
}

}  // namespace lanwatch::metric_text

namespace lanwatch {

MetricTextWriter::MetricTextWriter(ByteSink& sink) : sink_(sink) {
  // A line never exceeds a few hundred bytes: one reservation serves the whole scrape.
  buffer_.reserve(kBufferBytes + 4096);
}

void MetricTextWriter::Family(const metric_families::FamilySpec& family) {
  metric_text::AppendFamilyHeader(buffer_, family);
  FlushIfFull();
}

void MetricTextWriter::Sample(std::string_view name, std::span<const MetricLabel> labels,
                              double value) {
  metric_text::AppendSample(buffer_, name, labels, value);
  FlushIfFull();
}

void MetricTextWriter::Histogram(std::string_view name, std::span<const MetricLabel> labels,
                                 std::span<const double> bounds,
                                 std::span<const uint64_t> cumulative, uint64_t count, double sum) {
  metric_text::AppendHistogram(buffer_, name, labels, bounds, cumulative, count, sum);
  FlushIfFull();
}

void MetricTextWriter::Text(std::string_view lines) {
  if (buffer_.size() + lines.size() <= kBufferBytes) {
    buffer_.append(lines);
    FlushIfFull();
    return;
  }
  Flush();
  sink_.Write(lines);
}

void MetricTextWriter::Finish() { Flush(); }

void MetricTextWriter::Flush() {
  if (buffer_.empty()) return;
  sink_.Write(buffer_);
  buffer_.clear();
}

}  // namespace lanwatch
