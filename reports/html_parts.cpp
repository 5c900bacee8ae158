#include "reports/html_parts.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "budgets/families.hpp"
#include "core/text.hpp"
#include "reports/families.hpp"
#include "reports/format.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports::html_detail {
namespace {

const char* severity_title(std::string_view severity) {
  if (severity == "P0") return "P0: over an absolute budget, or a run crashed or hung";
  if (severity == "P1") return "P1: regressed by at least twice the threshold";
  return "P2: any other failure";
}

const std::vector<double>* find_values(std::span<const SampleSeries> samples,
                                       const std::string& benchmark, const std::string& metric,
                                       std::string_view side) {
  for (const SampleSeries& s : samples) {
    if (s.benchmark == benchmark && s.metric == metric && s.side == side) return &s.values;
  }
  return nullptr;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos;
       at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

Tone verdict_tone(std::string_view verdict, bool passes) {
  if (!passes) return Tone::fail;
  if (verdict == "improved") return Tone::good;
  if (verdict == "approved") return Tone::warn;
  return Tone::neutral;  // unchanged, new
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

Tone row_tone(const Json& row) {
  return verdict_tone(text_of(field(row, "verdict")), passes_of(row));
}

std::string words(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string signed_quantity(double value, const std::string& unit) {
  return (value > 0 ? "+" : "") + budgets::format_quantity(value, unit);
}

std::string co(double v) { return fmt::format("{:.1f}", v); }
std::string css_percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

// ---- Pieces of rows ---------------------------------------------------------------------------

std::string approval_html(const Json& approval) {
  if (!approval.is_object()) return "";
  const bool removed =
      field(approval, "removed").is_boolean() && field(approval, "removed").get<bool>();
  std::string up_to = removed ? std::string(" removal")
                      : number_of(field(approval, "max_ratio"))
                          ? " up to " + change_text(*number_of(field(approval, "max_ratio")))
                          : std::string();
  return fmt::format(
      "<p class=\"approval\"><strong>Approved</strong>{} by {} ({}), {} → {}: {}</p>\n", up_to,
      esc(text_of(field(approval, "approver"))), esc(text_of(field(approval, "ticket"))),
      esc(text_of(field(approval, "created"))), esc(text_of(field(approval, "expires"))),
      esc(text_of(field(approval, "reason"))));
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
  const std::string s = text_of(severity);
  if (s.empty()) return "";
  return fmt::format("<span class=\"sev\"><abbr title=\"{}\">{}</abbr></span>",
                     esc(severity_title(s)), esc(s));
}

// A Google Benchmark case's label ("html (22.31 %)") beside its name, when it has one.
std::string label_html(const Json& row) {
  const std::string label = text_of(field(row, "label"));
  return label.empty() ? "" : fmt::format("<span class=\"label\">{}</span>", esc(label));
}

std::optional<FamilyPlace> family_place(const std::string& benchmark) {
  std::vector<std::string> name = split(benchmark, '/');
  std::optional<budgets::FamilyKey> key = budgets::family_key(benchmark);
  const bool index_zero = !key;
  // A fit needs sizes >= 1, but an index 0 (snappy's BM_UFlat/0 ... /23) belongs on the page
  // with its siblings: read it as family_key would read a 1 there.
  for (std::size_t i = name.size(); !key && i-- > 1;) {
    if (name[i] != "0") continue;
    std::vector<std::string> one = name;
    one[i] = "1";
    key = budgets::family_key(join(one, "/"));
  }
  if (!key) return std::nullopt;
  // family_key drops one "/"-separated argument, the size: the first segment where the name
  // and its family part ways.
  const std::vector<std::string> family = split(key->family, '/');
  std::size_t at = 0;
  while (at < family.size() && family[at] == name[at]) ++at;
  FamilyPlace place;
  place.member = name[at];
  place.size = index_zero ? 0.0 : key->size;
  std::vector<std::string> pattern = name;
  pattern[at] = "*";
  place.pattern = join(pattern, "/");
  return place;
}

const Json* family_row(const Json& doc, const std::string& pattern, const std::string& metric) {
  const Json& families = field(doc, "families");
  if (!families.is_array()) return nullptr;
  for (const Json& family : families) {
    if (text_of(field(family, "metric")) != metric) continue;
    // A family's id drops the size; its cases show where it stood.
    const Json& cases = field(family, "cases");
    if (!cases.is_array() || cases.empty()) continue;
    const std::optional<FamilyPlace> place = family_place(text_of(cases.front()));
    if (place && place->pattern == pattern) return &family;
  }
  return nullptr;
}

bool any_family_fails(const Json& doc) {
  const Json& families = field(doc, "families");
  return families.is_array() && std::any_of(families.begin(), families.end(), [](const Json& f) {
           return !passes_of(f);
         });
}

Side side_of(const Json& row, std::string_view name, std::span<const SampleSeries> samples) {
  Side side;
  if (const auto* values = find_values(samples, text_of(field(row, "benchmark")),
                                       text_of(field(row, "metric")), name)) {
    for (const double v : *values) {
      if (std::isfinite(v)) side.values.push_back(v);
    }
  }
  const Json& summary = field(row, std::string(name).c_str());
  if (summary.is_object()) {
    if (const auto n = number_of(field(summary, "n")); n && *n >= 0) {
      side.n = static_cast<std::size_t>(*n);
    }
    side.median = number_of(field(summary, "median"));
    side.p25 = number_of(field(summary, "p25"));
    side.p75 = number_of(field(summary, "p75"));
    side.p95 = number_of(field(summary, "p95"));
    side.min = number_of(field(summary, "min"));
    side.max = number_of(field(summary, "max"));
    side.median_ci = interval_of(field(summary, "median_ci"));
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

RowRatio ratio_of(const Json& row) {
  RowRatio r;
  r.ratio = number_of(field(row, "ratio"));
  if (r.ratio && *r.ratio <= 0.0) r.ratio.reset();
  r.ci = interval_of(field(row, "ratio_ci"));
  if (r.ci && r.ci->lo <= 0.0) r.ci.reset();
  if (const auto t = number_of(field(row, "threshold")); t && *t > 0.0) r.threshold = *t;
  return r;
}

bool is_exact(const Json& row, const RowRatio& r) {
  const Json& exact = field(row, "exact");
  if (exact.is_boolean()) return exact.get<bool>();
  return r.ci && r.ci->lo == r.ci->hi;
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

}  // namespace perfguard::reports::html_detail
