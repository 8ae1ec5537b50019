// What a status page render costs (the budget: 5 ms of lanwatchd's CPU for the bureau's
// config): the overview with the lab's eight links and their hour graphs, and one link's page
// with its five ranges (hour at 5 s: 720 points; day 288, week 336, month 372, year 365).
//   page_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cmath>

#include "exporters/web/status_page.h"
#include "tests/exporters/lab_snapshot.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

std::vector<HistorySeries> FiveRanges(const testing::LabSnapshot& lab, const std::string& link) {
  struct {
    HistoryRange range;
    std::chrono::seconds step;
    size_t points;
  } kRanges[] = {{HistoryRange::kHour, 5s, 720},
                 {HistoryRange::kDay, 300s, 288},
                 {HistoryRange::kWeek, 1800s, 336},
                 {HistoryRange::kMonth, 7200s, 372},
                 {HistoryRange::kYear, 86400s, 365}};
  std::vector<HistorySeries> ranges;
  for (auto r : kRanges) {
    HistorySeries s;
    s.link = link;
    s.range = r.range;
    s.step = r.step;
    s.start = lab.now - r.step * static_cast<long>(r.points);
    for (size_t i = 0; i < r.points; ++i) {
      s.in_bps.push_back(5e6 + 4e6 * std::sin(static_cast<double>(i) / 20.0));
      s.out_bps.push_back(2e6 + 1e6 * std::cos(static_cast<double>(i) / 15.0));
    }
    ranges.push_back(std::move(s));
  }
  return ranges;
}

void BM_Overview(benchmark::State& state) {
  testing::LabSnapshot lab = testing::MakeLabSnapshot();
  PageInput in{lab.status, lab.config, &lab.alerting, NotifyLanguage::kZh, lab.now, "bench", 30s};
  size_t bytes = 0;
  for (auto _ : state) {
    std::string page = RenderOverviewPage(in, lab.hour);
    bytes = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["hour_series"] = static_cast<double>(lab.hour.size());
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Overview)->Unit(benchmark::kMillisecond);

void BM_LinkPage(benchmark::State& state) {
  testing::LabSnapshot lab = testing::MakeLabSnapshot();
  PageInput in{lab.status, lab.config, &lab.alerting, NotifyLanguage::kZh, lab.now, "bench", 30s};
  std::vector<HistorySeries> ranges = FiveRanges(lab, "uplink");
  BillingPercentile p{9.1e6, 2.9e6, 9.1e6, 8640, lab.now - 720h, lab.now};
  size_t bytes = 0;
  for (auto _ : state) {
    auto page = RenderLinkPage(in, "uplink", ranges, p);
    bytes = page->size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_LinkPage)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lanwatch

BENCHMARK_MAIN();
