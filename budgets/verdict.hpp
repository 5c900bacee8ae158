#pragma once
// The verdict rules of DESIGN.md, in one place. Given the ratio r = median(candidate) /
// median(base), its confidence interval [lo, hi] and the threshold T (max_regression):
//   regressed     lo > 1 and r > 1 + T        a significant slowdown of material size
//   improved      hi < 1 and r < 1 / (1 + T)  a significant speed-up of material size
//   inconclusive  hi > 1 + T, not regressed   the data cannot rule out a regression beyond T
//   unchanged     otherwise
// Missing data is never a pass: no ratio or no interval is inconclusive, with the reason.
#include <optional>
#include <string>
#include <string_view>

#include "stats/compare.hpp"

namespace perfguard::budgets {

enum class Verdict { unchanged, improved, regressed, inconclusive };

inline constexpr double kDefaultThreshold = 0.05;

struct Judgement {
  Verdict verdict = Verdict::inconclusive;
  std::string reason;  // one line for a human: "median +8.1% (CI +5.2…+11.0%) > 5% threshold"
};

[[nodiscard]] std::string_view to_string(Verdict verdict) noexcept;

// Whether a verdict lets the gate pass.
[[nodiscard]] bool passes(Verdict verdict) noexcept;

// Judge a relative change. threshold is a fraction (0.05 for 5%), > 0.
[[nodiscard]] Judgement judge_change(std::optional<double> ratio,
                                     std::optional<stats::Interval> ratio_ci, double threshold);
[[nodiscard]] Judgement judge_change(const stats::Comparison& comparison, double threshold);

}  // namespace perfguard::budgets
