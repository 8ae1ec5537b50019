// Writes the status pages for the lab snapshot (tests/exporters/lab_snapshot.h) to look at
// them in a browser from files: DIR/index.html (Chinese), DIR/index-en.html, DIR/link.html
// (the uplink, five ranges) and DIR/static/lanwatch.css. The stylesheet link is made
// relative so that file:// finds it; nothing else differs from what lanwatchd serves.
//   page_preview DIR
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "exporters/web/status_page.h"
#include "tests/exporters/lab_snapshot.h"

namespace {

using namespace std::chrono_literals;
using namespace lanwatch;

void Write(const std::filesystem::path& path, std::string text) {
  const std::string absolute = "href=\"" + std::string(kStyleSheetPath) + "\"";
  if (auto at = text.find(absolute); at != std::string::npos) {
    text.replace(at, absolute.size(), "href=\"" + std::string(kStyleSheetPath.substr(1)) + "\"");
  }
  std::ofstream(path) << text;
}

std::vector<HistorySeries> Ranges(const testing::LabSnapshot& lab) {
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
    s.link = "uplink";
    s.range = r.range;
    s.step = r.step;
    s.start = lab.now - r.step * static_cast<long>(r.points);
    double peak = 0, sum = 0;
    for (size_t i = 0; i < r.points; ++i) {
      double x = static_cast<double>(i);
      double in = std::min(10e6, 5.5e6 + 3.5e6 * std::sin(x / 23.0) + 1e6 * std::sin(x / 3.1));
      s.in_bps.push_back(i % 97 == 40 ? NAN : in);
      s.out_bps.push_back(1.8e6 + 0.8e6 * std::cos(x / 17.0));
      peak = std::max(peak, in);
      sum += in;
    }
    s.in = {peak, sum / static_cast<double>(r.points), s.in_bps.back()};
    s.out = {2.6e6, 1.8e6, s.out_bps.back()};
    ranges.push_back(std::move(s));
  }
  return ranges;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: page_preview DIR\n");
    return 2;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir / "static");
  testing::LabSnapshot lab = testing::MakeLabSnapshot();
  PageInput zh{lab.status, lab.config, &lab.alerting, NotifyLanguage::kZh, lab.now, "0.9.0", 30s};
  PageInput en = zh;
  en.language = NotifyLanguage::kEn;
  Write(dir / "index.html", RenderOverviewPage(zh, lab.hour));
  Write(dir / "index-en.html", RenderOverviewPage(en, lab.hour));
  BillingPercentile p{9.1e6, 2.9e6, 9.1e6, 8640, lab.now - 720h, lab.now};
  Write(dir / "link.html", *RenderLinkPage(zh, "uplink", Ranges(lab), p));
  std::ofstream(dir / "static" / "lanwatch.css") << PageStyleSheet();
  return 0;
}
