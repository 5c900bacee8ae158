// stats/paired.hpp against scipy 1.10.1 (/usr/bin/python3): interval depths from
// scipy.stats.binom.cdf (sign) and the exact null law of scipy.stats.wilcoxon (signed rank),
// intervals and Hodges-Lehmann estimates from numpy's sorted Walsh averages, each signed-rank
// interval checked by inversion (scipy.stats.wilcoxon(d - theta, method='exact') has two-sided
// p >= alpha just inside each end and < alpha just outside); plus coverage and property loops.
#include "stats/paired.hpp"

#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace perfguard::stats {
namespace {

// Twelve per-round log ratios; the expected values below are numpy/scipy's on exactly these.
const std::vector<double> kD12{0.031, -0.012, 0.054, 0.008, 0.120,  -0.041,
                               0.019, 0.027,  -0.003, 0.066, 0.015, 0.002};

TEST(PairedFloor, SmallestNWhoseExtremesCover) {
  // 2^-n <= (1 - c) / 2: by hand.
  EXPECT_EQ(min_pairs_for_interval(0.95), 6u);
  EXPECT_EQ(min_pairs_for_interval(0.98), 7u);
  EXPECT_EQ(min_pairs_for_interval(0.99), 8u);
  EXPECT_EQ(min_pairs_for_interval(0.999), 11u);
}

TEST(SignDepth, MatchesScipyBinomial) {
  // largest k with scipy.stats.binom.cdf(k - 1, n, 0.5) <= (1 - c) / 2
  const std::vector<std::pair<std::size_t, std::size_t>> at95{
      {6, 1}, {7, 1}, {8, 1}, {10, 2}, {20, 6}, {30, 10}, {60, 22}, {100, 40}};
  const std::vector<std::pair<std::size_t, std::size_t>> at98{
      {6, 0}, {7, 1}, {8, 1}, {10, 1}, {20, 5}, {30, 9}, {60, 21}, {100, 38}};
  const std::vector<std::pair<std::size_t, std::size_t>> at99{
      {6, 0}, {7, 0}, {8, 1}, {10, 1}, {20, 4}, {30, 8}, {60, 20}, {100, 37}};
  for (const auto& [n, k] : at95) EXPECT_EQ(sign_interval_depth(n, 0.95), k) << n;
  for (const auto& [n, k] : at98) EXPECT_EQ(sign_interval_depth(n, 0.98), k) << n;
  for (const auto& [n, k] : at99) EXPECT_EQ(sign_interval_depth(n, 0.99), k) << n;
}

TEST(SignedRankDepth, MatchesScipyExactWilcoxon) {
  // largest k with P(T+ <= k - 1) <= (1 - c) / 2, P from scipy.stats.wilcoxon(...,
  // alternative='less', method='exact'); n = 10 and 20 at 0.95 are the textbook table's 8 and 52.
  const std::vector<std::pair<std::size_t, std::size_t>> at95{
      {6, 1}, {7, 3}, {8, 4}, {10, 9}, {12, 14}, {20, 53}, {25, 90}};
  const std::vector<std::pair<std::size_t, std::size_t>> at98{
      {6, 0}, {7, 1}, {8, 2}, {10, 6}, {12, 10}, {20, 44}, {25, 77}};
  for (const auto& [n, k] : at95) EXPECT_EQ(signed_rank_interval_depth(n, 0.95), k) << n;
  for (const auto& [n, k] : at98) EXPECT_EQ(signed_rank_interval_depth(n, 0.98), k) << n;
}

TEST(SignedRankDepth, NormalApproximationJoinsTheExactLaw) {
  // Beyond kSignedRankExactMaxN the normal approximation takes over; at the seam the two
  // agree to within a few ranks out of n(n+1)/2 ~ 20,000.
  const std::size_t n = kSignedRankExactMaxN;
  const double exact = static_cast<double>(signed_rank_interval_depth(n, 0.98));
  const double approx = static_cast<double>(signed_rank_interval_depth(n + 1, 0.98));
  EXPECT_GT(approx, exact);
  EXPECT_LT(approx - exact, 0.01 * exact + static_cast<double>(n));
}

TEST(SignInterval, OrderStatisticsOfTheDifferences) {
  // numpy: sorted(d)[k - 1], sorted(d)[n - k] with k = 3 (0.95) and 2 (0.98)
  const std::optional<Interval> at95 = sign_median_ci(kD12, 0.95);
  ASSERT_TRUE(at95);
  EXPECT_DOUBLE_EQ(at95->lo, -0.003);
  EXPECT_DOUBLE_EQ(at95->hi, 0.054);
  const std::optional<Interval> at98 = sign_median_ci(kD12, 0.98);
  ASSERT_TRUE(at98);
  EXPECT_DOUBLE_EQ(at98->lo, -0.012);
  EXPECT_DOUBLE_EQ(at98->hi, 0.066);
}

TEST(SignedRankInterval, WalshAveragesInvertTheScipyTest) {
  // numpy Walsh averages, depths 14 (0.95) and 10 (0.98); scipy's exact two-sided p just
  // inside the ends: 0.0522 (0.95) and 0.0210 (0.98), just outside 0.0425/0.0342 and 0.0161.
  const std::optional<Interval> at95 = signed_rank_ci(kD12, 0.95);
  ASSERT_TRUE(at95);
  EXPECT_NEAR(at95->lo, -0.002, 1e-15);
  EXPECT_NEAR(at95->hi, 0.054, 1e-15);
  const std::optional<Interval> at98 = signed_rank_ci(kD12, 0.98);
  ASSERT_TRUE(at98);
  EXPECT_NEAR(at98->lo, -0.007, 1e-15);
  EXPECT_NEAR(at98->hi, 0.061, 1e-15);
  // numpy.median of the 78 Walsh averages
  EXPECT_NEAR(*walsh_median(kD12), 0.01925, 1e-15);
}

TEST(PairedRatio, LogRatiosOfRoundsBackToTimes) {
  // Rounds whose candidate is base * exp(d_i): the ratio is exp(median d) = exp(0.017) (numpy),
  // the sign interval exp of the one above.
  std::vector<double> base;
  std::vector<double> candidate;
  for (std::size_t i = 0; i < kD12.size(); ++i) {
    base.push_back(0.05 + 0.01 * static_cast<double>(i));
    candidate.push_back(base.back() * std::exp(kD12[i]));
  }
  const PairedRatio paired = paired_ratio(base, candidate, 0.98);
  EXPECT_EQ(paired.rounds, 12u);
  EXPECT_EQ(paired.unpaired, 0u);
  ASSERT_TRUE(paired.ratio && paired.ci);
  EXPECT_NEAR(*paired.ratio, std::exp(0.017), 1e-12);
  EXPECT_NEAR(paired.ci->lo, std::exp(-0.012), 1e-12);
  EXPECT_NEAR(paired.ci->hi, std::exp(0.066), 1e-12);
  const PairedRatio hl = paired_ratio(base, candidate, 0.98, PairedInterval::signed_rank);
  ASSERT_TRUE(hl.ratio && hl.ci);
  EXPECT_NEAR(*hl.ratio, std::exp(0.01925), 1e-12);
  EXPECT_NEAR(hl.ci->lo, std::exp(-0.007), 1e-12);
}

TEST(PairedRatio, IncompleteLastRoundIsDropped) {
  const std::vector<double> base{1, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<double> candidate{2, 2, 2, 2, 2, 2, 2, 2, 9};  // round 9 lacks its base
  const PairedRatio paired = paired_ratio(base, candidate, 0.98);
  EXPECT_EQ(paired.rounds, 8u);
  EXPECT_EQ(paired.unpaired, 1u);
  ASSERT_TRUE(paired.ratio && paired.ci);
  EXPECT_DOUBLE_EQ(*paired.ratio, 2.0);
  EXPECT_DOUBLE_EQ(paired.ci->lo, 2.0);
}

TEST(PairedRatio, TooFewPairsSayHowManyItNeeds) {
  const std::vector<double> base{1, 1, 1, 1, 1, 1};
  const std::vector<double> candidate{1.1, 1.2, 1.1, 1.3, 1.2, 1.1};
  const PairedRatio paired = paired_ratio(base, candidate, 0.98);
  EXPECT_TRUE(paired.ratio);
  EXPECT_FALSE(paired.ci);
  EXPECT_EQ(paired.needs, 7u);
}

TEST(PairedRatio, ZeroTimeLeavesTheRatioUndefined) {
  const std::vector<double> base{1, 1, 0, 1, 1, 1, 1, 1};
  const std::vector<double> candidate{1, 1, 1, 1, 1, 1, 1, 1};
  const PairedRatio paired = paired_ratio(base, candidate, 0.98);
  EXPECT_FALSE(paired.ratio);
  EXPECT_FALSE(paired.ci);
}

TEST(PairedRatio, AllTiesGiveAPoint) {
  const std::vector<double> same(10, 2.0);
  const PairedRatio paired = paired_ratio(same, same, 0.98);
  ASSERT_TRUE(paired.ci);
  EXPECT_EQ(paired.ci->lo, 1.0);
  EXPECT_EQ(paired.ci->hi, 1.0);
}

TEST(PairedRatio, SwappingSidesGivesTheReciprocal) {
  std::mt19937_64 generator(7);
  std::lognormal_distribution<double> time(-3.0, 0.1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> a(25);
    std::vector<double> b(25);
    for (std::size_t i = 0; i < a.size(); ++i) {
      a[i] = time(generator);
      b[i] = time(generator);
    }
    for (const PairedInterval method : {PairedInterval::sign, PairedInterval::signed_rank}) {
      const PairedRatio ab = paired_ratio(a, b, 0.98, method);
      const PairedRatio ba = paired_ratio(b, a, 0.98, method);
      EXPECT_NEAR(*ab.ratio * *ba.ratio, 1.0, 1e-12);
      EXPECT_NEAR(ab.ci->lo * ba.ci->hi, 1.0, 1e-12);
      EXPECT_NEAR(ab.ci->hi * ba.ci->lo, 1.0, 1e-12);
      // Wider at higher confidence.
      const PairedRatio wide = paired_ratio(a, b, 0.999, method);
      EXPECT_LE(wide.ci->lo, ab.ci->lo);
      EXPECT_GE(wide.ci->hi, ab.ci->hi);
    }
  }
}

TEST(PairedCoverage, OneSidedMissAtMostHalfAlpha) {
  // Heavy-tailed symmetric log ratios (a round hit by a burst on one side), centre 0: the
  // interval's lower end lies above 0 in at most (1 - c) / 2 of the draws (plus 3 binomial
  // standard errors of the simulation).
  std::mt19937_64 generator(11);
  std::normal_distribution<double> quiet(0.0, 0.01);
  std::exponential_distribution<double> burst(10.0);
  std::bernoulli_distribution hit(0.3);
  std::bernoulli_distribution side(0.5);
  constexpr int kDraws = 4000;
  for (const PairedInterval method : {PairedInterval::sign, PairedInterval::signed_rank}) {
    for (const std::size_t n : {7u, 10u, 23u}) {
      int above = 0;
      for (int draw = 0; draw < kDraws; ++draw) {
        std::vector<double> d(n);
        for (double& x : d) {
          x = quiet(generator);
          if (hit(generator)) x += side(generator) ? burst(generator) : -burst(generator);
        }
        const std::optional<Interval> ci =
            method == PairedInterval::sign ? sign_median_ci(d, 0.98) : signed_rank_ci(d, 0.98);
        ASSERT_TRUE(ci);
        if (ci->lo > 0.0) ++above;
      }
      const double bound = 0.01 + 3.0 * std::sqrt(0.01 * 0.99 / kDraws);
      EXPECT_LE(static_cast<double>(above) / kDraws, bound) << n;
    }
  }
}

}  // namespace
}  // namespace perfguard::stats
