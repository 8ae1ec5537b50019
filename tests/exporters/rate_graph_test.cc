#include "exporters/web/rate_graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "exporters/web/graph_axis.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

std::string Attribute(const std::string& svg, const std::string& element_class,
                      const std::string& name) {
  std::smatch m;
  std::regex re("class=\"" + element_class + "\"[^>]*?" + name + "=\"([^\"]*)\"");
  if (std::regex_search(svg, m, re)) return m[1];
  std::regex svg_re("<svg[^>]*? " + name + "=\"([^\"]*)\"");
  return std::regex_search(svg, m, svg_re) ? std::string(m[1]) : std::string();
}

struct Step {
  double x0, x1, y;
};

// The horizontal runs of a path of M/V/H commands: each one is a sample drawn over its interval.
std::vector<Step> Steps(const std::string& d) {
  std::vector<Step> steps;
  std::regex cmd("([MVHZ])([-0-9.]*)(?:,([-0-9.]+))?");
  double x = 0, y = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), cmd); it != std::sregex_iterator();
       ++it) {
    char c = (*it)[1].str()[0];
    if (c == 'M') {
      x = std::stod((*it)[2]);
      y = std::stod((*it)[3]);
    } else if (c == 'V') {
      y = std::stod((*it)[2]);
    } else if (c == 'H') {
      double to = std::stod((*it)[2]);
      steps.push_back({x, to, y});
      x = to;
    }
  }
  return steps;
}

HistorySeries Known() {
  HistorySeries s;
  s.link = "uplink";
  s.range = HistoryRange::kHour;
  s.step = 60s;
  s.start = std::chrono::system_clock::time_point(
                std::chrono::sys_days(std::chrono::year(2026) / 12 / 1)) +
            5h;
  s.in_bps = {1e6, 2.5e6, NAN, NAN, 9.99e6, 0, 4.2e6, 7.77e6, NAN, 3e6};
  s.out_bps = {0.5e6, NAN, 1e6, 1.5e6, 2e6, 2.5e6, NAN, 0.1e6, 0.2e6, 0.3e6};
  return s;
}

TEST(RateGraph, CorrectToTheSample) {
  HistorySeries s = Known();
  GraphOptions o;
  o.capacity_bps = 10e6;
  std::string svg = RenderRateGraph(s, o);
  const double top = std::stod(Attribute(svg, "graph", "data-y-max"));
  ASSERT_GE(top, 10e6);  // reaches the capacity
  const double dx = o.width / static_cast<double>(s.in_bps.size());
  // Rounding to 0.01 of a unit of 160 over `top`.
  const double tolerance = top / o.height * 0.01;
  for (auto [cls, values] : {std::pair{"in", &s.in_bps}, std::pair{"out", &s.out_bps}}) {
    std::string d = Attribute(svg, cls, "d");
    ASSERT_FALSE(d.empty()) << cls;
    std::vector<Step> steps = Steps(d);
    std::vector<double> back(values->size(), NAN);
    for (const Step& st : steps) {
      size_t i = static_cast<size_t>(std::lround(st.x0 / dx));
      ASSERT_LT(i, back.size());
      EXPECT_NEAR(st.x1 - st.x0, dx, 0.02) << cls << " point " << i << " spans its step";
      back[i] = (o.height - st.y) / o.height * top;
    }
    for (size_t i = 0; i < values->size(); ++i) {
      if (std::isnan((*values)[i])) {
        EXPECT_TRUE(std::isnan(back[i])) << cls << " point " << i << " is a gap";
      } else {
        EXPECT_NEAR(back[i], (*values)[i], tolerance) << cls << " point " << i;
      }
    }
  }
  EXPECT_EQ(Attribute(svg, "graph", "data-points"), "10");  // 9 in, 8 out: 10 with either
  EXPECT_EQ(Attribute(svg, "graph", "data-link"), "uplink");
  EXPECT_EQ(Attribute(svg, "graph", "data-range"), "hour");
  EXPECT_NE(svg.find("class=\"capacity\""), std::string::npos);
}

TEST(RateGraph, AxisInBitsPerSecondWithNiceTicks) {
  RateAxis a = NiceRateAxis(9.93e6);
  EXPECT_EQ(a.top, 10e6);
  EXPECT_EQ(a.ticks.front(), 0);
  EXPECT_EQ(a.ticks.back(), a.top);
  EXPECT_EQ(NiceRateAxis(730e3).top, 800e3);
  EXPECT_EQ(ShortBitRate(2.5e6), "2.5M");
  EXPECT_EQ(ShortBitRate(500e3), "500k");
  EXPECT_EQ(ShortBitRate(1e9), "1G");
  std::string svg = RenderRateGraph(Known(), GraphOptions{});
  for (const char* label : {">0<", ">2.5M<", ">5M<", ">10M<"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
}

TEST(RateGraph, TimeAxisInSiteTime) {
  setenv("TZ", "Asia/Shanghai", 1);
  tzset();
  std::string svg = RenderRateGraph(Known(), GraphOptions{});  // 05:00-05:10 UTC
  EXPECT_NE(svg.find(">13:00<"), std::string::npos) << svg;    // 13:00 in Beijing
  EXPECT_NE(svg.find(">13:10<"), std::string::npos);
  unsetenv("TZ");
  tzset();
}

TEST(RateGraph, EmptySeriesSaysSo) {
  HistorySeries s = Known();
  std::fill(s.in_bps.begin(), s.in_bps.end(), NAN);
  std::fill(s.out_bps.begin(), s.out_bps.end(), NAN);
  std::string svg = RenderRateGraph(s, GraphOptions{});
  EXPECT_EQ(Attribute(svg, "graph", "data-points"), "0");
  EXPECT_EQ(Attribute(svg, "in", "d"), "");
  EXPECT_NE(svg.find("暂无数据"), std::string::npos);
}

}  // namespace
}  // namespace lanwatch
