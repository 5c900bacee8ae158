#include "guard/compare_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "harness/callgrind.hpp"
#include "harness/gbench_runner.hpp"
#include "harness/process_trial.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::guard {
namespace {

// A trial warmed up on its own schedule: the config sets warmups per benchmark, the harness
// per schedule. Warmup outcomes are discarded, as the harness's own are -- except a warmup that
// hit the timeout: every run would, so the benchmark fails at once, naming the key to raise.
class WarmedTrial final : public harness::Trial {
 public:
  WarmedTrial(std::unique_ptr<harness::Trial> inner, std::size_t warmups, std::string id)
      : inner_(std::move(inner)), warmups_(warmups), id_(std::move(id)) {}
  void setup() override {
    inner_->setup();
    for (std::size_t i = 0; i < warmups_ && !timed_out_; ++i) {
      for (const harness::CaseFailure& failure : inner_->run().failures) {
        if (failure.reason.rfind("timeout after", 0) != 0) continue;
        timed_out_ = fmt::format(
            "a warmup run alone exceeded the timeout ({}{}); raise \"timeout\" of benchmark "
            "\"{}\" in the config",
            failure.case_name.empty() ? "" : failure.case_name + ": ", failure.reason, id_);
        break;
      }
    }
  }
  [[nodiscard]] harness::Outcome run() override {
    if (!timed_out_) return inner_->run();
    harness::Outcome outcome;
    outcome.failures.push_back({"", *timed_out_});
    return outcome;
  }

 private:
  std::unique_ptr<harness::Trial> inner_;
  std::size_t warmups_;
  std::string id_;
  std::optional<std::string> timed_out_;
};

// "cwd", substituted and taken relative to the worktree; the worktree when the config says none.
std::string working_directory(const budgets::BenchmarkSpec& spec, const RevisionPaths& paths) {
  if (!spec.cwd) return paths.worktree.string();
  return (paths.worktree / substitute({*spec.cwd}, paths).front()).lexically_normal().string();
}

std::vector<std::pair<std::string, std::string>> environment(const budgets::BenchmarkSpec& spec,
                                                             const RevisionPaths& paths) {
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& [name, value] : spec.env)
    env.emplace_back(name, substitute({value}, paths).front());
  return env;
}

std::unique_ptr<harness::Trial> make_trial(const budgets::BenchmarkSpec& spec, const Side& side,
                                           harness::ProcessRunner& runner,
                                           const PlanOptions& options) {
  harness::ProcessSpec process;
  process.working_directory = working_directory(spec, side.paths);
  process.environment = environment(spec, side.paths);
  process.cpus = options.cpus;
  process.timeout = spec.timeout_seconds ? std::chrono::duration_cast<std::chrono::nanoseconds>(
                                               std::chrono::duration<double>(*spec.timeout_seconds))
                                         : options.default_timeout;
  std::unique_ptr<harness::Trial> trial;
  if (budgets::uses_callgrind(spec)) {
    // A benchmark's own timeout is for the runs it makes, under Callgrind; the default one is
    // for native runs, and Callgrind's are tens of times slower.
    if (!spec.timeout_seconds) {
      process.timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
          options.default_timeout * harness::kCallgrindTimeoutFactor);
    }
    process.argv = substitute(spec.command, side.paths);
    for (std::string& arg : substitute(spec.args, side.paths))
      process.argv.push_back(std::move(arg));
    harness::CallgrindOptions callgrind;
    callgrind.command = process;
    callgrind.estimate_cycles = budgets::measures(spec, harness::kEstimatedCycles);
    trial = std::make_unique<harness::CallgrindTrial>(runner, callgrind);
    // Counts need no warming up: a cold cache costs time, not instructions.
    return std::make_unique<WarmedTrial>(std::move(trial), spec.warmup.value_or(0), spec.id);
  }
  if (spec.kind == budgets::BenchmarkKind::gbench) {
    process.argv = substitute({spec.path}, side.paths);
    for (std::string& arg : substitute(spec.args, side.paths))
      process.argv.push_back(std::move(arg));
    trial = std::make_unique<harness::GBenchTrial>(
        runner, harness::GBenchOptions{process, spec.filter, 1, spec.isolate});
  } else {
    process.argv = substitute(spec.command, side.paths);
    for (std::string& arg : substitute(spec.args, side.paths))
      process.argv.push_back(std::move(arg));
    harness::ProcessTrialOptions trial_options;
    trial_options.command = process;
    trial = std::make_unique<harness::ProcessTrial>(runner, trial_options);
  }
  return std::make_unique<WarmedTrial>(std::move(trial),
                                       spec.warmup.value_or(options.default_warmup), spec.id);
}

// A Measurement stub with what relative_threshold() looks at.
budgets::Measurement stub(const budgets::BenchmarkSpec& spec, const std::string& id,
                          const std::string& metric) {
  budgets::Measurement m;
  m.spec = spec.id;
  m.benchmark = id;
  m.metric = metric;
  m.primary = metric == budgets::primary_metric(spec);
  m.unit = spec.kind == budgets::BenchmarkKind::file_size ? "bytes"
           : metric == harness::kInstructions             ? std::string(harness::kInstructionsUnit)
           : metric == harness::kEstimatedCycles          ? std::string(harness::kCyclesUnit)
                                                          : "s";
  m.deterministic = spec.kind == budgets::BenchmarkKind::file_size;
  m.counted = budgets::is_count_metric(metric);
  m.family = spec.family;
  m.project_to = spec.project_to;
  return m;
}

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

// Keep sampling while any primary comparison of the benchmark (every case of a Google
// Benchmark binary) is inconclusive at the look's confidence, or while a budget's
// percentile has too few samples to exist. Counts that agree run for run are exact: settled,
// and every statistic of them exists. A case that only one side has (new, or gone from the
// candidate) has nothing more samples could settle, so it holds nothing up.
harness::StopRule settled_rule(const budgets::BenchmarkSpec& spec,
                               const std::vector<budgets::BudgetRule>& rules,
                               double default_threshold) {
  const std::size_t budget_runs = runs_for_budgets(spec, rules);
  return [spec, rules, default_threshold, budget_runs](const harness::Look& look) {
    const std::string primary(budgets::primary_metric(spec));
    const bool counted = budgets::is_count_metric(primary);
    bool any = false;
    for (const harness::SampleSet& base : look.samples) {
      if (base.variant != kBase || base.metric != primary) continue;
      any = true;
      const harness::SampleSet* candidate =
          harness::find_sample_set(look.samples, base.benchmark, kCandidate, base.metric);
      if (candidate == nullptr) continue;
      if (counted && budgets::counts_agree(base.values, candidate->values)) continue;
      // Counts that vary are judged like timings, and two runs are too few for that: the
      // early look exists for exact counts only.
      if (counted && look.runs <= budgets::kMinExactRuns) return harness::Decision::keep_sampling;
      if (look.runs < budget_runs) return harness::Decision::keep_sampling;
      const double threshold = budgets::relative_threshold(
          rules, stub(spec, base.benchmark, primary), default_threshold);
      if (!budgets::settled(base.values, candidate->values, look.confidence, threshold)) {
        return harness::Decision::keep_sampling;
      }
    }
    return any ? harness::Decision::stop : harness::Decision::keep_sampling;
  };
}

budgets::SideSamples file_size_of(const budgets::BenchmarkSpec& spec, const Side& side) {
  const std::string path = substitute({spec.path}, side.paths).front();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return {{}, {fmt::format("{}: {}", path, ec.message())}};
  return {{static_cast<double>(size)}, {}};
}

std::vector<std::string> failure_lines(const std::vector<harness::Failure>& failures) {
  std::vector<std::string> lines;
  for (const harness::Failure& f : failures)
    lines.push_back(fmt::format("run {}: {}", f.run, f.reason));
  return lines;
}

}  // namespace

ComparePlan plan_compare(const std::vector<budgets::BenchmarkSpec>& selected,
                         const std::vector<budgets::BudgetRule>& rules, const Side& base,
                         const Side& candidate, harness::ProcessRunner& runner,
                         const PlanOptions& options) {
  ComparePlan plan;
  for (const budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind == budgets::BenchmarkKind::file_size) {
      budgets::Measurement m = stub(spec, spec.id, "file_size");
      m.base = file_size_of(spec, base);
      m.candidate = file_size_of(spec, candidate);
      plan.file_sizes.push_back(std::move(m));
      continue;
    }
    harness::BenchmarkPlan benchmark;
    benchmark.id = spec.id;
    for (const Side* side : {&base, &candidate}) {
      plan.trials.push_back(make_trial(spec, *side, runner, options));
      benchmark.variants.push_back({side->name, plan.trials.back().get()});
    }
    benchmark.stop_rule = settled_rule(spec, rules, options.default_threshold);
    if (budgets::uses_callgrind(spec)) benchmark.first_look = budgets::kMinExactRuns;
    plan.benchmarks.push_back(std::move(benchmark));
  }
  return plan;
}

std::vector<budgets::Measurement> to_measurements(
    const harness::ScheduleResult& result, const std::vector<budgets::BenchmarkSpec>& selected,
    std::vector<budgets::Measurement> file_sizes) {
  std::vector<budgets::Measurement> out;
  for (const budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind == budgets::BenchmarkKind::file_size) continue;
    const std::string primary(budgets::primary_metric(spec));
    const auto found =
        std::find_if(result.benchmarks.begin(), result.benchmarks.end(),
                     [&](const harness::BenchmarkResult& r) { return r.id == spec.id; });
    std::map<std::pair<std::string, std::string>, budgets::Measurement> by_key;
    std::vector<std::pair<std::string, std::string>> order;
    const auto entry = [&](const std::string& id,
                           const std::string& metric) -> budgets::Measurement& {
      const auto key = std::make_pair(id, metric);
      if (!by_key.contains(key)) {
        by_key.emplace(key, stub(spec, id, metric));
        order.push_back(key);
      }
      return by_key.at(key);
    };
    if (found != result.benchmarks.end()) {
      for (const harness::SampleSet& set : found->samples) {
        // A run that failed before measuring anything leaves a set without a metric: its
        // failures belong to the benchmark's primary comparison.
        budgets::Measurement& m = entry(set.benchmark, set.metric.empty() ? primary : set.metric);
        if (!set.unit.empty()) m.unit = set.unit;
        if (!set.label.empty()) m.label = set.label;
        m.confidence = found->confidence;
        std::optional<budgets::SideSamples>& side = set.variant == kBase ? m.base : m.candidate;
        if (!side) side = budgets::SideSamples{};
        side->values.insert(side->values.end(), set.values.begin(), set.values.end());
        const std::vector<std::string> failures = failure_lines(set.failures);
        side->failures.insert(side->failures.end(), failures.begin(), failures.end());
      }
    }
    // Every expected benchmark shows up: nothing measured is `missing`, never silence.
    const bool has_primary = std::any_of(order.begin(), order.end(),
                                         [&](const auto& key) { return key.second == primary; });
    if (!has_primary) entry(spec.id, primary);
    // A side whose run failed (one crashed case ends a Google Benchmark binary) measured none
    // of the other cases either: they are not gone from it, they never ran.
    for (const bool base_side : {true, false}) {
      const bool failed = std::any_of(order.begin(), order.end(), [&](const auto& key) {
        const std::optional<budgets::SideSamples>& side =
            base_side ? by_key.at(key).base : by_key.at(key).candidate;
        return side && !side->failures.empty();
      });
      if (!failed) continue;
      for (const auto& key : order) {
        std::optional<budgets::SideSamples>& side =
            base_side ? by_key.at(key).base : by_key.at(key).candidate;
        if (side && (!side->values.empty() || !side->failures.empty())) continue;
        side = budgets::SideSamples{
            {}, {fmt::format("not measured: a run of {} failed (see its failing case)", spec.id)}};
      }
    }
    for (const auto& key : order) out.push_back(std::move(by_key.at(key)));
  }
  for (budgets::Measurement& m : file_sizes) out.push_back(std::move(m));
  return out;
}

}  // namespace perfguard::guard
