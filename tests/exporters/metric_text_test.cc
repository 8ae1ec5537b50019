// The streamed exposition writer against prometheus-cpp's TextSerializer: the same bytes for
// the same samples (numbers, escapes, histograms, a whole large snapshot), and what the
// writer adds: invalid UTF-8 repaired, few big writes onto the sink.
#include "exporters/metric_text.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cstring>
#include <limits>
#include <random>

#include "config/text_encoding.h"
#include "exporters/status_collector.h"
#include "tests/exporters/scale_snapshot.h"

namespace lanwatch {
namespace {

using metric_families::FamilySpec;
using prometheus::MetricType;

std::string Serialized(const prometheus::MetricFamily& family) {
  return prometheus::TextSerializer().Serialize({family});
}

TEST(MetricText, EscapesBackslashQuoteAndNewlineInLabelValues) {
  std::string out;
  const MetricLabel labels[] = {{"device", "a\\b\"c\nd"}, {"interface", "Gi0/1"}};
  metric_text::AppendSample(out, "x", labels, 1);
  EXPECT_EQ(out, "x{device=\"a\\\\b\\\"c\\nd\",interface=\"Gi0/1\"} 1\n");
}

TEST(MetricText, RepairsInvalidUtf8InLabelValues) {
  // 核心 in GBK, a lone 0xFF, and UTF-8 cut inside a character: never invalid UTF-8 out.
  for (std::string_view raw : {std::string_view("\xBA\xCB\xD0\xC4"), std::string_view("a\xFFz"),
                               std::string_view("\xE6\xA0")}) {
    std::string out;
    const MetricLabel labels[] = {{"interface", raw}};
    metric_text::AppendSample(out, "x", labels, 1);
    EXPECT_TRUE(IsValidUtf8(out)) << out;
    EXPECT_EQ(out, "x{interface=\"" + ToValidUtf8(raw) + "\"} 1\n");
  }
  std::string out;
  const MetricLabel labels[] = {{"interface", "a\xFFz"}};
  metric_text::AppendSample(out, "x", labels, 1);
  EXPECT_EQ(out, "x{interface=\"a\xEF\xBF\xBDz\"} 1\n");  // U+FFFD
}

TEST(MetricText, NumbersAreWrittenAsTextSerializerWritesThem) {
  std::vector<double> values = {0,
                                -0.0,
                                1,
                                -1,
                                0.1,
                                1.5e-7,
                                1e20,
                                123456789012,
                                2'000'000'000'000,
                                9007199254740993.0,
                                9999999999999998.0,
                                1e16,
                                18446744073709551615.0,
                                1.0 / 3,
                                -2.5,
                                5e-324,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(14);
  for (int k = 0; k < 2000; ++k) {
    uint64_t bits = random();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    values.push_back(d);                                              // any double at all
    values.push_back(static_cast<double>(random() >> (k % 64)));      // counters
    values.push_back(static_cast<double>(random() % 100000) / 1000);  // rates, ratios
    values.push_back(std::ldexp(static_cast<double>(random() % 1000), k % 120 - 60));
  }
  prometheus::MetricFamily family{"v", "values", MetricType::Gauge, {}};
  std::string ours = "# HELP v values\n# TYPE v gauge\n";
  for (double v : values) {
    family.metric.emplace_back().gauge.value = v;
    metric_text::AppendSample(ours, "v", {}, v);
  }
  EXPECT_EQ(ours, Serialized(family));
  std::string large;
  metric_text::AppendValue(large, 2'000'000'000'000);
  EXPECT_EQ(large, "2000000000000");  // integers in full, no exponent
}

TEST(MetricText, HistogramsHaveCountSumBucketsAndInf) {
  const MetricLabel labels[] = {{"target", "198.18.0.1"}};
  const double bounds[] = {0.001, 0.01, 1};
  const uint64_t cumulative[] = {1, 3, 5};
  std::string ours;
  metric_text::AppendHistogram(ours, "rtt", labels, bounds, cumulative, 6, 0.25);
  EXPECT_EQ(ours,
            "rtt_count{target=\"198.18.0.1\"} 6\n"
            "rtt_sum{target=\"198.18.0.1\"} 0.25\n"
            "rtt_bucket{target=\"198.18.0.1\",le=\"0.001\"} 1\n"
            "rtt_bucket{target=\"198.18.0.1\",le=\"0.01\"} 3\n"
            "rtt_bucket{target=\"198.18.0.1\",le=\"1\"} 5\n"
            "rtt_bucket{target=\"198.18.0.1\",le=\"+Inf\"} 6\n");
  prometheus::MetricFamily family{"rtt", "h", MetricType::Histogram, {}};
  prometheus::ClientMetric& m = family.metric.emplace_back();
  m.label = {{"target", "198.18.0.1"}};
  m.histogram.sample_count = 6;
  m.histogram.sample_sum = 0.25;
  m.histogram.bucket = {{1, 0.001}, {3, 0.01}, {5, 1}};
  EXPECT_EQ("# HELP rtt h\n# TYPE rtt histogram\n" + ours, Serialized(family));
}

TEST(MetricText, HelpEscapesBackslashAndNewline) {
  std::string out;
  metric_text::AppendFamilyHeader(out, FamilySpec{"x_total", MetricType::Counter, "a \\ b\n\"c\""});
  EXPECT_EQ(out, "# HELP x_total a \\\\ b\\n\"c\"\n# TYPE x_total counter\n");
}

// Counts the writes the sink sees.
class CountingSink final : public ByteSink {
 public:
  void Write(std::string_view bytes) override {
    sizes.push_back(bytes.size());
    text.append(bytes);
  }
  std::vector<size_t> sizes;
  std::string text;
};

TEST(MetricText, TheSinkSeesFewBigWrites) {
  CountingSink sink;
  MetricTextWriter writer(sink);
  std::string expected;
  for (int k = 0; k < 20000; ++k) {
    const std::string port = "GigabitEthernet1/0/" + std::to_string(k);
    const MetricLabel labels[] = {{"device", "sw"}, {"interface", port}};
    writer.Sample("lanwatch_interface_up", labels, k % 2);
    metric_text::AppendSample(expected, "lanwatch_interface_up", labels, k % 2);
  }
  writer.Text(std::string(200'000, '#'));  // a big block passes through whole
  expected += std::string(200'000, '#');
  writer.Finish();
  EXPECT_EQ(sink.text, expected);
  ASSERT_GT(sink.sizes.size(), 2u);
  for (size_t k = 0; k + 2 < sink.sizes.size(); ++k) {
    EXPECT_GE(sink.sizes[k], MetricTextWriter::kBufferBytes) << k;
  }
  EXPECT_LT(sink.sizes.size(), expected.size() / MetricTextWriter::kBufferBytes + 3);
}

// The streamed scrape against the object path, serialised by prometheus-cpp: every family,
// every sample, byte for byte, for a site with everything that makes text hard.
TEST(MetricText, AScrapeIsByteForByteTheSerializersText) {
  const testing::ScaleSnapshot snap = testing::MakeScaleSnapshot(120);
  const std::string serialized = prometheus::TextSerializer().Serialize(
      BuildMetricFamilies(snap.status, "1.2.3", snap.daemon, snap.alerting));
  StringSink streamed;
  WriteMetricText(snap.status, "1.2.3", streamed, snap.daemon, snap.alerting);
  ASSERT_EQ(streamed.text().size(), serialized.size());
  EXPECT_TRUE(streamed.text() == serialized);
  // It has what it was built for: all interface families, repaired names, repeated ones.
  EXPECT_NE(serialized.find("lanwatch_interface_transmit_discards_total{device=\"sw-0120\","
                            "interface=\"Vlan1\"}"),
            std::string::npos);
  EXPECT_NE(serialized.find("interface=\"GigabitEthernet1/0/1#2\""), std::string::npos);
  EXPECT_NE(serialized.find("interface=\"say \\\"hi\\\"\\\\ there\\nnext line\""),
            std::string::npos);
  EXPECT_TRUE(IsValidUtf8(streamed.text()));
}

TEST(MetricText, TheCollectorStreamsWhatItCollects) {
  const testing::ScaleSnapshot snap = testing::MakeScaleSnapshot(30);
  StatusCollector collector("1.2.3");
  collector.SetDaemonStats(snap.daemon);
  collector.SetAlerting(snap.alerting.alerting);
  collector.SetReceiverSource([&] { return snap.alerting.receivers; });
  collector.SetTrapMalformedSource([] { return uint64_t{7}; });
  // Fresh captures from their source, not the snapshot's.
  collector.SetCaptureSource([&] {
    std::vector<CaptureStatus> c = snap.status.captures;
    c[0].name = "fresh";
    return c;
  });
  collector.Publish(snap.status);
  StringSink streamed;
  collector.WriteMetrics(streamed);
  EXPECT_EQ(streamed.text(), prometheus::TextSerializer().Serialize(collector.Collect()));
  EXPECT_NE(streamed.text().find("lanwatch_capture_up{capture=\"fresh\""), std::string::npos);
  EXPECT_NE(streamed.text().find("lanwatch_snmp_traps_malformed_total 7\n"), std::string::npos);
}

}  // namespace
}  // namespace lanwatch
