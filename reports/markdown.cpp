#include "reports/artifacts.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "reports/families.hpp"
#include "reports/format.hpp"
#include "reports/json_helpers.hpp"

// perf_comparison.md: the gate's table for a PR comment or a CI step summary.
namespace perfguard::reports {
namespace {

std::string change_cell(const Json& row) {
  const std::optional<double> ratio = number_of(row["ratio"]);
  return ratio ? change_text(*ratio) : "–";
}

std::string ci_cell(const Json& row) {
  if (is_true(field(row, "exact"))) return "exact";
  const std::optional<stats::Interval> ci = interval_of(row["ratio_ci"]);
  return ci ? change_interval_text(*ci) : "–";
}

std::string median_cell(const Json& side, const std::string& unit) {
  if (!side.is_object()) return "–";
  return budgets::format_quantity(side["median"].get<double>(), unit);
}

std::string revision_text(const Json& revision) {
  const std::string commit = text_of(revision["commit"]);
  return commit.empty() ? fmt::format("`{}`", text_of(revision["ref"]))
                        : fmt::format("`{}` ({})", text_of(revision["ref"]), commit.substr(0, 12));
}

void write_rows(std::ostream& out, const Json& rows, bool with_reason) {
  out << "| benchmark | metric | verdict | base median | candidate median | change | CI |"
      << (with_reason ? " severity | reason |" : "") << "\n";
  out << "|---|---|---|---|---|---|---|" << (with_reason ? "---|---|" : "") << "\n";
  for (const Json& row : rows) {
    const std::string unit = text_of(row["unit"]);
    const std::string label = row.contains("label") ? " (" + text_of(row["label"]) + ")" : "";
    out << fmt::format("| {} | {} | **{}** | {} | {} | {} | {} |",
                       markdown_cell(text_of(row["benchmark"]) + label),
                       markdown_cell(text_of(row["metric"])), text_of(row["verdict"]),
                       median_cell(row["base"], unit), median_cell(row["candidate"], unit),
                       change_cell(row), ci_cell(row));
    if (with_reason)
      out << fmt::format(" {} | {} |", text_of(row["severity"]),
                         markdown_cell(text_of(row["reason"])));
    out << "\n";
  }
}

// Which benchmarks only one side has: a renamed or added case is "new", a deleted one "removed"
// (failing as missing unless an approval accepts the removal). One line each, names once.
void write_set_changes(std::ostream& out, const Json& rows) {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  const auto add_once = [](std::vector<std::string>& names, const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const Json& row : rows) {
    if (text_of(row["verdict"]) == "new") add_once(added, text_of(row["benchmark"]));
    if (row.contains("removed") && row["removed"] == true) {
      add_once(removed, text_of(row["benchmark"]) +
                            (text_of(row["verdict"]) == "approved" ? " (removal approved)" : ""));
    }
  }
  if (added.empty() && removed.empty()) return;
  const auto names = [](const std::vector<std::string>& list) {
    std::string text;
    for (const std::string& name : list) text += (text.empty() ? "`" : ", `") + name + "`";
    return text;
  };
  out << "### Benchmarks only one side has\n\n";
  if (!added.empty()) {
    out << fmt::format("- **new** on the candidate ({}): {}\n", added.size(), names(added));
  }
  if (!removed.empty()) {
    out << fmt::format("- **removed** from the candidate ({}): {}\n", removed.size(),
                       names(removed));
  }
  out << "\n";
}

// XML text and attributes: the HTML escaping (its entities are XML's too), after replacing
// the control characters XML 1.0 does not allow (all below 0x20 but tab and newline).

}  // namespace

void write_markdown(std::ostream& out, const Json& doc) {
  const Json& gate = doc["gate"];
  const bool passed = gate["passed"].get<bool>();
  Json failing = Json::array();
  Json passing = Json::array();
  for (const Json& row : doc["results"]) (passes_of(row) ? passing : failing).push_back(row);

  out << fmt::format("## perfguard: {}\n\n", passed ? "✅ gate passed" : "❌ gate failed");
  out << fmt::format("base {} · candidate {} · {} results", revision_text(doc["base"]),
                     revision_text(doc["candidate"]), doc["results"].size());
  if (!failing.empty()) out << fmt::format(", {} failing", failing.size());
  const Json& host = doc["host"];
  if (host["cpu_model"].is_string()) out << fmt::format(" · {}", text_of(host["cpu_model"]));
  out << "\n\n";

  write_set_changes(out, doc["results"]);

  if (!failing.empty()) {
    out << "### Failing\n\n";
    write_rows(out, failing, true);
    out << "\nReplay one:\n\n";
    for (const Json& row : failing) {
      if (row["replay"].is_string()) out << fmt::format("    {}\n", text_of(row["replay"]));
    }
    out << "\n";
  }

  write_family_markdown(out, doc);

  Json failing_budgets = Json::array();
  for (const Json& budget : doc["budgets"]) {
    if (!passes_of(budget)) failing_budgets.push_back(budget);
  }
  if (!doc["budgets"].empty()) {
    out << "### Budgets\n\n| benchmark | metric | statistic | limit | actual | status | reason |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const Json& budget : doc["budgets"]) {
      const std::string unit = text_of(budget["unit"]);
      out << fmt::format("| {} | {} | {} | {} | {} | **{}** | {} |\n",
                         markdown_cell(text_of(budget["benchmark"])),
                         markdown_cell(text_of(budget["metric"])), text_of(budget["statistic"]),
                         budgets::format_quantity(budget["limit"].get<double>(), unit),
                         budget["actual"].is_number()
                             ? budgets::format_quantity(budget["actual"].get<double>(), unit)
                             : "–",
                         text_of(budget["status"]), markdown_cell(text_of(budget["reason"])));
    }
    out << "\n";
  }

  if (!passing.empty()) {
    out << fmt::format("<details><summary>{} passing</summary>\n\n", passing.size());
    write_rows(out, passing, false);
    out << "\n</details>\n\n";
  }

  const auto list = [&out](const char* title, const Json& lines) {
    if (lines.empty()) return;
    out << fmt::format("### {}\n\n", title);
    for (const Json& line : lines) out << fmt::format("- {}\n", text_of(line));
    out << "\n";
  };
  Json approval_lines = Json::array();
  for (const Json& note : doc["approvals"])
    approval_lines.push_back(text_of(note["use"]) + ": " + text_of(note["message"]));
  list("Approvals", approval_lines);
  list("Warnings", gate["warnings"]);
}

}  // namespace perfguard::reports
