// perfguard diff BASE CANDIDATE: the gate over two existing result files. The files are read
// and matched here; pipeline/diff.hpp judges them and writes the artifacts.
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
#include "inputs/result_file.hpp"
#include "pipeline/diff.hpp"
#include "pipeline/gate_output.hpp"
#include "reports/artifacts.hpp"

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
  bool allow_cross_host = false;
  std::optional<std::string> history;
  bool no_history = false;
};

using inputs::ResultFile;
using inputs::ResultSet;

// Same-host is the premise of every verdict: refuse files that name different machines.
void check_same_host(const ResultFile& base, const ResultFile& candidate, bool allow_cross_host) {
  if (base.host && candidate.host && *base.host != *candidate.host && !allow_cross_host) {
    throw UsageError(
        fmt::format("{} was measured on {} but {} on {}: timings from different machines cannot be "
                    "compared (--allow-cross-host to do it anyway)",
                    base.path, *base.host, candidate.path, *candidate.host));
  }
  if (!base.host || !candidate.host) {
    std::cerr << "perfguard: warning: cannot check that both files come from one machine (a file "
                 "does not say)\n";
  }
}

// hyperfine names a result by its command line, which differs when the two builds live at
// different paths. When no name matches and both files hold as many results, the results are
// paired by position under the base's names, and the terminal says so. Returns whether it did.
bool match_by_position(const ResultFile& base, ResultFile& candidate) {
  if (base.format != "hyperfine" || candidate.format != "hyperfine" ||
      base.sets.size() != candidate.sets.size()) {
    return false;
  }
  for (const ResultSet& b : base.sets) {
    for (const ResultSet& c : candidate.sets) {
      if (b.benchmark == c.benchmark) return false;
    }
  }
  for (std::size_t i = 0; i < base.sets.size(); ++i) {
    std::cerr << fmt::format(
        "perfguard: note: no command matches by name; paired by position: "
        "\"{}\" with \"{}\"\n",
        base.sets[i].benchmark, candidate.sets[i].benchmark);
    candidate.sets[i].benchmark = base.sets[i].benchmark;
  }
  std::cerr << "perfguard: note: name the commands (hyperfine -n NAME) to match them by name\n";
  return true;
}

// Every (benchmark, metric) of either file; one only the candidate has is `new`, one only the
// base has `missing`. The benchmarks --only leaves out go to `skipped`.
std::vector<budgets::Measurement> measurements(const ResultFile& base, const ResultFile& candidate,
                                               const std::optional<std::string>& only,
                                               std::vector<std::string>& skipped) {
  std::vector<budgets::Measurement> out;
  const auto entry = [&](const ResultSet& set) -> budgets::Measurement& {
    for (budgets::Measurement& m : out) {
      if (m.benchmark == set.benchmark && m.metric == set.metric) return m;
    }
    budgets::Measurement m;
    m.spec = m.benchmark = set.benchmark;
    m.metric = set.metric;
    m.unit = set.unit;
    m.primary = set.primary;
    out.push_back(std::move(m));
    return out.back();
  };
  for (const auto& [file, is_base] : {std::pair{&base, true}, std::pair{&candidate, false}}) {
    for (const ResultSet& set : file->sets) {
      if (only && !budgets::glob_match(*only, set.benchmark)) {
        if (std::find(skipped.begin(), skipped.end(), set.benchmark) == skipped.end())
          skipped.push_back(set.benchmark);
        continue;
      }
      budgets::Measurement& m = entry(set);
      if (m.unit != set.unit) {
        throw UsageError(fmt::format("{} {} is in {} in one file and {} in the other",
                                     set.benchmark, set.metric, m.unit, set.unit));
      }
      (is_base ? m.base : m.candidate) = budgets::SideSamples{set.values, set.failures};
      if (!set.label.empty()) m.label = set.label;  // the candidate's, when both have one
    }
  }
  if (only && out.empty())
    throw UsageError(fmt::format("--only {}: matches no benchmark in either file", *only));
  return out;
}

std::string replay_prefix(const DiffOptions& options) {
  std::string command = fmt::format("perfguard diff {} {}", reports::shell_quote(options.base),
                                    reports::shell_quote(options.candidate));
  if (options.config) command += " --config " + reports::shell_quote(*options.config);
  if (options.approvals) command += " --approvals " + reports::shell_quote(*options.approvals);
  command += judgement_flags(options.threshold, options.confidence);
  if (options.allow_cross_host) command += " --allow-cross-host";
  return command;
}

// The two files, read and matched: what the pipeline judges.
pipeline::DiffInputs read_inputs(const DiffOptions& options) {
  const ResultFile base = inputs::read_result_file(options.base);
  ResultFile candidate = inputs::read_result_file(options.candidate);
  check_same_host(base, candidate, options.allow_cross_host);
  const bool by_position = match_by_position(base, candidate);
  pipeline::DiffInputs inputs;
  inputs.measurements = measurements(base, candidate, options.only, inputs.skipped);
  inputs.hostname = candidate.host.value_or(base.host.value_or(""));
  inputs.extra_settings = {{"base_format", base.format},
                           {"candidate_format", candidate.format},
                           {"matched_by", by_position ? "position" : "name"}};
  return inputs;
}

int run_diff(const DiffOptions& options) {
  pipeline::DiffRequest request;
  request.gate.default_threshold = threshold_flag("--threshold", options.threshold);
  request.gate.interval.confidence = confidence_flag("--confidence", options.confidence);
  request.gate.today = budgets::today_utc();
  if (options.config) request.config = *options.config;
  if (options.approvals) request.approvals = *options.approvals;
  request.out = options.out;
  request.only = options.only;
  request.base = options.base;
  request.candidate = options.candidate;
  request.replay_prefix = replay_prefix(options);
  if (!options.no_history) request.history = options.history;
  request.read = [&options] { return read_inputs(options); };
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
