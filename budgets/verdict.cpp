#include "budgets/verdict.hpp"

#include <fmt/core.h>

#include "core/check.hpp"

namespace perfguard::budgets {
namespace {

// A ratio as a signed percentage change: 1.081 -> "+8.1%".
std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }

std::string ci_text(const stats::Interval& ci) {
  return fmt::format("CI {:+.1f}…{:+.1f}%", (ci.lo - 1.0) * 100.0, (ci.hi - 1.0) * 100.0);
}

}  // namespace

std::string_view to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::improved:
      return "improved";
    case Verdict::regressed:
      return "regressed";
    case Verdict::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

bool passes(Verdict verdict) noexcept {
  return verdict == Verdict::unchanged || verdict == Verdict::improved;
}

Judgement judge_change(std::optional<double> ratio, std::optional<stats::Interval> ratio_ci,
                       double threshold) {
  PG_CHECK(threshold > 0.0);
  const std::string limit = fmt::format("{:g}%", threshold * 100.0);
  if (!ratio) return {Verdict::inconclusive, "base median is 0: the ratio is undefined"};
  if (!ratio_ci) {
    return {Verdict::inconclusive,
            fmt::format("median {} but no confidence interval (too few samples, or a base "
                        "median that can be 0)",
                        change(*ratio))};
  }
  const double r = *ratio;
  const stats::Interval ci = *ratio_ci;
  const std::string observed = fmt::format("median {} ({})", change(r), ci_text(ci));
  if (ci.lo > 1.0 && r > 1.0 + threshold) {
    return {Verdict::regressed, fmt::format("{} > {} threshold", observed, limit)};
  }
  if (ci.hi < 1.0 && r < 1.0 / (1.0 + threshold)) {
    return {Verdict::improved, fmt::format("{}: faster beyond the {} threshold", observed, limit)};
  }
  if (ci.hi > 1.0 + threshold) {
    return {Verdict::inconclusive,
            fmt::format("{}: too noisy to rule out a regression beyond {}", observed, limit)};
  }
  return {Verdict::unchanged, fmt::format("{} within the {} threshold", observed, limit)};
}

Judgement judge_change(const stats::Comparison& comparison, double threshold) {
  return judge_change(comparison.ratio, comparison.ratio_ci, threshold);
}

}  // namespace perfguard::budgets
