#pragma once
// Descriptive statistics over one sample. Pure functions: no I/O, inputs are never
// modified (functions that need order sort a copy). Every input value must be finite;
// perfguard rejects NaN and infinities where samples enter, so a non-finite value here is a
// bug and aborts (PG_CHECK). Too little data is std::nullopt, never 0.0.
#include <cstddef>
#include <optional>
#include <span>

namespace perfguard::stats {

// A closed interval [lo, hi], lo <= hi.
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
};

// The sample values perfguard computes with: 0, or 1e-30 to 1e30 in the input's own unit.
// Far beyond any time or size (1e30 ns is 3e13 years), and small enough that ratios, squares
// and sums of such values -- also after converting ns to s -- stay far from overflow and
// underflow. Values outside are refused where samples enter (exit 2, naming file and line).
inline constexpr double kSmallestSample = 1e-30;
inline constexpr double kLargestSample = 1e30;
[[nodiscard]] constexpr bool in_sample_range(double value) noexcept {
  return value == 0.0 || (value >= kSmallestSample && value <= kLargestSample);
}

// Minimum sample sizes below which a statistic is not reported.
inline constexpr std::size_t kMinSamplesStddev = 2;
inline constexpr std::size_t kMinSamplesP95 = 20;
inline constexpr std::size_t kMinSamplesP99 = 100;

// Smallest n at which the p-quantile is reported: at least one sample is expected beyond the
// quantile on its thin side, n * min(p, 1 - p) >= 1 (so p95 needs 20, p99 needs 100, p25 4).
// The median is the exception: it exists for any n >= 1. Requires 0 < p < 1.
[[nodiscard]] std::size_t min_samples_for_quantile(double p) noexcept;

// Arithmetic mean; nullopt when empty.
[[nodiscard]] std::optional<double> mean(std::span<const double> x) noexcept;

// Sample standard deviation (divisor n - 1, Bessel); nullopt when n < 2. Zero spread -> 0.
[[nodiscard]] std::optional<double> stddev(std::span<const double> x) noexcept;

// Quantile by Hyndman & Fan (1996) definition 7, the default of R's quantile() and
// numpy.quantile: h = (n - 1) p, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])
// over the sorted sample (0-based). Requires 0 <= p <= 1; nullopt when empty. This function
// does not apply min_samples_for_quantile: summarize() does.
[[nodiscard]] std::optional<double> quantile(std::span<const double> x, double p);

// quantile() on a sample that is already sorted ascending (no copy).
[[nodiscard]] std::optional<double> quantile_sorted(std::span<const double> sorted,
                                                    double p) noexcept;

// Median (type 7 at p = 0.5: the mean of the two middle values for even n); nullopt when empty.
[[nodiscard]] std::optional<double> median(std::span<const double> x);

// Median absolute deviation from the median, unscaled (scipy.stats.median_abs_deviation with
// its default scale=1.0; multiply by 1.4826 for a normal-consistent sigma). nullopt when empty.
[[nodiscard]] std::optional<double> mad(std::span<const double> x);

// Tukey's fences (Tukey 1977): with Q1, Q3 the type-7 quartiles and IQR = Q3 - Q1, a value
// below Q1 - 1.5 IQR (above Q3 + 1.5 IQR) is a low (high) outlier, "severe" beyond 3 IQR and
// "mild" otherwise -- criterion's four classes. Needs the quartiles, so nullopt when n < 4.
// Zero spread (IQR = 0): any value off the common one is a severe outlier.
struct Outliers {
  std::size_t low_severe = 0;
  std::size_t low_mild = 0;
  std::size_t high_mild = 0;
  std::size_t high_severe = 0;
  [[nodiscard]] std::size_t total() const noexcept {
    return low_severe + low_mild + high_mild + high_severe;
  }
};
[[nodiscard]] std::optional<Outliers> tukey_outliers(std::span<const double> x);

}  // namespace perfguard::stats
