#pragma once
// Resampling bootstrap confidence intervals, seeded and reproducible: the same data, options
// and seed give the same interval on every run and machine (the generator is
// std::mt19937_64 and indices are drawn with Lemire's unbiased bounded method, not a
// library distribution whose algorithm varies between standard libraries).
//
// Percentile: the alpha/2 and 1 - alpha/2 type-7 quantiles of the replicates.
// BCa: Efron & Tibshirani (1993), "An Introduction to the Bootstrap", 14.3; bias correction
// z0 = Phi^-1(mid-rank of the estimate among the replicates), acceleration a from the
// jackknife (Eq. 14.15; for two samples, the sum over both samples of each one's jackknife
// terms, as scipy.stats.bootstrap does), then the percentile interval at the adjusted levels.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "stats/descriptive.hpp"

namespace perfguard::stats {

enum class IntervalMethod {
  exact,       // exact bootstrap law (exact_bootstrap.hpp); medians and quantiles only
  percentile,  // resampling, percentile interval
  bca,         // resampling, bias-corrected and accelerated
};

inline constexpr std::size_t kDefaultResamples = 10'000;
// Small enough to survive JSON readers that hold numbers as doubles (< 2^53).
inline constexpr std::uint64_t kDefaultSeed = 20261122;

struct IntervalOptions {
  double confidence = 0.95;
  IntervalMethod method = IntervalMethod::exact;
  std::size_t resamples = kDefaultResamples;  // resampling methods only
  std::uint64_t seed = kDefaultSeed;          // resampling methods only
};

using Statistic = std::function<double(std::span<const double>)>;
using TwoSampleStatistic =
    std::function<double(std::span<const double> base, std::span<const double> candidate)>;

// Percentile interval of a set of replicates (any order); nullopt when empty.
[[nodiscard]] std::optional<Interval> percentile_interval(std::span<const double> replicates,
                                                          double confidence);

// BCa interval from the estimate on the full data, its bootstrap replicates, and the jackknife
// (leave-one-out) values of each sample. nullopt when there are no replicates, or when the
// jackknife has no spread and the replicates lie all on one side of the estimate (z0 infinite).
// Zero jackknife spread gives a = 0 (plain bias correction).
[[nodiscard]] std::optional<Interval> bca_interval(
    double estimate, std::span<const double> replicates,
    std::span<const std::span<const double>> jackknife_per_sample, double confidence);

// One-sample bootstrap CI of statistic(x) by resampling (method percentile or bca).
// nullopt when n < 2.
[[nodiscard]] std::optional<Interval> bootstrap_ci(std::span<const double> x,
                                                   const Statistic& statistic,
                                                   const IntervalOptions& options);

// Two-sample bootstrap CI of statistic(base, candidate), each sample resampled independently.
// nullopt when either has n < 2, or a replicate or the estimate is not finite (e.g. a ratio
// over a zero median).
[[nodiscard]] std::optional<Interval> bootstrap_ci(std::span<const double> base,
                                                   std::span<const double> candidate,
                                                   const TwoSampleStatistic& statistic,
                                                   const IntervalOptions& options);

// CI of the p-quantile (the median at p = 0.5) by options.method: exact law or resampling.
[[nodiscard]] std::optional<Interval> quantile_ci(std::span<const double> x, double p,
                                                  const IntervalOptions& options);

// CI of median(candidate) / median(base) by options.method.
[[nodiscard]] std::optional<Interval> median_ratio_ci(std::span<const double> base,
                                                      std::span<const double> candidate,
                                                      const IntervalOptions& options);

}  // namespace perfguard::stats
