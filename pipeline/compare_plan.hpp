#pragma once
// From a config and two built revisions to the harness's plans, and from the harness's samples
// back to the measurements the verdict engine judges (docs/design.md: pipeline::ComparePlan ->
// harness::Schedule -> SampleSet -> budgets::Measurement).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "budgets/config.hpp"
#include "budgets/verdict.hpp"
#include "harness/schedule.hpp"
#include "harness/trial.hpp"
#include "pipeline/builds.hpp"

namespace perfguard::pipeline {

inline constexpr const char* kBase = "base";
inline constexpr const char* kCandidate = "candidate";

struct Side {
  std::string name;  // kBase or kCandidate
  RevisionPaths paths;
};

struct PlanOptions {
  std::vector<int> cpus;  // pin every benchmark process here
  std::chrono::nanoseconds default_timeout{
      std::chrono::seconds(60)};   // per run, unless the benchmark sets one
  std::size_t default_warmup = 1;  // per side, unless the benchmark sets one (not Callgrind)
  double default_threshold = budgets::kDefaultThreshold;
  // What the stop rule settles by: the method the verdict judges with (GateSettings::method).
  stats::RatioMethod ratio_method = budgets::kDefaultRatioMethod;
};

struct ComparePlan {
  std::vector<std::unique_ptr<harness::Trial>> trials;  // owned here; the plans point at them
  std::vector<harness::BenchmarkPlan> benchmarks;       // timed benchmarks, both sides each
  std::vector<budgets::Measurement> file_sizes;         // measured while planning: exact, no runs
};

// Plans every selected benchmark on both sides, with its warmups (the config's "warmup", else
// options.default_warmup; none under Callgrind) and its stop rule (gate_stop_rule in
// pipeline/stop_rules.hpp).
[[nodiscard]] ComparePlan plan_compare(const std::vector<budgets::BenchmarkSpec>& selected,
                                       const std::vector<budgets::BudgetRule>& rules,
                                       const Side& base, const Side& candidate,
                                       harness::ProcessRunner& runner, const PlanOptions& options);

// The cases a side's Google Benchmark binary has under the spec's filter
// (--benchmark_list_tests), run as its trials run it; none when that side did not build it.
// A binary that fails to list throws perfguard::ExecutionError.
[[nodiscard]] std::vector<std::string> list_gbench_cases(const budgets::BenchmarkSpec& spec,
                                                         const Side& side,
                                                         harness::ProcessRunner& runner,
                                                         const PlanOptions& options);

// An empty measurement of one benchmark (or Google Benchmark case `id`) and metric: its unit,
// whether it is primary, deterministic or counted -- what the verdict rules and
// budgets::relative_threshold look at before any sample exists.
[[nodiscard]] budgets::Measurement measurement_for(const budgets::BenchmarkSpec& spec,
                                                   const std::string& id,
                                                   const std::string& metric);

// The measurements of a finished schedule, plus the file sizes; every selected benchmark is
// present at least with its primary metric (empty when nothing was measured: `missing`).
[[nodiscard]] std::vector<budgets::Measurement> to_measurements(
    const harness::ScheduleResult& result, const std::vector<budgets::BenchmarkSpec>& selected,
    std::vector<budgets::Measurement> file_sizes);

}  // namespace perfguard::pipeline
