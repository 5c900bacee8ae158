// Change points (stats/change_points.hpp). Expected values are worked out by hand from series
// made with known steps (the level on each side is the median of that side's values as
// written here), and one p-value comes from scipy (stated where used).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stats/change_points.hpp"

namespace perfguard::stats {
namespace {

// A small deterministic wiggle, +-0.5 at most, median 0 over each block of ten.
constexpr double kWiggle[] = {0.3, -0.2, 0.5, -0.4, 0.1, -0.3, 0.2, 0.4, -0.1, -0.5};

std::vector<SeriesValue> levels(const std::vector<std::pair<double, int>>& steps,
                                double wiggle = 1.0) {
  std::vector<SeriesValue> series;
  for (const auto& [level, count] : steps)
    for (int i = 0; i < count; ++i)
      series.push_back({level + wiggle * kWiggle[series.size() % 10], std::nullopt});
  return series;
}

// The defaults with some parameters changed (outlier_window 0 turns the filter off).
ChangePointOptions with(std::size_t min_segment, double alpha = 0.001,
                        std::size_t outlier_window = 3) {
  ChangePointOptions options;
  options.min_segment = min_segment;
  options.alpha = alpha;
  options.outlier_window = outlier_window;
  return options;
}

TEST(ChangePoints, FlatSeriesHasNone) { EXPECT_TRUE(change_points(levels({{100.0, 60}})).empty()); }

TEST(ChangePoints, ZeroSpreadFlatSeriesHasNone) {
  EXPECT_TRUE(change_points(levels({{100.0, 60}}, 0.0)).empty());
}

TEST(ChangePoints, TooFewPointsForTwoSegments) {
  // 9 points cannot hold two segments of 5, however large the step.
  EXPECT_TRUE(change_points(levels({{100.0, 5}, {200.0, 4}})).empty());
}

// 30 nights at 100, 30 at 110: one change at index 30, +10%. The wiggle's median over whole
// blocks of ten is (-0.1 + 0.1) / 2 = 0, so the levels are exactly 100 and 110.
TEST(ChangePoints, OneStepAtItsIndexWithItsLevels) {
  const auto found = change_points(levels({{100.0, 30}, {110.0, 30}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 30u);
  EXPECT_DOUBLE_EQ(found[0].before, 100.0);
  EXPECT_DOUBLE_EQ(found[0].after, 110.0);
  ASSERT_TRUE(found[0].change.has_value());
  EXPECT_NEAR(*found[0].change, 0.10, 1e-12);
  EXPECT_GT(found[0].t, 0.0);
  EXPECT_LT(found[0].p_value, 1e-6);
}

TEST(ChangePoints, ImprovementIsANegativeChange) {
  const auto found = change_points(levels({{100.0, 20}, {80.0, 20}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 20u);
  EXPECT_NEAR(*found[0].change, -0.20, 1e-12);
  EXPECT_LT(found[0].t, 0.0);
}

// Up at 20, back down at 40: both found, the middle level 105.
TEST(ChangePoints, TemporaryRegressionHasTwoChanges) {
  const auto found = change_points(levels({{100.0, 20}, {105.0, 20}, {100.0, 20}}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].index, 20u);
  EXPECT_EQ(found[1].index, 40u);
  EXPECT_DOUBLE_EQ(found[0].after, 105.0);
  EXPECT_DOUBLE_EQ(found[1].before, 105.0);
  EXPECT_DOUBLE_EQ(found[1].after, 100.0);
}

// One night at twice the level, and separately three bad nights in a row (fewer than the
// minimum segment of five): neither is a change.
TEST(ChangePoints, SingleOutlierNightIsNoChange) {
  auto series = levels({{100.0, 40}});
  series[17].value = 200.0;
  EXPECT_TRUE(change_points(series).empty());
}

TEST(ChangePoints, RunShorterThanMinimumSegmentIsNoChange) {
  auto series = levels({{100.0, 40}});
  for (int i = 20; i < 23; ++i) series[static_cast<std::size_t>(i)].value = 130.0;
  EXPECT_TRUE(change_points(series).empty());
}

// Three high nights at the very end: with the defaults they are too few to be a level (five
// are needed); with a minimum segment of 2 they are one, starting at index 37.
TEST(ChangePoints, ShortRunIsALevelWhenTheMinimumSegmentAllowsIt) {
  auto series = levels({{100.0, 40}});
  for (int i = 37; i < 40; ++i) series[static_cast<std::size_t>(i)].value = 130.0;
  EXPECT_TRUE(change_points(series).empty());
  const auto found = change_points(series, with(2));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 37u);
  EXPECT_DOUBLE_EQ(found[0].after, 130.0);
}

TEST(ChangePoints, StepInExactValuesIsCertain) {
  const auto found = change_points(levels({{4000.0, 10}, {4100.0, 10}}, 0.0));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 10u);
  EXPECT_EQ(found[0].p_value, 0.0);
  EXPECT_TRUE(std::isinf(found[0].t));
}

// A step of 0.6 under a wiggle of +-0.5 with no sigmas: every weight is 1, so the statistic is
// Welch's t. The second half is the wiggle reversed, so its first value (100.1) sits with the
// old level and the best split is at 11. scipy.stats.ttest_ind(series[11:], series[:11],
// equal_var=False) gives t = 4.4086064749839755, p = 0.00036178134874470855; 11 splits were
// possible (5..15), so the Bonferroni-corrected p is 0.003979594836191794. Outlier filter off:
// the values are as given.
TEST(ChangePoints, WelchPValueMatchesScipy) {
  std::vector<SeriesValue> series;
  for (double w : kWiggle) series.push_back({100.0 + w, std::nullopt});
  for (int i = 9; i >= 0; --i) series.push_back({100.6 + kWiggle[i], std::nullopt});
  const auto found = change_points(series, with(5, 0.01, 0));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 11u);
  EXPECT_NEAR(found[0].t, 4.4086064749839755, 1e-9);
  EXPECT_NEAR(found[0].p_value, 0.003979594836191794, 1e-9);
  // At alpha 0.001 the same step is not significant.
  EXPECT_TRUE(change_points(series, with(5, 0.001, 0)).empty());
}

// A small step that the night-to-night wiggle hides (t ~ 0.6) is not a change.
TEST(ChangePoints, StepWithinTheNoiseIsNoChange) {
  EXPECT_TRUE(change_points(levels({{100.0, 20}, {100.3, 20}}, 10.0)).empty());
}

// Nights measured far more loosely than they vary: their sigmas floor the variance, so a step
// the bare values would call certain is not significant; measured tightly, it is.
TEST(ChangePoints, PerPointSigmaFloorsTheNoise) {
  auto series = levels({{100.0, 20}, {101.0, 20}}, 0.1);
  EXPECT_EQ(change_points(series).size(), 1u);
  for (SeriesValue& point : series) point.sigma = 5.0;
  EXPECT_TRUE(change_points(series).empty());
  for (SeriesValue& point : series) point.sigma = 0.05;
  EXPECT_EQ(change_points(series).size(), 1u);
}

TEST(ChangePoints, SegmentsRespectTheMinimumLength) {
  std::vector<std::pair<double, int>> steps;
  for (int block = 0; block < 12; ++block)
    steps.push_back({100.0 + 10.0 * (block % 3), 6 + block % 4});
  const auto series = levels(steps);
  for (std::size_t min_segment : {3u, 5u, 8u}) {
    const auto found = change_points(series, with(min_segment));
    std::size_t previous = 0;
    for (const ChangePoint& point : found) {
      EXPECT_GE(point.index - previous, min_segment);
      previous = point.index;
    }
    EXPECT_GE(series.size() - previous, min_segment);
  }
}

TEST(ChangePoints, Deterministic) {
  const auto series = levels({{100.0, 25}, {103.0, 30}, {99.0, 25}}, 2.0);
  const auto first = change_points(series);
  const auto second = change_points(series);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].index, second[i].index);
    EXPECT_EQ(first[i].p_value, second[i].p_value);
  }
}

// A 98% interval of half-width z(0.99) = 2.3263478740408408 (scipy.stats.norm.ppf(0.99)) is one
// standard error.
TEST(ChangePoints, SigmaFromInterval) {
  EXPECT_NEAR(sigma_from_interval({10.0 - 2.3263478740408408, 10.0 + 2.3263478740408408}, 0.98),
              1.0, 1e-12);
}

}  // namespace
}  // namespace perfguard::stats
