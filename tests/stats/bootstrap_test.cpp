// stats/bootstrap.hpp: interval formulas on fixed replicates against numpy and Efron &
// Tibshirani 14.3 (checked against scipy 1.10.1), resampling against scipy.stats.bootstrap
// within Monte Carlo tolerances, and the seeding and confidence properties.
#include "stats/bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "stats/descriptive.hpp"
#include "stats/exact_bootstrap.hpp"
#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

using test::kBase25;
using test::kCandidate30;
using test::kSpread40;
using test::kTimings37;
using test::near_rel;

constexpr double kClosedForm = 1e-12;

// Bootstrap replicates chosen for the formula tests: 40 draws of N(mean(x) + 0.1, 0.4),
// x = kTimings37[:12], numpy.random.default_rng(7), rounded to 3 decimals.
constexpr std::array<double, 40> kReplicates{
    9.967,  10.086, 9.857,  9.611,  9.785,  9.57,   9.991, 10.503, 9.77,  9.719,
    10.163, 10.11,  10.009, 9.595,  9.955,  10.245, 9.429, 9.784,  9.206, 9.451,
    9.23,   9.873,  9.46,   10.075, 10.029, 9.892,  8.96,  9.751,  9.947, 10.012,
    9.355,  9.776,  9.575,  9.643,  10.391, 9.644,  9.954, 10.321, 9.733, 9.922};
// mean(kTimings37[:12]) and its 12 leave-one-out means (numpy, repr).
constexpr double kEstimate = 9.866750000000001;
constexpr std::array<double, 12> kJackknife{
    9.797636363636364, 9.843636363636366, 10.085909090909091, 9.99209090909091,  10.03627272727273,
    9.795818181818182, 9.656727272727274, 9.770818181818184,  9.833818181818183, 9.903,
    9.855636363636364, 9.829636363636364};

// Two samples: base kBase25[:8], candidate kCandidate30[:11], statistic mean(c) - mean(b).
// Replicates: the same generator continued, N(estimate - 0.05, 0.3), rounded to 3 decimals.
constexpr std::array<double, 40> kReplicates2{
    0.776, 0.762, 0.375, 0.765, 1.15,  0.278, 1.0,   0.778, 0.55,  1.343,
    0.971, 0.383, 0.765, 0.915, 0.686, 0.947, 0.722, 0.943, 1.174, 0.54,
    0.803, 0.603, 0.781, 0.386, 0.569, 0.684, 1.012, 1.086, 0.345, 0.504,
    0.936, 0.145, 0.603, 0.713, 1.12,  0.949, 0.644, 0.632, 0.667, 1.199};
constexpr double kEstimate2 = 0.7924204545454518;
constexpr std::array<double, 8> kJackknifeBase{
    0.682545454545453,  0.7136883116883084, 0.6886883116883098, 0.9848311688311693,
    0.8222597402597387, 0.9454025974025964, 0.8189740259740255, 0.6829740259740245};
constexpr std::array<double, 11> kJackknifeCandidate{
    0.8224749999999972, 0.7912749999999971, 0.7223749999999978, 0.7390749999999979,
    0.7963749999999976, 0.771074999999998,  0.8788749999999972, 0.8131749999999975,
    0.9695749999999972, 0.6049749999999978, 0.8073749999999968};

double sample_mean(std::span<const double> x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double sample_stddev(std::span<const double> x) {
  const double m = sample_mean(x);
  double ss = 0.0;
  for (const double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double median_ratio(std::span<const double> base, std::span<const double> candidate) {
  return test::reference_median(candidate) / test::reference_median(base);
}

IntervalOptions resampling(IntervalMethod method, std::size_t resamples = kDefaultResamples,
                           double confidence = 0.95) {
  IntervalOptions options;
  options.method = method;
  options.resamples = resamples;
  options.confidence = confidence;
  return options;
}

void expect_interval(const std::optional<Interval>& actual, Interval expected, double lo_tol,
                     double hi_tol) {
  ASSERT_TRUE(actual.has_value());
  EXPECT_NEAR(actual->lo, expected.lo, lo_tol);
  EXPECT_NEAR(actual->hi, expected.hi, hi_tol);
}

void expect_interval_rel(const std::optional<Interval>& actual, Interval expected, double rel) {
  ASSERT_TRUE(actual.has_value());
  EXPECT_TRUE(near_rel(actual->lo, expected.lo, rel)) << "lo";
  EXPECT_TRUE(near_rel(actual->hi, expected.hi, rel)) << "hi";
}

// ---- percentile_interval ------------------------------------------------------------------

TEST(PercentileInterval, MatchesNumpyPercentile) {
  // numpy.percentile(kReplicates, [5, 95]) and [2.5, 97.5]  (linear, type 7)
  expect_interval_rel(percentile_interval(kReplicates, 0.9), {9.2288, 10.324499999999999},
                      kClosedForm);
  expect_interval_rel(percentile_interval(kReplicates, 0.95), {9.19985, 10.3938}, kClosedForm);
}

TEST(PercentileInterval, AnyOrder) {
  std::vector<double> reversed(kReplicates.rbegin(), kReplicates.rend());
  expect_interval_rel(percentile_interval(reversed, 0.95), {9.19985, 10.3938}, kClosedForm);
}

TEST(PercentileInterval, SingleSample) {
  constexpr std::array<double, 1> kOne{2.5};
  expect_interval_rel(percentile_interval(kOne, 0.95), {2.5, 2.5}, 0.0);
}

TEST(PercentileInterval, EmptyIsNullopt) {
  EXPECT_FALSE(percentile_interval({}, 0.95).has_value());
}

// ---- bca_interval -------------------------------------------------------------------------
// Expected values: Efron & Tibshirani (1993) 14.3 in /usr/bin/python3 --
//   z0 = scipy.special.ndtri(((r < est).sum() + (r <= est).sum()) / (2 B))
//   per sample j: U = (n_j - 1) (mean(jk_j) - jk_j); a = sum_j sum(U^3) / n_j^3
//                 / (6 (sum_j sum(U^2) / n_j^2)^1.5)
//   a1,2 = ndtr(z0 + (z0 -+ z) / (1 - a (z0 -+ z))), z = ndtri(1 - (1 - confidence) / 2)
//   interval = numpy.percentile(r, [100 a1, 100 a2])
// which equals scipy.stats.bootstrap(data, statistic, method='BCa', n_resamples=0,
// bootstrap_result=BootstrapResult(bootstrap_distribution=r)) to the last digit.

TEST(BcaInterval, OneSampleMatchesEfronTibshirani) {
  // z0 = 0.06270677794321385, a = -0.01687092789025056
  const std::array<std::span<const double>, 1> jackknife{kJackknife};
  expect_interval_rel(bca_interval(kEstimate, kReplicates, jackknife, 0.9),
                      {9.267851053556903, 10.344992076490994}, kClosedForm);
  expect_interval_rel(bca_interval(kEstimate, kReplicates, jackknife, 0.95),
                      {9.20904576102399, 10.407940543458947}, kClosedForm);
}

TEST(BcaInterval, TwoSampleSumsOverSamples) {
  // z0 = 0.31863936396437514, a = -0.010887587922164476 with scipy's per-sample weights
  // (n_j - 1)^3 / n_j^3 and (n_j - 1)^2 / n_j^2; unequal n (8, 11) makes them matter: plain
  // sums of the E&T terms would give a = -0.011686681156247642.
  const std::array<std::span<const double>, 2> jackknife{kJackknifeBase, kJackknifeCandidate};
  expect_interval_rel(bca_interval(kEstimate2, kReplicates2, jackknife, 0.9),
                      {0.49646604048015763, 1.2727333168912034}, kClosedForm);
  expect_interval_rel(bca_interval(kEstimate2, kReplicates2, jackknife, 0.95),
                      {0.3784871361918227, 1.3120574742727589}, kClosedForm);
}

TEST(BcaInterval, ZeroJackknifeSpreadIsPlainBiasCorrection) {
  // a = 0: estimate 9.9 among kReplicates, z0 = 0.18911842627279238.
  constexpr std::array<double, 3> kFlat{2.0, 2.0, 2.0};
  const std::array<std::span<const double>, 1> jackknife{kFlat};
  expect_interval_rel(bca_interval(9.9, kReplicates, jackknife, 0.95),
                      {9.257172697865817, 10.460680998662099}, kClosedForm);
}

TEST(BcaInterval, InfiniteBiasIsNullopt) {
  // Every replicate above the estimate: mid-rank 0, z0 = -inf; no jackknife spread.
  constexpr std::array<double, 3> kFlat{2.0, 2.0, 2.0};
  const std::array<std::span<const double>, 1> jackknife{kFlat};
  EXPECT_FALSE(bca_interval(1.0, kReplicates, jackknife, 0.95).has_value());
  EXPECT_FALSE(bca_interval(20.0, kReplicates, jackknife, 0.95).has_value());
}

TEST(BcaInterval, EmptyIsNullopt) {
  const std::array<std::span<const double>, 1> jackknife{kJackknife};
  EXPECT_FALSE(bca_interval(kEstimate, {}, jackknife, 0.95).has_value());
}

// ---- bootstrap_ci against scipy.stats.bootstrap -------------------------------------------
// References: the median over repeated runs of
//   scipy.stats.bootstrap(data, statistic, method=..., n_resamples=B, confidence_level=0.95,
//                         random_state=s, vectorized=True), s = 0, 1, ...
// Each tolerance is at least 3x the largest deviation of a single scipy run from that median
// (the Monte Carlo error of one run with the same B), stated per test.

TEST(BootstrapCi, MedianMatchesScipy) {
  // kCandidate30, numpy.median, B = 10000, 1000 runs. BCa: [10.546, 11.0115];
  // percentile: [10.546, 11.0115]. Largest run deviation 0.43% of the width 0.4655;
  // tolerance 2% of the width.
  const auto median = [](std::span<const double> x) { return test::reference_median(x); };
  constexpr double kTol = 0.0093;
  expect_interval(bootstrap_ci(kCandidate30, median, resampling(IntervalMethod::bca)),
                  {10.546, 11.0115}, kTol, kTol);
  expect_interval(bootstrap_ci(kCandidate30, median, resampling(IntervalMethod::percentile)),
                  {10.546, 11.0115}, kTol, kTol);
}

TEST(BootstrapCi, SkewedStatisticMatchesScipy) {
  // y = exp(kSpread40 / 3), statistic numpy.std(y, ddof=1) = 29.76; B = 200000, 100 runs.
  // BCa and percentile differ by far more than the tolerances, so this tells them apart.
  std::vector<double> y(kSpread40.begin(), kSpread40.end());
  for (double& v : y) v = std::exp(v / 3.0);
  const auto stddev = [](std::span<const double> x) { return sample_stddev(x); };
  // BCa [19.502980332369063, 51.161844014199964]; largest deviations 0.044 (lo), 0.82 (hi).
  expect_interval(bootstrap_ci(y, stddev, resampling(IntervalMethod::bca, 200'000)),
                  {19.502980332369063, 51.161844014199964}, 0.15, 2.5);
  // Percentile [16.786868232530946, 42.0525529377693]; largest deviations 0.061, 0.061.
  expect_interval(bootstrap_ci(y, stddev, resampling(IntervalMethod::percentile, 200'000)),
                  {16.786868232530946, 42.0525529377693}, 0.2, 0.2);
}

TEST(BootstrapCi, RatioOfMediansMatchesScipy) {
  // (kBase25, kCandidate30), statistic median(c) / median(b), samples resampled
  // independently (scipy's paired=False); B = 10000, 1000 runs. Largest deviations: BCa
  // 2.5% (lo), 1.2% (hi), percentile 3.0% (lo), 0.22% (hi) of the width 0.14; tolerance 9%
  // of the width for lo, 4% for hi.
  const Interval bca{0.9944082013047529, 1.1358409775835607};
  const Interval percentile{0.9980614788147327, 1.1377118644067796};
  constexpr double kLoTol = 0.0127;
  constexpr double kHiTol = 0.0056;
  expect_interval(
      bootstrap_ci(kBase25, kCandidate30, median_ratio, resampling(IntervalMethod::bca)), bca,
      kLoTol, kHiTol);
  expect_interval(
      bootstrap_ci(kBase25, kCandidate30, median_ratio, resampling(IntervalMethod::percentile)),
      percentile, kLoTol, kHiTol);
  expect_interval(median_ratio_ci(kBase25, kCandidate30, resampling(IntervalMethod::bca)), bca,
                  kLoTol, kHiTol);
  expect_interval(median_ratio_ci(kBase25, kCandidate30, resampling(IntervalMethod::percentile)),
                  percentile, kLoTol, kHiTol);
}

// ---- method dispatch ----------------------------------------------------------------------

TEST(QuantileCi, ExactMethodIsTheExactLaw) {
  IntervalOptions options;  // default: exact, 95%
  EXPECT_EQ(options.method, IntervalMethod::exact);
  for (const double p : {0.5, 0.25, 0.9}) {
    const auto dispatched = quantile_ci(kTimings37, p, options);
    const auto direct = exact_quantile_ci(kTimings37, p, 0.95);
    ASSERT_TRUE(dispatched && direct);
    EXPECT_EQ(dispatched->lo, direct->lo);
    EXPECT_EQ(dispatched->hi, direct->hi);
  }
}

TEST(MedianRatioCi, ExactMethodIsTheExactLaw) {
  const auto dispatched = median_ratio_ci(kBase25, kCandidate30, IntervalOptions{});
  const auto direct = exact_median_ratio_ci(kBase25, kCandidate30, 0.95);
  ASSERT_TRUE(dispatched && direct);
  EXPECT_EQ(dispatched->lo, direct->lo);
  EXPECT_EQ(dispatched->hi, direct->hi);
}

// ---- seeding and properties ---------------------------------------------------------------

TEST(BootstrapCi, SameSeedIsReproducible) {
  const auto mean = [](std::span<const double> x) { return sample_mean(x); };
  for (const IntervalMethod method : {IntervalMethod::percentile, IntervalMethod::bca}) {
    const auto first = bootstrap_ci(kSpread40, mean, resampling(method));
    const auto second = bootstrap_ci(kSpread40, mean, resampling(method));
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->lo, second->lo);
    EXPECT_EQ(first->hi, second->hi);
    const auto ratio_first = median_ratio_ci(kBase25, kCandidate30, resampling(method));
    const auto ratio_second = median_ratio_ci(kBase25, kCandidate30, resampling(method));
    ASSERT_TRUE(ratio_first && ratio_second);
    EXPECT_EQ(ratio_first->lo, ratio_second->lo);
    EXPECT_EQ(ratio_first->hi, ratio_second->hi);
  }
}

TEST(BootstrapCi, DifferentSeedDiffers) {
  // The mean's replicates are continuous: two seeds giving the same endpoints would mean the
  // seed is ignored.
  const auto mean = [](std::span<const double> x) { return sample_mean(x); };
  IntervalOptions options = resampling(IntervalMethod::percentile);
  const auto first = bootstrap_ci(kSpread40, mean, options);
  options.seed = kDefaultSeed + 1;
  const auto second = bootstrap_ci(kSpread40, mean, options);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->lo != second->lo || first->hi != second->hi);
}

TEST(BootstrapCi, WiderAtHigherConfidence) {
  // Same seed, so the same replicates; only the levels move.
  const auto mean = [](std::span<const double> x) { return sample_mean(x); };
  for (const IntervalMethod method : {IntervalMethod::percentile, IntervalMethod::bca}) {
    std::optional<Interval> previous;
    for (const double confidence : {0.8, 0.9, 0.95, 0.99}) {
      const auto ci =
          bootstrap_ci(kSpread40, mean, resampling(method, kDefaultResamples, confidence));
      ASSERT_TRUE(ci.has_value());
      if (previous) {
        EXPECT_LT(ci->lo, previous->lo) << "confidence " << confidence;
        EXPECT_GT(ci->hi, previous->hi) << "confidence " << confidence;
      }
      previous = ci;
    }
  }
}

TEST(BootstrapCi, SingleSample) {
  constexpr std::array<double, 1> kOne{3.0};
  const auto mean = [](std::span<const double> x) { return sample_mean(x); };
  EXPECT_FALSE(bootstrap_ci(kOne, mean, resampling(IntervalMethod::percentile)).has_value());
  EXPECT_FALSE(
      bootstrap_ci(kOne, kCandidate30, median_ratio, resampling(IntervalMethod::percentile))
          .has_value());
  EXPECT_FALSE(
      bootstrap_ci(kBase25, kOne, median_ratio, resampling(IntervalMethod::bca)).has_value());
}

TEST(BootstrapCi, EmptyIsNullopt) {
  const auto mean = [](std::span<const double> x) { return sample_mean(x); };
  EXPECT_FALSE(bootstrap_ci({}, mean, resampling(IntervalMethod::bca)).has_value());
  EXPECT_FALSE(median_ratio_ci({}, kCandidate30, resampling(IntervalMethod::bca)).has_value());
}

TEST(BootstrapCi, NegativeAndZero) {
  // Base median 0: the estimate is not finite.
  constexpr std::array<double, 5> kZeroMedian{-2.0, -1.0, 0.0, 1.0, 2.0};
  for (const IntervalMethod method : {IntervalMethod::percentile, IntervalMethod::bca}) {
    EXPECT_FALSE(
        bootstrap_ci(kZeroMedian, kCandidate30, median_ratio, resampling(method)).has_value());
    EXPECT_FALSE(median_ratio_ci(kZeroMedian, kCandidate30, resampling(method)).has_value());
  }
  EXPECT_FALSE(median_ratio_ci(kZeroMedian, kCandidate30, IntervalOptions{}).has_value());
}

}  // namespace
}  // namespace perfguard::stats
