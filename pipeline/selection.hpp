#pragma once
// What `--only` leaves out of a gate, recorded in the artifacts so that `perfguard check`
// can tell a narrowed run from a complete one.
#include <optional>
#include <string>
#include <vector>

#include "budgets/config.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::pipeline {

struct SelectedBudgets {
  std::vector<budgets::BudgetRule> rules;  // the budgets the narrowed gate judges
  std::vector<std::string> skipped;        // where each left-out budget is ("file:line:column")
};

// Without --only every budget is kept (one that names nothing measured fails the gate as
// `missing`). With it, a budget is kept when it applies to a selected benchmark or when
// the --only glob matches the budget's own benchmark pattern; the rest are skipped.
[[nodiscard]] SelectedBudgets budgets_for_selection(const std::vector<budgets::BudgetRule>& rules,
                                                    const std::optional<std::string>& only,
                                                    const std::vector<std::string>& selected);

// The selection record: partial when --only left out a benchmark or a budget, or narrowed
// a benchmark to some of its cases (`narrowed_cases`).
[[nodiscard]] reports::Selection selection_record(const std::optional<std::string>& only,
                                                  std::vector<std::string> skipped_benchmarks,
                                                  std::vector<std::string> skipped_budgets,
                                                  bool narrowed_cases);

}  // namespace perfguard::pipeline
