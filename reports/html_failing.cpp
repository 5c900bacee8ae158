#include "reports/html_parts.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "reports/format.hpp"

// index.html, "Failing": one card per failing row, budget or invalid approval; failing cases
// of one Google Benchmark family share a card (docs/report.md).
namespace perfguard::reports::html_detail {
namespace {

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
    const std::string benchmark = text_of(field(*row, "benchmark"));
    const std::string verdict = text_of(field(*row, "verdict"));
    const auto ratio = number_of(field(*row, "ratio"));
    out << fmt::format(
        "<tr><th scope=\"row\"><a href=\"#r{}\">{}</a>{}</th><td>{}</td><td><span class=\"badge "
        "{}\">{}</span> {}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        index, esc(benchmark.substr(family.size() + 1)), label_html(*row),
        esc(text_of(field(*row, "metric"))), tone_class(row_tone(*row)),
        esc(words(verdict.empty() ? "unknown" : verdict)), severity_html(field(*row, "severity")),
        ratio ? change_text(*ratio) : "–", esc(text_of(field(*row, "reason"))));
    if (const std::string replay = text_of(field(*row, "replay")); !replay.empty())
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

}  // namespace

void write_failing(std::ostream& out, const Page& page) {
  const Json& results = field(page.doc, "results");
  std::vector<std::pair<std::size_t, const Json*>> rows;
  if (results.is_array()) {
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!passes_of(results[i])) rows.emplace_back(i, &results[i]);
    }
  }
  // A failing budget whose row failed too is told by that row's card.
  std::vector<std::pair<std::size_t, const Json*>> budgets;
  if (page.budgets.is_array()) {
    for (std::size_t i = 0; i < page.budgets.size(); ++i) {
      const Json& budget = page.budgets[i];
      if (passes_of(budget)) continue;
      const bool told = std::any_of(rows.begin(), rows.end(), [&](const auto& row) {
        return text_of(field(*row.second, "benchmark")) == text_of(field(budget, "benchmark")) &&
               text_of(field(*row.second, "metric")) == text_of(field(budget, "metric"));
      });
      if (!told) budgets.emplace_back(i, &budget);
    }
  }
  std::vector<const Json*> invalid;
  if (const Json& approvals = field(page.doc, "approvals"); approvals.is_array()) {
    for (const Json& note : approvals) {
      if (text_of(field(note, "use")) == "invalid") invalid.push_back(&note);
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
    const std::string family = family_of(text_of(field(*row.second, "benchmark")));
    if (!family.empty()) families[family].push_back(row);
  }
  std::set<std::string> written;
  for (const auto& [index, row] : rows) {
    const std::string benchmark = text_of(field(*row, "benchmark"));
    const std::string family = family_of(benchmark);
    if (const auto found = families.find(family);
        found != families.end() && found->second.size() >= kFamilyCardMinimum) {
      if (written.insert(family).second) write_family_card(out, family, found->second);
      continue;
    }
    const std::string metric = text_of(field(*row, "metric"));
    const std::string verdict = text_of(field(*row, "verdict"));
    out << fmt::format("<li class=\"card {}\"><article aria-labelledby=\"f{}-h\">\n<header>",
                       tone_class(row_tone(*row)), index);
    out << fmt::format(
        "<h3 id=\"f{}-h\"><a href=\"#r{}\">{}</a><span class=\"metric\">{}</span>{}</h3>", index,
        index, esc(benchmark), esc(metric), label_html(*row));
    out << fmt::format(
        " <span class=\"badge {}\">{}</span> {}</header>\n", tone_class(row_tone(*row)),
        esc(words(verdict.empty() ? "unknown" : verdict)), severity_html(field(*row, "severity")));
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text_of(field(*row, "reason"))));
    out << approval_html(field(*row, "approval"));
    if (const std::string replay = text_of(field(*row, "replay")); !replay.empty()) {
      out << replay_html(fmt::format("f{}-cmd", index), replay,
                         fmt::format("{} {}", benchmark, metric));
    }
    out << "</article></li>\n";
  }
  for (const auto& [index, budget] : budgets) {
    const std::string benchmark = text_of(field(*budget, "benchmark"));
    const std::string status = text_of(field(*budget, "status"));
    out << fmt::format("<li class=\"card t-fail\"><article aria-labelledby=\"fb{}-h\">\n<header>",
                       index);
    out << fmt::format(
        "<h3 id=\"fb{}-h\"><a href=\"#budgets-h\">{}</a><span class=\"metric\">{} "
        "budget</span></h3>",
        index, esc(benchmark), esc(text_of(field(*budget, "metric"))));
    out << fmt::format(" <span class=\"badge t-fail\">{}</span> {}</header>\n", esc(words(status)),
                       severity_html(field(*budget, "severity")));
    out << fmt::format("<p class=\"reason\">{} <span class=\"muted\">({})</span></p>\n",
                       esc(text_of(field(*budget, "reason"))),
                       esc(text_of(field(*budget, "rule"))));
    if (const std::string replay = text_of(field(*budget, "replay")); !replay.empty()) {
      out << replay_html(fmt::format("fb{}-cmd", index), replay, benchmark + " budget");
    }
    out << "</article></li>\n";
  }
  for (const Json* note : invalid) {
    out << "<li class=\"card t-fail\"><article>\n<header><h3>Invalid approval</h3>"
           " <span class=\"badge t-fail\">invalid</span></header>\n";
    out << fmt::format("<p class=\"reason\">{}</p>\n", esc(text_of(field(*note, "message"))));
    out << "</article></li>\n";
  }
  out << "</ul>\n</section>\n";
}

}  // namespace perfguard::reports::html_detail
