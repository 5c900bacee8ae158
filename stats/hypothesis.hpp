#pragma once
// Two-sample tests and shift estimates, base vs candidate. Pure functions, finite inputs.
#include <cstddef>
#include <optional>
#include <span>

namespace perfguard::stats {

// Largest sample size per side for which the Mann-Whitney exact null distribution is used.
inline constexpr std::size_t kMannWhitneyExactMaxN = 50;

enum class PValueMethod { exact, asymptotic };

struct MannWhitney {
  double u = 0.0;  // U of the first argument: #{(i,j): x_i > y_j} + 0.5 #{x_i == y_j}
  double p = 1.0;  // two-sided
  PValueMethod method = PValueMethod::asymptotic;
};

// Mann-Whitney U test, two-sided (Mann & Whitney 1947). Without ties and with both n <=
// kMannWhitneyExactMaxN: the exact null distribution of U by the usual recurrence, p =
// min(1, 2 min(P(U <= u), P(U >= u))) -- scipy.stats.mannwhitneyu(method='exact').
// Otherwise the normal approximation with continuity correction and the tie-corrected
// variance n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))) -- scipy's method='asymptotic'.
// nullopt when either sample is empty, or when all values are tied (variance 0): then the
// test has nothing to say and p would be 0/0.
[[nodiscard]] std::optional<MannWhitney> mann_whitney_u(std::span<const double> x,
                                                        std::span<const double> y);

struct WelchT {
  double t = 0.0;   // (mean x - mean y) / sqrt(s_x^2 / n_x + s_y^2 / n_y)
  double df = 0.0;  // Welch-Satterthwaite degrees of freedom
  double p = 1.0;   // two-sided, Student's t with df degrees of freedom
};

// Welch's unequal-variances t-test (Welch 1947) -- scipy.stats.ttest_ind(equal_var=False).
// nullopt when either n < 2 or both variances are 0 (t is then undefined), or when the values
// are so large (beyond ~1e154) that the variances overflow a double.
[[nodiscard]] std::optional<WelchT> welch_t_test(std::span<const double> x,
                                                 std::span<const double> y);

// Hodges-Lehmann estimate of the shift candidate - base (Hodges & Lehmann 1963): the median
// of all n_b n_c differences candidate_j - base_i. Found by selection over the implicit
// sorted matrix of differences in O((n_b + n_c) log) per step, never materialising the n_b n_c
// differences. nullopt when either side is empty.
[[nodiscard]] std::optional<double> hodges_lehmann_shift(std::span<const double> base,
                                                         std::span<const double> candidate);

}  // namespace perfguard::stats
