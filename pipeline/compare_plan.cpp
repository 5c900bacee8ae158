#include "pipeline/compare_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "harness/callgrind.hpp"
#include "harness/gbench_runner.hpp"
#include "harness/process_trial.hpp"
#include "pipeline/stop_rules.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::pipeline {
namespace {

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

// Where and how a benchmark's process runs on one side; the caller sets its argv.
harness::ProcessSpec process_for(const budgets::BenchmarkSpec& spec, const Side& side,
                                 const PlanOptions& options) {
  harness::ProcessSpec process;
  process.working_directory = working_directory(spec, side.paths);
  process.environment = environment(spec, side.paths);
  process.cpus = options.cpus;
  process.timeout = spec.timeout_seconds ? std::chrono::duration_cast<std::chrono::nanoseconds>(
                                               std::chrono::duration<double>(*spec.timeout_seconds))
                                         : options.default_timeout;
  return process;
}

std::unique_ptr<harness::Trial> make_trial(const budgets::BenchmarkSpec& spec, const Side& side,
                                           harness::ProcessRunner& runner,
                                           const PlanOptions& options) {
  harness::ProcessSpec process = process_for(spec, side, options);
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
    return std::make_unique<harness::CallgrindTrial>(runner, callgrind);
  }
  if (spec.kind == budgets::BenchmarkKind::gbench) {
    process.argv = substitute({spec.path}, side.paths);
    for (std::string& arg : substitute(spec.args, side.paths))
      process.argv.push_back(std::move(arg));
    return std::make_unique<harness::GBenchTrial>(
        runner, harness::GBenchOptions{process, spec.filter, 1, spec.isolate});
  }
  process.argv = substitute(spec.command, side.paths);
  for (std::string& arg : substitute(spec.args, side.paths)) process.argv.push_back(std::move(arg));
  harness::ProcessTrialOptions trial_options;
  trial_options.command = process;
  return std::make_unique<harness::ProcessTrial>(runner, trial_options);
}

// Warmups per side: the config's, else the command line's -- but counts need no warming up: a
// cold cache costs time, not instructions.
std::size_t warmups(const budgets::BenchmarkSpec& spec, const PlanOptions& options) {
  return spec.warmup.value_or(budgets::uses_callgrind(spec) ? 0 : options.default_warmup);
}


budgets::SideSamples file_size_of(const budgets::BenchmarkSpec& spec, const Side& side) {
  const std::string path = substitute({spec.path}, side.paths).front();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return {{}, {fmt::format("{}: {}", path, ec.message())}};
  return {{static_cast<double>(size)}, {}};
}

// "run 3: killed by SIGSEGV", "warmup 0: exit 1". A warmup that hit the timeout names the key
// to raise: every run would hit it too.
std::vector<std::string> failure_lines(const std::vector<harness::Failure>& failures,
                                       const std::string& id) {
  std::vector<std::string> lines;
  for (const harness::Failure& f : failures) {
    if (f.warmup && f.reason.rfind("timeout after", 0) == 0) {
      lines.push_back(fmt::format(
          "warmup {}: a warmup run alone exceeded the timeout ({}); raise \"timeout\" of "
          "benchmark \"{}\" in the config",
          f.run, f.reason, id));
    } else {
      lines.push_back(fmt::format("{} {}: {}", f.warmup ? "warmup" : "run", f.run, f.reason));
    }
  }
  return lines;
}

// Whether a side built the program a benchmark runs: the Google Benchmark binary, or the
// command's first word when it is a path (relative to the benchmark's directory). A bare name
// is found on PATH at run time and counts as present.
bool program_present(const budgets::BenchmarkSpec& spec, const RevisionPaths& paths) {
  const std::string program = spec.kind == budgets::BenchmarkKind::gbench
                                  ? substitute({spec.path}, paths).front()
                                  : (spec.command.empty() ? std::string()
                                                          : substitute(spec.command, paths).front());
  if (program.find('/') == std::string::npos) return true;
  std::filesystem::path path(program);
  if (path.is_relative()) path = std::filesystem::path(working_directory(spec, paths)) / path;
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace

std::vector<std::string> list_gbench_cases(const budgets::BenchmarkSpec& spec, const Side& side,
                                           harness::ProcessRunner& runner,
                                           const PlanOptions& options) {
  if (!program_present(spec, side.paths)) return {};
  harness::ProcessSpec process = process_for(spec, side, options);
  process.argv = substitute({spec.path}, side.paths);
  for (std::string& arg : substitute(spec.args, side.paths)) process.argv.push_back(std::move(arg));
  return harness::GBenchRunner(runner).list({process, spec.filter, 1, false});
}

budgets::Measurement measurement_for(const budgets::BenchmarkSpec& spec, const std::string& id,
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
  m.rounds = true;  // the schedule's runs: value i of both sides is round i
  m.family = spec.family;
  m.project_to = spec.project_to;
  return m;
}

ComparePlan plan_compare(const std::vector<budgets::BenchmarkSpec>& selected,
                         const std::vector<budgets::BudgetRule>& rules, const Side& base,
                         const Side& candidate, harness::ProcessRunner& runner,
                         const PlanOptions& options) {
  ComparePlan plan;
  for (const budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind == budgets::BenchmarkKind::file_size) {
      budgets::Measurement m = measurement_for(spec, spec.id, "file_size");
      m.base = file_size_of(spec, base);
      m.candidate = file_size_of(spec, candidate);
      plan.file_sizes.push_back(std::move(m));
      continue;
    }
    harness::BenchmarkPlan benchmark;
    benchmark.id = spec.id;
    // A program only one side built (a benchmark binary the candidate adds, or removes) runs on
    // that side alone: its cases are then `new`, or `missing`, like cases that come and go
    // inside a binary (docs/gate.md). When neither side has it, both runs fail and say why.
    const bool base_present = program_present(spec, base.paths);
    const bool candidate_present = program_present(spec, candidate.paths);
    for (const Side* side : {&base, &candidate}) {
      const bool present = side == &base ? base_present : candidate_present;
      if (!present && (base_present || candidate_present)) continue;
      plan.trials.push_back(make_trial(spec, *side, runner, options));
      benchmark.variants.push_back({side->name, plan.trials.back().get()});
    }
    benchmark.stop_rule =
        gate_stop_rule(spec, rules, options.default_threshold, options.ratio_method);
    benchmark.warmup = warmups(spec, options);
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
        by_key.emplace(key, measurement_for(spec, id, metric));
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
        const std::vector<std::string> failures = failure_lines(set.failures, spec.id);
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
    // A benchmark the time budget stopped short of min_runs cannot be judged (docs/gate.md).
    if (found != result.benchmarks.end() &&
        found->stop_reason == harness::StopReason::out_of_time) {
      for (const auto& key : order) {
        by_key.at(key).cut_short = fmt::format("time ran out at {} run{} per side", found->runs,
                                               found->runs == 1 ? "" : "s");
      }
    }
    for (const auto& key : order) out.push_back(std::move(by_key.at(key)));
  }
  for (budgets::Measurement& m : file_sizes) out.push_back(std::move(m));
  return out;
}

}  // namespace perfguard::pipeline
