#include "pipeline/diff.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

#include <fmt/format.h>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "inputs/result_file.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/record_history.hpp"
#include "pipeline/sample_series.hpp"
#include "pipeline/selection.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::pipeline {
namespace {

using inputs::ResultFile;
using inputs::ResultSet;

// Same-host is the premise of every verdict: refuse files that name different machines.
void check_same_host(const ResultFile& base, const ResultFile& candidate, bool allow_cross_host,
                     std::ostream& notes) {
  if (base.host && candidate.host && *base.host != *candidate.host && !allow_cross_host) {
    throw UsageError(
        fmt::format("{} was measured on {} but {} on {}: timings from different machines cannot be "
                    "compared (--allow-cross-host to do it anyway)",
                    base.path, *base.host, candidate.path, *candidate.host));
  }
  if (!base.host || !candidate.host) {
    notes << "perfguard: warning: cannot check that both files come from one machine (a file "
                 "does not say)\n";
  }
}

// hyperfine names a result by its command line, which differs when the two builds live at
// different paths. When no name matches and both files hold as many results, the results are
// paired by position under the base's names, and the terminal says so. Returns whether it did.
bool match_by_position(const ResultFile& base, ResultFile& candidate, std::ostream& notes) {
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
    notes << fmt::format(
        "perfguard: note: no command matches by name; paired by position: "
        "\"{}\" with \"{}\"\n",
        base.sets[i].benchmark, candidate.sets[i].benchmark);
    candidate.sets[i].benchmark = base.sets[i].benchmark;
  }
  notes << "perfguard: note: name the commands (hyperfine -n NAME) to match them by name\n";
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

// The two files, read and matched: what the gate judges.
DiffInputs read_inputs(const DiffRequest& request) {
  const ResultFile base = inputs::read_result_file(request.base);
  ResultFile candidate = inputs::read_result_file(request.candidate);
  check_same_host(base, candidate, request.allow_cross_host, *request.notes);
  const bool by_position = match_by_position(base, candidate, *request.notes);
  DiffInputs inputs;
  inputs.measurements = measurements(base, candidate, request.only, inputs.skipped);
  inputs.hostname = candidate.host.value_or(base.host.value_or(""));
  inputs.extra_settings = {{"base_format", base.format},
                           {"candidate_format", candidate.format},
                           {"matched_by", by_position ? "position" : "name"}};
  return inputs;
}

budgets::GateResult judge_files(const DiffRequest& request, reports::ArtifactContext& context) {
  std::vector<budgets::BudgetRule> rules;
  std::optional<std::filesystem::path> approvals_path = request.approvals;
  if (request.config) {
    const budgets::Config config =
        budgets::load_config(request.config->string(), budgets::ConfigUse::diff);
    rules = config.budgets;
    if (!approvals_path && config.approvals)
      approvals_path = request.config->parent_path() / *config.approvals;
  }
  budgets::Approvals approvals;
  if (approvals_path)
    approvals = budgets::load_approvals(approvals_path->string(), request.gate.today);

  DiffInputs inputs = read_inputs(request);
  std::vector<std::string> judged;
  for (const budgets::Measurement& m : inputs.measurements) judged.push_back(m.benchmark);
  const SelectedBudgets selected = budgets_for_selection(rules, request.only, judged);

  budgets::GateResult gate =
      budgets::judge(inputs.measurements, selected.rules, approvals, request.gate);
  context.generated_at = rfc3339_now();
  context.host.hostname = inputs.hostname;
  context.selection =
      selection_record(request.only, std::move(inputs.skipped), selected.skipped, false);
  context.extra_settings = {{"command", "diff"}};
  context.extra_settings.update(inputs.extra_settings);
  write_gate_artifacts(request.out, gate, context, sample_series(inputs.measurements));
  return gate;
}

}  // namespace

budgets::GateResult diff(const DiffRequest& request) {
  // What --out holds from an earlier run goes first: whatever happens next, it cannot pass.
  invalidate_gate_artifacts(request.out);
  reports::ArtifactContext context;
  context.base = {request.base, ""};
  context.candidate = {request.candidate, ""};
  context.settings = request.gate;
  context.replay_prefix = request.replay_prefix;
  budgets::GateResult gate;
  try {
    gate = judge_files(request, context);
  } catch (const Error& e) {
    // Bad input (exit 2) judged nothing: the removed pair says enough. Anything later says why.
    if (e.exit_code() != kExitUsage) {
      context.generated_at = rfc3339_now();
      context.extra_settings = {{"command", "diff"}};
      write_unfinished_artifacts(request.out, context, e.what(), e.exit_code());
    }
    throw;
  }
  // After the artifacts: a store that fails cannot touch them.
  if (request.history)
    record_in_history(*request.history, gate, context, request.out.string(), std::cerr);
  return gate;
}

}  // namespace perfguard::pipeline
