// stats/descriptive.hpp against numpy/scipy and hand derivations.
#include "stats/descriptive.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

using test::kTimings20;
using test::kTimings37;
using test::near_rel;

// Closed forms: only rounding separates us from numpy.
constexpr double kClosedForm = 1e-12;

constexpr std::array<double, 2> kTwo{3.0, 1.0};
constexpr std::array<double, 1> kOne{4.2};
constexpr std::array<double, 5> kAllTies{3.0, 3.0, 3.0, 3.0, 3.0};

// ---- min_samples_for_quantile: n * min(p, 1 - p) >= 1, by hand -----------------------------

TEST(MinSamplesForQuantile, MatchesNamedConstants) {
  EXPECT_EQ(kMinSamplesStddev, 2U);
  EXPECT_EQ(kMinSamplesP95, 20U);
  EXPECT_EQ(kMinSamplesP99, 100U);
  EXPECT_EQ(min_samples_for_quantile(0.95), kMinSamplesP95);
  EXPECT_EQ(min_samples_for_quantile(0.99), kMinSamplesP99);
}

TEST(MinSamplesForQuantile, ThinSideNeedsOneSample) {
  // 4 * 0.25 = 1; 20 * 0.05 = 1; 100 * 0.01 = 1; 10 * 0.1 = 1.
  EXPECT_EQ(min_samples_for_quantile(0.25), 4U);
  EXPECT_EQ(min_samples_for_quantile(0.75), 4U);
  EXPECT_EQ(min_samples_for_quantile(0.05), 20U);
  EXPECT_EQ(min_samples_for_quantile(0.01), 100U);
  EXPECT_EQ(min_samples_for_quantile(0.1), 10U);
  // The decimal level counts: the double nearest 0.9 lies just above 0.9, so 10 * (1 - p)
  // rounds just below 1, yet p90 needs 10 samples like p10.
  EXPECT_EQ(min_samples_for_quantile(0.9), 10U);
}

TEST(MinSamplesForQuantile, MedianExistsForOneSample) {
  EXPECT_EQ(min_samples_for_quantile(0.5), 1U);
}

TEST(MinSamplesForQuantile, TooFewForP95) {
  // 19 * 0.05 = 0.95 < 1: no sample is expected above the p95 of 19 samples.
  EXPECT_GT(min_samples_for_quantile(0.95), 19U);
  EXPECT_LE(min_samples_for_quantile(0.95), 20U);
}

TEST(MinSamplesForQuantile, TooFewForP99) {
  // 99 * 0.01 = 0.99 < 1.
  EXPECT_GT(min_samples_for_quantile(0.99), 99U);
  EXPECT_LE(min_samples_for_quantile(0.99), 100U);
}

// ---- mean ---------------------------------------------------------------------------------

TEST(Mean, MatchesNumpy) {
  // numpy.mean(kTimings37), numpy.mean(kTimings20)
  EXPECT_TRUE(near_rel(mean(kTimings37).value(), 9.881459459459462, kClosedForm));
  EXPECT_TRUE(near_rel(mean(kTimings20).value(), 10.0213, kClosedForm));
}

TEST(Mean, SingleSample) { EXPECT_DOUBLE_EQ(mean(kOne).value(), 4.2); }

TEST(Mean, EmptyIsNullopt) { EXPECT_FALSE(mean({}).has_value()); }

// ---- stddev -------------------------------------------------------------------------------

TEST(Stddev, MatchesNumpyDdof1) {
  // numpy.std(kTimings37, ddof=1), numpy.std(kTimings20, ddof=1)
  EXPECT_TRUE(near_rel(stddev(kTimings37).value(), 1.3561556079716783, kClosedForm));
  EXPECT_TRUE(near_rel(stddev(kTimings20).value(), 0.9819908403474626, kClosedForm));
}

TEST(Stddev, TwoSamples) {
  // {3, 1}: mean 2, sum of squares 2, divisor 1 -> sqrt(2).
  EXPECT_TRUE(near_rel(stddev(kTwo).value(), std::sqrt(2.0), kClosedForm));
}

TEST(Stddev, SingleSample) { EXPECT_FALSE(stddev(kOne).has_value()); }

TEST(Stddev, EmptyIsNullopt) { EXPECT_FALSE(stddev({}).has_value()); }

TEST(Stddev, ZeroSpread) {
  constexpr std::array<double, 3> kConstant{0.1, 0.1, 0.1};
  EXPECT_EQ(stddev(kAllTies).value(), 0.0);
  EXPECT_NEAR(stddev(kConstant).value(), 0.0, 1e-15);
}

// ---- quantile -----------------------------------------------------------------------------

struct QuantileCase {
  std::span<const double> x;
  double p;
  double expected;
};

TEST(Quantile, MatchesNumpyType7) {
  // numpy.quantile(x, p)  (method='linear', Hyndman-Fan 7)
  const std::vector<QuantileCase> cases{
      {kTimings37, 0.0, 7.456},
      {kTimings37, 0.05, 7.8332},
      {kTimings37, 0.25, 9.037},
      {kTimings37, 0.5, 10.041},
      {kTimings37, 0.75, 10.688},
      {kTimings37, 0.9, 11.8484},
      {kTimings37, 0.95, 12.0034},
      {kTimings37, 0.99, 12.62436},
      {kTimings37, 1.0, 12.876},
      {kTimings20, 0.0, 8.461},
      {kTimings20, 0.05, 8.5921},
      {kTimings20, 0.25, 9.47025},
      {kTimings20, 0.5, 9.739},
      {kTimings20, 0.75, 10.75425},
      {kTimings20, 0.9, 11.387400000000001},
      {kTimings20, 0.95, 11.6439},
      {kTimings20, 0.99, 11.65758},
      {kTimings20, 1.0, 11.661},
      {kTwo, 0.05, 1.1},
      {kTwo, 0.3, 1.6},
      {kTwo, 0.99, 2.98},
  };
  for (const QuantileCase& c : cases) {
    SCOPED_TRACE(testing::Message() << "n = " << c.x.size() << ", p = " << c.p);
    EXPECT_TRUE(near_rel(quantile(c.x, c.p).value(), c.expected, kClosedForm));
    std::vector<double> sorted(c.x.begin(), c.x.end());
    std::sort(sorted.begin(), sorted.end());
    EXPECT_TRUE(near_rel(quantile_sorted(sorted, c.p).value(), c.expected, kClosedForm));
  }
}

TEST(Quantile, EmptyIsNullopt) {
  EXPECT_FALSE(quantile({}, 0.5).has_value());
  EXPECT_FALSE(quantile_sorted({}, 0.5).has_value());
}

TEST(Quantile, SingleSample) {
  // numpy.quantile([4.2], p) == 4.2 for every p.
  for (const double p : {0.0, 0.05, 0.5, 0.95, 1.0}) {
    EXPECT_EQ(quantile(kOne, p).value(), 4.2) << "p = " << p;
  }
}

TEST(Quantile, TwoSamples) {
  // {1, 3}: h = p, Q = 1 + 2p.
  EXPECT_EQ(quantile(kTwo, 0.0).value(), 1.0);
  EXPECT_EQ(quantile(kTwo, 0.5).value(), 2.0);
  EXPECT_EQ(quantile(kTwo, 0.75).value(), 2.5);
  EXPECT_EQ(quantile(kTwo, 1.0).value(), 3.0);
}

TEST(Quantile, AllTies) {
  for (const double p : {0.0, 0.25, 0.5, 0.95, 1.0}) {
    EXPECT_EQ(quantile(kAllTies, p).value(), 3.0) << "p = " << p;
  }
}

TEST(Quantile, NegativeAndZero) {
  // numpy.quantile([-3, 0, 2, -1], [0.25, 0.75]) -> [-1.5, 0.5]
  constexpr std::array<double, 4> kSigned{-3.0, 0.0, 2.0, -1.0};
  EXPECT_EQ(quantile(kSigned, 0.25).value(), -1.5);
  EXPECT_EQ(quantile(kSigned, 0.75).value(), 0.5);
}

TEST(Quantile, NonFiniteAborts) {
  const std::array<double, 3> with_nan{1.0, std::numeric_limits<double>::quiet_NaN(), 2.0};
  EXPECT_DEATH(static_cast<void>(quantile(with_nan, 0.5)), "");
}

// ---- median -------------------------------------------------------------------------------

TEST(Median, OddAndEvenN) {
  // numpy.median(kTimings37) = 10.041 (the 19th of 37); numpy.median(kTimings20) = 9.739,
  // the mean of the middle pair 9.708 and 9.77.
  EXPECT_TRUE(near_rel(median(kTimings37).value(), 10.041, kClosedForm));
  EXPECT_TRUE(near_rel(median(kTimings20).value(), 9.739, kClosedForm));
}

TEST(Median, SingleSample) { EXPECT_EQ(median(kOne).value(), 4.2); }

TEST(Median, TwoSamples) { EXPECT_EQ(median(kTwo).value(), 2.0); }

TEST(Median, EmptyIsNullopt) { EXPECT_FALSE(median({}).has_value()); }

TEST(Median, NegativeAndZero) {
  // numpy.median([-3, 0, 2, -1]) = -0.5
  constexpr std::array<double, 4> kSigned{-3.0, 0.0, 2.0, -1.0};
  EXPECT_EQ(median(kSigned).value(), -0.5);
}

TEST(Median, NonFiniteAborts) {
  const std::array<double, 3> with_inf{1.0, std::numeric_limits<double>::infinity(), 2.0};
  EXPECT_DEATH(static_cast<void>(median(with_inf)), "");
}

// ---- mad ----------------------------------------------------------------------------------

TEST(Mad, MatchesScipy) {
  // scipy.stats.median_abs_deviation(x)  (scale=1.0)
  EXPECT_TRUE(near_rel(mad(kTimings37).value(), 0.8949999999999996, kClosedForm));
  EXPECT_TRUE(near_rel(mad(kTimings20).value(), 0.5109999999999992, kClosedForm));
}

TEST(Mad, RobustToOneOutlier) {
  // {1, 2, 3, 4, 100}: median 3, |x - 3| = {2, 1, 0, 1, 97}, median 1.
  constexpr std::array<double, 5> kOutlier{1.0, 2.0, 3.0, 4.0, 100.0};
  EXPECT_EQ(mad(kOutlier).value(), 1.0);
}

TEST(Mad, ZeroSpread) { EXPECT_EQ(mad(kAllTies).value(), 0.0); }

TEST(Mad, SingleSample) { EXPECT_EQ(mad(kOne).value(), 0.0); }

TEST(Mad, EmptyIsNullopt) { EXPECT_FALSE(mad({}).has_value()); }

// ---- tukey_outliers -----------------------------------------------------------------------

void expect_outliers(const std::optional<Outliers>& got, std::size_t low_severe,
                     std::size_t low_mild, std::size_t high_mild, std::size_t high_severe) {
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->low_severe, low_severe);
  EXPECT_EQ(got->low_mild, low_mild);
  EXPECT_EQ(got->high_mild, high_mild);
  EXPECT_EQ(got->high_severe, high_severe);
  EXPECT_EQ(got->total(), low_severe + low_mild + high_mild + high_severe);
}

TEST(TukeyOutliers, FourClasses) {
  // n = 13: Q1 = x(3) = 10, Q3 = x(9) = 20 (0-based h = 3 and 9; numpy.quantile agrees),
  // IQR 10. Fences: severe < -20, mild < -5, mild > 35, severe > 50.
  // -25 low severe, -10 low mild, 40 high mild, 60 high severe. Shuffled on purpose.
  constexpr std::array<double, 13> kSample{15.0, 60.0,  -10.0, 12.0, 0.0,  40.0, 10.0,
                                           18.0, -25.0, 20.0,  14.0, 30.0, 16.0};
  expect_outliers(tukey_outliers(kSample), 1, 1, 1, 1);
}

TEST(TukeyOutliers, FencesAreStrict) {
  // Same quartiles (10, 20). -20 sits on the severe fence: mild, not severe. -5 and 35 sit on
  // the mild fences: not outliers. 50 sits on the severe fence: mild.
  constexpr std::array<double, 13> kSample{-20.0, -5.0, 0.0,  10.0, 12.0, 14.0, 15.0,
                                           16.0,  18.0, 20.0, 30.0, 35.0, 50.0};
  expect_outliers(tukey_outliers(kSample), 0, 1, 1, 0);
}

TEST(TukeyOutliers, NoOutliers) { expect_outliers(tukey_outliers(kTimings20), 0, 0, 0, 0); }

TEST(TukeyOutliers, FourSamplesIsEnough) {
  // {1, 2, 3, 100}: Q1 = 1.75, Q3 = 27.25 (numpy.quantile), IQR 25.5; mild fence 65.5,
  // severe fence 103.75: 100 is a high mild outlier.
  constexpr std::array<double, 4> kFour{1.0, 2.0, 3.0, 100.0};
  expect_outliers(tukey_outliers(kFour), 0, 0, 1, 0);
}

TEST(TukeyOutliers, TooFewForQuartiles) {
  EXPECT_FALSE(tukey_outliers(std::array<double, 3>{1.0, 2.0, 3.0}).has_value());
  EXPECT_FALSE(tukey_outliers(kTwo).has_value());
  EXPECT_FALSE(tukey_outliers(kOne).has_value());
}

TEST(TukeyOutliers, EmptyIsNullopt) { EXPECT_FALSE(tukey_outliers({}).has_value()); }

TEST(TukeyOutliers, ZeroSpread) {
  // Q1 = Q3 = 5 (numpy.quantile): IQR 0, so 1 and 9 are severe.
  constexpr std::array<double, 9> kSample{5.0, 5.0, 9.0, 5.0, 5.0, 1.0, 5.0, 5.0, 5.0};
  expect_outliers(tukey_outliers(kSample), 1, 0, 0, 1);
}

TEST(TukeyOutliers, AllTies) { expect_outliers(tukey_outliers(kAllTies), 0, 0, 0, 0); }

}  // namespace
}  // namespace perfguard::stats
