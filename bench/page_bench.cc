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
  std::vector<HistorySeries> ranges = testing::FiveRanges(lab, "uplink");
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
