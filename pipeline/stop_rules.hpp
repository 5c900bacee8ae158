#pragma once
// The stop rule of every adaptive schedule (docs/design.md, "The stop rule"): keep sampling
// while any primary comparison is unsettled at the look's confidence -- the verdict rule itself
// (budgets::settled), at the level the look's alpha spending allows. `compare` (each case of a
// benchmark, base against candidate) and `time` (each command against the first) both use it.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "budgets/config.hpp"
#include "budgets/verdict.hpp"
#include "harness/sample_set.hpp"
#include "harness/schedule.hpp"

namespace perfguard::pipeline {

// One comparison a look may settle: the reference side's values and the other's, of the metric
// judged, run i of both being round i.
struct PendingComparison {
  std::span<const double> base;
  std::span<const double> candidate;
  double threshold = 0.0;  // the relative threshold its verdict is judged against
  bool counted = false;    // instruction counts (or estimated cycles), not times
  // How the verdict will judge it (budgets::settled): the stop rule asks the same question.
  stats::RatioMethod method = budgets::kDefaultRatioMethod;
};

// The rule: stop once every comparison is settled, where
//   - counts that agree run for run (budgets::counts_agree) are exact, so settled;
//   - counts that vary are judged like timings, which kMinExactRuns runs cannot settle;
//   - fewer than `runs_needed` runs (a budget's percentile needs them) settle nothing;
//   - otherwise budgets::settled decides at `confidence`.
// No comparison at all keeps sampling: nothing was measured that could settle.
[[nodiscard]] harness::Decision decide(std::span<const PendingComparison> comparisons,
                                       std::size_t runs, double confidence,
                                       std::size_t runs_needed = 0);

// The values `time` judges one variant on: wall_time, cpu_time (user + sys of each run) or a
// count ("instructions"); nullopt while the look has none (or user and sys disagree in length).
[[nodiscard]] std::optional<std::vector<double>> judged_values(
    std::span<const harness::SampleSet> samples, std::string_view benchmark,
    std::string_view variant, std::string_view metric);

// `compare`: every case of the benchmark, base against candidate on its primary metric, each
// at its budgets' threshold (else `default_threshold`); a budget's percentile holds the stop
// until it has its samples (stats::min_samples_for_quantile). A case only one side has (new,
// or gone from the candidate) has nothing more samples could settle, so it holds nothing up.
[[nodiscard]] harness::StopRule gate_stop_rule(const budgets::BenchmarkSpec& spec,
                                               const std::vector<budgets::BudgetRule>& rules,
                                               double default_threshold,
                                               stats::RatioMethod method = budgets::kDefaultRatioMethod);

// `time`: each of variants[1..] against variants[0] on `metric` (judged_values). A lone
// variant compares with nothing: its counts stop once exact, anything else runs to N.
[[nodiscard]] harness::StopRule time_stop_rule(std::vector<std::string> variants,
                                               std::string metric, double threshold,
                                               stats::RatioMethod method = budgets::kDefaultRatioMethod);

}  // namespace perfguard::pipeline
