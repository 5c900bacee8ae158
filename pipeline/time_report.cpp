#include "pipeline/time_report.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "core/check.hpp"
#include "harness/callgrind.hpp"
#include "harness/sample_set.hpp"
#include "stats/compare.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::pipeline {
namespace {

using reports::CountComparison;
using reports::CountedCommand;
using reports::CountReport;
using reports::TimedCommand;
using reports::TimedComparison;
using reports::TimeMetric;
using reports::TimeReport;
using reports::TimeSettings;

// Warnings a hyperfine user would expect, worded for what perfguard measured.
std::vector<std::string> warnings_for(const TimedCommand& command, const TimeSettings& settings) {
  std::vector<std::string> warnings;
  if (!command.summary) return warnings;
  const stats::Summary& s = *command.summary;
  if (s.cv && *s.cv > kNoisyCv) {
    warnings.push_back(
        fmt::format("noisy: the runs vary by {:.0f}% (stddev / mean > {:.0f}%); close other "
                    "programs, pin with --cpu, "
                    "or give it more runs",
                    *s.cv * 100.0, kNoisyCv * 100.0));
  }
  // The first run alone far beyond the others: caches filled by it, not by the benchmark.
  const std::span<const double> rest = std::span<const double>(command.times)
                                           .subspan(std::min<std::size_t>(1, command.times.size()));
  if (settings.warmup == 0 && rest.size() >= stats::min_samples_for_quantile(0.25)) {
    const double q1 = *stats::quantile(rest, 0.25);
    const double q3 = *stats::quantile(rest, 0.75);
    if (command.times.front() > q3 + 3.0 * (q3 - q1) && command.times.front() > 1.1 * q3) {
      warnings.push_back(
          fmt::format("the first run was much slower than the rest ({}): caches filled by the "
                      "first run? Use --warmup",
                      reports::format_seconds(command.times.front())));
    }
  }
  if (s.outliers) {
    const std::size_t severe = s.outliers->low_severe + s.outliers->high_severe;
    if (severe > 0) {
      warnings.push_back(
          fmt::format("{} severe outlier{} (beyond 3 IQR, Tukey's fences): other load on the "
                      "machine? The median and "
                      "its interval are robust to them; the mean is not",
                      severe, severe == 1 ? "" : "s"));
    }
  }
  if (settings.shell && s.median < 5e-3) {
    warnings.push_back(fmt::format(
        "the command takes {}: the start of '{}' is a large part of it; -N runs it without a shell",
        reports::format_seconds(s.median), *settings.shell));
  }
  return warnings;
}

// CPU time run by run: user + system of the same run.
std::vector<double> cpu_times(std::span<const double> user, std::span<const double> system) {
  PG_CHECK(user.size() == system.size());
  std::vector<double> cpu(user.size());
  for (std::size_t i = 0; i < cpu.size(); ++i) cpu[i] = user[i] + system[i];
  return cpu;
}

// The per-run values `metric` judges: times, or user + system.
std::vector<double> judged(const TimedCommand& command, TimeMetric metric) {
  return metric == TimeMetric::wall_time ? command.times : cpu_times(command.user, command.system);
}

// What the schedule says of the one benchmark `time` ran: the level of its last look, runs,
// looks and why it stopped. TimeReport and CountReport share these fields.
template <typename Report>
void schedule_facts(Report& report, const harness::ScheduleResult& result,
                    const TimeSettings& settings) {
  const harness::BenchmarkResult& benchmark = result.benchmarks.front();
  report.settings = settings;
  report.confidence = benchmark.confidence.value_or(1.0 - settings.alpha);
  report.runs = benchmark.runs;
  report.planned_runs = result.planned_runs;
  report.looks = benchmark.looks;
  report.stop_reason = benchmark.stop_reason;
}

bool constant(const std::vector<double>& values) {
  return values.size() >= budgets::kMinExactRuns &&
         std::all_of(values.begin(), values.end(),
                     [&](double value) { return value == values.front(); });
}

}  // namespace

TimeReport make_time_report(const harness::ScheduleResult& result,
                            const std::vector<std::string>& commands,
                            const std::vector<std::string>& variants,
                            const TimeSettings& settings) {
  PG_CHECK(result.benchmarks.size() == 1 && commands.size() == variants.size());
  TimeReport report;
  schedule_facts(report, result, settings);

  stats::IntervalOptions interval;
  interval.confidence = report.confidence;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    TimedCommand command;
    command.command = commands[i];
    for (const harness::RunRecord& run : result.runs) {
      if (run.warmup || run.variant != variants[i] || run.outcome.failed()) continue;
      for (const harness::Observation& observation : run.outcome.observations) {
        if (observation.metric == harness::kWallTime) command.times.push_back(observation.value);
        if (observation.metric == harness::kUserTime) command.user.push_back(observation.value);
        if (observation.metric == harness::kSysTime) command.system.push_back(observation.value);
        if (observation.metric == harness::kMaxRss) command.max_rss.push_back(observation.value);
      }
      command.exit_codes.push_back(run.outcome.exit_code.value_or(0));
    }
    command.summary = stats::summarize(command.times, interval);
    command.warnings = warnings_for(command, settings);
    report.commands.push_back(std::move(command));
  }
  const std::vector<double> base = judged(report.commands[0], settings.metric);
  for (std::size_t i = 1; i < report.commands.size(); ++i) {
    const std::optional<stats::Comparison> comparison = stats::compare(
        base, judged(report.commands[i], settings.metric), interval, settings.ratio_method);
    if (!comparison) continue;
    report.comparisons.push_back(
        {i, *comparison, budgets::judge_change(*comparison, settings.threshold)});
  }
  return report;
}

bool is_slower(const TimedComparison& comparison) noexcept {
  return comparison.judgement.verdict == budgets::Verdict::regressed ||
         comparison.judgement.verdict == budgets::Verdict::inconclusive;
}

bool is_count_metric_name(std::string_view metric) noexcept {
  return metric == harness::kInstructions || metric == harness::kEstimatedCycles;
}

CountReport make_count_report(const harness::ScheduleResult& result,
                              const std::vector<std::string>& commands,
                              const std::vector<std::string>& variants, std::string_view metric,
                              const TimeSettings& settings) {
  PG_CHECK(result.benchmarks.size() == 1 && commands.size() == variants.size());
  CountReport report;
  report.metric = std::string(metric);
  report.unit = std::string(metric == harness::kInstructions ? harness::kInstructionsUnit
                                                             : harness::kCyclesUnit);
  schedule_facts(report, result, settings);

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
  gate.method = settings.ratio_method;
  for (std::size_t i = 1; i < report.commands.size(); ++i) {
    budgets::Measurement m;
    m.spec = report.commands[i].command;
    m.benchmark = m.spec;
    m.metric = report.metric;
    m.unit = report.unit;
    m.counted = true;
    m.rounds = true;
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

}  // namespace perfguard::pipeline
