#include "pipeline/stop_rules.hpp"

#include <algorithm>

#include "budgets/verdict.hpp"
#include "core/metric_names.hpp"
#include "pipeline/compare_plan.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::pipeline {
namespace {

// Runs an absolute budget on this benchmark needs before its statistic exists: a p95 budget
// needs 20 (stats::min_samples_for_quantile), whatever the relative verdict says.
std::size_t runs_for_budgets(const budgets::BenchmarkSpec& spec,
                             const std::vector<budgets::BudgetRule>& rules) {
  std::size_t needed = 0;
  for (const budgets::BudgetRule& rule : rules) {
    if (!rule.max || !rule.statistic || !budgets::glob_match(rule.benchmark, spec.id)) continue;
    const double p = budgets::quantile_of(*rule.statistic).value_or(0.5);  // mean, max: 0.5
    needed = std::max(needed, stats::min_samples_for_quantile(p));
  }
  return needed;
}


}  // namespace

harness::Decision decide(std::span<const PendingComparison> comparisons, std::size_t runs,
                         double confidence, std::size_t runs_needed) {
  if (comparisons.empty()) return harness::Decision::keep_sampling;
  for (const PendingComparison& c : comparisons) {
    if (c.counted && budgets::counts_agree(c.base, c.candidate)) continue;
    // Counts that vary are judged like timings, and two runs are too few for that: the
    // early look exists for exact counts only.
    if (c.counted && runs <= budgets::kMinExactRuns) return harness::Decision::keep_sampling;
    if (runs < runs_needed) return harness::Decision::keep_sampling;
    if (!budgets::settled(c.base, c.candidate, confidence, c.threshold, c.method))
      return harness::Decision::keep_sampling;
  }
  return harness::Decision::stop;
}

std::optional<std::vector<double>> judged_values(std::span<const harness::SampleSet> samples,
                                                 std::string_view benchmark,
                                                 std::string_view variant,
                                                 std::string_view metric) {
  const auto find = [&](std::string_view name) {
    return harness::find_sample_set(samples, benchmark, variant, name);
  };
  if (metric != metric::kCpuTime) {
    const harness::SampleSet* set = find(metric);
    if (set == nullptr) return std::nullopt;
    return set->values;
  }
  // A run's values of each metric are appended together, so index i is run i in both.
  const harness::SampleSet* user = find(metric::kUserTime);
  const harness::SampleSet* system = find(metric::kSysTime);
  if (user == nullptr || system == nullptr || user->values.size() != system->values.size())
    return std::nullopt;
  std::vector<double> cpu(user->values.size());
  for (std::size_t i = 0; i < cpu.size(); ++i) cpu[i] = user->values[i] + system->values[i];
  return cpu;
}

harness::StopRule gate_stop_rule(const budgets::BenchmarkSpec& spec,
                                 const std::vector<budgets::BudgetRule>& rules,
                                 double default_threshold, stats::RatioMethod method) {
  const std::size_t budget_runs = runs_for_budgets(spec, rules);
  const std::string primary(budgets::primary_metric(spec));
  const bool counted = budgets::is_count_metric(primary);
  return
      [spec, rules, default_threshold, budget_runs, primary, counted,
       method](const harness::Look& look) {
        std::vector<PendingComparison> pending;
        bool any = false;
        for (const harness::SampleSet& base : look.samples) {
          if (base.variant != kBase || base.metric != primary) continue;
          any = true;
          const harness::SampleSet* candidate =
              harness::find_sample_set(look.samples, base.benchmark, kCandidate, base.metric);
          if (candidate == nullptr) continue;
          const double threshold = budgets::relative_threshold(
              rules, measurement_for(spec, base.benchmark, primary), default_threshold);
          pending.push_back({base.values, candidate->values, threshold, counted, method});
        }
        if (!any) {
          // A program only the candidate has: nothing to compare, but its absolute budgets
          // need their runs.
          const bool candidate_only = std::any_of(
              look.samples.begin(), look.samples.end(), [&](const harness::SampleSet& set) {
                return set.variant == kCandidate && set.metric == primary && !set.values.empty();
              });
          return candidate_only && look.runs >= budget_runs ? harness::Decision::stop
                                                            : harness::Decision::keep_sampling;
        }
        // Every case present on one side only: nothing left to settle.
        if (pending.empty()) return harness::Decision::stop;
        return decide(pending, look.runs, look.confidence, budget_runs);
      };
}

harness::StopRule time_stop_rule(std::vector<std::string> variants, std::string metric,
                                 double threshold, stats::RatioMethod method) {
  const bool counted = budgets::is_count_metric(metric);
  return [variants = std::move(variants), metric = std::move(metric), threshold, counted,
          method](const harness::Look& look) {
    std::vector<std::vector<double>> values;
    for (const std::string& variant : variants) {
      std::optional<std::vector<double>> judged =
          judged_values(look.samples, look.benchmark, variant, metric);
      if (!judged) return harness::Decision::keep_sampling;
      values.push_back(std::move(*judged));
    }
    if (values.size() == 1) {
      return counted && budgets::counts_agree(values[0], values[0])
                 ? harness::Decision::stop
                 : harness::Decision::keep_sampling;
    }
    std::vector<PendingComparison> pending;
    for (std::size_t i = 1; i < values.size(); ++i)
      pending.push_back({values[0], values[i], threshold, counted, method});
    return decide(pending, look.runs, look.confidence);
  };
}

}  // namespace perfguard::pipeline
