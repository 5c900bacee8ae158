// perfguard diff BASE CANDIDATE: the gate over two existing result files; pipeline/diff.hpp reads,
// matches and judges them and writes the artifacts.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "budgets/config.hpp"
#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "pipeline/diff.hpp"
#include "pipeline/gate_output.hpp"
#include "reports/artifacts.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {
namespace {

struct DiffOptions {
  std::string base;
  std::string candidate;
  std::optional<std::string> config;
  std::optional<std::string> approvals;
  std::string out = "perfguard-reports";
  std::optional<std::string> only;
  std::string threshold{kDefaultThresholdText};
  std::string confidence{budgets::kDefaultConfidenceText};
  std::optional<std::string> ratio_method;
  bool allow_cross_host = false;
  std::optional<std::string> history;
  bool no_history = false;
};

std::string replay_prefix(const DiffOptions& options) {
  std::string command = fmt::format("perfguard diff {} {}", reports::shell_quote(options.base),
                                    reports::shell_quote(options.candidate));
  if (options.config) command += " --config " + reports::shell_quote(*options.config);
  if (options.approvals) command += " --approvals " + reports::shell_quote(*options.approvals);
  command += judgement_flags(options.threshold, options.confidence);
  if (options.allow_cross_host) command += " --allow-cross-host";
  return command;
}

int run_diff(const DiffOptions& options) {
  pipeline::DiffRequest request;
  request.gate.default_threshold = threshold_flag("--threshold", options.threshold);
  request.gate.interval.confidence = confidence_flag("--confidence", options.confidence);
  request.gate.today = budgets::today_utc();
  // Result files hold no rounds to pair: the ratio of medians is the one method that applies,
  // whatever the config's "ratio_method" says, and the artifacts record it.
  if (options.ratio_method && ratio_method_flag("--ratio-method", *options.ratio_method) !=
                                  stats::RatioMethod::median_ratio) {
    throw UsageError(fmt::format(
        "--ratio-method {}: result files hold no rounds, and paired methods need runs taken in "
        "rounds (perfguard compare, perfguard time); diff takes only median_ratio",
        *options.ratio_method));
  }
  request.gate.method = stats::RatioMethod::median_ratio;
  if (options.config) request.config = *options.config;
  if (options.approvals) request.approvals = *options.approvals;
  request.out = options.out;
  request.only = options.only;
  request.base = options.base;
  request.candidate = options.candidate;
  request.replay_prefix = replay_prefix(options);
  request.allow_cross_host = options.allow_cross_host;
  if (!options.no_history) request.history = options.history;
  const budgets::GateResult gate = pipeline::diff(request);
  pipeline::print_gate_summary(std::cout, gate, request.out);
  return gate.exit_code;
}

}  // namespace

Command add_diff_command(CLI::App& app) {
  auto options = std::make_shared<DiffOptions>();
  CLI::App* sub = app.add_subcommand("diff", "The gate over two existing result files");
  sub->footer(
      "BASE and CANDIDATE: Google Benchmark JSON (per-repetition runs) or hyperfine "
      "--export-json.\n"
      "Benchmarks are matched by name; one only the candidate has is 'new' (passes), one only "
      "the base\n"
      "has is 'missing' (fails unless an approval accepts its removal). hyperfine results whose "
      "names\n"
      "(commands) all differ are paired by position when both files hold as many; name them "
      "with\n"
      "hyperfine -n NAME to match by name. --config needs no \"benchmarks\": its budgets and "
      "approvals\n"
      "name the benchmarks in the files.\n"
      "Writes perf_comparison.json, budget_summary.json, perf_comparison.md, junit.xml and "
      "index.html into --out.\n"
      "With --history the run is recorded in that history store; a store that fails after a "
      "passing\n"
      "gate exits 3 with its reports intact, after a failing one it is a warning.\n"
      "Exit 0 gate passed, 1 gate failed, 2 usage/config error, 3 a benchmark failed or output "
      "unwritable.");
  sub->add_option("BASE", options->base, "Results of the base")->required();
  sub->add_option("CANDIDATE", options->candidate, "Results of the candidate")->required();
  sub->add_option("--config", options->config, "perfguard.json with budgets (and approvals)");
  sub->add_option("--approvals", options->approvals,
                  "Approvals file (default: the config's \"approvals\")");
  sub->add_option("--out", options->out, "Folder for the reports")
      ->default_str("perfguard-reports");
  sub->add_option("--only", options->only, "Judge only benchmarks matching this glob");
  sub->add_option("--threshold", options->threshold,
                  "Threshold where no budget sets max_regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--confidence", options->confidence, "Confidence level of the intervals")
      ->default_str(std::string(budgets::kDefaultConfidenceText));
  sub->add_option("--ratio-method", options->ratio_method,
                  "How a row's ratio and interval are reached: only median_ratio (the ratio of "
                  "medians) applies to result files, which hold no rounds")
      ->default_str("median_ratio");
  sub->add_flag("--allow-cross-host", options->allow_cross_host,
                "Compare results from different machines");
  // No default store: the files may come from anywhere and carry no commits (docs/history.md,
  // "Recording a run").
  CLI::Option* history =
      sub->add_option("--history", options->history,
                      "Record the run in this history store: a SQLite file or a postgresql:// URL");
  sub->add_flag("--no-history", options->no_history,
                "Do not record the run (the default; for scripts that pass compare's flags)")
      ->excludes(history);
  return {sub, [options] { return run_diff(*options); }};
}

}  // namespace perfguard::guard
