#include "history/trend_page.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "reports/html.hpp"
#include "reports/report_assets.hpp"
#include "reports/svg_scale.hpp"

namespace perfguard::history {
namespace {

using reports::html_escape;

// The plot's frame in SVG units: the value axis's labels on the left, the step labels above.
constexpr double kWidth = 720.0;
constexpr double kHeight = 190.0;
constexpr double kLeft = 78.0;
constexpr double kRight = 12.0;
constexpr double kTop = 30.0;
constexpr double kBottom = 24.0;

// The page's own additions to index.html's style sheet.
constexpr const char* kTrendCss = R"(
#main { margin-top: 1.25rem; }
.trend { border: 1px solid var(--border); border-left: 5px solid var(--tone); border-radius: 8px;
  padding: 0.8rem 1rem; margin: 0 0 0.9rem; background: var(--bg); }
.trend header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.6rem; }
.trend h3 { overflow-wrap: anywhere; }
.trend svg { display: block; width: 100%; height: auto; margin: 0.5rem 0 0.3rem; }
.trend .band { fill: var(--neutral); opacity: 0.18; }
.trend .line { fill: none; stroke: var(--cand); stroke-width: 1.5; }
.trend .dot { fill: var(--cand); }
.trend .level { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 3; }
.trend .grid { stroke: var(--grid); stroke-width: 1; }
.trend .tick { fill: var(--muted); font-size: 11px; }
.trend .step { stroke: var(--tone); stroke-width: 2; stroke-dasharray: 4 3; }
.trend .step-label { fill: var(--tone); font-size: 11px; font-weight: 600; }
.trend table { margin-top: 0.3rem; }
.trend .bisect { margin: 0.4rem 0 0; overflow-wrap: anywhere; }
)";

std::string num(double value) { return fmt::format("{:.1f}", value); }

// A commit for a label: 12 characters of a SHA, anything else as it is ("?" when unknown).
std::string short_commit(const std::string& commit) {
  if (commit.empty()) return "?";
  const bool sha = commit.size() == 40 && std::all_of(commit.begin(), commit.end(), [](char c) {
                     return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                   });
  return sha ? commit.substr(0, 12) : commit;
}

// What names a night: its commit, or (a diff's files carry none) the candidate as it was named.
std::string night_label(const SeriesPoint& point) {
  return point.commit.empty() && !point.ref.empty() ? point.ref : short_commit(point.commit);
}

std::string percent(const std::optional<double>& change) {
  return change ? fmt::format("{:+.1f}%", *change * 100.0) : std::string("n/a");
}

// How a step looks: a regression fails, an improvement is good, a slowdown within the
// threshold is a warning. Colour is never the only carrier: the label says it too.
const char* tone_of(const Step& step) {
  if (step.regression) return "t-fail";
  if (step.change.change && *step.change.change < 0.0) return "t-good";
  return "t-warn";
}

bool same_series(const Step& step, const Series& series) {
  return step.host_fingerprint == series.host_fingerprint && step.benchmark == series.benchmark &&
         step.metric == series.metric && step.kind == series.kind;
}

void write_plot(std::ostream& out, const Series& series, const std::vector<const Step*>& steps) {
  const std::size_t n = series.points.size();
  double lo = series.points.front().median;
  double hi = lo;
  for (const SeriesPoint& p : series.points) {
    lo = std::min({lo, p.median, p.median_lo.value_or(p.median)});
    hi = std::max({hi, p.median, p.median_hi.value_or(p.median)});
  }
  // The value axis runs bottom to top.
  const reports::ValueScale y(lo, hi, kHeight - kBottom, kTop);
  const double x0 = kLeft;
  const double x1 = kWidth - kRight;
  const auto x = [&](std::size_t i) {
    return n == 1 ? (x0 + x1) / 2.0
                  : x0 + static_cast<double>(i) / static_cast<double>(n - 1) * (x1 - x0);
  };

  out << fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{} {}{}: {} night{}, {} step{}\">\n",
      num(kWidth), num(kHeight), html_escape(series.benchmark), html_escape(series.metric),
      series.kind == SeriesKind::ratio ? " ratio to base" : "", n, n == 1 ? "" : "s", steps.size(),
      steps.size() == 1 ? "" : "s");
  for (const reports::Tick& tick : y.ticks(series.unit)) {
    const double at = y.x(tick.value);
    if (at < kTop - 0.5 || at > kHeight - kBottom + 0.5) continue;
    out << fmt::format(
        "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
        num(x0), num(x1), num(at), num(at), num(x0 - 6.0), num(at + 4.0), html_escape(tick.label));
  }
  // Each night's interval, as one band: upper ends left to right, lower ends back.
  std::string band;
  for (std::size_t i = 0; i < n; ++i) {
    const SeriesPoint& p = series.points[i];
    band += fmt::format("{},{} ", num(x(i)), num(y.x(p.median_hi.value_or(p.median))));
  }
  for (std::size_t i = n; i-- > 0;) {
    const SeriesPoint& p = series.points[i];
    band += fmt::format("{},{} ", num(x(i)), num(y.x(p.median_lo.value_or(p.median))));
  }
  if (n > 1) out << "<polygon class=\"band\" points=\"" << band << "\"/>\n";
  std::string line;
  for (std::size_t i = 0; i < n; ++i)
    line += fmt::format("{},{} ", num(x(i)), num(y.x(series.points[i].median)));
  if (n > 1) out << "<polyline class=\"line\" points=\"" << line << "\"/>\n";
  // The levels the detector found, segment by segment.
  std::size_t start = 0;
  for (std::size_t s = 0; s <= steps.size(); ++s) {
    const std::size_t end = s < steps.size() ? steps[s]->index : n;
    const double level = s < steps.size() ? steps[s]->change.before
                                          : (steps.empty() ? 0.0 : steps.back()->change.after);
    if (!steps.empty() && end > start + 1) {
      out << fmt::format("<line class=\"level\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n",
                         num(x(start)), num(x(end - 1)), num(y.x(level)), num(y.x(level)));
    }
    start = end;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const SeriesPoint& p = series.points[i];
    std::string interval;
    if (p.median_lo && p.median_hi) {
      interval = fmt::format(" [{} – {}]", budgets::format_quantity(*p.median_lo, series.unit),
                             budgets::format_quantity(*p.median_hi, series.unit));
    }
    out << fmt::format(
        "<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"2.5\"><title>{} {}: {}{}</title></circle>\n",
        num(x(i)), num(y.x(p.median)), html_escape(night_label(p)), html_escape(p.recorded_at),
        html_escape(budgets::format_quantity(p.median, series.unit)), html_escape(interval));
  }
  // Each step between the last night before it and the first after, labelled above the plot;
  // labels of neighbouring steps alternate in height so they do not overlap.
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const Step& step = *steps[s];
    const double at = (x(step.index - 1) + x(step.index)) / 2.0;
    const std::string label =
        fmt::format("{}…{} {}", night_label(series.points[step.index - 1]),
                    night_label(series.points[step.index]), percent(step.change.change));
    const char* anchor = at > kWidth * 0.7 ? "end" : (at < kWidth * 0.3 ? "start" : "middle");
    out << fmt::format(
        "<g class=\"{}\"><line class=\"step\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
        "<text class=\"step-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text></g>\n",
        tone_of(step), num(at), num(at), num(kTop - 4.0), num(kHeight - kBottom), num(at),
        num(s % 2 == 0 ? kTop - 8.0 : kTop - 20.0), anchor, html_escape(label));
  }
  // The time axis: the first and the last night.
  out << fmt::format(
      "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>"
      "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
      num(x0), num(kHeight - 6.0), html_escape(series.points.front().recorded_at), num(x1),
      num(kHeight - 6.0), html_escape(series.points.back().recorded_at));
  out << "</svg>\n";
}

void write_steps_table(std::ostream& out, const Series& series,
                       const std::vector<const Step*>& steps) {
  out << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">last before</th>"
         "<th scope=\"col\">first after</th><th scope=\"col\">before</th>"
         "<th scope=\"col\">after</th><th scope=\"col\">change</th><th scope=\"col\">p</th>"
         "<th scope=\"col\">regression</th></tr></thead><tbody>\n";
  for (const Step* step : steps) {
    out << fmt::format(
        "<tr><td><code>{}</code> <span class=\"muted\">{}</span></td>"
        "<td><code>{}</code> <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{:.2g}</td><td>{}</td></tr>\n",
        html_escape(night_label(series.points[step->index - 1])), html_escape(step->time_before),
        html_escape(night_label(series.points[step->index])), html_escape(step->time_after),
        html_escape(budgets::format_quantity(step->change.before, series.unit)),
        html_escape(budgets::format_quantity(step->change.after, series.unit)),
        percent(step->change.change), step->change.p_value,
        step->regression ? fmt::format("<span class=\"badge t-fail\">yes (&gt; {:.3g}%)</span>",
                                       step->threshold * 100.0)
                         : "no");
  }
  out << "</tbody></table></div>\n";
  for (const Step* step : steps) {
    if (!step->bisect_command) continue;
    out << fmt::format(
        "<p class=\"bisect\">To find the commit of the regression after <code>{}</code>: "
        "<code>{}</code></p>\n",
        html_escape(night_label(series.points[step->index - 1])),
        html_escape(*step->bisect_command));
  }
}

}  // namespace

void write_trend_page(std::ostream& out, const std::vector<Series>& series,
                      const std::vector<Step>& steps, const std::string& generated_at) {
  struct Entry {
    const Series* series;
    std::vector<const Step*> steps;
    int rank;  // 0 a regression, 1 other steps, 2 flat
  };
  std::vector<Entry> entries;
  for (const Series& s : series) {
    if (s.points.empty()) continue;
    Entry entry{&s, {}, 2};
    for (const Step& step : steps) {
      if (!same_series(step, s)) continue;
      entry.steps.push_back(&step);
      entry.rank = std::min(entry.rank, step.regression ? 0 : 1);
    }
    entries.push_back(std::move(entry));
  }
  // Regressions first; otherwise the store's order (host, benchmark, metric).
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.rank < b.rank; });
  const auto regressions =
      std::count_if(steps.begin(), steps.end(), [](const Step& s) { return s.regression; });
  const auto ratios = std::count_if(entries.begin(), entries.end(), [](const Entry& e) {
    return e.series->kind == SeriesKind::ratio;
  });
  const auto medians = static_cast<std::ptrdiff_t>(entries.size()) - ratios;
  const std::string also_ratios =
      ratios == 0 ? std::string()
                  : fmt::format(" and {} ratio series to their common base", ratios);

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out << fmt::format("<title>perfguard history: {} regression{} in {} series</title>\n",
                     regressions, regressions == 1 ? "" : "s", medians);
  out << "<style>" << reports::kReportCss << kTrendCss << "</style>\n</head>\n<body>\n";
  out << "<a class=\"skip\" href=\"#main\">Skip to the series</a>\n";
  out << fmt::format(
      "<header class=\"banner {}\"><p class=\"brand\">perfguard history</p>"
      "<h1>{} regression{}</h1><p class=\"headline\">{} change point{} in {} series "
      "(host × benchmark × metric){}; regressions first.</p></header>\n",
      regressions > 0 ? "t-fail" : "t-good", regressions, regressions == 1 ? "" : "s", steps.size(),
      steps.size() == 1 ? "" : "s", medians, also_ratios);
  out << "<main id=\"main\">\n";
  if (entries.empty()) out << "<p>The history holds no series.</p>\n";
  for (const Entry& entry : entries) {
    const Series& s = *entry.series;
    const char* tone = entry.rank == 0 ? "t-fail" : (entry.rank == 1 ? "t-neutral" : "t-good");
    const char* badge =
        entry.rank == 0 ? "regression" : (entry.rank == 1 ? "changed" : "no change");
    // A ratio series says so in its title, with the base its nights were measured against.
    const std::string kind =
        s.kind == SeriesKind::ratio
            ? fmt::format(" · ratio to base {}", html_escape(short_commit(s.base_commit)))
            : std::string();
    out << fmt::format(
        "<section class=\"trend {}\"><header><h3>{}<span class=\"metric\">{}{}</span></h3>"
        "<span class=\"badge\">{}</span><span class=\"muted\">{} · {} night{}</span></header>\n",
        tone, html_escape(s.benchmark), html_escape(s.metric), kind, badge,
        html_escape(s.hostname.empty() ? s.host_fingerprint : s.hostname), s.points.size(),
        s.points.size() == 1 ? "" : "s");
    write_plot(out, s, entry.steps);
    if (!entry.steps.empty()) write_steps_table(out, s, entry.steps);
    out << "</section>\n";
  }
  out << "</main>\n";
  out << fmt::format(
      "<footer><p>Generated {} by <code>perfguard history</code>. Bands: each night's median "
      "interval; dashed vertical lines: change points, labelled with the last commit before and "
      "the first after; dashed horizontal lines: the levels between them.</p></footer>\n",
      html_escape(generated_at));
  out << "</body>\n</html>\n";
}

}  // namespace perfguard::history
