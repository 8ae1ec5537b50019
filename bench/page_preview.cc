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
  Write(dir / "link.html", *RenderLinkPage(zh, "uplink", testing::FiveRanges(lab, "uplink"), p));
  std::ofstream(dir / "static" / "lanwatch.css") << PageStyleSheet();
  return 0;
}
