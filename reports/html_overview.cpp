#include "reports/html_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/text.hpp"
#include "reports/families.hpp"
#include "reports/format.hpp"

// index.html, "Overview" and "Budgets": every row's ratio and interval against its threshold
// band on one log scale, and each budget's statistic as a bar against its limit (docs/report.md).
namespace perfguard::reports::html_detail {
namespace {

// The mark an exact comparison carries in the table where others show their interval.
constexpr const char* kExactMark =
    "<span class=\"exact\" title=\"the same value in every run of each side: the ratio is "
    "exact, with no interval\">exact</span>";

std::string confidence_note(const Json& row, double page_confidence) {
  const auto c = number_of(field(row, "confidence"));
  if (!c || std::fabs(*c - page_confidence) < 1e-12) return "";
  return fmt::format(" <span class=\"muted\">({} CI)</span>", percent_text(*c));
}

// The level every row's interval was judged at, when they share one. An adaptive schedule
// judges each benchmark at what its last look left (99.3% rather than 98%), so the header
// must say the level the cells have, not the page's nominal one.
std::optional<double> shared_confidence(const Json& results, double page_confidence) {
  std::optional<double> shared;
  for (const Json& row : results) {
    const double c = number_of(field(row, "confidence")).value_or(page_confidence);
    if (shared && std::fabs(*shared - c) >= 1e-12) return std::nullopt;
    shared = c;
  }
  return shared;
}


// One row of the overview; a family's member shows only its size (FamilyPlace::member).
struct ForestRow {
  std::ostream& out;
  const Page& page;
  const RatioScale& scale;
  const std::vector<Tick>& ticks;
  double cell_baseline;

  void write(std::size_t i, const FamilyPlace* place) const {
    const Json& row = field(page.doc, "results")[i];
    const std::string verdict = text_of(field(row, "verdict"));
    const Tone tone = row_tone(row);
    const RowRatio r = ratio_of(row);
    if (place != nullptr) {
      out << fmt::format(
          "<tr class=\"member\"><th scope=\"row\"><a href=\"#r{}\" title=\"{}\">{}</a>{}</th>", i,
          esc(text_of(field(row, "benchmark"))), esc(place->member), label_html(row));
    } else {
      out << fmt::format(
          "<tr><th scope=\"row\"><a href=\"#r{}\">{}</a><span class=\"metric\">{}</span>{}</th>",
          i, esc(text_of(field(row, "benchmark"))), esc(text_of(field(row, "metric"))),
          label_html(row));
    }
    out << fmt::format("<td><span class=\"badge {}\">{}</span></td>", tone_class(tone),
                       esc(words(verdict.empty() ? "unknown" : verdict)));
    if (r.ratio || r.ci) {
      out << "<td class=\"plotcol\">" << ratio_cell_svg(scale, ticks, r, tone) << "</td>";
    } else {
      out << "<td class=\"plotcol\"><span class=\"na\">no ratio to draw</span></td>";
    }
    out << fmt::format("<td class=\"num\">{}</td>", r.ratio ? change_text(*r.ratio) : "–");
    // An exact comparison (a file size, counts that agreed run for run) has no interval.
    const std::string ci = is_exact(row, r) ? kExactMark
                           : !r.ci          ? "–"
                                            : change_interval_text(*r.ci);
    out << fmt::format("<td class=\"num\">{}{}</td>", ci, confidence_note(row, cell_baseline));
    out << fmt::format("<td class=\"num\">±{}</td></tr>\n", percent_text(r.threshold));
  }
};

// A family's heading row -- its pattern, metric, how many sizes pass and fail, and its
// complexity verdict when it has one -- then one compact row per size.
void write_family_group(std::ostream& out, const Page& page, const std::string& pattern,
                        const std::string& metric, const std::vector<std::size_t>& members,
                        const std::vector<std::optional<FamilyPlace>>& places,
                        const ForestRow& rows) {
  const Json& results = field(page.doc, "results");
  std::map<std::string, std::size_t> verdicts;
  std::vector<std::string> order;
  for (const std::size_t i : members) {
    const std::string verdict = text_of(field(results[i], "verdict"));
    if (verdicts[verdict]++ == 0) order.push_back(verdict);
  }
  std::vector<std::string> tally;
  for (const std::string& verdict : order)
    tally.push_back(fmt::format("{} {}", verdicts[verdict], esc(words(verdict))));
  std::string complexity;
  if (const Json* family = family_row(page.doc, pattern, metric)) {
    const std::string verdict = text_of(field(*family, "verdict"));
    complexity = fmt::format(
        " <a class=\"badge {}\" href=\"#families-h\">{}</a>",
        tone_class(verdict_tone(verdict, passes_of(*family))), esc(words(verdict)));
  }
  out << fmt::format(
      "<tbody class=\"family\"><tr class=\"family-head\"><th scope=\"rowgroup\" "
      "colspan=\"6\">{}<span class=\"metric\">{}</span> <span class=\"muted\">{} sizes: "
      "{}</span>{}</th></tr>\n",
      esc(pattern), esc(metric), members.size(), join(tally, ", "), complexity);
  for (const std::size_t i : members) rows.write(i, &*places[i]);
  out << "</tbody>\n";
}

}  // namespace

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

void write_forest(std::ostream& out, const Page& page, const RatioScale& scale) {
  const Json& results = field(page.doc, "results");
  if (!results.is_array() || results.empty()) return;
  const std::vector<Tick> ticks = scale.ticks();
  // Header and cells agree: one shared level goes in the header and no cell repeats it;
  // without one, the header says so and every cell names its own.
  const std::optional<double> shared = shared_confidence(results, page.confidence);
  const double cell_baseline = shared.value_or(-1.0);
  const std::string level = shared ? percent_text(*shared) + " " : std::string();
  // The ratio each row was judged on (its "method"): of medians, or the median (or the
  // Hodges-Lehmann centre) of the per-round ratios (docs/design.md, "Verdict rules").
  bool any_paired = false;
  bool any_unpaired = false;
  bool any_signed_rank = false;
  for (const Json& row : results) {
    const Json& method = field(row, "method");
    if (!method.is_string()) continue;
    (method.get<std::string>() == "median_ratio" ? any_unpaired : any_paired) = true;
    if (method.get<std::string>() == "paired_signed_rank") any_signed_rank = true;
  }
  const char* ratio = !any_paired       ? "the ratio of medians"
                      : any_unpaired    ? "the ratio its method judged (of medians, or per round)"
                      : any_signed_rank ? "the Hodges–Lehmann centre of the per-round ratios"
                                        : "the median of the per-round ratios";
  out << "<section aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n";
  out << fmt::format(
      "<p class=\"legend\">Each line is {}, candidate ÷ base, with its {}"
      "confidence interval{}, on a "
      "log scale; the dashed line is no change.<span class=\"swatch band\" "
      "aria-hidden=\"true\"></span>shaded: within "
      "the row's threshold.</p>\n",
      ratio, level, shared ? "" : " (each row's level beside it)");
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
             "class=\"num\">threshold</th></tr></thead>\n",
             level);
  // Rows of one family and metric go under one heading, in a tbody of their own, where the
  // first of them stood; every other row keeps its place.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
  std::vector<std::optional<FamilyPlace>> places(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    places[i] = family_place(text_of(field(results[i], "benchmark")));
    if (places[i])
      groups[{places[i]->pattern, text_of(field(results[i], "metric"))}].push_back(i);
  }
  // A family reads by size, whatever order the rows came in (failing first).
  for (auto& [key, members] : groups) {
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return places[a]->size < places[b]->size;
    });
  }
  const ForestRow row_writer{out, page, scale, ticks, cell_baseline};
  bool plain_open = false;
  std::set<std::pair<std::string, std::string>> written;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string metric = text_of(field(results[i], "metric"));
    const auto group = places[i] ? groups.find({places[i]->pattern, metric}) : groups.end();
    if (group == groups.end() || group->second.size() < kFamilyGroupMinimum) {
      if (!plain_open) out << "<tbody>\n";
      plain_open = true;
      row_writer.write(i, nullptr);
      continue;
    }
    if (!written.insert(group->first).second) continue;
    if (plain_open) out << "</tbody>\n";
    plain_open = false;
    write_family_group(out, page, group->first.first, metric, group->second, places, row_writer);
  }
  if (plain_open) out << "</tbody>\n";
  out << "</table></div>\n</section>\n";
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
    const std::string unit = text_of(field(budget, "unit"));
    const std::string status = text_of(field(budget, "status"));
    const Tone tone = passes_of(budget) ? Tone::good : Tone::fail;
    const auto limit = number_of(field(budget, "limit"));
    const auto actual = number_of(field(budget, "actual"));
    const auto ci = interval_of(field(budget, "actual_ci"));
    out << fmt::format("<tr><th scope=\"row\">{}<span class=\"metric\">{}</span></th><td>{}</td>",
                       esc(text_of(field(budget, "benchmark"))),
                       esc(text_of(field(budget, "metric"))),
                       esc(text_of(field(budget, "statistic"))));
    out << fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                       actual ? esc(budgets::format_quantity(*actual, unit)) : "–",
                       limit ? esc(budgets::format_quantity(*limit, unit)) : "–");
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

}  // namespace perfguard::reports::html_detail
