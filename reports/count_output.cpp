#include "reports/count_output.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <utility>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/check.hpp"
#include "harness/callgrind.hpp"
#include "reports/format.hpp"
#include "reports/stats_report.hpp"

namespace perfguard::reports {
namespace {

std::string count(double value, const std::string& unit) {
  return budgets::format_quantity(value, unit);
}

Json number(double value) {
  PG_CHECK(std::isfinite(value));
  return value;
}

}  // namespace

void write_count_text(std::ostream& out, const CountReport& report) {
  const std::string level = fmt::format("{:.3g}%", report.confidence * 100.0);
  const std::string name =
      report.metric == harness::kInstructions ? "Instructions:" : "Estimated cycles:";
  for (std::size_t i = 0; i < report.commands.size(); ++i) {
    const CountedCommand& command = report.commands[i];
    out << fmt::format("Benchmark {}: {}\n", i + 1, command.command);
    if (!command.summary) {
      out << "  no successful runs\n\n";
      continue;
    }
    const stats::Summary& s = *command.summary;
    if (command.constant) {
      out << fmt::format("  {:<19}{} ({:.0f}), the same in all {} runs\n", name,
                         count(s.median, report.unit), s.median, s.n);
    } else {
      out << fmt::format("  {:<19}{} median{}\n", name, count(s.median, report.unit),
                         s.median_ci
                             ? fmt::format("  [{} … {}] {} CI", count(s.median_ci->lo, report.unit),
                                           count(s.median_ci->hi, report.unit), level)
                             : "");
      out << fmt::format("  Range (min … max):  {} … {}    {} run{}{}\n", count(s.min, report.unit),
                         count(s.max, report.unit), s.n, s.n == 1 ? "" : "s",
                         s.n > 1 ? ": counts varied between runs" : "");
    }
    out << '\n';
  }
  if (!report.comparisons.empty()) {
    out << fmt::format("Summary: each command vs. '{}' ({}; threshold {})\n",
                       report.commands[0].command, report.metric,
                       fmt::format("{:g}%", report.settings.threshold * 100.0));
    for (const CountComparison& c : report.comparisons) {
      const std::optional<stats::Comparison>& comparison = c.row.comparison;
      out << fmt::format("  '{}': ", report.commands[c.command].command);
      if (comparison && comparison->ratio) {
        out << fmt::format("{:.4f}×", *comparison->ratio);
        if (c.row.exact) {
          out << " exactly";
        } else if (comparison->ratio_ci) {
          out << fmt::format(" [{:.4f} … {:.4f}] {} CI", comparison->ratio_ci->lo,
                             comparison->ratio_ci->hi, level);
        }
      } else {
        out << "n/a";
      }
      out << fmt::format("  {}: {}\n", budgets::to_string(c.row.verdict), c.row.reason);
    }
  }
  out << fmt::format("{} run{} per command under Callgrind{}; {}\n", report.runs,
                     report.runs == 1 ? "" : "s",
                     report.commands.size() > 1 ? ", interleaved in random order" : "",
                     report.stop_reason == harness::StopReason::decided
                         ? fmt::format("settled at look {}", report.looks)
                         : std::string(harness::to_string(report.stop_reason)));
}

Json count_json(const CountReport& report, const std::string& generated_at) {
  const TimeSettings& settings = report.settings;
  Json document;
  document["schema"] = kTimeSchema;
  document["perfguard_version"] = PERFGUARD_VERSION;
  document["generated_at"] = generated_at;
  document["settings"] = time_settings_json(settings, report.metric);
  document["confidence"] = number(report.confidence);
  document["runs"] = report.runs;
  document["planned_runs"] = report.planned_runs;
  document["looks"] = report.looks;
  document["stop_reason"] = std::string(harness::to_string(report.stop_reason));
  Json results = Json::array();
  for (const CountedCommand& command : report.commands) {
    const std::optional<stats::Summary>& s = command.summary;
    results.push_back({{"command", command.command},
                       {"unit", report.unit},
                       {"counts", command.counts},
                       {"exit_codes", command.exit_codes},
                       {"median", s ? number(s->median) : Json(nullptr)},
                       {"min", s ? number(s->min) : Json(nullptr)},
                       {"max", s ? number(s->max) : Json(nullptr)},
                       {"constant", command.constant},
                       {"statistics", s ? summary_json(*s) : Json(nullptr)}});
  }
  document["results"] = std::move(results);
  Json comparisons = Json::array();
  for (const CountComparison& c : report.comparisons) {
    const std::optional<stats::Comparison>& comparison = c.row.comparison;
    comparisons.push_back({
        {"command", report.commands[c.command].command},
        {"base", report.commands[0].command},
        {"metric", report.metric},
        {"ratio", comparison && comparison->ratio ? number(*comparison->ratio) : Json(nullptr)},
        {"ratio_ci",
         comparison && comparison->ratio_ci
             ? Json::array({number(comparison->ratio_ci->lo), number(comparison->ratio_ci->hi)})
             : Json(nullptr)},
        {"exact", c.row.exact},
        {"confidence", number(report.confidence)},
        {"verdict", std::string(budgets::to_string(c.row.verdict))},
        {"reason", c.row.reason},
    });
  }
  document["comparisons"] = std::move(comparisons);
  return document;
}

void write_count_markdown(std::ostream& out, const CountReport& report) {
  out << fmt::format("| Command | Median [{0}] | Min [{0}] | Max [{0}] | Relative | Verdict |\n",
                     report.unit);
  out << "|:---|---:|---:|---:|---:|:---|\n";
  for (std::size_t i = 0; i < report.commands.size(); ++i) {
    const CountedCommand& command = report.commands[i];
    // A command is code in Markdown; a '|' or a newline inside would end the cell.
    const std::string name = markdown_cell(command.command);
    if (!command.summary) {
      out << fmt::format("| `{}` | | | | | no successful runs |\n", name);
      continue;
    }
    std::string relative = i == 0 ? "1.0000" : "";
    std::string verdict = i == 0 ? "base" : "";
    for (const CountComparison& c : report.comparisons) {
      if (c.command != i || !c.row.comparison || !c.row.comparison->ratio) continue;
      relative = fmt::format("{:.4f}", *c.row.comparison->ratio);
      if (c.row.exact) {
        relative += " (exact)";
      } else if (c.row.comparison->ratio_ci) {
        relative += fmt::format(" [{:.4f}, {:.4f}]", c.row.comparison->ratio_ci->lo,
                                c.row.comparison->ratio_ci->hi);
      }
      verdict = std::string(budgets::to_string(c.row.verdict));
    }
    const stats::Summary& s = *command.summary;
    out << fmt::format("| `{}` | {:.0f} | {:.0f} | {:.0f} | {} | {} |\n", name, s.median, s.min,
                       s.max, relative, verdict);
  }
}

}  // namespace perfguard::reports
