// stats/exact_bootstrap.hpp against brute-force enumeration of all n^n resamples, the
// Maritz-Jarrett binomial formula (scipy.stats.binom), an independent multinomial dynamic
// programme in Python for even n, and the properties a percentile interval must have.
#include "stats/exact_bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "stats/descriptive.hpp"
#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

using test::kBase25;
using test::kCandidate30;
using test::kTimings20;
using test::kTimings37;
using test::near_rel;
using test::RandomSource;

constexpr std::array<double, 4> kConfidences{0.8, 0.9, 0.95, 0.99};

// Values that different interpolation formulas may round apart are one atom.
constexpr double kSameValue = 1e-12;
// Probabilities of the exact law: sums of at most n^2 terms of binomial-size products.
constexpr double kProbability = 1e-12;
// Ratio CIs: each bound is an attained ratio c / b of the exact laws (the header), so it
// matches a reference computed independently up to the rounding of one division.
constexpr double kRatio = 1e-12;
// Two such bounds compared with each other (swapped sides: 1 / (c / b) against b / c; scaled
// samples): a few roundings apart.
constexpr double kRatioPair = 4e-12;

bool same_value(double a, double b) { return std::abs(a - b) <= kSameValue * std::abs(b); }

// Merges adjacent atoms (sorted by value) whose values are equal up to rounding.
std::vector<Atom> merge_atoms(const std::map<double, double>& mass) {
  std::vector<Atom> law;
  for (const auto& [value, probability] : mass) {
    if (!law.empty() && same_value(value, law.back().value)) {
      law.back().probability += probability;
    } else {
      law.push_back({value, probability});
    }
  }
  return law;
}

// The law of the type-7 p-quantile of a resample, by enumerating all n^n equally likely
// index tuples (an odometer over base n) and taking each resample's quantile with the
// test's own type-7 code.
std::vector<Atom> enumerate_quantile_law(std::span<const double> x, double p) {
  const std::size_t n = x.size();
  std::size_t total = 1;
  for (std::size_t i = 0; i < n; ++i) total *= n;
  std::map<double, double> mass;
  std::vector<std::size_t> index(n, 0);
  std::vector<double> resample(n);
  for (std::size_t r = 0; r < total; ++r) {
    for (std::size_t i = 0; i < n; ++i) resample[i] = x[index[i]];
    std::sort(resample.begin(), resample.end());
    mass[test::reference_quantile_sorted(resample, p)] += 1.0 / static_cast<double>(total);
    for (std::size_t i = 0; i < n && ++index[i] == n; ++i) index[i] = 0;
  }
  return merge_atoms(mass);
}

// Law of median(candidate) / median(base) from two independent laws.
std::vector<Atom> ratio_law(std::span<const Atom> base, std::span<const Atom> candidate) {
  std::map<double, double> mass;
  for (const Atom& b : base) {
    for (const Atom& c : candidate) mass[c.value / b.value] += b.probability * c.probability;
  }
  return merge_atoms(mass);
}

// Type-1 inverse CDF, written from the definition.
double reference_inverse_cdf(std::span<const Atom> law, double q) {
  double cumulative = 0.0;
  for (const Atom& atom : law) {
    cumulative += atom.probability;
    if (cumulative >= q) return atom.value;
  }
  return law.back().value;
}

// Distance of the CDF from a level at its nearest atom: a reference interval is only
// well-posed when rounding cannot move the CDF across the level.
double cdf_margin(std::span<const Atom> law, double q) {
  double cumulative = 0.0;
  double margin = 1.0;
  for (const Atom& atom : law) {
    cumulative += atom.probability;
    margin = std::min(margin, std::abs(cumulative - q));
  }
  return margin;
}

Interval reference_interval(std::span<const Atom> law, double confidence) {
  const double alpha = 1.0 - confidence;
  return {reference_inverse_cdf(law, alpha / 2), reference_inverse_cdf(law, 1.0 - alpha / 2)};
}

void expect_same_law(const std::vector<Atom>& actual, const std::vector<Atom>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "atom " << i << " at " << expected[i].value);
    EXPECT_NEAR(actual[i].value, expected[i].value, kSameValue * std::abs(expected[i].value));
    EXPECT_NEAR(actual[i].probability, expected[i].probability, kProbability);
  }
}

void expect_interval_near(const std::optional<Interval>& actual, Interval expected, double rel) {
  ASSERT_TRUE(actual.has_value());
  EXPECT_TRUE(near_rel(actual->lo, expected.lo, rel)) << "lo";
  EXPECT_TRUE(near_rel(actual->hi, expected.hi, rel)) << "hi";
}

// ---- bootstrap_quantile_distribution vs all n^n resamples -----------------------------------

struct EnumerationCase {
  std::string name;
  std::vector<double> x;
  double p;
};

// gtest prints a parameter in test listings (and ctest's names); a byte dump helps nobody.
void PrintTo(const EnumerationCase& c, std::ostream* os) { *os << c.name; }

class EnumerationTest : public testing::TestWithParam<EnumerationCase> {};

TEST_P(EnumerationTest, MatchesAllResamples) {
  const EnumerationCase& c = GetParam();
  expect_same_law(bootstrap_quantile_distribution(c.x, c.p), enumerate_quantile_law(c.x, c.p));
}

// Odd n at p = 0.5 is one order statistic; even n interpolates at g = 0.5; p = 0.25 and
// p = 0.9 give g in {0, 0.25, 0.5, 0.6, 0.7, 0.75, 0.8}. Ties exercise the merging of atoms.
INSTANTIATE_TEST_SUITE_P(
    SmallN, EnumerationTest,
    testing::Values(EnumerationCase{"N3Median", {2.0, 7.0, 3.0}, 0.5},
                    EnumerationCase{"N3P25", {2.0, 7.0, 3.0}, 0.25},
                    EnumerationCase{"N3P90", {2.0, 7.0, 3.0}, 0.9},
                    EnumerationCase{"N3TiesMedian", {4.0, 4.0, 1.0}, 0.5},
                    EnumerationCase{"N3TiesP90", {4.0, 4.0, 1.0}, 0.9},
                    EnumerationCase{"N4Median", {1.0, 2.0, 4.0, 8.0}, 0.5},
                    EnumerationCase{"N4P25", {1.0, 2.0, 4.0, 8.0}, 0.25},
                    EnumerationCase{"N4P90", {1.0, 2.0, 4.0, 8.0}, 0.9},
                    EnumerationCase{"N4Min", {1.0, 2.0, 4.0, 8.0}, 0.0},
                    EnumerationCase{"N4Max", {1.0, 2.0, 4.0, 8.0}, 1.0},
                    EnumerationCase{"N4TiesMedian", {5.0, 1.0, 5.0, 2.0}, 0.5},
                    EnumerationCase{"N4TiesP90", {5.0, 1.0, 5.0, 2.0}, 0.9},
                    EnumerationCase{"N5Median", {3.5, 1.25, 9.0, 2.0, 6.0}, 0.5},
                    EnumerationCase{"N5P25", {3.5, 1.25, 9.0, 2.0, 6.0}, 0.25},
                    EnumerationCase{"N5P90", {3.5, 1.25, 9.0, 2.0, 6.0}, 0.9},
                    EnumerationCase{"N5TiesMedian", {2.0, 5.0, 2.0, 5.0, 5.0}, 0.5},
                    EnumerationCase{"N5TiesP90", {2.0, 5.0, 2.0, 5.0, 5.0}, 0.9},
                    EnumerationCase{"N6Median", {1.5, 4.0, 2.0, 8.0, 3.0, 16.0}, 0.5},
                    EnumerationCase{"N6P25", {1.5, 4.0, 2.0, 8.0, 3.0, 16.0}, 0.25},
                    EnumerationCase{"N6P90", {1.5, 4.0, 2.0, 8.0, 3.0, 16.0}, 0.9},
                    EnumerationCase{"N6TiesMedian", {1.0, 9.0, 2.0, 1.0, 2.0, 2.0}, 0.5},
                    EnumerationCase{"N6TiesP25", {1.0, 9.0, 2.0, 1.0, 2.0, 2.0}, 0.25}),
    [](const testing::TestParamInfo<EnumerationCase>& param_info) {
      return param_info.param.name;
    });

// ---- bootstrap_quantile_distribution: shape -----------------------------------------------

TEST(BootstrapQuantileDistribution, LargeNSumsToOne) {
  RandomSource source(1000);
  const std::vector<double> even = source.lognormal(1000, 0.0, 0.2);
  const std::vector<double> odd = source.lognormal(999, 0.0, 0.2);
  for (const auto& [x, p] : {std::pair{std::span<const double>(even), 0.5},
                             std::pair{std::span<const double>(even), 0.95},
                             std::pair{std::span<const double>(odd), 0.5}}) {
    SCOPED_TRACE(testing::Message() << "n = " << x.size() << ", p = " << p);
    const std::vector<Atom> law = bootstrap_quantile_distribution(x, p);
    ASSERT_FALSE(law.empty());
    double total = 0.0;
    for (std::size_t i = 0; i < law.size(); ++i) {
      EXPECT_GT(law[i].probability, 0.0);
      EXPECT_LE(law[i].probability, 1.0);
      if (i > 0) {
        EXPECT_LT(law[i - 1].value, law[i].value) << "atoms sorted, distinct";
      }
      total += law[i].probability;
    }
    EXPECT_NEAR(total, 1.0, 1e-9);
  }
}

TEST(BootstrapQuantileDistribution, EmptyIsNullopt) {
  EXPECT_TRUE(bootstrap_quantile_distribution({}, 0.5).empty());
  EXPECT_FALSE(exact_median_ci({}, 0.95).has_value());
  EXPECT_FALSE(exact_quantile_ci({}, 0.25, 0.95).has_value());
}

TEST(BootstrapQuantileDistribution, SingleSample) {
  constexpr std::array<double, 1> kOne{7.5};
  const std::vector<Atom> law = bootstrap_quantile_distribution(kOne, 0.5);
  ASSERT_EQ(law.size(), 1U);
  EXPECT_EQ(law[0].value, 7.5);
  EXPECT_NEAR(law[0].probability, 1.0, kProbability);
  // A one-point law would claim certainty.
  EXPECT_FALSE(exact_median_ci(kOne, 0.95).has_value());
  EXPECT_FALSE(exact_quantile_ci(kOne, 0.9, 0.95).has_value());
}

TEST(BootstrapQuantileDistribution, TwoSamples) {
  // {1, 3}: resamples {1,1}, {1,3}, {3,1}, {3,3} -> medians 1, 2, 2, 3.
  constexpr std::array<double, 2> kTwo{3.0, 1.0};
  expect_same_law(bootstrap_quantile_distribution(kTwo, 0.5),
                  {{1.0, 0.25}, {2.0, 0.5}, {3.0, 0.25}});
  // 95%: F^-1(0.025) = 1, F^-1(0.975) = 3. 40%: F^-1(0.3) = F^-1(0.7) = 2.
  expect_interval_near(exact_median_ci(kTwo, 0.95), {1.0, 3.0}, 0.0);
  expect_interval_near(exact_median_ci(kTwo, 0.4), {2.0, 2.0}, 0.0);
}

TEST(BootstrapQuantileDistribution, AllTies) {
  constexpr std::array<double, 5> kTies{4.0, 4.0, 4.0, 4.0, 4.0};
  for (const double p : {0.0, 0.5, 0.9, 1.0}) {
    const std::vector<Atom> law = bootstrap_quantile_distribution(kTies, p);
    ASSERT_EQ(law.size(), 1U) << "p = " << p;
    EXPECT_EQ(law[0].value, 4.0);
    EXPECT_NEAR(law[0].probability, 1.0, 1e-9);
  }
  expect_interval_near(exact_median_ci(kTies, 0.95), {4.0, 4.0}, 0.0);
}

// ---- atom_quantile --------------------------------------------------------------------------

TEST(AtomQuantile, InverseCdfOfHandMadeLaw) {
  // CDF: 0.125 at 1, 0.5 at 2, 1 at 5 (dyadic, so the sums are exact).
  constexpr std::array<Atom, 3> kLaw{{{1.0, 0.125}, {2.0, 0.375}, {5.0, 0.5}}};
  EXPECT_EQ(atom_quantile(kLaw, 0.0), 1.0);
  EXPECT_EQ(atom_quantile(kLaw, 0.1), 1.0);
  EXPECT_EQ(atom_quantile(kLaw, 0.125), 1.0);  // P(V <= 1) >= 0.125 already
  EXPECT_EQ(atom_quantile(kLaw, 0.126), 2.0);
  EXPECT_EQ(atom_quantile(kLaw, 0.5), 2.0);
  EXPECT_EQ(atom_quantile(kLaw, 0.501), 5.0);
  EXPECT_EQ(atom_quantile(kLaw, 1.0), 5.0);
}

TEST(AtomQuantile, SingleAtom) {
  constexpr std::array<Atom, 1> kLaw{{{3.25, 1.0}}};
  for (const double q : {0.0, 0.025, 0.5, 0.975, 1.0}) EXPECT_EQ(atom_quantile(kLaw, q), 3.25);
}

// ---- exact_median_ci / exact_quantile_ci against independent exact values -------------------

TEST(ExactMedianCi, MaritzJarrettOddN) {
  // kTimings37[:15], n = 15, k = 8: P(X*(8) = x(i)) =
  //   scipy.stats.binom.cdf(7, 15, (i-1)/15) - scipy.stats.binom.cdf(7, 15, i/15)
  const std::span<const double> x = std::span(kTimings37).first(15);
  const std::vector<Atom> expected{
      {7.456, 1.6389587393916827e-06}, {8.002, 0.00026546735596366666},
      {8.488, 0.003972643395120934},   {8.913, 0.021210625714287556},
      {9.468, 0.0627812229826521},     {9.989, 0.1248715842036684},
      {10.121, 0.1832380003585612},    {10.229, 0.20731763406201353},
      {10.275, 0.1832380003585612},    {10.627, 0.12487158420366831},
      {10.647, 0.06278122298265212},   {10.688, 0.02121062571428761},
      {10.922, 0.003972643395120919},  {10.985, 0.00026546735596373605},
      {12.177, 1.6389587393393083e-06}};
  expect_same_law(bootstrap_quantile_distribution(x, 0.5), expected);
  // Type-1 inverse of that law at alpha/2 and 1 - alpha/2 (the CDF stays >= 4.5e-4 away
  // from every level, so the endpoints are unambiguous).
  expect_interval_near(exact_median_ci(x, 0.8), {9.989, 10.627}, 1e-12);
  expect_interval_near(exact_median_ci(x, 0.9), {9.468, 10.647}, 1e-12);
  expect_interval_near(exact_median_ci(x, 0.95), {8.913, 10.688}, 1e-12);
}

TEST(ExactMedianCi, EvenNMatchesMultinomialLaw) {
  // kTimings20 (n = 20): the joint law of (X*(10), X*(11)) computed in /usr/bin/python3 by a
  // dynamic programme over the multinomial counts (position m receives
  // Binomial(n - c, 1/(n - m + 1)) draws given c so far, scipy.stats.binom.pmf), checked
  // there against all n^n resamples for n = 4, 5 and against Maritz-Jarrett for odd n;
  // the median is (X*(10) + X*(11)) / 2, then the type-1 inverse CDF. CDF margin >= 2.9e-3.
  expect_interval_near(exact_median_ci(kTimings20, 0.9), {9.609, 10.313}, 1e-12);
  expect_interval_near(exact_median_ci(kTimings20, 0.95), {9.5535, 10.488}, 1e-12);
}

TEST(ExactQuantileCi, P90EvenNMatchesMultinomialLaw) {
  // Same programme, p = 0.9: h = 17.1, (0.9 X*(18) + 0.1 X*(19)); 90% CI. Margin >= 6.3e-3.
  expect_interval_near(exact_quantile_ci(kTimings20, 0.9, 0.9), {10.6995, 11.661}, 1e-12);
}

TEST(ExactQuantileCi, AtHalfIsTheMedianCi) {
  for (const double confidence : kConfidences) {
    const auto median_ci = exact_median_ci(kTimings37, confidence);
    const auto quantile_ci = exact_quantile_ci(kTimings37, 0.5, confidence);
    ASSERT_TRUE(median_ci && quantile_ci);
    EXPECT_EQ(median_ci->lo, quantile_ci->lo);
    EXPECT_EQ(median_ci->hi, quantile_ci->hi);
  }
}

// ---- properties ---------------------------------------------------------------------------

TEST(ExactMedianCi, WiderAtHigherConfidence) {
  RandomSource source(11);
  for (int trial = 0; trial < 40; ++trial) {
    const std::vector<double> x = source.lognormal(source.integer(2, 60), 0.0, 0.25);
    SCOPED_TRACE(testing::Message() << "trial " << trial << ", n = " << x.size());
    std::optional<Interval> previous;
    for (const double confidence : kConfidences) {
      const auto ci = exact_median_ci(x, confidence);
      ASSERT_TRUE(ci.has_value());
      EXPECT_LE(ci->lo, ci->hi);
      if (previous) {
        EXPECT_LE(ci->lo, previous->lo) << "confidence " << confidence;
        EXPECT_GE(ci->hi, previous->hi) << "confidence " << confidence;
      }
      previous = ci;
    }
    if (x.size() >= 10) {
      const auto narrow = exact_median_ci(x, 0.8);
      EXPECT_GT(previous->hi - previous->lo, narrow->hi - narrow->lo);
    }
  }
}

TEST(ExactMedianCi, ContainsTheMedian) {
  RandomSource source(12);
  for (int trial = 0; trial < 60; ++trial) {
    const std::vector<double> x = source.lognormal(source.integer(2, 60), 0.0, 0.3);
    const double m = test::reference_median(x);
    for (const double confidence : kConfidences) {
      const auto ci = exact_median_ci(x, confidence);
      ASSERT_TRUE(ci.has_value());
      EXPECT_LE(ci->lo, m) << "n = " << x.size() << ", confidence " << confidence;
      EXPECT_GE(ci->hi, m) << "n = " << x.size() << ", confidence " << confidence;
    }
  }
}

// ---- exact_median_ratio_ci ------------------------------------------------------------------

TEST(ExactMedianRatioCi, MatchesExactConvolution) {
  // /usr/bin/python3: the two median laws of kBase25 (Maritz-Jarrett, odd n) and
  // kCandidate30 (multinomial programme above), every ratio c/b with probability
  // P(Mb = b) P(Mc = c), then the type-1 inverse CDF. CDF margins 1.0e-4 (90%), 3.9e-4 (95%).
  expect_interval_near(exact_median_ratio_ci(kBase25, kCandidate30, 0.9),
                       {1.0095079848610726, 1.1337707967345252}, kRatio);
  expect_interval_near(exact_median_ratio_ci(kBase25, kCandidate30, 0.95),
                       {0.9980614788147327, 1.1377118644067796}, kRatio);
}

TEST(ExactMedianRatioCi, MatchesEnumeratedLaws) {
  // Both median laws by enumeration of all resamples, then their ratio law.
  struct Case {
    std::vector<double> base;
    std::vector<double> candidate;
  };
  const std::vector<Case> cases{{{2.0, 3.0, 5.0}, {3.0, 4.0, 7.0, 8.0}},
                                {{2.0, 2.0, 5.0}, {3.0, 4.0, 7.0, 8.0}},
                                {{1.0, 2.0, 3.0, 4.0, 6.0}, {2.0, 2.0, 3.0, 5.0}}};
  for (const Case& c : cases) {
    const std::vector<Atom> law =
        ratio_law(enumerate_quantile_law(c.base, 0.5), enumerate_quantile_law(c.candidate, 0.5));
    for (const double confidence : {0.8, 0.9, 0.95}) {
      SCOPED_TRACE(testing::Message()
                   << "n_b = " << c.base.size() << ", confidence " << confidence);
      const double alpha = 1.0 - confidence;
      ASSERT_GT(cdf_margin(law, alpha / 2), 1e-6);
      ASSERT_GT(cdf_margin(law, 1.0 - alpha / 2), 1e-6);
      expect_interval_near(exact_median_ratio_ci(c.base, c.candidate, confidence),
                           reference_interval(law, confidence), kRatio);
    }
  }
}

TEST(ExactQuantileRatioCi, LowerQuantilesMatchEnumeratedLaws) {
  // The ratio of two lower quantiles (bench/detection/replay.cpp's q25_ratio, q10_ratio): both
  // quantile laws by enumeration of all resamples, then their ratio law.
  const std::vector<double> base{2.0, 3.0, 5.0, 6.0};
  const std::vector<double> candidate{3.0, 4.0, 7.0, 8.0, 9.0};
  for (const double p : {0.1, 0.25}) {
    const std::vector<Atom> law =
        ratio_law(enumerate_quantile_law(base, p), enumerate_quantile_law(candidate, p));
    for (const double confidence : {0.8, 0.9}) {
      SCOPED_TRACE(testing::Message() << "p = " << p << ", confidence " << confidence);
      const double alpha = 1.0 - confidence;
      ASSERT_GT(cdf_margin(law, alpha / 2), 1e-6);
      ASSERT_GT(cdf_margin(law, 1.0 - alpha / 2), 1e-6);
      expect_interval_near(exact_quantile_ratio_ci(base, candidate, p, confidence),
                           reference_interval(law, confidence), kRatio);
    }
  }
}

TEST(ExactQuantileRatioCi, AtHalfIsTheMedianRatioCi) {
  const std::vector<double> base{2.0, 3.0, 5.0, 6.0, 6.5};
  const std::vector<double> candidate{3.0, 4.0, 7.0, 8.0};
  const auto median = exact_median_ratio_ci(base, candidate, 0.9);
  const auto half = exact_quantile_ratio_ci(base, candidate, 0.5, 0.9);
  ASSERT_TRUE(median && half);
  EXPECT_EQ(median->lo, half->lo);
  EXPECT_EQ(median->hi, half->hi);
}

TEST(ExactMedianRatioCi, SearchMatchesFullRatioLaw) {
  // Sizes whose ratio law has 10^4-10^5 atoms, so the search narrows its bracket with passes
  // over the laws before it sorts what is left. Reference: every pair c / b of the two median
  // laws (themselves checked against enumeration above), merged and summed from the left.
  RandomSource source(24);
  const std::vector<std::pair<std::size_t, std::size_t>> sizes{{41, 60}, {64, 64}, {80, 79}};
  for (const auto& [n_base, n_candidate] : sizes) {
    const std::vector<double> base = source.lognormal(n_base, 0.0, 0.1);
    const std::vector<double> candidate = source.lognormal(n_candidate, 0.03, 0.1);
    const std::vector<Atom> law = ratio_law(bootstrap_quantile_distribution(base, 0.5),
                                            bootstrap_quantile_distribution(candidate, 0.5));
    for (const double confidence : kConfidences) {
      SCOPED_TRACE(testing::Message()
                   << "n = " << n_base << ", " << n_candidate << ", confidence " << confidence);
      const double alpha = 1.0 - confidence;
      ASSERT_GT(cdf_margin(law, alpha / 2), 1e-10);
      ASSERT_GT(cdf_margin(law, 1.0 - alpha / 2), 1e-10);
      expect_interval_near(exact_median_ratio_ci(base, candidate, confidence),
                           reference_interval(law, confidence), kRatio);
    }
  }
}

TEST(ExactMedianRatioCi, NegativeCandidateIsAllowed) {
  // Only the base median divides; a candidate law reaching below 0 gives a negative lo.
  const std::vector<double> base{2.0, 3.0, 5.0, 4.0};
  const std::vector<double> candidate{-1.0, 4.0, 7.0};
  const std::vector<Atom> law =
      ratio_law(enumerate_quantile_law(base, 0.5), enumerate_quantile_law(candidate, 0.5));
  // Enumerated: 95% CI [-0.4, 2.8].
  expect_interval_near(exact_median_ratio_ci(base, candidate, 0.95), reference_interval(law, 0.95),
                       kRatio);
  expect_interval_near(exact_median_ratio_ci(base, candidate, 0.95), {-0.4, 2.8}, kRatio);
}

TEST(ExactMedianRatioCi, NegativeAndZero) {
  const std::vector<double> candidate{3.0, 4.0, 5.0};
  // Base median 0.
  EXPECT_FALSE(exact_median_ratio_ci(std::vector<double>{-1.0, 0.0, 1.0}, candidate, 0.95));
  // Base median 1 > 0, but the resample {0, 0, 0} has median 0.
  EXPECT_FALSE(exact_median_ratio_ci(std::vector<double>{0.0, 1.0, 2.0}, candidate, 0.95));
  // Base median 3.5 > 0, but {-1, -1, -1, -1} has a negative median.
  EXPECT_FALSE(exact_median_ratio_ci(std::vector<double>{-1.0, 3.0, 4.0, 5.0}, candidate, 0.95));
}

// Values near the largest double: the bracket's search must not step past the end of the
// candidate law when t * b overflows to infinity (it once read past its +inf sentinel). By hand:
// the median of 3 resampled from {a, b, c} is a or c with probability 7/27 each (at least two
// of the three draws there: 3 (1/3)^2 (2/3) + (1/3)^3), b with 13/27; the base {2, 2, 2} is
// exactly 2, so the 95% interval of the ratio is [a / 2, c / 2].
TEST(ExactMedianRatioCi, ValuesNearTheLargestDouble) {
  const std::vector<double> base = {2.0, 2.0, 2.0};
  const std::vector<double> candidate = {1.0e308, 1.7e308, 1.79e308};
  const std::optional<Interval> ci = exact_median_ratio_ci(base, candidate, 0.95);
  ASSERT_TRUE(ci.has_value());
  EXPECT_DOUBLE_EQ(ci->lo, 0.5e308);
  EXPECT_DOUBLE_EQ(ci->hi, 0.895e308);
  // And with spread on both sides, where the search runs: an interval inside the support.
  const std::vector<double> wide_base = {1.5, 2.0, 3.0, 4.0, 5.5};
  const std::vector<double> wide_candidate = {1.0e308, 1.2e308, 1.5e308, 1.7e308, 1.79e308};
  const std::optional<Interval> wide = exact_median_ratio_ci(wide_base, wide_candidate, 0.98);
  ASSERT_TRUE(wide.has_value());
  EXPECT_GE(wide->lo, 1.0e308 / 5.5);
  EXPECT_LE(wide->lo, wide->hi);
  EXPECT_LE(wide->hi, 1.79e308 / 1.5);
}

TEST(ExactMedianRatioCi, SingleSample) {
  const std::vector<double> one{2.0};
  const std::vector<double> many{1.0, 2.0, 3.0};
  EXPECT_FALSE(exact_median_ratio_ci(one, many, 0.95).has_value());
  EXPECT_FALSE(exact_median_ratio_ci(many, one, 0.95).has_value());
}

TEST(ExactMedianRatioCi, EmptyIsNullopt) {
  const std::vector<double> many{1.0, 2.0, 3.0};
  EXPECT_FALSE(exact_median_ratio_ci({}, many, 0.95).has_value());
  EXPECT_FALSE(exact_median_ratio_ci(many, {}, 0.95).has_value());
}

TEST(ExactMedianRatioCi, AllTies) {
  const std::vector<double> base{2.0, 2.0, 2.0};
  const std::vector<double> candidate{3.0, 3.0, 3.0, 3.0};
  expect_interval_near(exact_median_ratio_ci(base, candidate, 0.95), {1.5, 1.5}, kRatio);
}

TEST(ExactMedianRatioCi, ZeroSpreadBase) {
  // Base law is the point 2; candidate {1, 3} has law {1: 1/4, 2: 1/2, 3: 1/4}: the ratio
  // law is {0.5, 1, 1.5} with the same weights, 95% CI [0.5, 1.5].
  const std::vector<double> base{2.0, 2.0, 2.0, 2.0};
  const std::vector<double> candidate{1.0, 3.0};
  expect_interval_near(exact_median_ratio_ci(base, candidate, 0.95), {0.5, 1.5}, kRatio);
}

TEST(ExactMedianRatioCi, WiderAtHigherConfidence) {
  RandomSource source(21);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<double> base = source.lognormal(source.integer(5, 40), 0.0, 0.2);
    const std::vector<double> candidate = source.lognormal(source.integer(5, 40), 0.05, 0.2);
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    std::optional<Interval> previous;
    for (const double confidence : kConfidences) {
      const auto ci = exact_median_ratio_ci(base, candidate, confidence);
      ASSERT_TRUE(ci.has_value());
      if (previous) {
        EXPECT_LE(ci->lo, previous->lo) << "confidence " << confidence;
        EXPECT_GE(ci->hi, previous->hi) << "confidence " << confidence;
      }
      previous = ci;
    }
    const auto narrow = exact_median_ratio_ci(base, candidate, 0.8);
    EXPECT_GT(previous->hi - previous->lo, narrow->hi - narrow->lo);
  }
}

TEST(ExactMedianRatioCi, SwapGivesReciprocal) {
  RandomSource source(22);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<double> base = source.lognormal(source.integer(3, 40), 0.0, 0.2);
    const std::vector<double> candidate = source.lognormal(source.integer(3, 40), 0.1, 0.2);
    for (const double confidence : kConfidences) {
      SCOPED_TRACE(testing::Message() << "trial " << trial << ", confidence " << confidence);
      const auto forward = exact_median_ratio_ci(base, candidate, confidence);
      const auto backward = exact_median_ratio_ci(candidate, base, confidence);
      ASSERT_TRUE(forward && backward);
      EXPECT_TRUE(near_rel(backward->lo, 1.0 / forward->hi, kRatioPair));
      EXPECT_TRUE(near_rel(backward->hi, 1.0 / forward->lo, kRatioPair));
    }
  }
}

TEST(ExactMedianRatioCi, ScaleInvariant) {
  RandomSource source(23);
  for (int trial = 0; trial < 10; ++trial) {
    const std::vector<double> base = source.lognormal(source.integer(3, 40), 0.0, 0.2);
    const std::vector<double> candidate = source.lognormal(source.integer(3, 40), 0.05, 0.2);
    const auto reference = exact_median_ratio_ci(base, candidate, 0.95);
    ASSERT_TRUE(reference.has_value());
    // 1024 is exact in binary; the others round every value.
    for (const double c : {1024.0, 1e-3, 37.5, 1e6}) {
      SCOPED_TRACE(testing::Message() << "trial " << trial << ", scale " << c);
      expect_interval_near(
          exact_median_ratio_ci(test::scaled(base, c), test::scaled(candidate, c), 0.95),
          *reference, kRatio);
    }
  }
}

}  // namespace
}  // namespace perfguard::stats
