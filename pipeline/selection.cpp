#include "pipeline/selection.hpp"

#include <algorithm>

namespace perfguard::pipeline {

SelectedBudgets budgets_for_selection(const std::vector<budgets::BudgetRule>& rules,
                                      const std::optional<std::string>& only,
                                      const std::vector<std::string>& selected) {
  SelectedBudgets out;
  for (const budgets::BudgetRule& rule : rules) {
    const bool kept = !only || budgets::glob_match(*only, rule.benchmark) ||
                      std::any_of(selected.begin(), selected.end(), [&](const std::string& id) {
                        return budgets::glob_match(rule.benchmark, id);
                      });
    if (kept) {
      out.rules.push_back(rule);
    } else {
      out.skipped.push_back(rule.location.to_string());
    }
  }
  return out;
}

reports::Selection selection_record(const std::optional<std::string>& only,
                                    std::vector<std::string> skipped_benchmarks,
                                    std::vector<std::string> skipped_budgets,
                                    bool narrowed_cases) {
  reports::Selection selection;
  selection.only = only;
  selection.partial = only.has_value() && (narrowed_cases || !skipped_benchmarks.empty() ||
                                           !skipped_budgets.empty());
  selection.skipped_benchmarks = std::move(skipped_benchmarks);
  selection.skipped_budgets = std::move(skipped_budgets);
  return selection;
}

}  // namespace perfguard::pipeline
