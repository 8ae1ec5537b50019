// The rate graph as SVG, one step per stored point: point i is drawn flat over its own interval
// [i, i+1) of the time axis, so a reader (or a test) gets each sample back from the picture.
#include "exporters/web/rate_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "exporters/web/graph_axis.h"
#include "exporters/web/html.h"

namespace lanwatch {
namespace {

struct Frame {
  double left, top, right, bottom;  // margins around the plot
};

Frame FrameFor(const GraphOptions& o) {
  return o.compact ? Frame{34, 4, 4, 14} : Frame{50, 8, 10, 20};
}

double MaxKnown(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) {
    if (!std::isnan(x)) m = std::max(m, x);
  }
  return m;
}

// Maps a point index and a rate to plot coordinates.
struct Scale {
  double width, height, top_bps;
  size_t points;
  double X(size_t i) const { return points == 0 ? 0 : width * static_cast<double>(i) / points; }
  double Y(double bps) const { return height - height * std::clamp(bps, 0.0, top_bps) / top_bps; }
};

// A coordinate to 0.01 of a unit. Integer arithmetic: thousands of points per page, and
// fmt's fixed-precision doubles cost most of a render's time (bench/page_bench.cc).
void AppendNumber(std::string& out, double v) {
  long long hundredths = std::llround(v * 100);
  if (hundredths < 0) {
    out += '-';
    hundredths = -hundredths;
  }
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, hundredths / 100);
  out.append(digits, end);
  int fraction = static_cast<int>(hundredths % 100);
  out += '.';
  out += static_cast<char>('0' + fraction / 10);
  out += static_cast<char>('0' + fraction % 10);
}

// The in area: each run of known points a closed shape down to the axis.
std::string AreaPath(const std::vector<double>& v, const Scale& s) {
  std::string d;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) continue;
    d += "M";
    AppendNumber(d, s.X(i));
    d += ",";
    AppendNumber(d, s.height);
    for (; i < v.size() && !std::isnan(v[i]); ++i) {
      d += "V";
      AppendNumber(d, s.Y(v[i]));
      d += "H";
      AppendNumber(d, s.X(i + 1));
    }
    d += "V";
    AppendNumber(d, s.height);
    d += "Z";
  }
  return d;
}

// The out line: each run of known points one stepped line.
std::string LinePath(const std::vector<double>& v, const Scale& s) {
  std::string d;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) continue;
    d += "M";
    AppendNumber(d, s.X(i));
    d += ",";
    AppendNumber(d, s.Y(v[i]));
    d += "H";
    AppendNumber(d, s.X(i + 1));
    for (++i; i < v.size() && !std::isnan(v[i]); ++i) {
      d += "V";
      AppendNumber(d, s.Y(v[i]));
      d += "H";
      AppendNumber(d, s.X(i + 1));
    }
  }
  return d;
}

}  // namespace

std::string RenderRateGraph(const HistorySeries& series, const GraphOptions& options) {
  const Frame f = FrameFor(options);
  const double w = options.width, h = options.height;
  const size_t points = std::max(series.in_bps.size(), series.out_bps.size());
  double data_max = std::max(MaxKnown(series.in_bps), MaxKnown(series.out_bps));
  if (options.capacity_bps) data_max = std::max(data_max, *options.capacity_bps);
  const RateAxis axis = NiceRateAxis(data_max, 4);
  const Scale scale{w, h, axis.top, points};
  const auto end = series.start + series.step * static_cast<long>(points);

  std::string out;
  out.reserve(4096 + points * 40);
  fmt::format_to(std::back_inserter(out),
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph{}\" role=\"img\" "
                 "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" data-link=\"{}\" "
                 "data-range=\"{}\" data-points=\"{}\"{} data-y-max=\"{:g}\" data-step=\"{}\">",
                 options.compact ? " compact" : "", w + f.left + f.right, h + f.top + f.bottom,
                 w + f.left + f.right, h + f.top + f.bottom, EscapeHtml(series.link),
                 ToString(series.range), series.known_points(),
                 options.state ? fmt::format(" data-state=\"{}\"", ToString(*options.state)) : "",
                 axis.top, series.step.count());
  fmt::format_to(std::back_inserter(out),
                 "<g transform=\"translate({},{})\"><rect class=\"plot\" width=\"{}\" "
                 "height=\"{}\" fill=\"#ffffff\" stroke=\"#c9ced6\"/>",
                 f.left, f.top, w, h);
  const int font = options.compact ? 9 : 10;
  for (size_t i = 0; i < axis.ticks.size(); ++i) {
    double y = scale.Y(axis.ticks[i]);
    if (i > 0) {
      fmt::format_to(std::back_inserter(out),
                     "<line class=\"grid\" x1=\"0\" x2=\"{}\" y1=\"{:.2f}\" y2=\"{:.2f}\" "
                     "stroke=\"#e6e9ee\"/>",
                     w, y, y);
    }
    // A compact graph names only its top: enough to read the scale at a glance.
    if (options.compact && i + 1 != axis.ticks.size()) continue;
    fmt::format_to(std::back_inserter(out),
                   "<text class=\"tick\" x=\"-4\" y=\"{:.2f}\" text-anchor=\"end\" "
                   "font-size=\"{}\" fill=\"#5b6472\">{}</text>",
                   y + (options.compact && i > 0 ? font - 1 : 3.5), font,
                   ShortBitRate(axis.ticks[i]));
  }
  if (points > 0 && series.step.count() > 0) {
    const double span = std::chrono::duration<double>(end - series.start).count();
    for (const TimeTick& t : TimeTicks(series.start, end, series.range, options.compact)) {
      double x = w * std::chrono::duration<double>(t.at - series.start).count() / span;
      // A label centred on an edge would be cut by the picture's border.
      if (options.compact && (x < 12 || x > w - 12)) continue;
      fmt::format_to(std::back_inserter(out),
                     "<line class=\"grid\" x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"0\" y2=\"{1}\" "
                     "stroke=\"#eef0f3\"/><text class=\"tick\" x=\"{0:.2f}\" y=\"{2}\" "
                     "text-anchor=\"middle\" font-size=\"{3}\" fill=\"#5b6472\">{4}</text>",
                     x, h, h + font + 3, font, t.label);
    }
  }
  fmt::format_to(std::back_inserter(out),
                 "<path class=\"in\" d=\"{}\" fill=\"#3fae5a\" fill-opacity=\"0.85\" "
                 "stroke=\"none\"/><path class=\"out\" d=\"{}\" fill=\"none\" "
                 "stroke=\"#1f4fbf\" stroke-width=\"1.5\"/>",
                 AreaPath(series.in_bps, scale), LinePath(series.out_bps, scale));
  if (options.capacity_bps && *options.capacity_bps > 0) {
    fmt::format_to(std::back_inserter(out),
                   "<line class=\"capacity\" x1=\"0\" x2=\"{}\" y1=\"{:.2f}\" y2=\"{:.2f}\" "
                   "stroke=\"#c2410c\" stroke-dasharray=\"5 3\" stroke-width=\"1\"/>",
                   w, scale.Y(*options.capacity_bps), scale.Y(*options.capacity_bps));
  }
  if (series.known_points() == 0) {
    fmt::format_to(std::back_inserter(out),
                   "<text class=\"empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                   "font-size=\"{}\" fill=\"#8a93a1\">{}</text>",
                   w / 2, h / 2 + 4, font + 1,
                   options.language == NotifyLanguage::kZh ? "暂无数据" : "no data yet");
  }
  out += "</g></svg>";
  return out;
}

}  // namespace lanwatch
