// The status page's one stylesheet, served at kStyleSheetPath: the CSP allows no inline styles.
// Calm colours, the state colours the topology uses, and fonts the bureau's PCs already have
// (no web fonts: the server may have no Internet), Chinese ones first.
#include "exporters/web/status_page.h"

namespace lanwatch {
namespace {

constexpr std::string_view kStyleSheet = R"css(
:root {
  --ink: #1f2933; --muted: #5b6472; --faint: #8a93a1; --line: #e3e6eb; --paper: #f5f6f8;
  --ok: #2f9e55; --ok-bg: #e7f5ec; --warning: #b57800; --warning-bg: #fff3d1;
  --critical: #d93025; --critical-bg: #fde3e1; --unknown: #6b7480; --unknown-bg: #eef0f3;
  --suppressed: #6c60a3; --suppressed-bg: #ebe8f5; --accent: #1f4fbf;
}
* { box-sizing: border-box; }
html { font-size: 14px; }
body {
  margin: 0; background: var(--paper); color: var(--ink); line-height: 1.6;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI",
    Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top {
  display: flex; align-items: flex-end; justify-content: space-between; gap: 1rem;
  padding: 14px 24px; background: #fff; border-bottom: 1px solid var(--line);
}
header.top .brand { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
header.top .site { font-size: 1.15rem; font-weight: 600; }
header.top h1 { margin: 0; font-size: 1rem; font-weight: 400; color: var(--muted); }
header.top .asof { color: var(--muted); font-variant-numeric: tabular-nums; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 24px 8px; }
footer { max-width: 1240px; margin: 0 auto; padding: 8px 24px 24px; color: var(--faint);
  font-size: 0.9rem; }
.card {
  background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px;
  margin: 0 0 16px;
}
.card h2 { margin: 0 0 10px; font-size: 1.08rem; font-weight: 600; letter-spacing: 0.02em; }
.card h2 .badge { margin-left: 6px; vertical-align: 1px; }
.resolution { margin-left: 10px; color: var(--faint); font-size: 0.9rem; font-weight: 400; }
.quiet { color: var(--muted); margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
  vertical-align: middle; }
thead th { color: var(--muted); font-weight: 500; font-size: 0.92rem; white-space: nowrap;
  border-bottom: 1px solid #cfd4db; }
tbody tr:last-child td, tbody tr:last-child th { border-bottom: none; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { white-space: nowrap; }
td.name a, td.name strong { font-weight: 600; }
.sub { color: var(--faint); font-size: 0.86rem; }
td.spark { padding: 2px 0 2px 6px; }
table.links th, table.links td { padding-left: 6px; padding-right: 6px; }
td.spark svg { display: block; }
tr[data-state="critical"] td:first-child { box-shadow: inset 3px 0 var(--critical); }
tr[data-state="warning"] td:first-child { box-shadow: inset 3px 0 var(--warning); }
tr[data-state="suppressed"] td:first-child { box-shadow: inset 3px 0 var(--suppressed); }
.badge {
  display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.86rem;
  line-height: 1.55; white-space: nowrap; border: 1px solid transparent;
}
.st-ok { color: var(--ok); background: var(--ok-bg); border-color: #bfe3cb; }
.st-warning, .sev-warning.badge { color: var(--warning); background: var(--warning-bg);
  border-color: #f0d78c; }
.st-critical, .sev-critical.badge { color: var(--critical); background: var(--critical-bg);
  border-color: #f5b8b2; }
.st-unknown { color: var(--unknown); background: var(--unknown-bg); border-color: #d6dae0; }
.st-suppressed { color: var(--suppressed); background: var(--suppressed-bg);
  border-color: #cfc8e8; border-style: dashed; }
.badge.pending { color: var(--muted); background: #fff; border-color: #cfd4db; margin-left: 4px; }
tr.held td { color: var(--muted); }
.verdict {
  display: flex; gap: 12px; align-items: baseline; padding: 10px 16px; margin: 0 0 16px;
  border-radius: 8px; border: 1px solid;
}
.verdict-label { font-weight: 600; white-space: nowrap; }
.verdict-inline { padding: 6px 10px; border-radius: 6px; border: 1px solid; margin: 0 0 10px; }
.topology-wrap { overflow-x: auto; }
svg.topology { display: block; max-width: 100%; height: auto; margin: 0 auto; }
svg.topology a:hover rect, svg.topology a:hover path { stroke-width: 3; }
ul.legend, ul.graph-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px;
  margin: 8px 0 0; padding: 0; color: var(--muted); font-size: 0.9rem; }
.swatch { display: inline-block; width: 14px; height: 10px; border-radius: 3px; margin-right: 6px;
  vertical-align: 0; border-width: 1.5px; border-style: solid; }
.key { display: inline-block; width: 16px; height: 10px; margin-right: 6px; }
.key-in { background: #3fae5a; }
.key-out { height: 0; border-top: 2px solid #1f4fbf; vertical-align: 3px; }
.key-capacity { height: 0; border-top: 2px dashed #c2410c; vertical-align: 3px; }
table.alerts td:nth-child(3), table.alerts td:nth-child(4) { white-space: nowrap; }
table.alerts td:nth-child(5) { min-width: 10em; color: var(--muted); }
td.fiber { white-space: nowrap; }
table.facts { width: auto; min-width: 420px; }
table.facts th { color: var(--muted); font-weight: 400; white-space: nowrap; width: 10em; }
table.facts tr.billed td { font-weight: 600; }
ul.problems { margin: 10px 0 0; padding-left: 1.2em; color: var(--critical); }
.graph-wrap { overflow-x: auto; }
.graph-wrap svg { display: block; max-width: 100%; height: auto; }
table.mrtg { width: auto; min-width: 480px; margin-top: 8px; }
table.mrtg th:first-child { color: var(--muted); font-weight: 400; }
a.back { display: inline-block; margin: 0 0 12px; }
@media (max-width: 720px) {
  header.top { flex-direction: column; align-items: flex-start; padding: 12px 14px; }
  main { padding: 12px 10px; }
}
)css";

}  // namespace

std::string_view PageStyleSheet() { return kStyleSheet; }

}  // namespace lanwatch
