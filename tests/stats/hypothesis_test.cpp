// stats/hypothesis.hpp against scipy.stats.mannwhitneyu, scipy.stats.ttest_ind and numpy
// (/usr/bin/python3, scipy 1.10.1), plus a brute-force Hodges-Lehmann property loop.
#include "stats/hypothesis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

using test::kBase25;
using test::kCandidate30;
using test::kTimings37;
using test::modular_sample;
using test::near_rel;
using test::RandomSource;

constexpr double kClosedForm = 1e-12;
// p-values go through a special function (normal or Student t tail), whose implementations
// agree to a few ulps of the argument: 1e-10 relative.
constexpr double kSpecialFunction = 1e-10;

std::span<const double> first(std::span<const double> x, std::size_t n) { return x.first(n); }
std::span<const double> slice(std::span<const double> x, std::size_t from, std::size_t to) {
  return x.subspan(from, to - from);
}

void expect_mann_whitney(std::span<const double> x, std::span<const double> y, double u, double p,
                         PValueMethod method) {
  const auto result = mann_whitney_u(x, y);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->u, u);
  EXPECT_TRUE(near_rel(result->p, p, kSpecialFunction));
  EXPECT_EQ(result->method, method);
}

// ---- mann_whitney_u: exact ----------------------------------------------------------------
// scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='exact'); statistic is U
// of x. Exact p-values are ratios of counts, so the tolerance is rounding only.

TEST(MannWhitneyU, ExactSmallUntied) {
  const std::span<const double> t = kTimings37;
  // x = kTimings37[:3], y = kTimings37[3:7]
  expect_mann_whitney(first(t, 3), slice(t, 3, 7), 4.0, 0.6285714285714286, PValueMethod::exact);
  // x = kTimings37[:6], y = kTimings37[6:13]
  expect_mann_whitney(first(t, 6), slice(t, 6, 13), 10.0, 0.13752913752913754, PValueMethod::exact);
  // x = kBase25[:8], y = kCandidate30[:10]
  expect_mann_whitney(first(kBase25, 8), first(kCandidate30, 10), 23.0, 0.14571049865167512,
                      PValueMethod::exact);
  // x = kBase25[:5], y = kBase25[5:10]
  expect_mann_whitney(first(kBase25, 5), slice(kBase25, 5, 10), 9.0, 0.5476190476190477,
                      PValueMethod::exact);
}

TEST(MannWhitneyU, ExactFirstArgumentsU) {
  // x = kCandidate30[:7] + 1, y = kBase25[:6]: U = 40 of 42; swapped, U = 2; same p.
  const std::vector<double> x = test::shifted(first(kCandidate30, 7), 1.0);
  const std::span<const double> y = first(kBase25, 6);
  expect_mann_whitney(x, y, 40.0, 0.004662004662004662, PValueMethod::exact);
  expect_mann_whitney(y, x, 2.0, 0.004662004662004662, PValueMethod::exact);
}

TEST(MannWhitneyU, ExactPIsCappedAtOne) {
  // {1, 4} vs {2, 3}: U = 2 = n1 n2 / 2, both tails 2/3 -> p = min(1, 4/3) = 1.
  expect_mann_whitney(std::array{1.0, 4.0}, std::array{2.0, 3.0}, 2.0, 1.0, PValueMethod::exact);
}

TEST(MannWhitneyU, ExactAtLargestExactN) {
  // n = 50 per side, x_i = ((37 i) % 101) / 10 (0.1 steps), y_i = ((53 i) % 103) / 10 + c:
  // no ties. c = 0.05: U = 1335, p = 0.5617888928214939; c = 1.05: U = 1102,
  // p = 0.3106751115829012 (method='exact').
  const std::vector<double> x = modular_sample(50, 37, 101, 0.1, 0.0);
  expect_mann_whitney(x, modular_sample(50, 53, 103, 0.1, 0.05), 1335.0, 0.5617888928214939,
                      PValueMethod::exact);
  expect_mann_whitney(x, modular_sample(50, 53, 103, 0.1, 1.05), 1102.0, 0.3106751115829012,
                      PValueMethod::exact);
}

// ---- mann_whitney_u: asymptotic -----------------------------------------------------------
// scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'),
// use_continuity=True, tie-corrected variance.

TEST(MannWhitneyU, AsymptoticLargeN) {
  const std::vector<double> x = modular_sample(60, 37, 101, 0.1, 0.0);
  // 60 vs 55, untied: U = 1715, p = 0.7180017671210555
  expect_mann_whitney(x, modular_sample(55, 53, 103, 0.1, 0.05), 1715.0, 0.7180017671210555,
                      PValueMethod::asymptotic);
  // shifted by 2: U = 1114, p = 0.002715576461309007
  expect_mann_whitney(x, modular_sample(55, 53, 103, 0.1, 2.05), 1114.0, 0.002715576461309007,
                      PValueMethod::asymptotic);
}

TEST(MannWhitneyU, AsymptoticWhenOneSideExceedsExactN) {
  // 51 vs 5, untied: U = 190, p = 0.07483819153145163
  expect_mann_whitney(modular_sample(51, 37, 101, 0.1, 0.0), modular_sample(5, 53, 103, 0.1, 0.05),
                      190.0, 0.07483819153145163, PValueMethod::asymptotic);
}

TEST(MannWhitneyU, TiesUseAsymptoticSmallN) {
  // {1, 2, 2, 3, 5} vs {2, 3, 3, 4, 6, 7}: U = 7, p = 0.16304505585423734
  expect_mann_whitney(std::array{1.0, 2.0, 2.0, 3.0, 5.0}, std::array{2.0, 3.0, 3.0, 4.0, 6.0, 7.0},
                      7.0, 0.16304505585423734, PValueMethod::asymptotic);
}

TEST(MannWhitneyU, TiesUseAsymptoticLargeN) {
  // x_i = (7 i) % 20 (60 values), y_i = (3 i) % 17 + 2 (55 values): 20 distinct values in
  // all. U = 1609.5, p = 0.8225527320151431
  expect_mann_whitney(modular_sample(60, 7, 20, 1.0, 0.0), modular_sample(55, 3, 17, 1.0, 2.0),
                      1609.5, 0.8225527320151431, PValueMethod::asymptotic);
}

TEST(MannWhitneyU, AllTies) {
  EXPECT_FALSE(mann_whitney_u(std::array{2.0, 2.0, 2.0}, std::array{2.0, 2.0}).has_value());
}

TEST(MannWhitneyU, SingleSample) {
  // {1} vs {2}: U = 0, P(U <= 0) = 1/2 -> p = 1 (scipy, method='exact').
  expect_mann_whitney(std::array{1.0}, std::array{2.0}, 0.0, 1.0, PValueMethod::exact);
}

TEST(MannWhitneyU, EmptyIsNullopt) {
  EXPECT_FALSE(mann_whitney_u({}, kBase25).has_value());
  EXPECT_FALSE(mann_whitney_u(kBase25, {}).has_value());
}

// ---- welch_t_test -------------------------------------------------------------------------
// t and p: scipy.stats.ttest_ind(x, y, equal_var=False). df by hand:
//   v = s^2 / n per side; df = (v_x + v_y)^2 / (v_x^2 / (n_x - 1) + v_y^2 / (n_y - 1))

void expect_welch(std::span<const double> x, std::span<const double> y, double t, double df,
                  double p) {
  const auto result = welch_t_test(x, y);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(near_rel(result->t, t, kClosedForm)) << "t";
  EXPECT_TRUE(near_rel(result->df, df, kClosedForm)) << "df";
  EXPECT_TRUE(near_rel(result->p, p, kSpecialFunction)) << "p";
}

TEST(WelchTTest, MatchesScipy) {
  // x = kTimings37[:9], y = kCandidate30[:12]
  expect_welch(first(kTimings37, 9), first(kCandidate30, 12), -1.6683546436877064,
               11.897361080421549, 0.1213273746128424);
  // x = kBase25, y = kCandidate30
  expect_welch(kBase25, kCandidate30, -2.239163164617453, 52.738962006747485, 0.029387371816844584);
  // x = kCandidate30 + 0.8, y = kTimings37: a small p
  expect_welch(test::shifted(kCandidate30, 0.8), kTimings37, 5.944254520148947, 63.24279083153323,
               1.305625228637436e-07);
}

TEST(WelchTTest, TwoSamples) {
  // {1, 2} vs {4, 7}: t = -2.5298221281347035, df = 1.2195121951219512,
  // p = 0.2019084580708215
  expect_welch(std::array{1.0, 2.0}, std::array{4.0, 7.0}, -2.5298221281347035, 1.2195121951219512,
               0.2019084580708215);
}

TEST(WelchTTest, OneSideZeroSpread) {
  // {5, 5, 5} vs {4, 6, 8, 3}: only y varies, df = n_y - 1 = 3; t = -0.22549380840084865,
  // p = 0.8360832258079627
  expect_welch(std::array{5.0, 5.0, 5.0}, std::array{4.0, 6.0, 8.0, 3.0}, -0.22549380840084865, 3.0,
               0.8360832258079627);
}

TEST(WelchTTest, ZeroSpread) {
  EXPECT_FALSE(welch_t_test(std::array{5.0, 5.0, 5.0}, std::array{4.0, 4.0}).has_value());
}

TEST(WelchTTest, SingleSample) {
  EXPECT_FALSE(welch_t_test(std::array{5.0}, kBase25).has_value());
  EXPECT_FALSE(welch_t_test(kBase25, std::array{5.0}).has_value());
}

// Squares of values beyond ~1e154 overflow: no test, rather than Boost's students_t error.
TEST(WelchTTest, OverflowingVariancesAreNullopt) {
  const std::vector<double> x = {1e200, 2e200, 3e200};
  const std::vector<double> y = {1e200, 1.5e200, 4e200};
  EXPECT_FALSE(welch_t_test(x, y).has_value());
}

TEST(WelchTTest, EmptyIsNullopt) { EXPECT_FALSE(welch_t_test({}, kBase25).has_value()); }

// ---- hodges_lehmann_shift -----------------------------------------------------------------
// numpy.median(numpy.subtract.outer(candidate, base)). Differences of 3-decimal values carry
// rounding of ~1e-15; 1e-12 absolute.

constexpr double kShift = 1e-12;

TEST(HodgesLehmannShift, MatchesNumpy) {
  // n_b x n_c = 2x3 (6, even), 3x5 (15, odd), 4x4 (16), 7x9 (63), 25x30 (750)
  EXPECT_NEAR(hodges_lehmann_shift(first(kBase25, 2), first(kCandidate30, 3)).value(),
              1.4639999999999986, kShift);
  EXPECT_NEAR(hodges_lehmann_shift(first(kBase25, 3), first(kCandidate30, 5)).value(),
              1.5299999999999994, kShift);
  EXPECT_NEAR(hodges_lehmann_shift(first(kBase25, 4), first(kCandidate30, 4)).value(),
              1.442499999999999, kShift);
  EXPECT_NEAR(hodges_lehmann_shift(first(kBase25, 7), first(kCandidate30, 9)).value(),
              0.5669999999999984, kShift);
  EXPECT_NEAR(hodges_lehmann_shift(kBase25, kCandidate30).value(), 0.5704999999999991, kShift);
}

TEST(HodgesLehmannShift, SingleSample) {
  // 5.5 - 3
  EXPECT_EQ(hodges_lehmann_shift(std::array{3.0}, std::array{5.5}).value(), 2.5);
}

TEST(HodgesLehmannShift, Ties) {
  // base {1, 2, 2, 3}, candidate {2, 2, 4}: numpy gives 0.5 (12 differences, middle 0 and 1).
  EXPECT_EQ(hodges_lehmann_shift(std::array{1.0, 2.0, 2.0, 3.0}, std::array{2.0, 2.0, 4.0}).value(),
            0.5);
  // base {1, 1, 1}, candidate {1, 1, 2, 2}: differences six 0s and six 1s -> 0.5.
  EXPECT_EQ(hodges_lehmann_shift(std::array{1.0, 1.0, 1.0}, std::array{1.0, 1.0, 2.0, 2.0}).value(),
            0.5);
}

TEST(HodgesLehmannShift, AllTies) {
  EXPECT_EQ(hodges_lehmann_shift(std::array{4.0, 4.0}, std::array{4.0, 4.0, 4.0}).value(), 0.0);
}

TEST(HodgesLehmannShift, EmptyIsNullopt) {
  EXPECT_FALSE(hodges_lehmann_shift({}, kBase25).has_value());
  EXPECT_FALSE(hodges_lehmann_shift(kBase25, {}).has_value());
}

TEST(HodgesLehmannShift, MatchesBruteForceMedianOfDifferences) {
  RandomSource source(31);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n_b = source.integer(1, 40);
    const std::size_t n_c = source.integer(1, 40);
    // Rounded to 0.1 in a third of the trials, so that differences tie.
    const bool coarse = trial % 3 == 0;
    auto draw = [&](std::size_t n, double mu) {
      std::vector<double> x = source.lognormal(n, mu, 0.3);
      if (coarse) {
        for (double& v : x) v = std::round(v * 10.0) / 10.0;
      }
      return x;
    };
    const std::vector<double> base = draw(n_b, 0.0);
    const std::vector<double> candidate = draw(n_c, 0.1);
    std::vector<double> differences;
    for (const double c : candidate) {
      for (const double b : base) differences.push_back(c - b);
    }
    const double expected = test::reference_median(differences);
    EXPECT_NEAR(hodges_lehmann_shift(base, candidate).value(), expected, kShift)
        << "trial " << trial << ", n_b = " << n_b << ", n_c = " << n_c;
  }
}

TEST(HodgesLehmannShift, SwapNegates) {
  RandomSource source(32);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<double> base = source.lognormal(source.integer(1, 30), 0.0, 0.2);
    const std::vector<double> candidate = source.lognormal(source.integer(1, 30), 0.0, 0.2);
    EXPECT_NEAR(hodges_lehmann_shift(base, candidate).value(),
                -hodges_lehmann_shift(candidate, base).value(), kShift);
  }
}

}  // namespace
}  // namespace perfguard::stats
