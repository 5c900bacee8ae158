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

#include "reports/families.hpp"
#include "reports/format.hpp"

// index.html, "Failing": one card per failing row, budget or invalid approval; failing cases
// of one Google Benchmark family share a card (docs/report.md).
namespace perfguard::reports::html_detail {
namespace {

// The failing cases of one family (FamilyPlace::pattern) in one card: a compact table, then
// each case's replay command, folded away.
void write_family_card(std::ostream& out, const Page& page, const std::string& pattern,
                       const std::vector<std::pair<std::size_t, const Json*>>& members) {
  const std::size_t first = members.front().first;
  out << fmt::format(
      "<li class=\"card t-fail\"><article aria-labelledby=\"f{}-h\">\n<header><h3 id=\"f{}-h\">"
      "{}<span class=\"metric\">{} failing cases</span></h3></header>\n",
      first, first, esc(pattern), members.size());
  // The family's own verdict, when its complexity was judged too.
  std::set<std::string> metrics;
  for (const auto& member : members) metrics.insert(text_of(field(*member.second, "metric")));
  for (const std::string& metric : metrics) {
    const Json* family = family_row(page.doc, pattern, metric);
    if (family == nullptr) continue;
    const std::string verdict = text_of(field(*family, "verdict"));
    out << fmt::format(
        "<p class=\"reason\"><a href=\"#families-h\">Complexity</a> ({}): <span class=\"badge "
        "{}\">{}</span> {}</p>\n",
        esc(metric), tone_class(verdict_tone(verdict, passes_of(*family))),
        esc(words(verdict)), esc(text_of(field(*family, "reason"))));
  }
  out << fmt::format(
      "<div class=\"scroll\"><table class=\"family\">\n<caption class=\"sr-only\">The failing "
      "cases of {}: verdict, change of the median and why</caption>\n",
      esc(pattern));
  out << "<thead><tr><th scope=\"col\">case</th>"
         "<th scope=\"col\">metric</th><th scope=\"col\">verdict</th>"
         "<th scope=\"col\" class=\"num\">change</th><th scope=\"col\">reason</th>"
         "</tr></thead>\n<tbody>\n";
  std::string replays;
  std::size_t replay_count = 0;
  for (const auto& [index, row] : members) {
    const std::string benchmark = text_of(field(*row, "benchmark"));
    const std::string verdict = text_of(field(*row, "verdict"));
    const auto ratio = number_of(field(*row, "ratio"));
    out << fmt::format(
        "<tr><th scope=\"row\"><a href=\"#r{}\">{}</a>{}</th><td>{}</td><td><span class=\"badge "
        "{}\">{}</span> {}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        index, esc(family_place(benchmark)->member), label_html(*row),
        esc(text_of(field(*row, "metric"))), tone_class(row_tone(*row)),
        esc(words(verdict.empty() ? "unknown" : verdict)), severity_html(field(*row, "severity")),
        ratio ? change_text(*ratio) : "–", esc(text_of(field(*row, "reason"))));
    if (const std::string replay = text_of(field(*row, "replay")); !replay.empty()) {
      const std::string metric = text_of(field(*row, "metric"));
      replays += "<li>" +
                 replay_html(fmt::format("f{}-cmd", index), replay,
                             fmt::format("{} {}", benchmark, metric)) +
                 "</li>\n";
      ++replay_count;
    }
  }
  out << "</tbody></table></div>\n";
  if (replay_count > 0) {
    out << fmt::format(
        "<details class=\"replays\"><summary>Replay commands ({})</summary>\n<ul "
        "class=\"replays\">\n{}</ul></details>\n",
        replay_count, replays);
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
    if (const auto place = family_place(text_of(field(*row.second, "benchmark"))))
      families[place->pattern].push_back(row);
  }
  for (auto& [pattern, members] : families) {
    std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      return family_place(text_of(field(*a.second, "benchmark")))->size <
             family_place(text_of(field(*b.second, "benchmark")))->size;
    });
  }
  std::set<std::string> written;
  for (const auto& [index, row] : rows) {
    const std::string benchmark = text_of(field(*row, "benchmark"));
    const auto place = family_place(benchmark);
    if (const auto found = place ? families.find(place->pattern) : families.end();
        found != families.end() && found->second.size() >= kFamilyGroupMinimum) {
      if (written.insert(found->first).second)
        write_family_card(out, page, found->first, found->second);
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
