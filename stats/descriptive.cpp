#include "stats/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

bool all_finite(std::span<const double> x) noexcept {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

std::vector<double> sorted_copy(std::span<const double> x) {
  PG_CHECK(all_finite(x));
  std::vector<double> copy(x.begin(), x.end());
  std::sort(copy.begin(), copy.end());
  return copy;
}

}  // namespace

std::size_t min_samples_for_quantile(double p) noexcept {
  PG_CHECK(p > 0.0 && p < 1.0);
  if (p == 0.5) return 1;
  // n * min(p, 1 - p) >= 1; the epsilon keeps 1 / 0.05 from rounding up to 21.
  return static_cast<std::size_t>(std::ceil(1.0 / std::min(p, 1.0 - p) - 1e-9));
}

std::optional<double> mean(std::span<const double> x) noexcept {
  if (x.empty()) return std::nullopt;
  // Welford-style running mean: no overflow for large values, no loss for long samples.
  double m = 0.0;
  std::size_t i = 0;
  for (const double v : x) m += (v - m) / static_cast<double>(++i);
  return m;
}

std::optional<double> stddev(std::span<const double> x) noexcept {
  if (x.size() < kMinSamplesStddev) return std::nullopt;
  // Two-pass: the mean first, then squared deviations (numerically stable for timings whose
  // spread is tiny against their magnitude).
  const double m = *mean(x);
  double ss = 0.0;
  for (const double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

std::optional<double> quantile_sorted(std::span<const double> sorted, double p) noexcept {
  PG_CHECK(p >= 0.0 && p <= 1.0);
  if (sorted.empty()) return std::nullopt;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double g = h - static_cast<double>(lo);
  if (lo + 1 >= sorted.size() || g == 0.0) return sorted[lo];
  return sorted[lo] + g * (sorted[lo + 1] - sorted[lo]);
}

std::optional<double> quantile(std::span<const double> x, double p) {
  if (x.empty()) return std::nullopt;
  const std::vector<double> sorted = sorted_copy(x);
  return quantile_sorted(sorted, p);
}

std::optional<double> median(std::span<const double> x) { return quantile(x, 0.5); }

std::optional<double> mad(std::span<const double> x) {
  const std::optional<double> m = median(x);
  if (!m) return std::nullopt;
  std::vector<double> deviations;
  deviations.reserve(x.size());
  for (const double v : x) deviations.push_back(std::fabs(v - *m));
  return median(deviations);
}

std::optional<Outliers> tukey_outliers(std::span<const double> x) {
  if (x.size() < min_samples_for_quantile(0.25)) return std::nullopt;
  const std::vector<double> sorted = sorted_copy(x);
  const double q1 = *quantile_sorted(sorted, 0.25);
  const double q3 = *quantile_sorted(sorted, 0.75);
  const double iqr = q3 - q1;
  Outliers out;
  for (const double v : sorted) {
    if (v < q1 - 3.0 * iqr) {
      ++out.low_severe;
    } else if (v < q1 - 1.5 * iqr) {
      ++out.low_mild;
    } else if (v > q3 + 3.0 * iqr) {
      ++out.high_severe;
    } else if (v > q3 + 1.5 * iqr) {
      ++out.high_mild;
    }
  }
  return out;
}

}  // namespace perfguard::stats
