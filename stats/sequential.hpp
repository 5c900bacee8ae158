#pragma once
// Group-sequential error spending: which confidence each interim look of an adaptive schedule
// must use so that stopping at the first decisive look keeps the overall false-alarm rate at
// alpha. Looking at a 95% interval after every few runs and stopping as soon as it excludes
// "no change" would raise the false-alarm rate far above 5% (Armitage, McPherson & Rowe 1969).
//
// Lan & DeMets (1983), "Discrete sequential boundaries for clinical trials", Biometrika 70(3):
// an alpha-spending function a(t), increasing from a(0) = 0 to a(1) = alpha over the
// information fraction t (here: runs so far / planned runs), fixes how much of alpha each look
// may spend. The two-sided boundary c_k of look k solves
//   P_H0(|Z_1| < c_1, ..., |Z_{k-1}| < c_{k-1}, |Z_k| >= c_k) = a(t_k) - a(t_{k-1}),
// with Z_k the standardized statistic at look k, jointly normal under H0 with
// corr(Z_j, Z_k) = sqrt(t_j / t_k) -- the "canonical joint distribution" (Jennison & Turnbull
// 2000, "Group Sequential Methods with Applications to Clinical Trials", ch. 3). It holds
// asymptotically for means, and for sample medians and quantiles too, whose Bahadur
// representation is a mean of indicators. The probabilities are computed by the recursive
// numerical integration of Armitage, McPherson & Rowe (1969) (Jennison & Turnbull ch. 19),
// Simpson's rule on a grid of at least 12 points per standard deviation of each increment.
//
// Boundaries of earlier looks never depend on later ones, so looks may be added as they come;
// a look that must be the last (the time budget ran out) is given fraction 1 and spends all
// that is left. A stopping rule that also stops for "no material change" (futility) only
// removes chances to raise a false alarm, so the false-alarm rate stays <= alpha.
#include <span>
#include <string_view>
#include <vector>

namespace perfguard::stats {

enum class Spending {
  // a(t) = alpha ln(1 + (e - 1) t): Lan & DeMets (1983); Kim & DeMets (1987). Nearly constant
  // boundaries, like Pocock's (1977) test: spends early, so clear results stop early.
  pocock,
  // a(t) = 2 - 2 Phi(z_{1 - alpha/2} / sqrt(t)): Lan & DeMets (1983). Very strict early looks,
  // nearly the fixed-sample level at the end, like O'Brien & Fleming's (1979) test.
  obrien_fleming,
};

// "pocock", "obrien_fleming": the name artifacts record a schedule's spending under.
[[nodiscard]] std::string_view to_string(Spending spending) noexcept;

// a(t): the alpha spent by information fraction t. Requires 0 < alpha < 1 and 0 <= t <= 1.
[[nodiscard]] double spent_alpha(Spending spending, double alpha, double t);

struct LookBoundary {
  double z = 0.0;              // two-sided critical value |Z| >= z; +infinity spends nothing
  double nominal_alpha = 0.0;  // 2 (1 - Phi(z)): the two-sided level to test at this look
};

// Boundaries of looks at information fractions t_1 < t_2 < ... <= 1 (strictly increasing,
// t_1 > 0) for an overall two-sided level alpha (0 < alpha < 1). A single look at t = 1 gets
// the fixed-sample level alpha itself. The nominal level at look k lies between the increment
// a(t_k) - a(t_{k-1}) (Bonferroni) and alpha.
[[nodiscard]] std::vector<LookBoundary> spending_boundaries(std::span<const double> fractions,
                                                            double alpha, Spending spending);

}  // namespace perfguard::stats
