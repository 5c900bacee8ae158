#include "guard/count_report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <utility>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/check.hpp"
#include "harness/callgrind.hpp"
#include "harness/cpu_list.hpp"

namespace perfguard::guard {
namespace {

using reports::Json;

std::string count(double value, const std::string& unit) {
  return budgets::format_quantity(value, unit);
}

Json number(double value) {
  PG_CHECK(std::isfinite(value));
  return value;
}

bool constant(const std::vector<double>& values) {
  return values.size() >= budgets::kMinExactRuns &&
         std::all_of(values.begin(), values.end(),
                     [&](double value) { return value == values.front(); });
}

}  // namespace

bool is_count_metric_name(std::string_view metric) noexcept {
  return metric == harness::kInstructions || metric == harness::kEstimatedCycles;
}

CountReport make_count_report(const harness::ScheduleResult& result,
                              const std::vector<std::string>& commands,
                              const std::vector<std::string>& variants, std::string_view metric,
                              const TimeSettings& settings) {
  PG_CHECK(result.benchmarks.size() == 1 && commands.size() == variants.size());
  const harness::BenchmarkResult& benchmark = result.benchmarks.front();
  CountReport report;
  report.metric = std::string(metric);
  report.unit = std::string(metric == harness::kInstructions ? harness::kInstructionsUnit
                                                             : harness::kCyclesUnit);
  report.settings = settings;
  report.confidence = benchmark.confidence.value_or(1.0 - settings.alpha);
  report.runs = benchmark.runs;
  report.planned_runs = result.planned_runs;
  report.looks = benchmark.looks;
  report.stop_reason = benchmark.stop_reason;

  stats::IntervalOptions interval;
  interval.confidence = report.confidence;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    CountedCommand command;
    command.command = commands[i];
    for (const harness::RunRecord& run : result.runs) {
      if (run.warmup || run.variant != variants[i] || run.outcome.failed()) continue;
      for (const harness::Observation& observation : run.outcome.observations) {
        if (observation.metric == metric) command.counts.push_back(observation.value);
      }
      command.exit_codes.push_back(run.outcome.exit_code.value_or(0));
    }
    command.summary = stats::summarize(command.counts, interval);
    command.constant = constant(command.counts);
    report.commands.push_back(std::move(command));
  }

  // Each comparison goes through the verdict engine, so `time` and `compare` judge counts
  // by the same rule: exact when they agree, statistical with a note when not.
  budgets::GateSettings gate;
  gate.interval = interval;
  gate.default_threshold = settings.threshold;
  for (std::size_t i = 1; i < report.commands.size(); ++i) {
    budgets::Measurement m;
    m.spec = report.commands[i].command;
    m.benchmark = m.spec;
    m.metric = report.metric;
    m.unit = report.unit;
    m.counted = true;
    m.confidence = report.confidence;
    m.base = budgets::SideSamples{report.commands[0].counts, {}};
    m.candidate = budgets::SideSamples{report.commands[i].counts, {}};
    const budgets::GateResult judged =
        budgets::judge(std::vector<budgets::Measurement>{m}, {}, {}, gate);
    PG_CHECK(judged.rows.size() == 1);
    report.comparisons.push_back({i, judged.rows.front()});
  }
  return report;
}

bool is_slower(const CountComparison& comparison) noexcept {
  return comparison.row.verdict == budgets::Verdict::regressed ||
         comparison.row.verdict == budgets::Verdict::inconclusive;
}

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
  document["settings"] = {
      {"metric", report.metric},
      {"threshold", number(settings.threshold)},
      {"alpha", number(settings.alpha)},
      {"spending", "pocock"},
      {"seed", settings.seed},
      {"warmup", settings.warmup},
      {"min_runs", settings.min_runs},
      {"max_runs", settings.max_runs ? Json(*settings.max_runs) : Json(nullptr)},
      {"max_time", settings.max_time ? number(*settings.max_time) : Json(nullptr)},
      {"timeout", settings.timeout ? number(*settings.timeout) : Json(nullptr)},
      {"shell", settings.shell ? Json(*settings.shell) : Json(nullptr)},
      {"cpus", harness::format_cpu_list(settings.cpus)},
      {"pinned", settings.pinned},
  };
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
                       {"statistics", s ? reports::summary_json(*s) : Json(nullptr)}});
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
    std::string name = command.command;
    for (std::size_t at = name.find('|'); at != std::string::npos; at = name.find('|', at + 2))
      name.replace(at, 1, "\\|");
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

}  // namespace perfguard::guard
