#pragma once
// The exact bootstrap distribution of a sample quantile -- what a percentile bootstrap with
// infinitely many resamples would converge to, computed without resampling noise.
//
// Maritz & Jarrett (1978), "A note on estimating the variance of the sample median", JASA 73:
// for a resample of size n drawn with replacement from x(1) <= ... <= x(n), the count of
// drawn values at positions <= i is Binomial(n, i/n), so the k-th order statistic of the
// resample is x(i) with probability P(Bin(n,(i-1)/n) <= k-1) - P(Bin(n,i/n) <= k-1).
// A type-7 quantile interpolates two adjacent order statistics, (1-g) X*(k) + g X*(k+1), so
// we also need their joint law. Splitting the resample into the k draws at or below X*(k)
// and the n-k draws above it, for positions i < j
//   P(X*(k) = x(i), X*(k+1) = x(j)) = C(n,k) [(i/n)^k - ((i-1)/n)^k]
//                                           [((n-j+1)/n)^(n-k) - ((n-j)/n)^(n-k)]
// and P(X*(k) = X*(k+1) = x(i)) = P(N(i-1) <= k-1) - P(N(i) <= k) + C(n,k) ((i-1)/n)^k ((n-i)/n)^(n-k)
// with N(i) ~ Bin(n, i/n). Positions, not values, are what is drawn, so ties need no care:
// equal values simply merge into one atom. Atoms of probability below kNegligibleAtom are
// dropped: the laws are unimodal with geometric tails, so the mass dropped in total stays
// below ~1e-12, far below anything a 1 - alpha level can see.
//
// The ratio of two independent medians is then exact too: P(Mc / Mb <= t) = sum over base
// atoms b of P(Mb = b) P(Mc <= t b).
#include <optional>
#include <span>
#include <vector>

#include "stats/descriptive.hpp"

namespace perfguard::stats {

inline constexpr double kNegligibleAtom = 1e-18;

struct Atom {
  double value = 0.0;
  double probability = 0.0;
};

// Distribution of the type-7 p-quantile of a bootstrap resample of x: atoms sorted by value,
// distinct values, probabilities summing to 1 (within rounding). Empty when x is empty.
// Requires 0 <= p <= 1 and finite x.
[[nodiscard]] std::vector<Atom> bootstrap_quantile_distribution(std::span<const double> x,
                                                                double p);

// The smallest atom value v with P(V <= v) >= q: the inverse CDF (type 1) of a discrete law.
// Requires non-empty atoms sorted by value and 0 <= q <= 1.
[[nodiscard]] double atom_quantile(std::span<const Atom> atoms, double q) noexcept;

// Percentile CI at level `confidence` of the p-quantile from its exact bootstrap law:
// [F^-1(alpha/2), F^-1(1 - alpha/2)], alpha = 1 - confidence. nullopt when n < 2: the
// bootstrap law of a single value is a point and would claim certainty it does not have.
[[nodiscard]] std::optional<Interval> exact_quantile_ci(std::span<const double> x, double p,
                                                        double confidence);
[[nodiscard]] std::optional<Interval> exact_median_ci(std::span<const double> x, double confidence);

// Percentile CI of median(candidate) / median(base) from the two exact bootstrap laws of the
// medians (independent samples). nullopt when either side has n < 2, or when the base median's
// bootstrap law has mass at or below 0 (the ratio is then undefined). Swapping the sides gives
// the reciprocal interval (to rounding). Each bound is an attained ratio of the two laws' atoms.
[[nodiscard]] std::optional<Interval> exact_median_ratio_ci(std::span<const double> base,
                                                            std::span<const double> candidate,
                                                            double confidence);
// The same for the ratio of the two type-7 p-quantiles (p = 0.5: exact_median_ratio_ci).
// Requires 0 <= p <= 1.
[[nodiscard]] std::optional<Interval> exact_quantile_ratio_ci(std::span<const double> base,
                                                              std::span<const double> candidate,
                                                              double p, double confidence);

}  // namespace perfguard::stats
