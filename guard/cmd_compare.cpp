// perfguard compare --base REF --candidate REF: the gate. The flags, checked, become a
// pipeline::CompareRequest; pipeline/compare.hpp does the rest.
#include <chrono>
#include <cstdint>
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
#include "harness/schedule.hpp"
#include "pipeline/compare.hpp"
#include "pipeline/gate_output.hpp"
#include "reports/artifacts.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {
namespace {

struct CompareOptions {
  std::string base;
  std::string candidate = "HEAD";
  std::string repo = ".";
  std::optional<std::string> config;
  std::string out = "perfguard-reports";
  std::optional<std::string> only;
  std::optional<std::string> shard;
  std::optional<std::size_t> runs;
  std::size_t min_runs = 10;
  std::optional<std::size_t> max_runs;  // unset: pipeline::kDefaultMaxRuns, or the budget's
  std::optional<std::string> max_time;
  std::optional<std::string> cpu;
  std::string timeout = "60s";
  std::size_t warmup = 1;
  std::string threshold{kDefaultThresholdText};
  std::string confidence{budgets::kDefaultConfidenceText};
  std::optional<std::string> ratio_method;
  std::uint64_t seed = harness::kDefaultScheduleSeed;
  bool keep_worktrees = false;
  bool resume = false;
  std::optional<std::string> history;
  bool no_history = false;
};

// Checked flag values, all in one place before anything slow starts.
pipeline::CompareRequest request_of(const CompareOptions& options) {
  pipeline::CompareRequest s;
  s.base = options.base;
  s.candidate = options.candidate;
  s.repo = options.repo;
  if (options.config) s.config = *options.config;
  s.out = options.out;
  s.only = options.only;
  if (options.shard) s.shard = pipeline::parse_shard("--shard", *options.shard);
  s.keep_worktrees = options.keep_worktrees;
  s.resume = options.resume;
  s.record_history = !options.no_history;
  s.history_location = options.history;
  s.gate.default_threshold = threshold_flag("--threshold", options.threshold);
  s.gate.interval.confidence = confidence_flag("--confidence", options.confidence);
  s.gate.today = budgets::today_utc();
  if (options.ratio_method)
    s.ratio_method = ratio_method_flag("--ratio-method", *options.ratio_method);
  s.schedule.alpha = 1.0 - s.gate.interval.confidence;
  s.schedule.seed = options.seed;
  s.schedule.min_runs = options.runs.value_or(options.min_runs);
  s.schedule.max_runs = options.runs ? options.runs : options.max_runs;
  // Fewer runs than the ratio interval needs at this confidence would call identical code
  // regressed more often than the confidence promises: refused, with the number needed.
  const std::size_t needed = stats::min_samples_for_ratio_ci(s.gate.interval.confidence);
  const auto refuse_below = [&](const char* flag, std::size_t runs) {
    if (runs < needed) {
      throw UsageError(fmt::format(
          "{} {}: at confidence {} a verdict needs at least {} runs per side", flag, runs,
          options.confidence, needed));
    }
  };
  if (options.runs) {
    refuse_below("--runs", *options.runs);
  } else {
    refuse_below("--min-runs", options.min_runs);
    const std::size_t max_runs = options.max_runs.value_or(pipeline::kDefaultMaxRuns);
    if (max_runs < options.min_runs) {
      throw UsageError(
          fmt::format("--max-runs {} is below --min-runs {}", max_runs, options.min_runs));
    }
  }
  if (options.max_time) {
    s.schedule.max_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(positive_duration_flag("--max-time", *options.max_time)));
  }
  // One CPU by default, the last one: CPU 0 takes most interrupts and housekeeping.
  s.plan.cpus = options.cpu ? cpu_flag("--cpu", *options.cpu)
                            : std::vector<int>{harness::allowed_cpus().back()};
  s.plan.default_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(positive_duration_flag("--timeout", options.timeout)));
  s.plan.default_warmup = options.warmup;
  s.plan.default_threshold = s.gate.default_threshold;
  return s;
}

// A replay works from any directory (absolute --repo, --config and --out), writes into a
// folder of its own (<out>/replay, never over the gate's reports), and samples as the gate
// did (the run-shaping flags that were given). Flags added after it override these.
std::string replay_prefix(const CompareOptions& options, const std::filesystem::path& top,
                          const std::string& base, const std::string& candidate) {
  const auto absolute = [](const std::string& path) {
    return reports::shell_quote(std::filesystem::absolute(path).lexically_normal().string());
  };
  std::string command =
      fmt::format("perfguard compare --base {} --candidate {} --repo {}", base.substr(0, 12),
                  candidate.substr(0, 12), reports::shell_quote(top.string()));
  if (options.config) command += " --config " + absolute(*options.config);
  command += " --out " + absolute((std::filesystem::path(options.out) / "replay").string());
  if (options.runs) {
    command += fmt::format(" --runs {}", *options.runs);
  } else {
    const CompareOptions defaults;
    if (options.min_runs != defaults.min_runs)
      command += fmt::format(" --min-runs {}", options.min_runs);
    if (options.max_runs) command += fmt::format(" --max-runs {}", *options.max_runs);
  }
  if (options.max_time) command += " --max-time " + reports::shell_quote(*options.max_time);
  if (options.cpu) command += " --cpu " + reports::shell_quote(*options.cpu);
  if (options.timeout != CompareOptions().timeout)
    command += " --timeout " + reports::shell_quote(options.timeout);
  if (options.warmup != CompareOptions().warmup)
    command += fmt::format(" --warmup {}", options.warmup);
  if (options.seed != harness::kDefaultScheduleSeed)
    command += fmt::format(" --seed {}", options.seed);
  command += judgement_flags(options.threshold, options.confidence);
  if (options.ratio_method)
    command += " --ratio-method " + reports::shell_quote(*options.ratio_method);
  // The run it replays is in the history already; a second point for one night would count
  // that night twice.
  command += " --no-history";
  return command;
}

int run_compare(const CompareOptions& options) {
  pipeline::CompareRequest request = request_of(options);
  request.replay_prefix = [&options](const std::filesystem::path& top, const std::string& base,
                                     const std::string& candidate) {
    return replay_prefix(options, top, base, candidate);
  };
  const budgets::GateResult gate = pipeline::compare(request);
  pipeline::print_gate_summary(std::cout, gate, request.out);
  return gate.exit_code;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* sub = app.add_subcommand("compare", "The gate: is the candidate slower than the base?");
  sub->footer(fmt::format(
      "Checks both revisions out in git worktrees (.perfguard/worktrees/<sha>), builds them with "
      "the\n"
      "config's build steps (.perfguard/builds/<sha>, reused while the commit and steps are "
      "unchanged),\n"
      "runs every benchmark on both sides in interleaved, randomized rounds pinned to one CPU, "
      "stops\n"
      "each once its verdict is settled (alpha spent across looks), and writes the reports into "
      "--out.\n"
      "Exit 0 gate passed, 1 gate failed, 2 usage/config error (unknown ref), 3 git/build failure "
      "or\n"
      "a benchmark that crashed or hung, 130/143 interrupted. The previous reports in --out are "
      "removed\n"
      "first; a run that fails or is interrupted leaves a failing gate saying why. The config "
      "and\n"
      "approvals are read from the working tree for both sides; the code is each side's commit.\n"
      "--max-time (or the config's \"max_time\") bounds warmups and runs together; a benchmark "
      "short of\n"
      "--min-runs when it runs out is inconclusive. Without --max-runs it plans the runs per "
      "side from\n"
      "the warmups' pace: what the budget holds, {} to {}. After the warmups an estimate of "
      "the\n"
      "measuring time is printed, with a warning when it does not fit. An interrupted run "
      "continues\n"
      "with --resume (same --out); `perfguard report DIR` judges what its journal holds, failing "
      "closed.\n"
      "Then the run is recorded in the history store (--history, --no-history); a store that "
      "fails\n"
      "after a passing gate exits 3 with its reports intact, after a failing one it is a "
      "warning.",
      pipeline::kMinBudgetPlannedRuns, pipeline::kDefaultMaxRuns));
  sub->add_option("--base", options->base, "The revision to compare against (a tag, branch or SHA)")
      ->required();
  sub->add_option("--candidate", options->candidate, "The revision under test")
      ->default_str("HEAD");
  sub->add_option("--repo", options->repo, "A folder inside the repository")->default_str(".");
  sub->add_option("--config", options->config,
                  "Config file (default: perfguard.json at the repository top)");
  sub->add_option("--out", options->out, "Folder for the reports")
      ->default_str("perfguard-reports");
  sub->add_option("--only", options->only,
                  "Only benchmarks matching this glob (or one case: micro/BM_x)");
  sub->add_option("--shard", options->shard,
                  "Measure the I-th of N shards of the benchmarks (I/N, 1-based); join the shards' "
                  "folders with perfguard merge (docs/scale-out.md)");
  sub->add_option("--runs", options->runs,
                  "Exactly this many runs per side (no adaptive stopping)")
      ->check(whole_number(1));
  sub->add_option("--min-runs", options->min_runs, "Runs per side before the first look")
      ->default_val(10)
      ->check(whole_number(1));
  sub->add_option("--max-runs", options->max_runs,
                  fmt::format("At most this many runs per side (default: {1}; with a time "
                              "budget, what it holds at the warmups' pace, {0} to {1})",
                              pipeline::kMinBudgetPlannedRuns, pipeline::kDefaultMaxRuns))
      ->check(whole_number(1));
  sub->add_option("--max-time", options->max_time,
                  fmt::format("Budget for the whole measuring phase, warmups included (e.g. 2m; "
                              "default: the config's \"max_time\", else none). Without "
                              "--max-runs it plans the runs per side it holds at the warmups' "
                              "pace, {} to {}. A benchmark short of --min-runs when it runs out "
                              "is inconclusive",
                              pipeline::kMinBudgetPlannedRuns, pipeline::kDefaultMaxRuns));
  sub->add_option("--cpu", options->cpu, "CPUs to pin benchmarks to (default: the last CPU)");
  sub->add_option("--timeout", options->timeout, "Kill a run after this long")->default_str("60s");
  sub->add_option("--warmup", options->warmup, "Warmup runs per side unless the config sets them")
      ->default_val(1)
      ->check(whole_number(0));
  sub->add_option("--threshold", options->threshold,
                  "Threshold where no budget sets max_regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--confidence", options->confidence, "Overall confidence level")
      ->default_str(std::string(budgets::kDefaultConfidenceText));
  sub->add_option(
      "--ratio-method", options->ratio_method,
      fmt::format("How a row's ratio and interval are reached: {} (default: the "
                  "config's \"ratio_method\", else {}; docs/design.md)",
                  stats::ratio_method_names(), stats::to_string(budgets::kDefaultRatioMethod)));
  sub->add_option("--seed", options->seed, "Seed of the run order within rounds")
      ->check(whole_number(0, UINT64_MAX));
  sub->add_flag("--keep-worktrees", options->keep_worktrees,
                "Leave the worktrees in place afterwards");
  sub->add_flag("--resume", options->resume,
                "Continue the interrupted run in --out: same commits, config, builds, settings "
                "and host (else exit 2); its measured runs are kept, only what is missing runs");
  CLI::Option* history = sub->add_option(
      "--history", options->history,
      "Record the run in this history store: a SQLite file or a postgresql:// URL (default "
      "<repository top>/.perfguard/history.sqlite)");
  sub->add_flag("--no-history", options->no_history, "Do not record the run in a history store")
      ->excludes(history);
  // A replay printed in the reports carries these flags; one written again after it wins.
  for (const char* flag : {"--base", "--candidate", "--repo", "--config", "--out", "--runs",
                           "--min-runs", "--max-runs", "--max-time", "--cpu", "--timeout",
                           "--warmup", "--threshold", "--confidence", "--ratio-method", "--seed"}) {
    sub->get_option(flag)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  return {sub, [options] { return run_compare(*options); }};
}

}  // namespace perfguard::guard
