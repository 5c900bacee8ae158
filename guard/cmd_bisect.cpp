// perfguard bisect --good REF --bad REF --only BENCH: the first commit at which BENCH regressed.
// The flags, checked, become a pipeline::BisectRequest; pipeline/bisect.hpp does the rest
// (docs/bisect.md).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "harness/cpu_list.hpp"
#include "pipeline/bisect.hpp"
#include "reports/bisect_output.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {
namespace {

struct BisectOptions {
  std::string good;
  std::string bad;
  std::string only;
  std::optional<std::string> metric;
  std::string repo = ".";
  std::optional<std::string> config;
  std::string out = "perfguard-bisect";
  std::optional<std::size_t> runs;
  std::size_t min_runs = 10;
  std::size_t max_runs = 60;
  std::optional<std::string> cpu;
  std::string timeout = "60s";
  std::string threshold{kDefaultThresholdText};
  std::string confidence{budgets::kDefaultConfidenceText};
};

pipeline::BisectRequest request_of(const BisectOptions& options) {
  pipeline::BisectRequest r;
  r.good = options.good;
  r.bad = options.bad;
  r.metric = options.metric;
  r.out = options.out;
  pipeline::CompareRequest& c = r.compare;
  c.repo = options.repo;
  if (options.config) c.config = *options.config;
  c.only = options.only;
  c.gate.default_threshold = threshold_flag("--threshold", options.threshold);
  c.gate.interval.confidence = confidence_flag("--confidence", options.confidence);
  c.gate.today = budgets::today_utc();
  c.schedule.alpha = 1.0 - c.gate.interval.confidence;
  c.schedule.min_runs = options.runs.value_or(options.min_runs);
  c.schedule.max_runs = options.runs.value_or(options.max_runs);
  // As compare: fewer runs than the ratio interval needs at this confidence are refused.
  const std::size_t needed = stats::min_samples_for_ratio_ci(c.gate.interval.confidence);
  const std::size_t first = options.runs.value_or(options.min_runs);
  if (first < needed) {
    throw UsageError(fmt::format("{} {}: at confidence {} a verdict needs at least {} runs per side",
                                 options.runs ? "--runs" : "--min-runs", first,
                                 options.confidence, needed));
  }
  if (!options.runs && options.max_runs < options.min_runs) {
    throw UsageError(fmt::format("--max-runs {} is below --min-runs {}", options.max_runs,
                                 options.min_runs));
  }
  // An inconclusive step is measured once more with twice the runs (docs/bisect.md).
  r.retry_max_runs = 2 * *c.schedule.max_runs;
  c.plan.cpus = options.cpu ? cpu_flag("--cpu", *options.cpu)
                            : std::vector<int>{harness::allowed_cpus().back()};
  c.plan.default_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(positive_duration_flag("--timeout", options.timeout)));
  c.plan.default_threshold = c.gate.default_threshold;
  return r;
}

int run_bisect(const BisectOptions& options) {
  const pipeline::BisectRequest request = request_of(options);
  const reports::BisectResult result = pipeline::bisect(request);
  reports::write_bisect_text(std::cout, result);
  std::cout << "bisect.json: " << (request.out / "bisect.json").string() << '\n';
  return reports::exit_code_of(result.search.status);
}

}  // namespace

Command add_bisect_command(CLI::App& app) {
  auto options = std::make_shared<BisectOptions>();
  CLI::App* sub = app.add_subcommand(
      "bisect", "The first commit between --good and --bad at which a benchmark regressed");
  sub->footer(
      "Walks the first-parent path from --good to --bad. Each step measures one commit "
      "against\n"
      "--good with compare's machinery (worktrees, build cache, interleaved rounds, the verdict "
      "rule)\n"
      "into --out/step-NN-<sha>. --bad is measured first and must be regressed. A commit that "
      "does\n"
      "not build is skipped; an inconclusive one is measured again with twice --max-runs, and "
      "if it\n"
      "stays inconclusive the search stops naming the range it could not split. The answer "
      "goes to\n"
      "--out/bisect.json and stdout. Exit 0 found, 1 nothing to find (--bad is not "
      "regressed),\n"
      "2 usage error (unknown ref, --good not an ancestor of --bad, --only matching no or "
      "several\n"
      "benchmarks), 3 the range could not be split, or git or --good/--bad failed to build.");
  sub->add_option("--good", options->good, "A revision without the regression")->required();
  sub->add_option("--bad", options->bad, "A later revision with it")->required();
  sub->add_option("--only", options->only,
                  "The one benchmark to follow (an id, or one case: micro/BM_x)")
      ->required();
  sub->add_option("--metric", options->metric,
                  "The metric to follow (default: the benchmark's primary metric)");
  sub->add_option("--repo", options->repo, "A folder inside the repository")->default_str(".");
  sub->add_option("--config", options->config,
                  "Config file (default: perfguard.json at the repository top)");
  sub->add_option("--out", options->out, "Folder for bisect.json and each step's reports")
      ->default_str("perfguard-bisect");
  sub->add_option("--runs", options->runs, "Exactly this many runs per side and step")
      ->check(whole_number(1));
  sub->add_option("--min-runs", options->min_runs, "Runs per side before the first look")
      ->default_val(10)
      ->check(whole_number(1));
  sub->add_option("--max-runs", options->max_runs, "At most this many runs per side and step")
      ->default_val(60)
      ->check(whole_number(1));
  sub->add_option("--cpu", options->cpu, "CPUs to pin benchmarks to (default: the last CPU)");
  sub->add_option("--timeout", options->timeout, "Kill a run after this long")->default_str("60s");
  sub->add_option("--threshold", options->threshold,
                  "Threshold where no budget sets max_regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--confidence", options->confidence, "Confidence level of each step")
      ->default_str(std::string(budgets::kDefaultConfidenceText));
  return {sub, [options] { return run_bisect(*options); }};
}

}  // namespace perfguard::guard
