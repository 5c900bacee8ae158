#pragma once
// Complexity families (docs/complexity.md): Google Benchmark cases that differ only in their
// last numeric argument ("micro/BM_Sort/8" ... "micro/BM_Sort/8192", also with suffixes such
// as "/real_time"), fitted on each side by stats/complexity and judged as one family row beside
// the per-case rows.
//
// The family verdict, in order:
//   complexity_regressed  the candidate's class is higher than the base's, and each side's data
//                         rejects the other side's class by at least stats::kClearEvidence
//                         QAIC units -- fails unless an approval for the family id and metric
//                         allows its projected ratio;
//   otherwise the relative rule (budgets/verdict.hpp) on the projected ratio at the family's
//   size (project_to, default 10x the largest measured size) and its interval. The sides are
//   projected under their own classes when these clearly differ (as above, in either
//   direction), else both under stats::common_complexity;
//   then a complexity budget: a candidate class worse than the budget's is over_budget.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "budgets/verdict.hpp"

namespace perfguard::budgets {

// The family of a benchmark id, and its size: "micro/BM_Sort/64" -> {"micro/BM_Sort", 64},
// "micro/BM_x/8/real_time" -> {"micro/BM_x/real_time", 8}, "BM_y/4/16" -> {"BM_y/4", 16}.
// The size is the last argument that is an integer >= 1 (or a named one, "size:64"); only
// Google Benchmark's own suffixes (real_time, process_time, manual_time, threads:, iterations:,
// repeats:, min_time:, min_warmup_time:) may follow it. nullopt for anything else.
struct FamilyKey {
  std::string family;
  double size = 0.0;
};
[[nodiscard]] std::optional<FamilyKey> family_key(std::string_view benchmark);

// Projections are resampled this many times (seeded with the gate's seed).
inline constexpr std::size_t kProjectionResamples = 2000;
// Without "project_to", a family is projected to this multiple of its largest size.
inline constexpr double kDefaultProjectionFactor = 10.0;

// The family rows of the measurements: primary, non-deterministic metrics of cases with
// family enabled, at least stats::kMinFamilySizes distinct sizes that both sides measured
// without failures. Complexity rules (BudgetRule::complexity) apply to the families they match;
// one that matches no family is reported in `unmatched_rules`, and fails the gate.
struct FamilyJudgement {
  std::vector<FamilyRow> families;                 // by family id
  std::vector<const BudgetRule*> unmatched_rules;  // complexity rules that matched no family
  // Cases named like a family whose times do not follow their size on a side (the chosen
  // curve misses a size's median by more than kMaxFamilyMiss): their last argument is an
  // index, not an input size (snappy's BM_UFlat/0 ... /9 are test files). One line each; they
  // are judged as cases only, and the gate carries the line as a warning.
  std::vector<std::string> not_sized;
};

// How far (as a factor either way) a family's chosen curve may miss a size's median before the
// times are taken not to follow the size at all.
inline constexpr double kMaxFamilyMiss = 2.0;
[[nodiscard]] FamilyJudgement judge_families(std::span<const Measurement> measurements,
                                             std::span<const BudgetRule> rules,
                                             const Approvals& approvals,
                                             const GateSettings& settings);

}  // namespace perfguard::budgets
