#include "pipeline/diff.hpp"

#include <iostream>
#include <utility>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/record_history.hpp"
#include "pipeline/sample_series.hpp"
#include "pipeline/selection.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::pipeline {
namespace {

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

  DiffInputs inputs = request.read();
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
  PG_CHECK(request.read != nullptr);
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
