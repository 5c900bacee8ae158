#include "reports/artifacts.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "reports/families.hpp"
#include "reports/html.hpp"
#include "reports/json_helpers.hpp"

namespace perfguard::reports {
namespace {

Json load_json(const std::optional<std::array<double, 3>>& load) {
  if (!load) return nullptr;
  return Json::array({json_number((*load)[0]), json_number((*load)[1]), json_number((*load)[2])});
}

Json host_json(const Host& host) {
  return {{"hostname", json_text_or_null(host.hostname)},
          {"cpu_model", json_text_or_null(host.cpu_model)},
          {"logical_cpus", host.logical_cpus},
          {"pinned_cpus", host.pinned_cpus},
          {"kernel", json_text_or_null(host.kernel)},
          {"load_before", load_json(host.load_before)},
          {"load_after", load_json(host.load_after)},
          {"governor", host.governor ? Json(*host.governor) : Json(nullptr)},
          {"aslr", host.aslr ? Json(*host.aslr) : Json(nullptr)}};
}

Json revision_json(const Revision& revision) {
  return {{"ref", revision.ref}, {"commit", json_text_or_null(revision.commit)}};
}

Json settings_json(const ArtifactContext& context) {
  const stats::IntervalOptions& interval = context.settings.interval;
  Json out = {{"confidence", json_number(interval.confidence)},
              {"alpha", json_number(1.0 - interval.confidence)},
              {"interval_method", std::string(to_string(interval.method))},
              {"default_threshold", json_number(context.settings.default_threshold)},
              {"ratio_method", std::string(stats::to_string(context.settings.method))},
              {"today", budgets::format_date(context.settings.today)}};
  if (interval.method != stats::IntervalMethod::exact) {
    out["resamples"] = interval.resamples;
    out["seed"] = interval.seed;
  }
  out["partial"] = context.selection.partial;
  if (context.selection.only) out["only"] = *context.selection.only;
  if (context.selection.partial) {
    out["skipped_benchmarks"] = context.selection.skipped_benchmarks;
    out["skipped_budgets"] = context.selection.skipped_budgets;
  }
  if (const std::optional<ShardRecord>& shard = context.selection.shard) {
    out["shard"] = {{"index", shard->index},
                    {"count", shard->count},
                    {"benchmarks", shard->benchmarks},
                    {"selection", shard->selection},
                    {"skipped_budgets", shard->skipped_budgets},
                    {"balanced_by", shard->balanced_by},
                    {"config_digest", shard->config_digest},
                    {"replay", shard->replay}};
  }
  if (!context.merged_shards.is_null()) out["merged_shards"] = context.merged_shards;
  out.update(context.extra_settings);
  return out;
}

// The header every JSON artifact carries.
Json header(const char* schema, const ArtifactContext& context) {
  Json out = {{"schema", schema},
              {"generated_at", context.generated_at},
              {"perfguard_version", PERFGUARD_VERSION},
              {"host", host_json(context.host)},
              {"base", revision_json(context.base)},
              {"candidate", revision_json(context.candidate)},
              {"settings", settings_json(context)}};
  if (context.resumed) out["resumed"] = *context.resumed;
  if (context.interrupted) out["interrupted"] = *context.interrupted;
  return out;
}

Json gate_json(const budgets::GateResult& gate) {
  Json counts = Json::object();
  for (const auto& [verdict, count] : gate.counts) counts[verdict] = count;
  return {{"passed", gate.passed},       {"verdict", gate.passed ? "pass" : "fail"},
          {"exit_code", gate.exit_code}, {"counts", counts},
          {"failures", gate.failures},   {"warnings", gate.warnings}};
}

Json approval_json(const budgets::Approval& approval) {
  Json out = {{"benchmark", approval.benchmark},
              {"metric", approval.metric},
              {"max_ratio", approval.removed ? Json(nullptr) : json_number(approval.max_ratio)},
              {"reason", approval.reason},
              {"approver", approval.approver},
              {"ticket", approval.ticket},
              {"created", budgets::format_date(approval.created)},
              {"expires", budgets::format_date(approval.expires)}};
  // An approval of a removal (written only then): it has no max_ratio.
  if (approval.removed) out["removed"] = true;
  return out;
}

Json row_json(const budgets::Row& row, const ArtifactContext& context) {
  const std::optional<stats::Comparison>& c = row.comparison;
  Json out = {
      {"benchmark", row.benchmark},
      {"spec", row.spec},
      {"metric", row.metric},
      {"unit", row.unit},
      {"verdict", std::string(budgets::to_string(row.verdict))},
      {"passes", budgets::passes(row.verdict)},
      {"reason", row.reason},
      {"severity", json_text_or_null(budgets::to_string(row.severity))},
      {"threshold", json_number(row.threshold)},
      {"confidence", json_number(row.confidence)},
      {"base", c ? summary_json(c->base) : Json(nullptr)},
      {"candidate", c ? summary_json(c->candidate) : Json(nullptr)},
      {"ratio", c ? json_number(c->ratio) : Json(nullptr)},
      {"ratio_ci", c ? json_interval(c->ratio_ci) : Json(nullptr)},
      {"exact", row.exact},
      {"method", c ? Json(std::string(stats::to_string(c->method))) : Json(nullptr)},
      {"paired_rounds", c && stats::is_paired(c->method) ? Json(c->paired_rounds) : Json(nullptr)},
      {"mann_whitney_p", c && c->mann_whitney ? json_number(c->mann_whitney->p) : Json(nullptr)},
      {"welch_p", c && c->welch ? json_number(c->welch->p) : Json(nullptr)},
      {"hodges_lehmann", c ? json_number(c->hodges_lehmann) : Json(nullptr)},
      {"approval", row.approval ? approval_json(*row.approval) : Json(nullptr)},
      {"failures", {{"base", row.base_failures}, {"candidate", row.candidate_failures}}},
      {"replay", budgets::passes(row.verdict) ? Json(nullptr)
                                              : Json(replay_command(context, row.benchmark))}};
  // Only the base has it; written only when true, so most rows do not carry it.
  if (row.removed) out["removed"] = true;
  if (!row.label.empty()) out["label"] = row.label;
  // Merged from shards: where this row was measured.
  auto host = context.row_hosts.find(row.benchmark);
  if (host == context.row_hosts.end()) host = context.row_hosts.find(row.spec);
  if (host != context.row_hosts.end()) out["host"] = host_json(host->second);
  return out;
}

Json budget_json(const budgets::BudgetResult& budget, const ArtifactContext& context) {
  return {{"benchmark", budget.benchmark},
          {"metric", budget.metric},
          {"unit", budget.unit},
          {"statistic", std::string(budgets::to_string(budget.statistic))},
          {"limit", json_number(budget.limit)},
          {"actual", json_number(budget.actual)},
          {"actual_ci", json_interval(budget.actual_ci)},
          {"status", std::string(budgets::to_string(budget.status))},
          {"passes", budget.status == budgets::BudgetStatus::pass},
          {"reason", budget.reason},
          {"severity", json_text_or_null(budgets::to_string(budget.severity))},
          {"rule", budget.rule.to_string()},
          {"replay", budget.status == budgets::BudgetStatus::pass
                         ? Json(nullptr)
                         : Json(replay_command(context, budget.benchmark))}};
}

Json approvals_json(const budgets::GateResult& gate) {
  Json out = Json::array();
  for (const budgets::ApprovalNote& note : gate.approvals) {
    out.push_back({{"use", std::string(budgets::to_string(note.use))},
                   {"benchmark", json_text_or_null(note.benchmark)},
                   {"metric", json_text_or_null(note.metric)},
                   {"message", note.message},
                   {"days_left", note.days_left ? Json(*note.days_left) : Json(nullptr)},
                   {"location", note.location.to_string()}});
  }
  return out;
}

}  // namespace

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./=:@%+,") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (const char ch : word) {
    if (ch == '\'') {
      quoted += "'\\''";
    } else {
      quoted += ch;
    }
  }
  return quoted + "'";
}

std::string replay_command(const ArtifactContext& context, const std::string& benchmark) {
  return fmt::format("{} --only {}", context.replay_prefix, shell_quote(benchmark));
}

namespace {

Json budgets_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = Json::array();
  for (const budgets::BudgetResult& budget : gate.budgets)
    out.push_back(budget_json(budget, context));
  return out;
}

}  // namespace

Json perf_comparison_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = header(kPerfComparisonSchema, context);
  out["gate"] = gate_json(gate);
  Json rows = Json::array();
  for (const budgets::Row& row : gate.rows) rows.push_back(row_json(row, context));
  out["results"] = rows;
  out["budgets"] = budgets_json(gate, context);
  out["approvals"] = approvals_json(gate);
  out["families"] = families_json(gate, context);
  return out;
}

Json budget_summary_json(const budgets::GateResult& gate, const ArtifactContext& context) {
  Json out = header(kBudgetSummarySchema, context);
  out["gate"] = gate_json(gate);
  out["budgets"] = budgets_json(gate, context);
  Json relative = Json::array();
  for (const budgets::Row& row : gate.rows) {
    relative.push_back(
        {{"benchmark", row.benchmark},
         {"metric", row.metric},
         {"threshold", json_number(row.threshold)},
         {"ratio", row.comparison ? json_number(row.comparison->ratio) : Json(nullptr)},
         {"ratio_ci", row.comparison ? json_interval(row.comparison->ratio_ci) : Json(nullptr)},
         {"exact", row.exact},
         {"verdict", std::string(budgets::to_string(row.verdict))},
         {"passes", budgets::passes(row.verdict)},
         {"reason", row.reason},
         {"severity", json_text_or_null(budgets::to_string(row.severity))},
         {"approval", row.approval ? Json(row.approval->ticket) : Json(nullptr)}});
  }
  out["relative"] = relative;
  out["approvals"] = approvals_json(gate);
  out["families"] = families_json(gate, context);
  return out;
}

}  // namespace perfguard::reports
