// Internal to exporters/web: what every page of the status site shares: the document head
// (UTF-8, language, self-refresh, the one stylesheet), the header bar with the site's name,
// the footer, state badges, and the pieces of a link's figures the overview's table and the
// link page both show.
#pragma once

#include <string>
#include <string_view>

#include "daemon/element_state.h"
#include "exporters/web/html.h"
#include "exporters/web/status_page.h"

namespace lanwatch {

// <!DOCTYPE html> ... <body><header>...</header><main>; `heading` is the page's <h1>.
void BeginPage(HtmlWriter& w, const PageInput& in, std::string_view title,
               std::string_view heading);
// </main><footer>...</footer></body></html>, and the finished document.
std::string EndPage(HtmlWriter& w, const PageInput& in);

// <span class="badge st-critical">严重</span>
void StateBadge(HtmlWriter& w, ElementState s, NotifyLanguage language);
std::string StateClass(ElementState s);  // "st-critical"

std::string LinkHref(std::string_view link);  // "/link/" + the URL-encoded name

// A link's figures as the page words them, "–" where unknown.
struct LinkFigureText {
  std::string in, out, capacity, utilization, errors, far_end;
  std::string fiber, fiber_levels;  // "正常", "收 -6.4 / 发 -2.1 dBm"
};
LinkFigureText LinkFigures(const LinkStatus& link, NotifyLanguage language);
// "运营商侧中断：路由器正常，外网无响应 — 请联系运营商报障", empty for a link without a verdict.
std::string UplinkVerdictLine(const LinkStatus& link, NotifyLanguage language);
// The state chips and legend: one swatch per ElementState, with its word.
void StateLegend(HtmlWriter& w, NotifyLanguage language);

}  // namespace lanwatch
