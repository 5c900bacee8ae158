#pragma once
// The pieces index.html's sections share (reports/html.hpp draws the page). Internal to
// reports/: html.cpp wires the sections, one file per larger section draws it:
//   html_header.cpp   the banner, the section links, approvals and warnings
//   html_overview.cpp the forest plot of every ratio, and the budget bars
//   html_failing.cpp  the failing cards
//   html_details.cpp  every row in detail: strip plot, statistics table, tests
// Which rows pass is read from the document ("passes" per row, docs/report.md), never
// re-derived from verdict names.
#include <cstddef>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html.hpp"
#include "reports/json_helpers.hpp"
#include "reports/svg_scale.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports::html_detail {

// What every section reads.
struct Page {
  const Json& doc;
  const Json& budgets;  // the budget rows drawn
  std::span<const SampleSeries> samples;
  double confidence;  // the document's level; a row judged at another says so
  bool have_samples;
};

// ---- Words and numbers ----------------------------------------------------------------------

[[nodiscard]] inline std::string esc(std::string_view s) { return html_escape(s); }

// How a verdict or budget status looks. Colour is never the only carrier: the word is always
// printed beside it.
enum class Tone { fail, warn, good, neutral };

// A row that does not pass fails; of those that pass, "improved" is good news, "approved" a
// regression someone accepted, the rest (unchanged, new) neutral.
[[nodiscard]] Tone verdict_tone(std::string_view verdict, bool passes);
[[nodiscard]] const char* tone_class(Tone tone);

// The tone of a result row: its verdict and its own "passes" (passes_of).
[[nodiscard]] Tone row_tone(const Json& row);

// "over_budget" -> "over budget".
[[nodiscard]] std::string words(std::string name);

// budgets::format_quantity, with a sign when positive: "+1.2 ms".
[[nodiscard]] std::string signed_quantity(double value, const std::string& unit);

// SVG coordinates and CSS offsets: fixed precision keeps the output byte-stable.
[[nodiscard]] std::string co(double v);
[[nodiscard]] std::string css_percent(double fraction);

// ---- Pieces of rows ---------------------------------------------------------------------------

[[nodiscard]] std::string approval_html(const Json& approval);
[[nodiscard]] std::string replay_html(const std::string& id, const std::string& command,
                                      const std::string& what);
[[nodiscard]] std::string severity_html(const Json& severity);
// A Google Benchmark case's label ("html (22.31 %)") beside its name, when it has one.
[[nodiscard]] std::string label_html(const Json& row);

// ---- Google Benchmark families ----------------------------------------------------------------

// Rows of one family (budgets::family_key: cases that differ only in their last numeric
// argument) and metric share one heading in the overview, and their failing cases one card,
// from this many rows on.
inline constexpr std::size_t kFamilyGroupMinimum = 3;

// Where a case sits in its family: "micro/BM_Sort/*" and "64" for "micro/BM_Sort/64",
// "BM_x/*/real_time" and "8" for "BM_x/8/real_time". An index 0 counts as a size here, so that
// "BM_UFlat/0" sits with "BM_UFlat/1". nullopt for a name with no size.
struct FamilyPlace {
  std::string pattern;  // the name with its size argument written "*"
  std::string member;   // the size argument as written
  double size = 0.0;    // its value, to sort by
};
[[nodiscard]] std::optional<FamilyPlace> family_place(const std::string& benchmark);

// The "families" object of the document for a family pattern and metric, when there is one.
[[nodiscard]] const Json* family_row(const Json& doc, const std::string& pattern,
                                     const std::string& metric);

// Whether any family row of the document fails the gate (its "passes").
[[nodiscard]] bool any_family_fails(const Json& doc);

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
  std::optional<stats::Interval> median_ci;
  [[nodiscard]] bool empty() const { return values.empty() && !median; }
};
[[nodiscard]] Side side_of(const Json& row, std::string_view name,
                           std::span<const SampleSeries> samples);

// A row's ratio, its interval and its threshold; ratios <= 0 are dropped.
struct RowRatio {
  std::optional<double> ratio;
  std::optional<stats::Interval> ci;
  double threshold = 0.05;
};
[[nodiscard]] RowRatio ratio_of(const Json& row);

// Whether the row was judged on exact values. Artifacts say so in "exact"; older ones without
// the field had exact rows only as a point interval.
[[nodiscard]] bool is_exact(const Json& row, const RowRatio& r);

// One row's mark on the shared ratio scale, and the axis labels above a column of them.
[[nodiscard]] std::string ratio_cell_svg(const RatioScale& scale, const std::vector<Tick>& ticks,
                                         const RowRatio& r, Tone tone);
[[nodiscard]] std::string axis_html(const std::vector<Tick>& ticks);

// ---- Sections, in page order ------------------------------------------------------------------

void write_header(std::ostream& out, const Page& page);
void write_nav(std::ostream& out, const Page& page, bool failing, bool notes);
// The ratio scale every row shares: its ratios, intervals and threshold bands, and 1.
[[nodiscard]] RatioScale forest_scale(const Json& results);
void write_forest(std::ostream& out, const Page& page, const RatioScale& scale);
void write_failing(std::ostream& out, const Page& page);
void write_budgets(std::ostream& out, const Page& page);
void write_details(std::ostream& out, const Page& page, const RatioScale& scale);
void write_notes(std::ostream& out, const Page& page);

}  // namespace perfguard::reports::html_detail
