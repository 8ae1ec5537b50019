#include "exporters/web/status_page.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "daemon/element_state.h"
#include "exporters/web/html.h"
#include "tests/daemon/scratch_dir.h"
#include "tests/exporters/lab_snapshot.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::kChineseUnit;
using testing::kCutUnit;
using testing::kHostileSysName;
using testing::MakeLabSnapshot;

// A strict well-formedness check with a real HTML parser (python3's html.parser): every
// element closed in order (void elements excepted), no stray end tags, no duplicate
// attributes, nothing left open. Prints the problems; exit 0 when there are none.
constexpr const char* kCheckScript = R"py(
import sys
from html.parser import HTMLParser
VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "col", "area", "base"}
SELF_CLOSING_OK = {"path", "rect", "line", "circle", "polyline", "polygon"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []
    def where(self):
        return "line %d col %d" % self.getpos()
    def attrs_ok(self, tag, attrs):
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append("duplicate attribute in <%s> at %s" % (tag, self.where()))
    def handle_starttag(self, tag, attrs):
        self.attrs_ok(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.attrs_ok(tag, attrs)
        if tag not in VOID and tag not in SELF_CLOSING_OK:
            self.problems.append("self-closed <%s/> at %s" % (tag, self.where()))
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("</%s> at %s, open: %s" % (tag, self.where(), self.stack[-3:]))
        else:
            self.stack.pop()
c = Check()
text = open(sys.argv[1], encoding="utf-8", errors="strict").read()
if not text.startswith("<!DOCTYPE html>"):
    c.problems.append("no doctype")
c.feed(text)
c.close()
if c.stack:
    c.problems.append("left open: %s" % c.stack)
print("\n".join(c.problems))
sys.exit(1 if c.problems else 0)
)py";

// Runs the check on `html`; returns what it found ("" when well-formed). Fails the test when
// python3 cannot run: a checker that does not start is no pass.
std::string WellFormedProblems(const std::string& html) {
  testing::ScratchDir dir;
  std::ofstream(dir / "page.html") << html;
  std::ofstream(dir / "check.py") << kCheckScript;
  std::string command =
      "/usr/bin/python3 " + (dir / "check.py") + " " + (dir / "page.html") + " 2>&1";
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  if (status != 0 && out.empty()) return "checker exited " + std::to_string(status);
  return status == 0 ? "" : out;
}

// The data-state of the first element carrying `attribute`="value".
std::string StateOf(const std::string& html, const std::string& attribute,
                    const std::string& value) {
  std::smatch m;
  std::regex re(attribute + "=\"" + value + "\"[^>]*?data-state=\"([a-z]+)\"");
  return std::regex_search(html, m, re) ? std::string(m[1]) : "";
}

// Every data-state of elements carrying `attribute`="value".
std::vector<std::string> StatesOf(const std::string& html, const std::string& attribute,
                                  const std::string& value) {
  std::vector<std::string> out;
  std::regex re(attribute + "=\"" + value + "\"[^>]*?data-state=\"([a-z]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

struct Rendered {
  testing::LabSnapshot lab = MakeLabSnapshot();
  std::string Overview(NotifyLanguage language) {
    PageInput in{lab.status, lab.config, &lab.alerting, language, lab.now, "0.9.0", 30s};
    return RenderOverviewPage(in, lab.hour);
  }
};

TEST(StatusPage, OverviewColoursTheCutUnitAndTheSaturatedUplink) {
  Rendered r;
  std::string html = r.Overview(NotifyLanguage::kZh);
  std::vector<std::string> cut = StatesOf(html, "data-link", kCutUnit);
  ASSERT_GE(cut.size(), 3u) << "table row, topology edge and leaf";
  for (const std::string& s : cut) EXPECT_EQ(s, "critical");
  std::vector<std::string> uplink = StatesOf(html, "data-link", "uplink");
  ASSERT_GE(uplink.size(), 3u) << "verdict, topology edge, table row";
  for (const std::string& s : uplink) EXPECT_TRUE(s == "warning" || s == "critical") << s;
  EXPECT_EQ(StateOf(html, "data-link", "panji"), "ok");
  EXPECT_EQ(StateOf(html, "data-device", "core-switch"), "ok");
  EXPECT_EQ(StateOf(html, "data-device", "router"), "ok");
  // The hour graphs carry data; the cut unit's too, up to its cut.
  std::smatch m;
  std::regex points("data-link=\"datong\" data-range=\"hour\" data-points=\"([0-9]+)\"");
  // The graph is a link element too: it carries the link's state.
  EXPECT_EQ(StateOf(html, "data-link=\"datong\" data-range", "hour"), "critical");
  ASSERT_TRUE(std::regex_search(html, m, points));
  EXPECT_EQ(m[1], "636");
}

TEST(StatusPage, EscapesWhatDevicesSend) {
  Rendered r;
  std::string html = r.Overview(NotifyLanguage::kZh);
  EXPECT_EQ(html.find(kHostileSysName), std::string::npos);
  EXPECT_NE(html.find(EscapeHtml(kHostileSysName)), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(StatusPage, NoScriptsNoInlineStyles) {
  Rendered r;
  for (NotifyLanguage language : {NotifyLanguage::kZh, NotifyLanguage::kEn}) {
    std::string html = r.Overview(language);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find(" style="), std::string::npos);
    EXPECT_EQ(html.find("<style"), std::string::npos);
    EXPECT_NE(html.find("<meta http-equiv=\"refresh\" content=\"30\">"), std::string::npos);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("href=\"/static/lanwatch.css\""), std::string::npos);
  }
  EXPECT_EQ(std::string(PageStyleSheet()).find("@import"), std::string::npos);
  EXPECT_EQ(std::string(PageStyleSheet()).find("url("), std::string::npos);  // nothing external
}

TEST(StatusPage, ChineseWording) {
  Rendered r;
  std::string html = r.Overview(NotifyLanguage::kZh);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  for (const char* words :
       {"网络拓扑", "当前告警（3）", "互联网出口", "下属单位", "运营商", "线路已跑满", "利用率",
        "无光", "运行时间", "内存", "业务系统", "2026-12-01"}) {
    EXPECT_NE(html.find(words), std::string::npos) << words;
  }
  // The alert's summary in the page's language, and how long it has lasted.
  EXPECT_NE(html.find("7 分钟"), std::string::npos);
  EXPECT_EQ(html.find("Active alerts"), std::string::npos);
}

TEST(StatusPage, EnglishWording) {
  Rendered r;
  r.lab.config.notify.language = NotifyLanguage::kZh;  // the page follows the browser's
  std::string html = r.Overview(NotifyLanguage::kEn);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  for (const char* words : {"Topology", "Active alerts (3)", "the line is full", "Utilization",
                            "no light", "Uptime", "Services"}) {
    EXPECT_NE(html.find(words), std::string::npos) << words;
  }
  EXPECT_EQ(html.find("网络拓扑"), std::string::npos);
  EXPECT_EQ(html.find("运营商"), std::string::npos) << "alert summaries in English too";
}

TEST(StatusPage, ChineseLinkNamesLinkToTheirPage) {
  Rendered r;
  std::string html = r.Overview(NotifyLanguage::kZh);
  EXPECT_EQ(UrlEncodePathSegment(kChineseUnit), "%E4%B8%B0%E5%8F%B0");
  EXPECT_NE(html.find("href=\"/link/%E4%B8%B0%E5%8F%B0\""), std::string::npos);
  EXPECT_EQ(StateOf(html, "data-link", kChineseUnit), "ok");
}

TEST(StatusPage, SuppressedAlertsSayWhy) {
  Rendered r;
  for (AlertRecord& a : r.lab.alerting.records) {
    if (a.key.link == "uplink") a.suppressed_by = "silence:4";
  }
  Silence s;
  s.id = 4;
  s.device = "router";
  s.ends = r.lab.now + 2h;
  s.comment = "运营商割接";
  r.lab.alerting.silences.push_back(s);
  std::string html = r.Overview(NotifyLanguage::kZh);
  EXPECT_NE(html.find("已静默至 2026-12-01"), std::string::npos);
  EXPECT_NE(html.find("运营商割接"), std::string::npos);
  EXPECT_EQ(StateOf(html, "data-link", "uplink"), "suppressed");
}

TEST(StatusPage, IsWellFormedHtml) {
  Rendered r;
  for (NotifyLanguage language : {NotifyLanguage::kZh, NotifyLanguage::kEn}) {
    EXPECT_EQ(WellFormedProblems(r.Overview(language)), "");
  }
  PageInput in{r.lab.status, r.lab.config, &r.lab.alerting, NotifyLanguage::kZh, r.lab.now,
               "0.9.0",      30s};
  auto link = RenderLinkPage(in, "uplink", r.lab.hour, std::nullopt);
  ASSERT_TRUE(link);
  EXPECT_EQ(WellFormedProblems(*link), "");
  EXPECT_EQ(WellFormedProblems(RenderNotFoundPage(in, "<b>nope</b>")), "");
}

TEST(StatusPage, LinkPageHasEveryRangeAndThePercentile) {
  Rendered r;
  PageInput in{r.lab.status, r.lab.config, &r.lab.alerting, NotifyLanguage::kZh, r.lab.now,
               "0.9.0",      30s};
  BillingPercentile p;
  p.in_bps = 9.1e6;
  p.out_bps = 2.9e6;
  p.billed_bps = 9.1e6;
  p.samples = 8640;
  p.from = r.lab.now - 720h;
  p.to = r.lab.now;
  auto html = RenderLinkPage(in, "uplink", testing::FiveRanges(r.lab, "uplink"), p);
  ASSERT_TRUE(html);
  for (const char* range : {"hour", "day", "week", "month", "year"}) {
    std::regex re(std::string("<svg[^>]*data-link=\"uplink\" data-range=\"") + range +
                  "\" data-points=\"([0-9]+)\"");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*html, m, re)) << range;
    EXPECT_GT(std::stoi(m[1]), 0) << range;
  }
  for (const char* words : {"峰值", "平均", "当前", "95 计费值", "9.1 Mbit/s", "8640",
                            "每 5 秒一个点", "每 5 分钟一个点", "每 1 天一个点", "线路已跑满"}) {
    EXPECT_NE(html->find(words), std::string::npos) << words;
  }
  EXPECT_EQ(StateOf(*html, "data-link", "uplink"), "critical");
  EXPECT_EQ(html->find(" style="), std::string::npos);
  // The Chinese-named unit's page, and none for a link the snapshot lacks.
  EXPECT_TRUE(RenderLinkPage(in, kChineseUnit, {}, std::nullopt));
  EXPECT_FALSE(RenderLinkPage(in, "nowhere", {}, std::nullopt));
}

}  // namespace
}  // namespace lanwatch
