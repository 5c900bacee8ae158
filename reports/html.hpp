#pragma once
// index.html: the gate's report as one self-contained page (docs/report.md). Inline CSS, inline
// SVG drawn here by hand, one small optional script; nothing is fetched over the network.
//
// Like the Markdown and JUnit renderers it reads the perf_comparison.json document, so
// `perfguard report DIR --format html` re-renders it from the artifacts alone. The raw samples
// are optional: with them each benchmark x metric gets a strip plot of every run; without them
// (a re-render with no samples.jsonl) the same axes show the summary's quartiles instead.
//
// Every string that comes from the document (benchmark ids, refs, reasons, commands, host
// names) goes through html_escape: a benchmark named "<script>" renders as text. Numbers are
// printed with fixed precision, so equal inputs give byte-identical pages.
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/stats_report.hpp"

namespace perfguard::reports {

// The values one side measured for one benchmark x metric, in the row's unit, in run order.
// reports/ does not know the harness: guard/ builds these from samples.jsonl or from the
// measurements a diff compared.
struct SampleSeries {
  std::string benchmark;  // as the row names it ("micro/BM_parse/64")
  std::string metric;
  std::string side;  // "base" or "candidate"; other sides are ignored
  std::vector<double> values;
};

// Text safe in HTML text and in quoted attribute values: & < > " ' become references.
[[nodiscard]] std::string html_escape(std::string_view text);

// The page. `budget_summary` may be null; when it is a document its budgets are drawn,
// otherwise perf_comparison's own. Series that match no row are ignored; non-finite values
// are skipped.
void write_html(std::ostream& out, const Json& perf_comparison, const Json& budget_summary,
                std::span<const SampleSeries> samples);

}  // namespace perfguard::reports
