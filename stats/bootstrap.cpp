#include "stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "core/check.hpp"
#include "stats/exact_bootstrap.hpp"

namespace perfguard::stats {
namespace {

// Lemire (2019), "Fast random integer generation in an interval": unbiased, and the same
// sequence on every standard library, unlike std::uniform_int_distribution.
__extension__ using Uint128 = unsigned __int128;

std::size_t bounded(std::mt19937_64& rng, std::size_t range) {
  auto m = static_cast<Uint128>(rng()) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = -static_cast<std::uint64_t>(range) % range;
    while (low < threshold) {
      m = static_cast<Uint128>(rng()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::size_t>(m >> 64U);
}

void resample(std::span<const double> x, std::vector<double>& out, std::mt19937_64& rng) {
  out.resize(x.size());
  for (double& v : out) v = x[bounded(rng, x.size())];
}

// Leave-one-out values of a one-sample statistic.
std::vector<double> jackknife(std::span<const double> x, const Statistic& statistic) {
  std::vector<double> values;
  values.reserve(x.size());
  std::vector<double> rest(x.begin() + 1, x.end());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i > 0) rest[i - 1] = x[i - 1];  // rest is x without x[i]
    values.push_back(statistic(rest));
  }
  return values;
}

bool all_finite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

std::optional<Interval> interval_from_replicates(
    double estimate, std::span<const double> replicates,
    std::span<const std::span<const double>> jackknife_values, const IntervalOptions& options) {
  if (!std::isfinite(estimate) || !all_finite(replicates)) return std::nullopt;
  if (options.method == IntervalMethod::bca) {
    for (const auto& values : jackknife_values) {
      if (!all_finite(values)) return std::nullopt;
    }
    return bca_interval(estimate, replicates, jackknife_values, options.confidence);
  }
  return percentile_interval(replicates, options.confidence);
}

}  // namespace

std::optional<Interval> percentile_interval(std::span<const double> replicates, double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  if (replicates.empty()) return std::nullopt;
  const double alpha = 1.0 - confidence;
  std::vector<double> sorted(replicates.begin(), replicates.end());
  std::sort(sorted.begin(), sorted.end());
  return Interval{*quantile_sorted(sorted, alpha / 2.0),
                  *quantile_sorted(sorted, 1.0 - alpha / 2.0)};
}

std::optional<Interval> bca_interval(double estimate, std::span<const double> replicates,
                                     std::span<const std::span<const double>> jackknife_per_sample,
                                     double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  if (replicates.empty()) return std::nullopt;
  const boost::math::normal_distribution<double> standard_normal;

  // Bias correction: the mid-rank of the estimate among the replicates (ties count half).
  const auto below =
      std::count_if(replicates.begin(), replicates.end(), [&](double r) { return r < estimate; });
  const auto at_or_below =
      std::count_if(replicates.begin(), replicates.end(), [&](double r) { return r <= estimate; });
  const double mid_rank =
      static_cast<double>(below + at_or_below) / (2.0 * static_cast<double>(replicates.size()));
  if (mid_rank <= 0.0 || mid_rank >= 1.0) return std::nullopt;
  const double z0 = boost::math::quantile(standard_normal, mid_rank);

  // Acceleration (Efron & Tibshirani Eq. 14.15), summed over samples:
  // a = sum U^3 / n^3 / (6 (sum U^2 / n^2)^(3/2)), U_i = (n - 1)(mean jackknife - jackknife_i).
  double numerator = 0.0;
  double denominator = 0.0;
  for (const auto& values : jackknife_per_sample) {
    if (values.empty()) continue;
    const double n = static_cast<double>(values.size());
    const double jack_mean = *mean(values);
    double cubes = 0.0;
    double squares = 0.0;
    for (const double v : values) {
      const double u = (n - 1.0) * (jack_mean - v);
      cubes += u * u * u;
      squares += u * u;
    }
    numerator += cubes / (n * n * n);
    denominator += squares / (n * n);
  }
  const double a = denominator > 0.0 ? numerator / (6.0 * std::pow(denominator, 1.5)) : 0.0;

  const double alpha = 1.0 - confidence;
  const auto adjusted = [&](double level) {
    const double z = z0 + boost::math::quantile(standard_normal, level);
    return boost::math::cdf(standard_normal, z0 + z / (1.0 - a * z));
  };
  const double lo_level = adjusted(alpha / 2.0);
  const double hi_level = adjusted(1.0 - alpha / 2.0);
  if (!std::isfinite(lo_level) || !std::isfinite(hi_level)) return std::nullopt;

  std::vector<double> sorted(replicates.begin(), replicates.end());
  std::sort(sorted.begin(), sorted.end());
  return Interval{*quantile_sorted(sorted, std::clamp(lo_level, 0.0, 1.0)),
                  *quantile_sorted(sorted, std::clamp(hi_level, 0.0, 1.0))};
}

std::optional<Interval> bootstrap_ci(std::span<const double> x, const Statistic& statistic,
                                     const IntervalOptions& options) {
  PG_CHECK(options.method != IntervalMethod::exact);
  PG_CHECK(options.resamples > 0);
  if (x.size() < 2) return std::nullopt;
  std::mt19937_64 rng(options.seed);
  std::vector<double> replicates;
  replicates.reserve(options.resamples);
  std::vector<double> buffer;
  for (std::size_t b = 0; b < options.resamples; ++b) {
    resample(x, buffer, rng);
    replicates.push_back(statistic(buffer));
  }
  std::vector<double> jack;
  if (options.method == IntervalMethod::bca) jack = jackknife(x, statistic);
  const std::span<const double> jack_spans[] = {jack};
  return interval_from_replicates(statistic(x), replicates, jack_spans, options);
}

std::optional<Interval> bootstrap_ci(std::span<const double> base,
                                     std::span<const double> candidate,
                                     const TwoSampleStatistic& statistic,
                                     const IntervalOptions& options) {
  PG_CHECK(options.method != IntervalMethod::exact);
  PG_CHECK(options.resamples > 0);
  if (base.size() < 2 || candidate.size() < 2) return std::nullopt;
  std::mt19937_64 rng(options.seed);
  std::vector<double> replicates;
  replicates.reserve(options.resamples);
  std::vector<double> base_buffer;
  std::vector<double> candidate_buffer;
  for (std::size_t b = 0; b < options.resamples; ++b) {
    resample(base, base_buffer, rng);
    resample(candidate, candidate_buffer, rng);
    replicates.push_back(statistic(base_buffer, candidate_buffer));
  }
  std::vector<double> jack_base;
  std::vector<double> jack_candidate;
  if (options.method == IntervalMethod::bca) {
    jack_base = jackknife(base, [&](std::span<const double> b) { return statistic(b, candidate); });
    jack_candidate =
        jackknife(candidate, [&](std::span<const double> c) { return statistic(base, c); });
  }
  const std::span<const double> jack_spans[] = {jack_base, jack_candidate};
  return interval_from_replicates(statistic(base, candidate), replicates, jack_spans, options);
}

std::optional<Interval> quantile_ci(std::span<const double> x, double p,
                                    const IntervalOptions& options) {
  if (options.method == IntervalMethod::exact) return exact_quantile_ci(x, p, options.confidence);
  return bootstrap_ci(
      x, [p](std::span<const double> s) { return *quantile(s, p); }, options);
}

std::optional<Interval> median_ratio_ci(std::span<const double> base,
                                        std::span<const double> candidate,
                                        const IntervalOptions& options) {
  if (options.method == IntervalMethod::exact) {
    return exact_median_ratio_ci(base, candidate, options.confidence);
  }
  return bootstrap_ci(
      base, candidate,
      [](std::span<const double> b, std::span<const double> c) { return *median(c) / *median(b); },
      options);
}

}  // namespace perfguard::stats
