#include "reports/html.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "budgets/verdict.hpp"
#include "reports/families.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports {
namespace {

// ---- Reading the document ------------------------------------------------------------------
// The page may be re-rendered from an artifact someone edited: a missing or mistyped field
// shows as "–", it never throws or aborts.

const Json& field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<double> number(const Json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  return std::isfinite(v) ? std::optional(v) : std::nullopt;
}

struct Span {
  double lo = 0.0;
  double hi = 0.0;
};

std::optional<Span> span_of(const Json& value) {
  if (!value.is_array() || value.size() != 2) return std::nullopt;
  const auto lo = number(value[0]);
  const auto hi = number(value[1]);
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return Span{*lo, *hi};
}

std::string esc(std::string_view s) { return html_escape(s); }

// ---- Words and numbers ------------------------------------------------------------------------

// How a verdict or budget status looks. Colour is never the only carrier: the word is always
// printed beside it.
enum class Tone { fail, warn, good, neutral };

Tone verdict_tone(std::string_view verdict) {
  if (verdict == "unchanged") return Tone::neutral;
  if (verdict == "improved") return Tone::good;
  if (verdict == "new") return Tone::neutral;
  if (verdict == "approved") return Tone::warn;
  return Tone::fail;  // regressed, over_budget, inconclusive, insufficient, missing, error, unknown
}

const char* tone_class(Tone tone) {
  switch (tone) {
    case Tone::fail:
      return "t-fail";
    case Tone::warn:
      return "t-warn";
    case Tone::good:
      return "t-good";
    case Tone::neutral:
      return "t-neutral";
  }
  return "t-neutral";
}

bool row_passes(const Json& row) { return verdict_tone(text(field(row, "verdict"))) != Tone::fail; }

// "over_budget" -> "over budget".
std::string words(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

// A ratio as a change: 1.3 -> "+30.0%". The Markdown report prints the same.
std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }

std::string change_span(const Span& ci) {
  return fmt::format("{:+.1f}…{:+.1f}%", (ci.lo - 1.0) * 100.0, (ci.hi - 1.0) * 100.0);
}

std::string percent(double fraction) {
  return fmt::format("{:g}%", std::round(fraction * 1000.0) / 10.0);
}

std::string quantity(double value, const std::string& unit) {
  return budgets::format_quantity(value, unit);
}

std::string signed_quantity(double value, const std::string& unit) {
  return (value > 0 ? "+" : "") + quantity(value, unit);
}

// SVG coordinates and CSS offsets: fixed precision keeps the output byte-stable.
std::string co(double v) { return fmt::format("{:.1f}", v); }
std::string css_percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

std::string short_commit(const std::string& commit) { return commit.substr(0, 12); }

const char* severity_title(std::string_view severity) {
  if (severity == "P0") return "P0: over an absolute budget, or a run crashed or hung";
  if (severity == "P1") return "P1: regressed by at least twice the threshold";
  return "P2: any other failure";
}

// ---- One side of one row -----------------------------------------------------------------------

// What the strip plot and the table know about one side: the runs when given, and the
// summary the verdict was computed from (or, without one, the same statistics of the runs).
struct Side {
  std::vector<double> values;
  std::optional<std::size_t> n;
  std::optional<double> median;
  std::optional<double> p25;
  std::optional<double> p75;
  std::optional<double> p95;
  std::optional<double> min;
  std::optional<double> max;
  std::optional<Span> median_ci;
  [[nodiscard]] bool empty() const { return values.empty() && !median; }
};

const std::vector<double>* find_values(std::span<const SampleSeries> samples,
                                       const std::string& benchmark, const std::string& metric,
                                       std::string_view side) {
  for (const SampleSeries& s : samples) {
    if (s.benchmark == benchmark && s.metric == metric && s.side == side) return &s.values;
  }
  return nullptr;
}

Side side_of(const Json& row, std::string_view name, std::span<const SampleSeries> samples) {
  Side side;
  if (const auto* values =
          find_values(samples, text(field(row, "benchmark")), text(field(row, "metric")), name)) {
    for (const double v : *values) {
      if (std::isfinite(v)) side.values.push_back(v);
    }
  }
  const Json& summary = field(row, std::string(name).c_str());
  if (summary.is_object()) {
    if (const auto n = number(field(summary, "n")); n && *n >= 0) {
      side.n = static_cast<std::size_t>(*n);
    }
    side.median = number(field(summary, "median"));
    side.p25 = number(field(summary, "p25"));
    side.p75 = number(field(summary, "p75"));
    side.p95 = number(field(summary, "p95"));
    side.min = number(field(summary, "min"));
    side.max = number(field(summary, "max"));
    side.median_ci = span_of(field(summary, "median_ci"));
  } else if (!side.values.empty()) {
    // A failed or one-sided row has no summary in the document; its runs still tell something.
    std::vector<double> sorted = side.values;
    std::sort(sorted.begin(), sorted.end());
    side.n = sorted.size();
    side.median = stats::quantile_sorted(sorted, 0.5);
    if (sorted.size() >= stats::min_samples_for_quantile(0.25)) {
      side.p25 = stats::quantile_sorted(sorted, 0.25);
      side.p75 = stats::quantile_sorted(sorted, 0.75);
    }
    if (sorted.size() >= stats::kMinSamplesP95) side.p95 = stats::quantile_sorted(sorted, 0.95);
    side.min = sorted.front();
    side.max = sorted.back();
  }
  return side;
}

// ---- Axes ---------------------------------------------------------------------------------------

struct Tick {
  double value;
  double fraction;  // 0 at the left edge of the plot, 1 at the right
  std::string label;
};

// Keeps ticks at least `gap` apart (as fractions of the width), starting from `anchor`, which
// always stays, and drops those too close to an edge for their label.
std::vector<Tick> thin(std::vector<Tick> ticks, double anchor, double gap) {
  std::sort(ticks.begin(), ticks.end(),
            [](const Tick& a, const Tick& b) { return a.fraction < b.fraction; });
  std::vector<Tick> kept;
  const auto start =
      std::find_if(ticks.begin(), ticks.end(), [&](const Tick& t) { return t.value == anchor; });
  if (start == ticks.end()) return ticks;
  kept.push_back(*start);
  for (auto it = start + 1; it != ticks.end(); ++it) {
    if (it->fraction - kept.back().fraction >= gap && it->fraction <= 0.96) kept.push_back(*it);
  }
  double last = start->fraction;
  for (auto it = std::make_reverse_iterator(start); it != ticks.rend(); ++it) {
    if (last - it->fraction >= gap && it->fraction >= 0.04) {
      kept.push_back(*it);
      last = it->fraction;
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const Tick& a, const Tick& b) { return a.fraction < b.fraction; });
  return kept;
}

// 1, 2 or 5 (and 2.5 when `quarters`) times a power of ten: the smallest such step giving at
// most `count` steps over `range`.
double nice_step(double range, double count, bool quarters) {
  const double raw = range / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m == 2.5 && !quarters) continue;
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

// A ratio m x 10^e as a short axis label: "±0%", "×2", "×100", "÷10", "÷1e9" (÷: that many
// times faster), never "×1e-09".
std::string factor_label(double m, int e) {
  if (e == 0 && m == 1.0) return "±0%";
  if (e >= 0) {
    const double ratio = m * std::pow(10.0, e);
    return e <= 3 ? fmt::format("×{:g}", ratio) : fmt::format("×{:g}e{}", m, e);
  }
  // m x 10^e < 1: its inverse, 10^-e / m, is the speed-up.
  const double inverse = std::pow(10.0, -e) / m;
  if (inverse <= 1000.0) return fmt::format("÷{:g}", inverse);
  const int k = static_cast<int>(std::floor(std::log10(inverse) + 1e-9));
  return fmt::format("÷{:g}e{}", std::round(inverse / std::pow(10.0, k) * 10.0) / 10.0, k);
}

// Ratios on a log scale, so that halving and doubling are the same distance from "no change".
class RatioScale {
 public:
  RatioScale(double lo, double hi) {
    double a = std::log(lo);
    double b = std::log(hi);
    if (b - a < 0.02) {
      a -= 0.01;
      b += 0.01;
    }
    const double pad = 0.06 * (b - a);
    lo_ = a - pad;
    hi_ = b + pad;
  }

  [[nodiscard]] double fraction(double ratio) const {
    return (std::log(ratio) - lo_) / (hi_ - lo_);
  }

  // Percent changes while the range is narrow (the usual case); factors (x2, x10) when wide.
  [[nodiscard]] std::vector<Tick> ticks() const {
    std::vector<Tick> ticks;
    const double lo = std::exp(lo_);
    const double hi = std::exp(hi_);
    if (hi / lo <= 4.0) {
      const double step = nice_step((hi - lo) * 100.0, 8.0, true);
      for (auto k = static_cast<long>(std::ceil((lo - 1.0) * 100.0 / step));
           static_cast<double>(k) * step <= (hi - 1.0) * 100.0; ++k) {
        const double pct = std::round(static_cast<double>(k) * step * 10.0) / 10.0;
        const double ratio = 1.0 + pct / 100.0;
        if (ratio <= 0.0) continue;
        ticks.push_back({ratio, fraction(ratio), k == 0 ? "±0%" : fmt::format("{:+g}%", pct)});
      }
    } else {
      // Wide ranges (google/benchmark's own test fixtures reach 1e-9) get at most about six
      // labels: every `stride`-th power of ten, with 2 and 5 only across two decades or less.
      const int first = static_cast<int>(std::floor(std::log10(lo)));
      const int last = static_cast<int>(std::ceil(std::log10(hi)));
      const int stride = std::max(1, (last - first + 5) / 6);
      for (int e = first; e <= last; ++e) {
        if (e % stride != 0) continue;
        for (const double m : {1.0, 2.0, 5.0}) {
          if (m != 1.0 && last - first > 2) continue;
          const double ratio = m * std::pow(10.0, e);
          if (ratio < lo || ratio > hi) continue;
          ticks.push_back({ratio, fraction(ratio), factor_label(m, e)});
        }
      }
    }
    return thin(std::move(ticks), 1.0, 0.075);
  }

 private:
  double lo_ = 0.0;
  double hi_ = 0.0;
};

// The unit an axis reaching `magnitude` is labelled in: the steps budgets::format_quantity
// uses for seconds and bytes, the unit as given otherwise.
std::pair<double, std::string> display_unit(double magnitude, const std::string& unit) {
  struct Scale {
    double factor;
    const char* name;
  };
  const auto pick = [magnitude](std::initializer_list<Scale> scales) {
    const Scale* chosen = scales.begin();
    for (const Scale& s : scales) {
      if (magnitude >= s.factor) chosen = &s;
    }
    return std::pair<double, std::string>(chosen->factor, chosen->name);
  };
  if (unit == "s") return pick({{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}, {1.0, "s"}});
  if (unit == "bytes") return pick({{1.0, "B"}, {1e3, "KB"}, {1e6, "MB"}, {1e9, "GB"}});
  if (unit == "instructions" || unit == "cycles") {
    const auto [factor, prefix] = pick({{1.0, ""}, {1e3, "k "}, {1e6, "M "}, {1e9, "G "}});
    return {factor, prefix + unit};
  }
  return {1.0, unit};
}

// Four significant digits in the unit display_unit picks: table cells and descriptions, where
// a confidence interval "129.6 ms – 130.4 ms" must not read "130 ms – 130 ms".
std::string precise_quantity(double value, const std::string& unit) {
  const auto [factor, name] = display_unit(std::fabs(value), unit);
  return fmt::format("{:.4g}{}{}", value / factor, name.empty() ? "" : " ", name);
}

// A linear axis for the values of one row, with ticks in the row's unit.
class ValueScale {
 public:
  ValueScale(double lo, double hi, double x0, double x1) : x0_(x0), x1_(x1) {
    if (hi - lo <= std::fabs(hi) * 1e-9) {
      const double pad = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.01;
      lo -= pad;
      hi += pad;
    }
    const double pad = 0.05 * (hi - lo);
    lo_ = lo - pad;
    hi_ = hi + pad;
  }

  [[nodiscard]] double x(double value) const {
    return x0_ + (value - lo_) / (hi_ - lo_) * (x1_ - x0_);
  }

  // Labels share one scale and as many decimals as the step needs ("9.95 ms", "10.00 ms"), so
  // neighbours never read the same.
  [[nodiscard]] std::vector<Tick> ticks(const std::string& unit) const {
    const double step = nice_step(hi_ - lo_, 5.0, false);
    const auto [factor, name] = display_unit(std::max(std::fabs(lo_), std::fabs(hi_)), unit);
    const int decimals =
        std::max(0, static_cast<int>(std::ceil(-std::log10(step / factor) - 1e-9)));
    std::vector<Tick> ticks;
    for (auto k = static_cast<long>(std::ceil(lo_ / step)); static_cast<double>(k) * step <= hi_;
         ++k) {
      const double value = static_cast<double>(k) * step;
      const double shown = k == 0 ? 0.0 : value / factor;  // never "-0"
      ticks.push_back({value, (value - lo_) / (hi_ - lo_),
                       fmt::format("{:.{}f}{}{}", shown, decimals, name.empty() ? "" : " ", name)});
    }
    return ticks;
  }

 private:
  double lo_ = 0.0;
  double hi_ = 1.0;
  double x0_;
  double x1_;
};

// ---- Page pieces --------------------------------------------------------------------------------

struct Page {
  const Json& doc;
  const Json& budgets;  // the budget rows drawn
  std::span<const SampleSeries> samples;
  double confidence;  // the document's level; a row judged at another says so
  bool have_samples;
};

constexpr const char* kStyle = R"css(
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --good: #1a7f37; --good-bg: #dafbe1; --neutral: #0969da; --neutral-bg: #ddf4ff;
  --band: rgba(26, 127, 55, 0.13); --grid: #d8dee4; --axis: #818b98;
  --base: #6e7781; --cand: #0969da; --limit: #1f2328; --track: #eff2f5; --focus: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
    --fail: #ff7b72; --fail-bg: #3d1a1c; --warn: #d29922; --warn-bg: #3a2d12;
    --good: #3fb950; --good-bg: #132a1c; --neutral: #4493f8; --neutral-bg: #142640;
    --band: rgba(63, 185, 80, 0.16); --grid: #30363d; --axis: #6e7681;
    --base: #9198a1; --cand: #4493f8; --limit: #e6edf3; --track: #21262d; --focus: #4493f8;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 76rem; padding: 0 1.25rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em; }
a { color: var(--neutral); }
a:focus-visible, button:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
h2 { font-size: 1.2rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1rem; margin: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; top: 0.5rem; background: var(--bg); padding: 0.4rem 0.8rem; z-index: 1; }
.skip:focus { left: 0.5rem; }
.muted { color: var(--muted); }
.metric { color: var(--muted); font-weight: normal; margin-left: 0.35em; display: inline-block; white-space: nowrap; overflow-wrap: normal; }
.label { color: var(--muted); font-weight: normal; font-style: italic; margin-left: 0.35em; display: inline-block; }

.banner { margin: 1.25rem 0 0; padding: 1.1rem 1.3rem 1.2rem; border-radius: 10px; border: 1px solid var(--border);
  border-left: 8px solid var(--tone); background: var(--panel); }
.banner h1 { margin: 0.1rem 0 0.2rem; font-size: 1.9rem; line-height: 1.2; color: var(--tone); }
.banner .brand { margin: 0; font-size: 0.8rem; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.banner .headline { margin: 0 0 0.8rem; font-size: 1.05rem; }
.refs { display: flex; flex-wrap: wrap; gap: 0.4rem 2rem; margin: 0 0 0.7rem; }
.refs div { display: flex; gap: 0.5rem; align-items: baseline; min-width: 0; }
.refs dt { color: var(--muted); font-size: 0.85rem; }
.refs dd { margin: 0; overflow-wrap: anywhere; }
.refs code { font-size: 1rem; font-weight: 600; }
.commit { color: var(--muted); }
.facts { margin: 0.2rem 0 0; font-size: 0.88rem; color: var(--muted); }
.facts b { color: var(--fg); font-weight: 600; }
.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; margin: 0 0 0.6rem; }

.t-fail { --tone: var(--fail); --tone-bg: var(--fail-bg); }
.t-warn { --tone: var(--warn); --tone-bg: var(--warn-bg); }
.t-good { --tone: var(--good); --tone-bg: var(--good-bg); }
.t-neutral { --tone: var(--neutral); --tone-bg: var(--neutral-bg); }
.badge { display: inline-block; padding: 0.05rem 0.55rem; border-radius: 999px; font-size: 0.82rem; font-weight: 600;
  color: var(--tone); background: var(--tone-bg); border: 1px solid var(--tone); white-space: nowrap; }
.sev { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 4px; font-size: 0.78rem; font-weight: 700;
  border: 1px solid var(--border); }
.sev abbr { text-decoration: none; }

nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; padding: 0; margin: 0.9rem 0 0; font-size: 0.92rem; }

.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
.card { border: 1px solid var(--border); border-left: 5px solid var(--tone); border-radius: 8px; padding: 0.8rem 1rem; background: var(--bg); }
.card header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.6rem; }
.card h3 { overflow-wrap: anywhere; }
.reason { margin: 0.45rem 0 0; }
.approval { margin: 0.45rem 0 0; padding: 0.35rem 0.6rem; border-radius: 6px; background: var(--warn-bg); font-size: 0.92rem; }
.replay { display: flex; align-items: flex-start; gap: 0.6rem; margin: 0.6rem 0 0; }
.replay .label { color: var(--muted); font-size: 0.85rem; padding-top: 0.3rem; }
.replay code { flex: 1; min-width: 0; padding: 0.3rem 0.55rem; border-radius: 6px; background: var(--panel);
  border: 1px solid var(--border); overflow-wrap: anywhere; white-space: pre-wrap; user-select: all; }
button.copy { font: inherit; font-size: 0.85rem; padding: 0.25rem 0.8rem; border-radius: 6px; cursor: pointer;
  color: var(--fg); background: var(--panel); border: 1px solid var(--border); }
button.copy:hover { border-color: var(--axis); }
button.copy[hidden] { display: none; }
.failures { margin: 0.4rem 0 0; padding-left: 1.2rem; font-size: 0.9rem; }

.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding: 0 0 0.5rem; caption-side: top; }
th, td { padding: 0.35rem 0.6rem; text-align: left; border-bottom: 1px solid var(--border); vertical-align: middle; }
thead th { font-size: 0.8rem; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--border); }
tbody th { font-weight: 600; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.forest, table.bars { min-width: 44rem; }
.forest th[scope="row"] { width: 24%; }
.forest .plotcol, .bars .plotcol { width: 42%; min-width: 14rem; padding-left: 0; padding-right: 0; }
.axis { position: relative; height: 1.2em; }
.axis span { position: absolute; transform: translateX(-50%); white-space: nowrap; font-weight: normal; }
svg.cell { display: block; width: 100%; height: 26px; }
.na { color: var(--muted); font-size: 0.85rem; padding-left: 0.6rem; }
.exact { font-weight: 600; border: 1px solid currentColor; border-radius: 4px; padding: 0 0.3rem; }

svg { overflow: visible; }
svg text { fill: var(--muted); font-size: 11px; font-family: inherit; }
svg .lane-label { fill: var(--fg); font-size: 12px; font-weight: 600; }
svg line, svg rect.iqr { vector-effect: non-scaling-stroke; }
.band { fill: var(--band); }
.grid { stroke: var(--grid); stroke-width: 1; }
.one { stroke: var(--axis); stroke-width: 1.5; stroke-dasharray: 4 3; }
.ci { stroke: var(--tone); stroke-width: 2.5; }
.cap { stroke: var(--tone); stroke-width: 2; }
.point { stroke: var(--tone); stroke-width: 6; }
.lane { fill: var(--panel); }
.axis-line { stroke: var(--axis); stroke-width: 1; }
.dot { fill-opacity: 0.55; }
.s-base { --side: var(--base); }
.s-candidate { --side: var(--cand); }
.dot { fill: var(--side); }
rect.iqr { fill: var(--side); fill-opacity: 0.14; stroke: var(--side); stroke-opacity: 0.6; stroke-width: 1; }
.whisker { stroke: var(--side); stroke-width: 1.5; }
.median { stroke: var(--fg); stroke-width: 2.5; }
.track { fill: var(--track); }
.bar { fill: var(--tone); fill-opacity: 0.85; }
.limit { stroke: var(--limit); stroke-width: 2.5; }

.details { display: grid; gap: 1rem; }
.result { border: 1px solid var(--border); border-radius: 8px; padding: 0.9rem 1rem 1rem; }
.result header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.6rem; }
.result h3 { overflow-wrap: anywhere; }
.result figure { margin: 0.6rem 0 0.2rem; }
.result figure svg { display: block; width: 100%; max-width: 760px; height: auto; }
.result figcaption { font-size: 0.82rem; color: var(--muted); }
.ratio-line { margin: 0.3rem 0 0.3rem; font-size: 0.92rem; }
.ratio-mini { max-width: 760px; margin: 0 0 0.6rem; }
.ratio-mini .axis { font-size: 0.78rem; color: var(--muted); }
table.summary { width: auto; min-width: min(100%, 46rem); margin-top: 0.4rem; }
.summary th[scope="row"] { width: 8rem; }
.tests { margin: 0.5rem 0 0; font-size: 0.82rem; color: var(--muted); }
.legend { font-size: 0.88rem; color: var(--muted); margin: 0 0 0.8rem; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; vertical-align: -0.05em; margin: 0 0.25em 0 0.6em; }
.swatch.base { background: var(--base); }
.swatch.candidate { background: var(--cand); }
.swatch.band { border-radius: 2px; background: var(--band); border: 1px solid var(--good); }
ul.notes { padding-left: 1.2rem; }
footer { margin-top: 2.5rem; padding-top: 0.8rem; border-top: 1px solid var(--border); font-size: 0.82rem; color: var(--muted); }

@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --border: #c8ced6; --panel: #f6f8fa;
    --fail: #b3121f; --fail-bg: #ffebe9; --warn: #7d5400; --warn-bg: #fff8c5;
    --good: #116329; --good-bg: #dafbe1; --neutral: #0550ae; --neutral-bg: #ddf4ff;
    --band: rgba(26, 127, 55, 0.16); --grid: #d8dee4; --axis: #57606a;
    --base: #57606a; --cand: #0550ae; --limit: #000000; --track: #eff2f5;
  }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .skip, button.copy { display: none !important; }
  .card, .result, figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .replay code { user-select: text; }
}
)css";

// Copying is an enhancement: without script the buttons stay hidden and the command is a
// <code> that selects as a whole on click (user-select: all).
constexpr const char* kScript = R"js(
(function () {
  if (!navigator.clipboard || !document.querySelectorAll) return;
  var status = document.getElementById('copy-status');
  document.querySelectorAll('button.copy').forEach(function (button) {
    var code = document.getElementById(button.getAttribute('data-copy'));
    if (!code) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = 'Copied';
        status.textContent = 'Replay command copied to the clipboard.';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = 'Could not copy; the command is selected.';
      });
    });
  });
})();
)js";

std::string revision_html(const Json& revision) {
  const std::string ref = text(field(revision, "ref"));
  const std::string commit = text(field(revision, "commit"));
  std::string out = fmt::format("<code>{}</code>", ref.empty() ? "–" : esc(ref));
  if (!commit.empty()) {
    out += fmt::format(" <span class=\"commit mono\" title=\"{}\">{}</span>", esc(commit),
                       esc(short_commit(commit)));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string load_text(const Json& load) {
  if (!load.is_array() || load.empty()) return "";
  const auto one = number(load[0]);
  return one ? fmt::format("{:.2f}", *one) : "";
}

std::string host_line(const Json& host) {
  std::vector<std::string> parts;
  if (const std::string name = text(field(host, "hostname")); !name.empty())
    parts.push_back("<b>" + esc(name) + "</b>");
  if (const std::string cpu = text(field(host, "cpu_model")); !cpu.empty())
    parts.push_back(esc(cpu));
  if (const auto cpus = number(field(host, "logical_cpus")); cpus && *cpus > 0) {
    std::string cpu_text = fmt::format("{:g} logical CPUs", *cpus);
    const Json& pinned = field(host, "pinned_cpus");
    if (pinned.is_array() && !pinned.empty()) {
      std::vector<std::string> ids;
      for (const Json& id : pinned)
        ids.push_back(id.is_number_integer() ? std::to_string(id.get<long>()) : "?");
      cpu_text += ", pinned to " + join(ids, ",");
    }
    parts.push_back(cpu_text);
  }
  if (const std::string kernel = text(field(host, "kernel")); !kernel.empty())
    parts.push_back("kernel " + esc(kernel));
  const std::string before = load_text(field(host, "load_before"));
  const std::string after = load_text(field(host, "load_after"));
  if (!before.empty() || !after.empty()) {
    parts.push_back(
        fmt::format("load {} → {}", before.empty() ? "?" : before, after.empty() ? "?" : after));
  }
  if (const std::string governor = text(field(host, "governor")); !governor.empty()) {
    parts.push_back("governor " + esc(governor));
  }
  if (const auto aslr = number(field(host, "aslr")))
    parts.push_back(fmt::format("ASLR {:g}", *aslr));
  return join(parts, " · ");
}

std::string settings_line(const Json& settings) {
  std::vector<std::string> parts;
  if (!settings.is_object()) return "";
  for (const auto& [key, value] : settings.items()) {
    if (key == "alpha") continue;  // 1 − confidence, already shown
    std::string shown;
    if ((key == "confidence" || key == "default_threshold") && number(value)) {
      shown = percent(*number(value));
    } else if (value.is_string()) {
      shown = esc(value.get<std::string>());
    } else if (value.is_number_integer()) {
      shown = value.dump();  // seeds: every digit, never 1.23457e+10
    } else if (value.is_number()) {
      shown = number(value) ? fmt::format("{:g}", *number(value)) : "–";
    } else {
      shown = esc(value.dump());
    }
    const std::string name = key == "default_threshold" ? "threshold" : words(key);
    parts.push_back(fmt::format("{} <b>{}</b>", esc(name), shown));
  }
  return join(parts, " · ");
}

// Verdict order in the count chips: what fails first, by how it is triaged.
constexpr std::string_view kVerdictOrder[] = {
    "error",   "over_budget", "regressed", "inconclusive", "insufficient",
    "missing", "approved",    "new",       "improved",     "unchanged"};

void write_header(std::ostream& out, const Page& page) {
  const Json& doc = page.doc;
  const Json& gate = field(doc, "gate");
  const bool passed = field(gate, "passed").is_boolean() && field(gate, "passed").get<bool>();
  const Json& results = field(doc, "results");
  std::size_t rows = 0;
  std::size_t failing = 0;
  if (results.is_array()) {
    for (const Json& row : results) {
      ++rows;
      failing += row_passes(row) ? 0 : 1;
    }
  }
  std::size_t budgets = 0;
  std::size_t budgets_failing = 0;
  if (page.budgets.is_array()) {
    for (const Json& budget : page.budgets) {
      ++budgets;
      budgets_failing += text(field(budget, "status")) == "pass" ? 0 : 1;
    }
  }

  out << fmt::format("<header class=\"banner {}\">\n", passed ? "t-good" : "t-fail");
  out << "<p class=\"brand\">perfguard · release gate</p>\n";
  out << fmt::format("<h1 id=\"verdict\"><span aria-hidden=\"true\">{}</span> Gate {}</h1>\n",
                     passed ? "✓" : "✗", passed ? "passed" : "failed");
  std::vector<std::string> headline;
  const auto results_word = rows == 1 ? "result" : "results";
  const auto budgets_word = budgets == 1 ? "budget" : "budgets";
  headline.push_back(failing == 0
                         ? fmt::format("{} {} {}", rows == 1 ? "the" : fmt::format("all {}", rows),
                                       results_word, rows == 1 ? "passes" : "pass")
                         : fmt::format("{} of {} {} fail the gate", failing, rows, results_word));
  if (budgets > 0) {
    headline.push_back(
        budgets_failing == 0
            ? fmt::format("{} {} within {}", budgets, budgets_word,
                          budgets == 1 ? "its limit" : "their limits")
            : fmt::format("{} of {} {} fail", budgets_failing, budgets, budgets_word));
  }
  if (const auto code = number(field(gate, "exit_code")))
    headline.push_back(fmt::format("exit code {:g}", *code));
  out << fmt::format("<p class=\"headline\">{}</p>\n", join(headline, " · "));

  out << "<dl class=\"refs\">\n";
  out << fmt::format("<div><dt>base</dt><dd>{}</dd></div>\n", revision_html(field(doc, "base")));
  out << fmt::format("<div><dt>candidate</dt><dd>{}</dd></div>\n",
                     revision_html(field(doc, "candidate")));
  out << "</dl>\n";

  const Json& counts = field(gate, "counts");
  if (counts.is_object() && !counts.empty()) {
    out << "<ul class=\"counts\" aria-label=\"Results by verdict\">\n";
    std::vector<std::string> names;
    for (const std::string_view name : kVerdictOrder) {
      if (counts.contains(name)) names.emplace_back(name);
    }
    for (const auto& [name, value] : counts.items()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    for (const std::string& name : names) {
      const auto count = number(counts[name]);
      out << fmt::format("<li class=\"badge {}\">{:g} {}</li>\n", tone_class(verdict_tone(name)),
                         count.value_or(0), esc(words(name)));
    }
    out << "</ul>\n";
  }
  if (const std::string host = host_line(field(doc, "host")); !host.empty()) {
    out << fmt::format("<p class=\"facts\"><span class=\"sr-only\">Host: </span>{}</p>\n", host);
  }
  if (const std::string settings = settings_line(field(doc, "settings")); !settings.empty()) {
    out << fmt::format("<p class=\"facts\"><span class=\"sr-only\">Settings: </span>{}</p>\n",
                       settings);
  }
  out << "</header>\n";
}

std::string approval_html(const Json& approval) {
  if (!approval.is_object()) return "";
  const bool removed =
      field(approval, "removed").is_boolean() && field(approval, "removed").get<bool>();
  std::string up_to = removed ? std::string(" removal")
                      : number(field(approval, "max_ratio"))
                          ? " up to " + change(*number(field(approval, "max_ratio")))
                          : std::string();
  return fmt::format(
      "<p class=\"approval\"><strong>Approved</strong>{} by {} ({}), {} → {}: {}</p>\n", up_to,
      esc(text(field(approval, "approver"))), esc(text(field(approval, "ticket"))),
      esc(text(field(approval, "created"))), esc(text(field(approval, "expires"))),
      esc(text(field(approval, "reason"))));
}

std::string replay_html(const std::string& id, const std::string& command,
                        const std::string& what) {
  return fmt::format(
      "<div class=\"replay\"><span class=\"label\">Replay</span>"
      "<code id=\"{0}\">{1}</code>"
      "<button type=\"button\" class=\"copy\" data-copy=\"{0}\" aria-label=\"Copy the replay "
      "command of {2}\" "
      "hidden>Copy</button></div>\n",
      id, esc(command), esc(what));
}

std::string severity_html(const Json& severity) {
  const std::string s = text(severity);
  if (s.empty()) return "";
  return fmt::format("<span class=\"sev\"><abbr title=\"{}\">{}</abbr></span>",
                     esc(severity_title(s)), esc(s));
}

// A Google Benchmark case's label ("html (22.31 %)") beside its name, when it has one.
std::string label_html(const Json& row) {
  const std::string label = text(field(row, "label"));
  return label.empty() ? "" : fmt::format("<span class=\"label\">{}</span>", esc(label));
}

// Failing cases of one family grouped in one card from this many on.
constexpr std::size_t kFamilyCardMinimum = 3;

// A Google Benchmark family: the name without its last "/argument" ("snappy/BM_UFlat/10" ->
// "snappy/BM_UFlat"); "" for a name with no argument to drop.
std::string family_of(const std::string& benchmark) {
  const std::size_t slash = benchmark.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == benchmark.size()) return "";
  return benchmark.substr(0, slash);
}

void write_family_card(std::ostream& out, const std::string& family,
                       const std::vector<std::pair<std::size_t, const Json*>>& members) {
  const std::size_t first = members.front().first;
  out << fmt::format(
      "<li class=\"card t-fail\"><article aria-labelledby=\"f{}-h\">\n<header><h3 id=\"f{}-h\">"
      "{}/*<span class=\"metric\">{} failing cases</span></h3></header>\n",
      first, first, esc(family), members.size());
  out << fmt::format(
      "<div class=\"scroll\"><table class=\"family\">\n<caption class=\"sr-only\">The failing "
      "cases of {}: verdict, change of the median and why</caption>\n",
      esc(family));
  out << "<thead><tr><th scope=\"col\">case</th>"
         "<th scope=\"col\">metric</th><th scope=\"col\">verdict</th>"
         "<th scope=\"col\" class=\"num\">change</th><th scope=\"col\">reason</th>"
         "</tr></thead>\n<tbody>\n";
  std::string replays;
  for (const auto& [index, row] : members) {
    const std::string benchmark = text(field(*row, "benchmark"));
    const std::string verdict = text(field(*row, "verdict"));
    const auto ratio = number(field(*row, "ratio"));
    out << fmt::format(
        "<tr><th scope=\"row\"><a href=\"#r{}\">{}</a>{}</th><td>{}</td><td><span class=\"badge "
        "{}\">{}</span> {}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        index, esc(benchmark.substr(family.size() + 1)), label_html(*row),
        esc(text(field(*row, "metric"))), tone_class(verdict_tone(verdict)),
        esc(words(verdict.empty() ? "unknown" : verdict)), severity_html(field(*row, "severity")),
        ratio ? change(*ratio) : "–", esc(text(field(*row, "reason"))));
    if (const std::string replay = text(field(*row, "replay")); !replay.empty())
      replays += esc(replay) + "\n";
  }
  out << "</tbody></table></div>\n";
  if (!replays.empty()) {
    out << fmt::format(
        "<details><summary>Replay commands ({})</summary><pre><code>{}</code></pre></details>\n",
        members.size(), replays);
  }
  out << "</article></li>\n";
}

void write_failing(std::ostream& out, const Page& page) {
  const Json& results = field(page.doc, "results");
  std::vector<std::pair<std::size_t, const Json*>> rows;
  if (results.is_array()) {
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!row_passes(results[i])) rows.emplace_back(i, &results[i]);
    }
  }
  // A failing budget whose row failed too is told by that row's card.
  std::vector<std::pair<std::size_t, const Json*>> budgets;
  if (page.budgets.is_array()) {
    for (std::size_t i = 0; i < page.budgets.size(); ++i) {
      const Json& budget = page.budgets[i];
      if (text(field(budget, "status")) == "pass") continue;
      const bool told = std::any_of(rows.begin(), rows.end(), [&](const auto& row) {
        return text(field(*row.second, "benchmark")) == text(field(budget, "benchmark")) &&
               text(field(*row.second, "metric")) == text(field(budget, "metric"));
      });
      if (!told) budgets.emplace_back(i, &budget);
    }
  }
  std::vector<const Json*> invalid;
  if (const Json& approvals = field(page.doc, "approvals"); approvals.is_array()) {
    for (const Json& note : approvals) {
      if (text(field(note, "use")) == "invalid") invalid.push_back(&note);
    }
  }
  if (rows.empty() && budgets.empty() && invalid.empty()) return;

  const std::size_t total = rows.size() + budgets.size() + invalid.size();
  out << "<section aria-labelledby=\"failing-h\">\n";
  out << fmt::format("<h2 id=\"failing-h\">Failing ({})</h2>\n<ul class=\"cards\">\n", total);
  // Cases of one Google Benchmark family (snappy/BM_UFlat/0, /1, /10...) that fail together
  // share one card with a compact table, so that the rest of the page stays in reach.
  std::map<std::string, std::vector<std::pair<std::size_t, const Json*>>> families;
  for (const auto& row : rows) {
    const std::string family = family_of(text(field(*row.second, "benchmark")));
    if (!family.empty()) families[family].push_back(row);
  }
  std::set<std::string> written;
  for (const auto& [index, row] : rows) {
    const std::string benchmark = text(field(*row, "benchmark"));
    const std::string family = family_of(benchmark);
    if (const auto found = families.find(family);
        found != families.end() && found->second.size() >= kFamilyCardMinimum) {
      if (written.insert(family).second) write_family_card(out, family, found->second);
      continue;
    }
    const std::string metric = text(field(*row, "metric"));
    const std::string verdict = text(field(*row, "verdict"));
    out << fmt::format("<li class=\"card {}\"><article aria-labelledby=\"f{}-h\">\n<header>",
                       tone_class(verdict_tone(verdict)), index);
    out << fmt::format(
        "<h3 id=\"f{}-h\"><a href=\"#r{}\">{}</a><span class=\"metric\">{}</span>{}</h3>", index,
        index, esc(benchmark), esc(metric), label_html(*row));
    out << fmt::format(
        " <span class=\"badge {}\">{}</span> {}</header>\n", tone_class(verdict_tone(verdict)),
        esc(words(verdict.empty() ? "unknown" : verdict)), severity_html(field(*row, "severity")));
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text(field(*row, "reason"))));
    out << approval_html(field(*row, "approval"));
    if (const std::string replay = text(field(*row, "replay")); !replay.empty()) {
      out << replay_html(fmt::format("f{}-cmd", index), replay,
                         fmt::format("{} {}", benchmark, metric));
    }
    out << "</article></li>\n";
  }
  for (const auto& [index, budget] : budgets) {
    const std::string benchmark = text(field(*budget, "benchmark"));
    const std::string status = text(field(*budget, "status"));
    out << fmt::format("<li class=\"card t-fail\"><article aria-labelledby=\"fb{}-h\">\n<header>",
                       index);
    out << fmt::format(
        "<h3 id=\"fb{}-h\"><a href=\"#budgets-h\">{}</a><span class=\"metric\">{} "
        "budget</span></h3>",
        index, esc(benchmark), esc(text(field(*budget, "metric"))));
    out << fmt::format(" <span class=\"badge t-fail\">{}</span> {}</header>\n", esc(words(status)),
                       severity_html(field(*budget, "severity")));
    out << fmt::format("<p class=\"reason\">{} <span class=\"muted\">({})</span></p>\n",
                       esc(text(field(*budget, "reason"))), esc(text(field(*budget, "rule"))));
    if (const std::string replay = text(field(*budget, "replay")); !replay.empty()) {
      out << replay_html(fmt::format("fb{}-cmd", index), replay, benchmark + " budget");
    }
    out << "</article></li>\n";
  }
  for (const Json* note : invalid) {
    out << "<li class=\"card t-fail\"><article>\n<header><h3>Invalid approval</h3>"
           " <span class=\"badge t-fail\">invalid</span></header>\n";
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text(field(*note, "message"))));
    out << "</article></li>\n";
  }
  out << "</ul>\n</section>\n";
}

// ---- The forest plot: every row's ratio and interval against its threshold band --------------

struct RowRatio {
  std::optional<double> ratio;
  std::optional<Span> ci;
  double threshold = 0.05;
};

RowRatio ratio_of(const Json& row) {
  RowRatio r;
  r.ratio = number(field(row, "ratio"));
  if (r.ratio && *r.ratio <= 0.0) r.ratio.reset();
  r.ci = span_of(field(row, "ratio_ci"));
  if (r.ci && r.ci->lo <= 0.0) r.ci.reset();
  if (const auto t = number(field(row, "threshold")); t && *t > 0.0) r.threshold = *t;
  return r;
}

// Whether the row was judged on exact values. Artifacts say so in "exact"; older ones without
// the field had exact rows only as a point interval.
bool is_exact(const Json& row, const RowRatio& r) {
  const Json& exact = field(row, "exact");
  if (exact.is_boolean()) return exact.get<bool>();
  return r.ci && r.ci->lo == r.ci->hi;
}

// The mark an exact comparison carries in the table where others show their interval.
constexpr const char* kExactMark =
    "<span class=\"exact\" title=\"the same value in every run of each side: the ratio is "
    "exact, with no interval\">exact</span>";

RatioScale forest_scale(const Json& results) {
  double lo = 1.0;
  double hi = 1.0;
  const auto include = [&](double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  if (results.is_array()) {
    for (const Json& row : results) {
      const RowRatio r = ratio_of(row);
      if (!r.ratio && !r.ci) continue;
      include(1.0 + r.threshold);
      include(1.0 / (1.0 + r.threshold));
      if (r.ratio) include(*r.ratio);
      if (r.ci) {
        include(r.ci->lo);
        include(r.ci->hi);
      }
    }
  }
  if (lo == hi) {
    lo = 1.0 / 1.05;
    hi = 1.05;
  }
  return {lo, hi};
}

// One row's mark on the shared ratio scale. The SVG stretches to its cell (preserveAspectRatio
// none, strokes that do not scale), so every row shares the header's axis.
std::string ratio_cell_svg(const RatioScale& scale, const std::vector<Tick>& ticks,
                           const RowRatio& r, Tone tone) {
  constexpr double kWidth = 1000.0;
  std::string svg = fmt::format(
      "<svg class=\"cell {}\" viewBox=\"0 0 1000 26\" preserveAspectRatio=\"none\" "
      "aria-hidden=\"true\" "
      "focusable=\"false\">",
      tone_class(tone));
  const double band_lo = scale.fraction(1.0 / (1.0 + r.threshold)) * kWidth;
  const double band_hi = scale.fraction(1.0 + r.threshold) * kWidth;
  svg += fmt::format("<rect class=\"band\" x=\"{}\" y=\"0\" width=\"{}\" height=\"26\"/>",
                     co(band_lo), co(band_hi - band_lo));
  for (const Tick& t : ticks) {
    if (t.value == 1.0) continue;
    svg += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"26\"/>",
                       co(t.fraction * kWidth));
  }
  svg += fmt::format("<line class=\"one\" x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"26\"/>",
                     co(scale.fraction(1.0) * kWidth));
  if (r.ci) {
    const double x0 = scale.fraction(r.ci->lo) * kWidth;
    const double x1 = scale.fraction(r.ci->hi) * kWidth;
    svg +=
        fmt::format("<line class=\"ci\" x1=\"{}\" x2=\"{}\" y1=\"13\" y2=\"13\"/>", co(x0), co(x1));
    svg += fmt::format("<line class=\"cap\" x1=\"{0}\" x2=\"{0}\" y1=\"8\" y2=\"18\"/>", co(x0));
    svg += fmt::format("<line class=\"cap\" x1=\"{0}\" x2=\"{0}\" y1=\"8\" y2=\"18\"/>", co(x1));
  }
  if (r.ratio) {
    svg += fmt::format("<line class=\"point\" x1=\"{0}\" x2=\"{0}\" y1=\"5\" y2=\"21\"/>",
                       co(scale.fraction(*r.ratio) * kWidth));
  }
  return svg + "</svg>";
}

std::string axis_html(const std::vector<Tick>& ticks) {
  std::string html = "<div class=\"axis\" aria-hidden=\"true\">";
  for (const Tick& t : ticks) {
    html += fmt::format("<span style=\"left:{}\">{}</span>", css_percent(t.fraction), esc(t.label));
  }
  return html + "</div>";
}

std::string confidence_note(const Json& row, double page_confidence) {
  const auto c = number(field(row, "confidence"));
  if (!c || std::fabs(*c - page_confidence) < 1e-12) return "";
  return fmt::format(" <span class=\"muted\">({} CI)</span>", percent(*c));
}

// The level every row's interval was judged at, when they share one. An adaptive schedule
// judges each benchmark at what its last look left (99.3% rather than 98%), so the header
// must say the level the cells have, not the page's nominal one.
std::optional<double> shared_confidence(const Json& results, double page_confidence) {
  std::optional<double> shared;
  for (const Json& row : results) {
    const double c = number(field(row, "confidence")).value_or(page_confidence);
    if (shared && std::fabs(*shared - c) >= 1e-12) return std::nullopt;
    shared = c;
  }
  return shared;
}

void write_forest(std::ostream& out, const Page& page, const RatioScale& scale) {
  const Json& results = field(page.doc, "results");
  if (!results.is_array() || results.empty()) return;
  const std::vector<Tick> ticks = scale.ticks();
  // Header and cells agree: one shared level goes in the header and no cell repeats it;
  // without one, the header says so and every cell names its own.
  const std::optional<double> shared = shared_confidence(results, page.confidence);
  const double cell_baseline = shared.value_or(-1.0);
  const std::string level = shared ? percent(*shared) + " " : std::string();
  out << "<section aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n";
  out << fmt::format(
      "<p class=\"legend\">Each line is the ratio of medians, candidate ÷ base, with its {}"
      "confidence interval{}, on a "
      "log scale; the dashed line is no change.<span class=\"swatch band\" "
      "aria-hidden=\"true\"></span>shaded: within "
      "the row's threshold.</p>\n",
      level, shared ? "" : " (each row's level beside it)");
  out << "<div class=\"scroll\"><table class=\"forest\">\n";
  out << fmt::format(
      "<caption class=\"sr-only\">Every benchmark and metric: verdict, change of the median and "
      "its {}confidence "
      "interval</caption>\n",
      level);
  out << "<thead><tr><th scope=\"col\">benchmark</th><th scope=\"col\">verdict</th>"
         "<th scope=\"col\" class=\"plotcol\"><span class=\"sr-only\">ratio plot</span>"
      << axis_html(ticks) << "</th><th scope=\"col\" class=\"num\">change</th>"
      << fmt::format(
             "<th scope=\"col\" class=\"num\">{}CI</th><th scope=\"col\" "
             "class=\"num\">threshold</th></tr></thead>\n<tbody>\n",
             level);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& row = results[i];
    const std::string verdict = text(field(row, "verdict"));
    const Tone tone = verdict_tone(verdict);
    const RowRatio r = ratio_of(row);
    out << fmt::format(
        "<tr><th scope=\"row\"><a href=\"#r{}\">{}</a><span class=\"metric\">{}</span>{}</th>", i,
        esc(text(field(row, "benchmark"))), esc(text(field(row, "metric"))), label_html(row));
    out << fmt::format("<td><span class=\"badge {}\">{}</span></td>", tone_class(tone),
                       esc(words(verdict.empty() ? "unknown" : verdict)));
    if (r.ratio || r.ci) {
      out << "<td class=\"plotcol\">" << ratio_cell_svg(scale, ticks, r, tone) << "</td>";
    } else {
      out << "<td class=\"plotcol\"><span class=\"na\">no ratio to draw</span></td>";
    }
    out << fmt::format("<td class=\"num\">{}</td>", r.ratio ? change(*r.ratio) : "–");
    // An exact comparison (a file size, counts that agreed run for run) has no interval.
    const std::string ci = is_exact(row, r) ? kExactMark : !r.ci ? "–" : change_span(*r.ci);
    out << fmt::format("<td class=\"num\">{}{}</td>", ci, confidence_note(row, cell_baseline));
    out << fmt::format("<td class=\"num\">±{}</td></tr>\n", percent(r.threshold));
  }
  out << "</tbody></table></div>\n</section>\n";
}

// ---- Budgets: the candidate's statistic as a bar against its limit --------------------------

void write_budgets(std::ostream& out, const Page& page) {
  if (!page.budgets.is_array() || page.budgets.empty()) return;
  out << "<section aria-labelledby=\"budgets-h\">\n<h2 id=\"budgets-h\">Budgets</h2>\n";
  out << "<p class=\"legend\">The candidate's statistic as a bar, its confidence interval as a "
         "whisker, the limit as a "
         "vertical line.</p>\n";
  out << "<div class=\"scroll\"><table class=\"bars\">\n<caption class=\"sr-only\">Absolute "
         "budgets: the candidate's "
         "statistic against its limit</caption>\n";
  out << "<thead><tr><th scope=\"col\">benchmark</th><th scope=\"col\">statistic</th><th "
         "scope=\"col\" "
         "class=\"num\">actual</th><th scope=\"col\" class=\"num\">limit</th><th scope=\"col\" "
         "class=\"plotcol\"><span "
         "class=\"sr-only\">bar</span></th><th scope=\"col\">status</th></tr></thead>\n<tbody>\n";
  for (const Json& budget : page.budgets) {
    const std::string unit = text(field(budget, "unit"));
    const std::string status = text(field(budget, "status"));
    const Tone tone = status == "pass" ? Tone::good : Tone::fail;
    const auto limit = number(field(budget, "limit"));
    const auto actual = number(field(budget, "actual"));
    const auto ci = span_of(field(budget, "actual_ci"));
    out << fmt::format("<tr><th scope=\"row\">{}<span class=\"metric\">{}</span></th><td>{}</td>",
                       esc(text(field(budget, "benchmark"))), esc(text(field(budget, "metric"))),
                       esc(text(field(budget, "statistic"))));
    out << fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                       actual ? esc(quantity(*actual, unit)) : "–",
                       limit ? esc(quantity(*limit, unit)) : "–");
    if (limit && *limit > 0.0 && actual && *actual >= 0.0) {
      const double top = std::max({*limit, *actual, ci ? ci->hi : 0.0}) * 1.08;
      const auto x = [&](double v) { return co(std::clamp(v / top, 0.0, 1.0) * 1000.0); };
      out << fmt::format(
          "<td class=\"plotcol\"><svg class=\"cell {}\" viewBox=\"0 0 1000 26\" "
          "preserveAspectRatio=\"none\" "
          "aria-hidden=\"true\" focusable=\"false\"><rect class=\"track\" x=\"0\" y=\"7\" "
          "width=\"1000\" "
          "height=\"12\"/><rect class=\"bar\" x=\"0\" y=\"7\" width=\"{}\" height=\"12\"/>",
          tone_class(tone), x(*actual));
      if (ci) {
        out << fmt::format("<line class=\"cap\" x1=\"{}\" x2=\"{}\" y1=\"13\" y2=\"13\"/>",
                           x(ci->lo), x(ci->hi));
      }
      out << fmt::format(
          "<line class=\"limit\" x1=\"{0}\" x2=\"{0}\" y1=\"1\" y2=\"25\"/></svg></td>", x(*limit));
    } else {
      out << "<td class=\"plotcol\"><span class=\"na\">no value to draw</span></td>";
    }
    std::string share;
    if (limit && *limit > 0.0 && actual)
      share = fmt::format(" {:.0f}% of the limit", *actual / *limit * 100.0);
    out << fmt::format(
        "<td><span class=\"badge {}\">{}</span><span class=\"muted\">{}</span></td></tr>\n",
        tone_class(tone), esc(words(status.empty() ? "unknown" : status)), share);
  }
  out << "</tbody></table></div>\n</section>\n";
}

// ---- One row in detail: the runs of both sides on one axis ----------------------------------

// Vertical jitter without randomness (the golden ratio's multiples mod 1 spread evenly), so a
// page renders byte-identically from the same samples.
double jitter(std::size_t i) {
  return std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0) - 0.5;
}

constexpr std::size_t kMaxDots = 2000;  // per side; beyond that every k-th run is drawn

// 2 -> "2nd", 11 -> "11th", 23 -> "23rd".
std::string ordinal(std::size_t n) {
  const std::size_t tens = n % 100;
  const std::size_t ones = n % 10;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    if (ones == 1) suffix = "st";
    if (ones == 2) suffix = "nd";
    if (ones == 3) suffix = "rd";
  }
  return fmt::format("{}{}", n, suffix);
}

std::string side_description(const char* name, const Side& side, const std::string& unit) {
  if (side.empty()) return fmt::format("{}: no samples", name);
  const std::size_t n = side.n ? *side.n : side.values.size();
  std::string d = fmt::format("{}: {} {}", name, n, n == 1 ? "run" : "runs");
  if (side.median) d += ", median " + precise_quantity(*side.median, unit);
  if (side.p25 && side.p75)
    d += fmt::format(", middle half {} to {}", precise_quantity(*side.p25, unit),
                     precise_quantity(*side.p75, unit));
  if (side.min && side.max)
    d += fmt::format(", range {} to {}", precise_quantity(*side.min, unit),
                     precise_quantity(*side.max, unit));
  return d;
}

void write_strip_plot(std::ostream& out, std::size_t index, const Json& row, const Side& base,
                      const Side& candidate, const Page& page) {
  const std::string unit = text(field(row, "unit"));
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  for (const Side* side : {&base, &candidate}) {
    for (const double v : side->values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    for (const auto& v : {side->median, side->p25, side->p75, side->min, side->max}) {
      if (v) {
        lo = std::min(lo, *v);
        hi = std::max(hi, *v);
      }
    }
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;

  constexpr double kLeft = 104.0;
  constexpr double kRight = 708.0;
  constexpr double kLaneHeight = 34.0;
  const double lane_top[] = {8.0, 52.0};
  constexpr double kAxisY = 96.0;
  const ValueScale scale(lo, hi, kLeft, kRight);
  const std::vector<Tick> ticks = scale.ticks(unit);
  const std::string id = fmt::format("r{}", index);
  const std::string what = text(field(row, "benchmark")) + " " + text(field(row, "metric"));

  out << "<figure>\n";
  out << fmt::format("<svg viewBox=\"0 0 720 122\" role=\"img\" aria-labelledby=\"{0}-t {0}-d\">",
                     id);
  out << fmt::format("<title id=\"{}-t\">{}: every run of base and candidate</title>", id,
                     esc(what));
  out << fmt::format("<desc id=\"{}-d\">{}; {}.</desc>\n", id,
                     esc(side_description("base", base, unit)),
                     esc(side_description("candidate", candidate, unit)));
  for (int lane = 0; lane < 2; ++lane) {
    out << fmt::format(
        "<rect class=\"lane\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
        co(kLeft - 6), co(lane_top[lane]), co(kRight - kLeft + 12), co(kLaneHeight));
  }
  for (const Tick& t : ticks) {
    const double x = kLeft + t.fraction * (kRight - kLeft);
    out << fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"4\" y2=\"{1}\"/>", co(x),
                       co(kAxisY));
  }
  out << "\n";
  const Side* sides[] = {&base, &candidate};
  const char* names[] = {"base", "candidate"};
  for (int lane = 0; lane < 2; ++lane) {
    const Side& side = *sides[lane];
    const double mid = lane_top[lane] + kLaneHeight / 2.0;
    out << fmt::format("<g class=\"s-{}\">", names[lane]);
    out << fmt::format("<text class=\"lane-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                       co(kLeft - 14), co(mid - 2), names[lane]);
    const std::size_t n = side.n ? *side.n : side.values.size();
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", co(kLeft - 14),
                       co(mid + 11),
                       side.empty() ? std::string("no runs") : fmt::format("n = {}", n));
    if (side.empty()) {
      out << fmt::format("<text x=\"{}\" y=\"{}\">no samples</text></g>\n", co(kLeft + 4),
                         co(mid + 4));
      continue;
    }
    if (side.p25 && side.p75) {
      out << fmt::format("<rect class=\"iqr\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                         co(scale.x(*side.p25)), co(mid - 12),
                         co(scale.x(*side.p75) - scale.x(*side.p25)), co(24));
    }
    if (side.values.empty() && side.min && side.max) {
      // No runs given: the summary's range stands in for them.
      out << fmt::format("<line class=\"whisker\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
                         co(scale.x(*side.min)), co(scale.x(*side.max)), co(mid), co(mid));
    }
    const std::size_t stride = (side.values.size() + kMaxDots - 1) / kMaxDots;
    for (std::size_t i = 0; i < side.values.size(); i += std::max<std::size_t>(stride, 1)) {
      out << fmt::format("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"2.6\"/>",
                         co(scale.x(side.values[i])), co(mid + jitter(i) * 24.0));
    }
    if (side.median) {
      const double x = scale.x(*side.median);
      out << fmt::format("<line class=\"median\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>",
                         co(x), co(mid - 15), co(mid + 15));
    }
    out << "</g>\n";
  }
  out << fmt::format("<line class=\"axis-line\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>",
                     co(kLeft - 6), co(kRight + 6), co(kAxisY));
  for (const Tick& t : ticks) {
    const double x = kLeft + t.fraction * (kRight - kLeft);
    out << fmt::format("<line class=\"axis-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>",
                       co(x), co(kAxisY), co(kAxisY + 4));
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", co(x),
                       co(kAxisY + 17), esc(t.label));
  }
  out << "</svg>\n";
  const bool runs = !base.values.empty() || !candidate.values.empty();
  std::string thinned;
  for (const Side* side : {&base, &candidate}) {
    const std::size_t stride = (side->values.size() + kMaxDots - 1) / kMaxDots;
    if (stride > 1) {
      thinned = fmt::format(" With this many runs every {} is drawn ({} of {}).", ordinal(stride),
                            (side->values.size() + stride - 1) / stride, side->values.size());
    }
  }
  out << fmt::format(
      "<figcaption>{}{} The box spans the middle half (p25–p75), the bar marks the "
      "median.</figcaption>\n",
      runs ? "Each dot is one run (spread vertically only to be seen)."
           : (page.have_samples ? "No runs recorded for this row; the line spans min to max."
                                : "Without samples.jsonl the line spans min to max."),
      thinned);
  out << "</figure>\n";
}

std::string cell_or_dash(const std::optional<double>& v, const std::string& unit) {
  return v ? esc(precise_quantity(*v, unit)) : std::string("–");
}

void write_summary_table(std::ostream& out, const Json& row, const Side& base,
                         const Side& candidate) {
  const std::string unit = text(field(row, "unit"));
  out << "<div class=\"scroll\"><table class=\"summary\">\n";
  out << fmt::format("<caption class=\"sr-only\">{} {}: statistics of each side</caption>\n",
                     esc(text(field(row, "benchmark"))), esc(text(field(row, "metric"))));
  out << "<thead><tr><th scope=\"col\">side</th><th scope=\"col\" class=\"num\">runs</th><th "
         "scope=\"col\" "
         "class=\"num\">median</th><th scope=\"col\" class=\"num\">median CI</th><th scope=\"col\" "
         "class=\"num\">p25 – p75</th><th scope=\"col\" class=\"num\">p95</th><th scope=\"col\" "
         "class=\"num\">min – "
         "max</th></tr></thead>\n<tbody>\n";
  const Side* sides[] = {&base, &candidate};
  const char* names[] = {"base", "candidate"};
  for (int i = 0; i < 2; ++i) {
    const Side& s = *sides[i];
    if (s.empty()) {
      out << fmt::format(
          "<tr><th scope=\"row\">{}</th><td class=\"num\">0</td><td colspan=\"5\">no "
          "samples</td></tr>\n",
          names[i]);
      continue;
    }
    const auto pair = [&](const std::optional<double>& a, const std::optional<double>& b) {
      if (!a || !b) return std::string("–");
      const std::string lo = esc(precise_quantity(*a, unit));
      const std::string hi = esc(precise_quantity(*b, unit));
      return lo == hi ? lo : fmt::format("{} – {}", lo, hi);  // one run, or an exact measurement
    };
    out << fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        names[i], s.n ? *s.n : s.values.size(), cell_or_dash(s.median, unit),
        s.median_ci ? pair(s.median_ci->lo, s.median_ci->hi) : "–", pair(s.p25, s.p75),
        cell_or_dash(s.p95, unit), pair(s.min, s.max));
  }
  out << "</tbody></table></div>\n";
}

void write_tests_line(std::ostream& out, const Json& row) {
  std::vector<std::string> parts;
  if (const auto p = number(field(row, "mann_whitney_p")))
    parts.push_back(fmt::format("Mann–Whitney U p = {:.2g}", *p));
  if (const auto p = number(field(row, "welch_p")))
    parts.push_back(fmt::format("Welch t p = {:.2g}", *p));
  if (const auto hl = number(field(row, "hodges_lehmann"))) {
    parts.push_back("Hodges–Lehmann shift " + esc(signed_quantity(*hl, text(field(row, "unit")))));
  }
  if (!parts.empty()) out << fmt::format("<p class=\"tests\">{}</p>\n", join(parts, " · "));
}

void write_failures(std::ostream& out, const Json& row) {
  const Json& failures = field(row, "failures");
  const std::string reason = text(field(row, "reason"));
  std::vector<std::string> items;
  for (const char* side : {"base", "candidate"}) {
    const Json& list = field(failures, side);
    if (!list.is_array()) continue;
    for (const Json& failure : list) {
      // "candidate: run 2: killed by SIGSEGV" is often the reason itself; say it once.
      if (reason.find(text(failure)) != std::string::npos) continue;
      items.push_back(fmt::format("<li>{}: {}</li>", side, esc(text(failure))));
    }
  }
  if (items.empty()) return;
  out << "<ul class=\"failures\">" << join(items, "") << "</ul>\n";
}

void write_details(std::ostream& out, const Page& page, const RatioScale& scale) {
  const Json& results = field(page.doc, "results");
  if (!results.is_array() || results.empty()) return;
  const std::vector<Tick> ticks = scale.ticks();
  out << "<section aria-labelledby=\"details-h\">\n<h2 id=\"details-h\">Every benchmark</h2>\n";
  out << "<p class=\"legend\">Base and candidate on one axis:<span class=\"swatch base\" "
         "aria-hidden=\"true\"></span>"
         "base<span class=\"swatch candidate\" aria-hidden=\"true\"></span>candidate. Below each "
         "plot, the ratio on the "
         "overview's scale and the statistics the verdict was computed from.</p>\n";
  out << "<div class=\"details\">\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& row = results[i];
    const std::string verdict = text(field(row, "verdict"));
    const Tone tone = verdict_tone(verdict);
    const Side base = side_of(row, "base", page.samples);
    const Side candidate = side_of(row, "candidate", page.samples);
    const RowRatio r = ratio_of(row);
    out << fmt::format(
        "<article class=\"result {}\" id=\"r{}\" aria-labelledby=\"r{}-h\">\n<header>",
        tone_class(tone), i, i);
    out << fmt::format("<h3 id=\"r{}-h\">{}<span class=\"metric\">{}</span>{}</h3>", i,
                       esc(text(field(row, "benchmark"))), esc(text(field(row, "metric"))),
                       label_html(row));
    out << fmt::format(" <span class=\"badge {}\">{}</span> {}</header>\n", tone_class(tone),
                       esc(words(verdict.empty() ? "unknown" : verdict)),
                       severity_html(field(row, "severity")));
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text(field(row, "reason"))));
    out << approval_html(field(row, "approval"));
    write_failures(out, row);
    if (!base.empty() || !candidate.empty()) write_strip_plot(out, i, row, base, candidate, page);
    if (r.ratio || r.ci) {
      std::string words_line =
          r.ratio ? "candidate median " + change(*r.ratio) : std::string("ratio");
      const bool exact = is_exact(row, r);
      if (!exact && r.ci && r.ci->lo < r.ci->hi)
        words_line += fmt::format(" (CI {})", change_span(*r.ci));
      if (exact) words_line += ", exact (the same value in every run of each side)";
      words_line += fmt::format(", threshold {}", percent(r.threshold));
      out << fmt::format("<p class=\"ratio-line\">{}</p>\n", words_line);
      out << "<div class=\"ratio-mini\">" << ratio_cell_svg(scale, ticks, r, tone)
          << axis_html(ticks) << "</div>\n";
    }
    if (!base.empty() || !candidate.empty()) write_summary_table(out, row, base, candidate);
    write_tests_line(out, row);
    out << "</article>\n";
  }
  out << "</div>\n</section>\n";
}

void write_notes(std::ostream& out, const Page& page) {
  std::vector<std::string> items;
  if (const Json& approvals = field(page.doc, "approvals"); approvals.is_array()) {
    for (const Json& note : approvals) {
      const std::string use = text(field(note, "use"));
      std::string item = fmt::format(
          "<li><span class=\"badge {}\">{}</span> {}", use == "invalid" ? "t-fail" : "t-warn",
          esc(use.empty() ? "note" : use), esc(text(field(note, "message"))));
      if (const auto days = number(field(note, "days_left")))
        item += fmt::format(" <span class=\"muted\">({:g} days left)</span>", *days);
      items.push_back(item + "</li>");
    }
  }
  if (const Json& warnings = field(field(page.doc, "gate"), "warnings"); warnings.is_array()) {
    for (const Json& warning : warnings) {
      items.push_back(fmt::format("<li><span class=\"badge t-warn\">warning</span> {}</li>",
                                  esc(text(warning))));
    }
  }
  if (items.empty()) return;
  out << "<section aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Approvals and "
         "warnings</h2>\n<ul class=\"notes\">\n"
      << join(items, "\n") << "\n</ul>\n</section>\n";
}

void write_nav(std::ostream& out, const Page& page, bool failing, bool notes) {
  std::vector<std::string> links;
  links.emplace_back("<li><a href=\"#overview-h\">Overview</a></li>");
  if (failing) links.emplace_back("<li><a href=\"#failing-h\">Failing</a></li>");
  if (page.budgets.is_array() && !page.budgets.empty())
    links.emplace_back("<li><a href=\"#budgets-h\">Budgets</a></li>");
  links.emplace_back("<li><a href=\"#details-h\">Every benchmark</a></li>");
  if (notes) links.emplace_back("<li><a href=\"#notes-h\">Approvals and warnings</a></li>");
  out << "<nav aria-label=\"Sections\"><ul>" << join(links, "") << "</ul></nav>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control characters other than tab, newline and carriage return are parse errors in HTML.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          out += ' ';
        } else {
          out += ch;
        }
    }
  }
  return out;
}

void write_html(std::ostream& out, const Json& perf_comparison, const Json& budget_summary,
                std::span<const SampleSeries> samples) {
  const Json& summary_budgets = field(budget_summary, "budgets");
  const Page page{perf_comparison,
                  summary_budgets.is_array() ? summary_budgets : field(perf_comparison, "budgets"),
                  samples,
                  number(field(field(perf_comparison, "settings"), "confidence"))
                      .value_or(budgets::kDefaultConfidence),
                  !samples.empty()};

  const Json& gate = field(perf_comparison, "gate");
  const bool passed = field(gate, "passed").is_boolean() && field(gate, "passed").get<bool>();
  bool failing = false;
  if (const Json& results = field(perf_comparison, "results"); results.is_array()) {
    failing = std::any_of(results.begin(), results.end(),
                          [](const Json& row) { return !row_passes(row); });
  }
  bool notes = false;
  if (const Json& approvals = field(perf_comparison, "approvals");
      approvals.is_array() && !approvals.empty()) {
    notes = true;
    failing = failing || std::any_of(approvals.begin(), approvals.end(), [](const Json& note) {
                return text(field(note, "use")) == "invalid";
              });
  }
  if (const Json& warnings = field(gate, "warnings"); warnings.is_array() && !warnings.empty())
    notes = true;
  if (page.budgets.is_array()) {
    failing = failing || std::any_of(page.budgets.begin(), page.budgets.end(), [](const Json& b) {
                return text(field(b, "status")) != "pass";
              });
  }

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out << fmt::format("<title>perfguard: gate {} · {} → {}</title>\n", passed ? "passed" : "failed",
                     esc(text(field(field(perf_comparison, "base"), "ref"))),
                     esc(text(field(field(perf_comparison, "candidate"), "ref"))));
  out << "<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<a class=\"skip\" href=\"#main\">Skip to the results</a>\n";
  write_header(out, page);
  write_nav(out, page, failing, notes);
  out << "<main id=\"main\">\n";
  // The overview first: every row on one screen, then the failing ones in detail.
  const RatioScale scale = forest_scale(field(perf_comparison, "results"));
  write_forest(out, page, scale);
  write_failing(out, page);
  write_budgets(out, page);
  write_family_plots(out, perf_comparison);
  write_details(out, page, scale);
  write_notes(out, page);
  out << "</main>\n";
  out << fmt::format(
      "<footer><p>Generated {} by perfguard {} from perf_comparison.json{}. <code>perfguard report "
      "DIR --format "
      "html</code> renders it again.</p></footer>\n",
      esc(text(field(perf_comparison, "generated_at"))),
      esc(text(field(perf_comparison, "perfguard_version"))),
      page.have_samples ? " and the raw samples"
                        : "; no raw samples were given, so plots show summaries");
  out << "<p id=\"copy-status\" class=\"sr-only\" aria-live=\"polite\"></p>\n";
  out << "<script>" << kScript << "</script>\n</body>\n</html>\n";
}

}  // namespace perfguard::reports
