#include "reports/artifacts.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/check.hpp"
#include "reports/families.hpp"
#include "reports/html.hpp"

namespace perfguard::reports {
namespace {

Json number(double value) {
  PG_CHECK(std::isfinite(value));  // non-finite numbers never reach JSON
  return value;
}

Json optional_number(const std::optional<double>& value) {
  return value ? number(*value) : Json(nullptr);
}

Json interval(const std::optional<stats::Interval>& ci) {
  return ci ? Json::array({number(ci->lo), number(ci->hi)}) : Json(nullptr);
}

Json text_or_null(std::string_view text) {
  return text.empty() ? Json(nullptr) : Json(std::string(text));
}

Json load_json(const std::optional<std::array<double, 3>>& load) {
  if (!load) return nullptr;
  return Json::array({number((*load)[0]), number((*load)[1]), number((*load)[2])});
}

Json host_json(const Host& host) {
  return {{"hostname", text_or_null(host.hostname)},
          {"cpu_model", text_or_null(host.cpu_model)},
          {"logical_cpus", host.logical_cpus},
          {"pinned_cpus", host.pinned_cpus},
          {"kernel", text_or_null(host.kernel)},
          {"load_before", load_json(host.load_before)},
          {"load_after", load_json(host.load_after)},
          {"governor", host.governor ? Json(*host.governor) : Json(nullptr)},
          {"aslr", host.aslr ? Json(*host.aslr) : Json(nullptr)}};
}

Json revision_json(const Revision& revision) {
  return {{"ref", revision.ref}, {"commit", text_or_null(revision.commit)}};
}

Json settings_json(const ArtifactContext& context) {
  const stats::IntervalOptions& interval = context.settings.interval;
  Json out = {{"confidence", number(interval.confidence)},
              {"alpha", number(1.0 - interval.confidence)},
              {"interval_method", std::string(to_string(interval.method))},
              {"default_threshold", number(context.settings.default_threshold)},
              {"today", budgets::format_date(context.settings.today)}};
  if (interval.method != stats::IntervalMethod::exact) {
    out["resamples"] = interval.resamples;
    out["seed"] = interval.seed;
  }
  out["partial"] = context.selection.partial;
  if (context.selection.only) out["only"] = *context.selection.only;
  if (context.selection.partial) {
    out["skipped_benchmarks"] = context.selection.skipped_benchmarks;
    out["skipped_budgets"] = context.selection.skipped_budgets;
  }
  out.update(context.extra_settings);
  return out;
}

// The header every JSON artifact carries.
Json header(const char* schema, const ArtifactContext& context) {
  return {{"schema", schema},
          {"generated_at", context.generated_at},
          {"perfguard_version", PERFGUARD_VERSION},
          {"host", host_json(context.host)},
          {"base", revision_json(context.base)},
          {"candidate", revision_json(context.candidate)},
          {"settings", settings_json(context)}};
}

Json gate_json(const budgets::GateResult& gate) {
  Json counts = Json::object();
  for (const auto& [verdict, count] : gate.counts) counts[verdict] = count;
  return {{"passed", gate.passed},       {"verdict", gate.passed ? "pass" : "fail"},
          {"exit_code", gate.exit_code}, {"counts", counts},
          {"failures", gate.failures},   {"warnings", gate.warnings}};
}

Json approval_json(const budgets::Approval& approval) {
  Json out = {{"benchmark", approval.benchmark},
              {"metric", approval.metric},
              {"max_ratio", approval.removed ? Json(nullptr) : number(approval.max_ratio)},
              {"reason", approval.reason},
              {"approver", approval.approver},
              {"ticket", approval.ticket},
              {"created", budgets::format_date(approval.created)},
              {"expires", budgets::format_date(approval.expires)}};
  // An approval of a removal (written only then): it has no max_ratio.
  if (approval.removed) out["removed"] = true;
  return out;
}

Json row_json(const budgets::Row& row, const ArtifactContext& context) {
  const std::optional<stats::Comparison>& c = row.comparison;
  Json out = {
      {"benchmark", row.benchmark},
      {"spec", row.spec},
      {"metric", row.metric},
      {"unit", row.unit},
      {"verdict", std::string(budgets::to_string(row.verdict))},
      {"reason", row.reason},
      {"severity", text_or_null(budgets::to_string(row.severity))},
      {"threshold", number(row.threshold)},
      {"confidence", number(row.confidence)},
      {"base", c ? summary_json(c->base) : Json(nullptr)},
      {"candidate", c ? summary_json(c->candidate) : Json(nullptr)},
      {"ratio", c ? optional_number(c->ratio) : Json(nullptr)},
      {"ratio_ci", c ? interval(c->ratio_ci) : Json(nullptr)},
      {"exact", row.exact},
      {"mann_whitney_p", c && c->mann_whitney ? number(c->mann_whitney->p) : Json(nullptr)},
      {"welch_p", c && c->welch ? number(c->welch->p) : Json(nullptr)},
      {"hodges_lehmann", c ? optional_number(c->hodges_lehmann) : Json(nullptr)},
      {"approval", row.approval ? approval_json(*row.approval) : Json(nullptr)},
      {"failures", {{"base", row.base_failures}, {"candidate", row.candidate_failures}}},
      {"replay", budgets::passes(row.verdict) ? Json(nullptr)
                                              : Json(replay_command(context, row.benchmark))}};
  // Only the base has it; written only when true, so most rows do not carry it.
  if (row.removed) out["removed"] = true;
  if (!row.label.empty()) out["label"] = row.label;
  return out;
}

Json budget_json(const budgets::BudgetResult& budget, const ArtifactContext& context) {
  return {{"benchmark", budget.benchmark},
          {"metric", budget.metric},
          {"unit", budget.unit},
          {"statistic", std::string(budgets::to_string(budget.statistic))},
          {"limit", number(budget.limit)},
          {"actual", optional_number(budget.actual)},
          {"actual_ci", interval(budget.actual_ci)},
          {"status", std::string(budgets::to_string(budget.status))},
          {"reason", budget.reason},
          {"severity", text_or_null(budgets::to_string(budget.severity))},
          {"rule", budget.rule.to_string()},
          {"replay", budget.status == budgets::BudgetStatus::pass
                         ? Json(nullptr)
                         : Json(replay_command(context, budget.benchmark))}};
}

Json approvals_json(const budgets::GateResult& gate) {
  Json out = Json::array();
  for (const budgets::ApprovalNote& note : gate.approvals) {
    out.push_back({{"use", std::string(budgets::to_string(note.use))},
                   {"benchmark", text_or_null(note.benchmark)},
                   {"metric", text_or_null(note.metric)},
                   {"message", note.message},
                   {"days_left", note.days_left ? Json(*note.days_left) : Json(nullptr)},
                   {"location", note.location.to_string()}});
  }
  return out;
}

// ---- Rendering from the JSON ----------------------------------------------------------------

std::string str(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

// A table cell: pipes and newlines would break the Markdown table.
std::string cell(std::string text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '|') {
      out += "\\|";
    } else if (ch == '\n') {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

std::string change_cell(const Json& row) {
  if (!row["ratio"].is_number()) return "–";
  return fmt::format("{:+.1f}%", (row["ratio"].get<double>() - 1.0) * 100.0);
}

std::string ci_cell(const Json& row) {
  if (row.contains("exact") && row["exact"] == true) return "exact";
  if (!row["ratio_ci"].is_array()) return "–";
  return fmt::format("{:+.1f}…{:+.1f}%", (row["ratio_ci"][0].get<double>() - 1.0) * 100.0,
                     (row["ratio_ci"][1].get<double>() - 1.0) * 100.0);
}

std::string median_cell(const Json& side, const std::string& unit) {
  if (!side.is_object()) return "–";
  return budgets::format_quantity(side["median"].get<double>(), unit);
}

bool row_passes(const Json& row) {
  const std::string verdict = str(row["verdict"]);
  return verdict == "unchanged" || verdict == "improved" || verdict == "approved" ||
         verdict == "new";
}

std::string revision_text(const Json& revision) {
  const std::string commit = str(revision["commit"]);
  return commit.empty() ? fmt::format("`{}`", str(revision["ref"]))
                        : fmt::format("`{}` ({})", str(revision["ref"]), commit.substr(0, 12));
}

void write_rows(std::ostream& out, const Json& rows, bool with_reason) {
  out << "| benchmark | metric | verdict | base median | candidate median | change | CI |"
      << (with_reason ? " severity | reason |" : "") << "\n";
  out << "|---|---|---|---|---|---|---|" << (with_reason ? "---|---|" : "") << "\n";
  for (const Json& row : rows) {
    const std::string unit = str(row["unit"]);
    const std::string label = row.contains("label") ? " (" + str(row["label"]) + ")" : "";
    out << fmt::format("| {} | {} | **{}** | {} | {} | {} | {} |",
                       cell(str(row["benchmark"]) + label), cell(str(row["metric"])),
                       str(row["verdict"]), median_cell(row["base"], unit),
                       median_cell(row["candidate"], unit), change_cell(row), ci_cell(row));
    if (with_reason)
      out << fmt::format(" {} | {} |", str(row["severity"]), cell(str(row["reason"])));
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
    if (str(row["verdict"]) == "new") add_once(added, str(row["benchmark"]));
    if (row.contains("removed") && row["removed"] == true) {
      add_once(removed, str(row["benchmark"]) +
                            (str(row["verdict"]) == "approved" ? " (removal approved)" : ""));
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
std::string xml_escape(std::string_view text) {
  std::string allowed(text);
  for (char& ch : allowed) {
    if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') ch = ' ';
  }
  return html_escape(allowed);
}

}  // namespace

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./=:@%+,") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (const char ch : word) {
    if (ch == '\'') {
      quoted += "'\\''";
    } else {
      quoted += ch;
    }
  }
  return quoted + "'";
}

std::string replay_command(const ArtifactContext& context, const std::string& benchmark) {
  return fmt::format("{} --only {}", context.replay_prefix, shell_quote(benchmark));
}

namespace {

Json budgets_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = Json::array();
  for (const budgets::BudgetResult& budget : gate.budgets)
    out.push_back(budget_json(budget, context));
  return out;
}

}  // namespace

Json perf_comparison_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = header(kPerfComparisonSchema, context);
  out["gate"] = gate_json(gate);
  Json rows = Json::array();
  for (const budgets::Row& row : gate.rows) rows.push_back(row_json(row, context));
  out["results"] = rows;
  out["budgets"] = budgets_json(gate, context);
  out["approvals"] = approvals_json(gate);
  out["families"] = families_json(gate, context);
  return out;
}

Json budget_summary_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = header(kBudgetSummarySchema, context);
  out["gate"] = gate_json(gate);
  out["budgets"] = budgets_json(gate, context);
  Json relative = Json::array();
  for (const budgets::Row& row : gate.rows) {
    relative.push_back(
        {{"benchmark", row.benchmark},
         {"metric", row.metric},
         {"threshold", number(row.threshold)},
         {"ratio", row.comparison ? optional_number(row.comparison->ratio) : Json(nullptr)},
         {"ratio_ci", row.comparison ? interval(row.comparison->ratio_ci) : Json(nullptr)},
         {"exact", row.exact},
         {"verdict", std::string(budgets::to_string(row.verdict))},
         {"reason", row.reason},
         {"severity", text_or_null(budgets::to_string(row.severity))},
         {"approval", row.approval ? Json(row.approval->ticket) : Json(nullptr)}});
  }
  out["relative"] = relative;
  out["approvals"] = approvals_json(gate);
  out["families"] = families_json(gate, context);
  return out;
}

void write_markdown(std::ostream& out, const Json& doc) {
  const Json& gate = doc["gate"];
  const bool passed = gate["passed"].get<bool>();
  Json failing = Json::array();
  Json passing = Json::array();
  for (const Json& row : doc["results"]) (row_passes(row) ? passing : failing).push_back(row);

  out << fmt::format("## perfguard: {}\n\n", passed ? "✅ gate passed" : "❌ gate failed");
  out << fmt::format("base {} · candidate {} · {} results", revision_text(doc["base"]),
                     revision_text(doc["candidate"]), doc["results"].size());
  if (!failing.empty()) out << fmt::format(", {} failing", failing.size());
  const Json& host = doc["host"];
  if (host["cpu_model"].is_string()) out << fmt::format(" · {}", str(host["cpu_model"]));
  out << "\n\n";

  write_set_changes(out, doc["results"]);

  if (!failing.empty()) {
    out << "### Failing\n\n";
    write_rows(out, failing, true);
    out << "\nReplay one:\n\n";
    for (const Json& row : failing) {
      if (row["replay"].is_string()) out << fmt::format("    {}\n", str(row["replay"]));
    }
    out << "\n";
  }

  write_family_markdown(out, doc);

  Json failing_budgets = Json::array();
  for (const Json& budget : doc["budgets"]) {
    if (str(budget["status"]) != "pass") failing_budgets.push_back(budget);
  }
  if (!doc["budgets"].empty()) {
    out << "### Budgets\n\n| benchmark | metric | statistic | limit | actual | status | reason |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const Json& budget : doc["budgets"]) {
      const std::string unit = str(budget["unit"]);
      out << fmt::format("| {} | {} | {} | {} | {} | **{}** | {} |\n",
                         cell(str(budget["benchmark"])), cell(str(budget["metric"])),
                         str(budget["statistic"]),
                         budgets::format_quantity(budget["limit"].get<double>(), unit),
                         budget["actual"].is_number()
                             ? budgets::format_quantity(budget["actual"].get<double>(), unit)
                             : "–",
                         str(budget["status"]), cell(str(budget["reason"])));
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
    for (const Json& line : lines) out << fmt::format("- {}\n", str(line));
    out << "\n";
  };
  Json approval_lines = Json::array();
  for (const Json& note : doc["approvals"])
    approval_lines.push_back(str(note["use"]) + ": " + str(note["message"]));
  list("Approvals", approval_lines);
  list("Warnings", gate["warnings"]);
}

void write_junit(std::ostream& out, const Json& doc) {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::string cases;
  const auto add_case = [&](const std::string& classname, const std::string& name, bool failed,
                            const std::string& type, const std::string& message,
                            const std::string& details) {
    ++tests;
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(classname),
                         xml_escape(name));
    if (!failed) {
      cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                           xml_escape(message));
      return;
    }
    ++failures;
    cases +=
        fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml_escape(type), xml_escape(message), xml_escape(details));
  };
  for (const Json& row : doc["results"]) {
    const std::string replay = row["replay"].is_string() ? "\nreplay: " + str(row["replay"]) : "";
    add_case(str(row["benchmark"]), str(row["metric"]), !row_passes(row), str(row["verdict"]),
             str(row["verdict"]) + ": " + str(row["reason"]), str(row["reason"]) + replay);
  }
  for (const Json& budget : doc["budgets"]) {
    const bool failed = str(budget["status"]) != "pass";
    const std::string replay =
        budget["replay"].is_string() ? "\nreplay: " + str(budget["replay"]) : "";
    add_case(str(budget["benchmark"]),
             fmt::format("budget {} {}", str(budget["metric"]), str(budget["statistic"])), failed,
             str(budget["status"]), str(budget["reason"]),
             str(budget["reason"]) + " (" + str(budget["rule"]) + ")" + replay);
  }
  for (const JunitCase& family : family_junit_cases(doc)) {
    add_case(family.classname, family.name, family.failed, family.type, family.message,
             family.details);
  }
  for (const Json& note : doc["approvals"]) {
    if (str(note["use"]) == "invalid") {
      add_case("approvals", str(note["location"]), true, "invalid_approval", str(note["message"]),
               str(note["message"]));
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"perfguard\" tests=\"{}\" failures=\"{}\">\n", tests,
                     failures);
  out << fmt::format(
      "  <testsuite name=\"perfguard\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "timestamp=\"{}\">\n",
      tests, failures, xml_escape(str(doc["generated_at"])));
  out << cases << "  </testsuite>\n</testsuites>\n";
}

}  // namespace perfguard::reports
