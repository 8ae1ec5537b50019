// The status page in a real browser: headless Chromium, in the lab's monitor namespace, loads
// lanwatchd's page while one unit's fiber is cut and the uplink is flooded, and the DOM it
// built says so. The screenshot is kept as a test artifact (LANWATCH_ARTIFACT_DIR).
#include <regex>

#include "tests/integration/lab_fixture.h"

namespace lanwatch {
namespace {

using testing::FindValue;

// What the browser made of a page: its DOM, and what it logged (CSP violations among it).
struct Browsed {
  int exit_code = -1;
  std::string dom, log;
};

class LabPage : public Lab {
 protected:
  // Chromium as root needs --no-sandbox; its profile is the test's own.
  std::string Chromium(const std::string& args) {
    return fmt::format(
        "{} chromium --headless --no-sandbox --disable-gpu "
        "--no-first-run --user-data-dir={}/chromium --enable-logging=stderr --v=0 {}",
        InLab("monitor"), log_.path(), args);
  }
  Browsed Browse(const std::string& path) {
    const std::string err = log_.path() + "/chromium.log";
    auto r = testing::RunCommand(
        Chromium(fmt::format("--dump-dom 'http://127.0.0.1:9731{}' 2>{}", path, err)));
    return {r.exit_code, r.output, testing::ReadFile(err)};
  }
  void Screenshot(const std::string& path, const std::string& png) {
    auto r = testing::RunCommand(Chromium(fmt::format(
        "--screenshot={} --window-size=1280,2400 --hide-scrollbars 'http://127.0.0.1:9731{}' "
        "2>/dev/null",
        png, path)));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  static int Severity(const std::vector<testing::MetricSample>& m, const std::string& link) {
    return static_cast<int>(FindValue(m, "lanwatch_link_severity", {{"link", link}}).value_or(0));
  }
};

// Every element carrying data-link="NAME" (or data-device), as its opening tag.
std::vector<std::string> Elements(const std::string& dom, const std::string& attribute,
                                  const std::string& name) {
  std::vector<std::string> out;
  std::regex tag("<[^>]*" + attribute + "=\"" + name + "\"[^>]*>");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), tag); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

std::string State(const std::string& element) {
  std::smatch m;
  return std::regex_search(element, m, std::regex("data-state=\"([a-z]+)\"")) ? m[1].str() : "";
}

// The number of known points of the graph of `link` over `range`, -1 when there is none.
int GraphPoints(const std::string& dom, const std::string& link, const std::string& range) {
  for (const std::string& e : Elements(dom, "data-link", link)) {
    if (e.rfind("<svg", 0) != 0 || e.find("data-range=\"" + range + "\"") == std::string::npos)
      continue;
    std::smatch m;
    if (std::regex_search(e, m, std::regex("data-points=\"(\\d+)\""))) return std::stoi(m[1]);
  }
  return -1;
}

TEST_F(LabPage, ABrowserShowsTheCutUnitCriticalAndTheFullUplink) {
  // History first: a few rounds of every link, so that the graphs have something to draw.
  std::this_thread::sleep_for(2 * kPoll);
  auto cut = testing::RunCommand(Bureau("fault cut panji"));
  ASSERT_EQ(cut.exit_code, 0) << cut.output;
  auto flood = testing::ChildProcess::Start(BureauArgv({"fault", "saturate", "40"}),
                                            log_.path() + "/saturate.log");
  // Both judged: panji critical (down), the uplink warning or critical (full), by urgency.
  ASSERT_TRUE(testing::WaitUntil(30s, [&] {
    auto m = Metrics();
    return Severity(m, "panji") == 3 && Severity(m, "uplink") >= 2;
  })) << testing::ReadFile(log_.path() + "/lanwatchd.log");

  Browsed page = Browse("/");
  ASSERT_EQ(page.exit_code, 0) << page.log;
  ASSERT_NE(page.dom.find("<html"), std::string::npos) << page.dom;
  // Nothing the page asked for was refused: it needs no script, no foreign style or font.
  EXPECT_EQ(page.log.find("Content Security Policy"), std::string::npos) << page.log;

  auto panji = Elements(page.dom, "data-link", "panji");
  ASSERT_FALSE(panji.empty()) << page.dom;
  for (const std::string& e : panji) EXPECT_EQ(State(e), "critical") << e;
  auto uplink = Elements(page.dom, "data-link", "uplink");
  ASSERT_FALSE(uplink.empty());
  for (const std::string& e : uplink) {
    EXPECT_TRUE(State(e) == "warning" || State(e) == "critical") << e;
  }
  // The other units are fine; the switch that carries them answers.
  for (const char* unit : {"datong", "fengtai"}) {
    auto elements = Elements(page.dom, "data-link", unit);
    ASSERT_FALSE(elements.empty()) << unit;
    EXPECT_EQ(State(elements.front()), "ok") << elements.front();
  }
  auto sw = Elements(page.dom, "data-device", "core-switch");
  ASSERT_FALSE(sw.empty());
  EXPECT_EQ(State(sw.front()), "ok");
  // The graphs carry data: the last hour of every link, the uplink's and panji's included.
  EXPECT_GE(GraphPoints(page.dom, "uplink", "hour"), 3) << page.dom;
  EXPECT_GE(GraphPoints(page.dom, "panji", "hour"), 3);

  // The drill-down says the same, with every range drawn.
  Browsed link = Browse("/link/panji");
  ASSERT_EQ(link.exit_code, 0) << link.log;
  auto drilled = Elements(link.dom, "data-link", "panji");
  ASSERT_FALSE(drilled.empty()) << link.dom;
  EXPECT_EQ(State(drilled.front()), "critical");
  for (const char* range : {"hour", "day", "week", "month", "year"}) {
    EXPECT_GE(GraphPoints(link.dom, "panji", range), 0) << range << " graph missing";
  }
  EXPECT_GE(GraphPoints(link.dom, "panji", "hour"), 3);

  // The screenshot, for a person to look at (kept after the test).
  const std::string artifacts = LANWATCH_ARTIFACT_DIR;
  testing::RunCommand("mkdir -p " + artifacts);
  const std::string png = artifacts + "/lab-status-page.png";
  std::remove(png.c_str());
  Screenshot("/", png);
  const std::string image = testing::ReadFile(png);
  ASSERT_GT(image.size(), 20'000u) << "a blank page?";
  EXPECT_EQ(image.substr(1, 3), "PNG");
  Screenshot("/link/uplink?lang=en", artifacts + "/lab-link-page-en.png");

  EXPECT_EQ(flood.Wait(45s), 0) << testing::ReadFile(log_.path() + "/saturate.log");
  testing::RunCommand(Bureau("fault restore panji"));
}

}  // namespace
}  // namespace lanwatch
