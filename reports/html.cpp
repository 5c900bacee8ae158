#include "reports/html.hpp"

#include <algorithm>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "reports/families.hpp"
#include "reports/html_parts.hpp"
#include "reports/json_helpers.hpp"
#include "reports/report_assets.hpp"

// The page: its head, the sections in order (reports/html_parts.hpp lists where each is
// drawn), and the style sheet and script from reports/assets/, inlined at build time.
namespace perfguard::reports {

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
  const html_detail::Page page{
      perf_comparison,
      summary_budgets.is_array() ? summary_budgets : field(perf_comparison, "budgets"), samples,
      number_of(field(field(perf_comparison, "settings"), "confidence"))
          .value_or(budgets::kDefaultConfidence),
      !samples.empty()};

  const Json& gate = field(perf_comparison, "gate");
  const bool passed = is_true(field(gate, "passed"));
  bool failing = false;
  if (const Json& results = field(perf_comparison, "results"); results.is_array()) {
    failing = std::any_of(results.begin(), results.end(),
                          [](const Json& row) { return !passes_of(row); });
  }
  bool notes = false;
  if (const Json& approvals = field(perf_comparison, "approvals");
      approvals.is_array() && !approvals.empty()) {
    notes = true;
    failing = failing || std::any_of(approvals.begin(), approvals.end(), [](const Json& note) {
                return text_of(field(note, "use")) == "invalid";
              });
  }
  if (const Json& warnings = field(gate, "warnings"); warnings.is_array() && !warnings.empty())
    notes = true;
  if (page.budgets.is_array()) {
    failing = failing || std::any_of(page.budgets.begin(), page.budgets.end(),
                                     [](const Json& b) { return !passes_of(b); });
  }

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out << fmt::format("<title>perfguard: gate {} · {} → {}</title>\n", passed ? "passed" : "failed",
                     html_escape(text_of(field(field(perf_comparison, "base"), "ref"))),
                     html_escape(text_of(field(field(perf_comparison, "candidate"), "ref"))));
  out << "<style>" << kReportCss << "</style>\n</head>\n<body>\n";
  out << "<a class=\"skip\" href=\"#main\">Skip to the results</a>\n";
  html_detail::write_header(out, page);
  html_detail::write_nav(out, page, failing, notes);
  out << "<main id=\"main\">\n";
  // The overview first: every row on one screen, then the failing ones in detail.
  const RatioScale scale = html_detail::forest_scale(field(perf_comparison, "results"));
  html_detail::write_forest(out, page, scale);
  // A failing complexity family fails the gate without a failing card of its own: its plot
  // comes right after the overview.
  const bool families_first = html_detail::any_family_fails(perf_comparison);
  if (families_first) write_family_plots(out, perf_comparison);
  html_detail::write_failing(out, page);
  html_detail::write_budgets(out, page);
  if (!families_first) write_family_plots(out, perf_comparison);
  html_detail::write_details(out, page, scale);
  html_detail::write_notes(out, page);
  out << "</main>\n";
  out << fmt::format(
      "<footer><p>Generated {} by perfguard {} from perf_comparison.json{}. <code>perfguard report "
      "DIR --format "
      "html</code> renders it again.</p></footer>\n",
      html_escape(text_of(field(perf_comparison, "generated_at"))),
      html_escape(text_of(field(perf_comparison, "perfguard_version"))),
      page.have_samples ? " and the raw samples"
                        : "; no raw samples were given, so plots show summaries");
  out << "<p id=\"copy-status\" class=\"sr-only\" aria-live=\"polite\"></p>\n";
  out << "<script>" << kReportJs << "</script>\n</body>\n</html>\n";
}

}  // namespace perfguard::reports
