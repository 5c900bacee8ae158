// stats/compare.hpp: summarize() and compare() fields against numpy/scipy values on fixed
// samples, and the per-statistic minimum sample sizes.
#include "stats/compare.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

using test::kBase25;
using test::kCandidate30;
using test::kTimings20;
using test::kTimings37;
using test::near_rel;

constexpr double kClosedForm = 1e-12;

void expect_optional_near(const std::optional<double>& actual, double expected, const char* what) {
  ASSERT_TRUE(actual.has_value()) << what;
  EXPECT_TRUE(near_rel(*actual, expected, kClosedForm)) << what;
}

void expect_no_percentiles(const Summary& s) {
  EXPECT_FALSE(s.p5.has_value());
  EXPECT_FALSE(s.p25.has_value());
  EXPECT_FALSE(s.p75.has_value());
  EXPECT_FALSE(s.p90.has_value());
  EXPECT_FALSE(s.p95.has_value());
  EXPECT_FALSE(s.p99.has_value());
}

// ---- summarize ----------------------------------------------------------------------------

TEST(Summarize, MatchesNumpyAndScipy) {
  const auto s = summarize(kBase25, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->n, 25U);
  // numpy.mean, numpy.median, scipy.stats.median_abs_deviation, min, max
  EXPECT_TRUE(near_rel(s->mean, 10.215399999999999, kClosedForm));
  EXPECT_TRUE(near_rel(s->median, 10.128, kClosedForm));
  EXPECT_TRUE(near_rel(s->mad, 0.7050000000000001, kClosedForm));
  EXPECT_EQ(s->min, 9.216);
  EXPECT_EQ(s->max, 11.667);
  // numpy.std(x, ddof=1) and its ratio to the mean
  expect_optional_near(s->stddev, 0.8218321503405264, "stddev");
  expect_optional_near(s->cv, 0.08045031524370327, "cv");
  // numpy.quantile(x, p), type 7; p99 needs 100 samples.
  expect_optional_near(s->p5, 9.287600000000001, "p5");
  expect_optional_near(s->p25, 9.505, "p25");
  expect_optional_near(s->p75, 10.906, "p75");
  expect_optional_near(s->p90, 11.339400000000001, "p90");
  expect_optional_near(s->p95, 11.6102, "p95");
  EXPECT_FALSE(s->p99.has_value());
  // Default options: exact 95% CI. Odd n = 25, Maritz-Jarrett,
  // P(X*(13) = x(i)) = binom.cdf(12, 25, (i-1)/25) - binom.cdf(12, 25, i/25), type-1
  // inverse at 0.025 and 0.975 (CDF margin 4.9e-3).
  ASSERT_TRUE(s->median_ci.has_value());
  EXPECT_TRUE(near_rel(s->median_ci->lo, 9.535, kClosedForm));
  EXPECT_TRUE(near_rel(s->median_ci->hi, 10.833, kClosedForm));
  // numpy.quantile quartiles 9.505, 10.906: fences 7.4035 and 13.0075 hold every value.
  ASSERT_TRUE(s->outliers.has_value());
  EXPECT_EQ(s->outliers->total(), 0U);
}

TEST(Summarize, TooFewForP95) {
  // kTimings20[:19]: 19 * 0.05 < 1, so neither p5 nor p95.
  const auto s = summarize(std::span(kTimings20).first(19), IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->p95.has_value());
  EXPECT_FALSE(s->p5.has_value());
  EXPECT_TRUE(s->p25.has_value());
}

TEST(Summarize, EnoughForP95) {
  // numpy.quantile(kTimings20, 0.95) = 11.6439, numpy.quantile(kTimings20, 0.05) = 8.5921
  const auto s = summarize(kTimings20, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  expect_optional_near(s->p95, 11.6439, "p95");
  expect_optional_near(s->p5, 8.5921, "p5");
  EXPECT_FALSE(s->p99.has_value());
}

TEST(Summarize, TooFewForP99) {
  // x_i = ((37 i) % 101) / 10 + 5, i < 100: numpy.quantile(x, 0.99) = 14.901000000000002.
  const std::vector<double> x = test::modular_sample(100, 37, 101, 0.1, 5.0);
  const auto too_few = summarize(std::span(x).first(99), IntervalOptions{});
  ASSERT_TRUE(too_few.has_value());
  EXPECT_FALSE(too_few->p99.has_value());
  EXPECT_TRUE(too_few->p95.has_value());
  const auto enough = summarize(x, IntervalOptions{});
  ASSERT_TRUE(enough.has_value());
  expect_optional_near(enough->p99, 14.901000000000002, "p99");
}

TEST(Summarize, QuartilesNeedFourSamples) {
  // numpy.quantile(kTimings37[:4], [0.25, 0.75]) = [8.23, 10.2475]
  const std::span<const double> t = kTimings37;
  const auto three = summarize(t.first(3), IntervalOptions{});
  ASSERT_TRUE(three.has_value());
  EXPECT_FALSE(three->p25.has_value());
  EXPECT_FALSE(three->p75.has_value());
  EXPECT_FALSE(three->outliers.has_value());
  const auto four = summarize(t.first(4), IntervalOptions{});
  ASSERT_TRUE(four.has_value());
  expect_optional_near(four->p25, 8.23, "p25");
  expect_optional_near(four->p75, 10.2475, "p75");
  EXPECT_TRUE(four->outliers.has_value());
}

TEST(Summarize, SingleSample) {
  const auto s = summarize(std::array{4.2}, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->n, 1U);
  EXPECT_EQ(s->mean, 4.2);
  EXPECT_EQ(s->median, 4.2);
  EXPECT_EQ(s->mad, 0.0);
  EXPECT_EQ(s->min, 4.2);
  EXPECT_EQ(s->max, 4.2);
  EXPECT_FALSE(s->stddev.has_value());
  EXPECT_FALSE(s->cv.has_value());
  EXPECT_FALSE(s->median_ci.has_value());
  EXPECT_FALSE(s->outliers.has_value());
  expect_no_percentiles(*s);
}

TEST(Summarize, TwoSamples) {
  // {3, 1}: stddev sqrt(2), cv sqrt(2)/2; the exact median law {1: 1/4, 2: 1/2, 3: 1/4}
  // gives the 95% CI [1, 3].
  const auto s = summarize(std::array{3.0, 1.0}, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  expect_optional_near(s->stddev, std::sqrt(2.0), "stddev");
  expect_optional_near(s->cv, std::sqrt(2.0) / 2.0, "cv");
  ASSERT_TRUE(s->median_ci.has_value());
  EXPECT_EQ(s->median_ci->lo, 1.0);
  EXPECT_EQ(s->median_ci->hi, 3.0);
  EXPECT_FALSE(s->outliers.has_value());
  expect_no_percentiles(*s);
}

TEST(Summarize, ZeroSpread) {
  const auto s = summarize(std::array{2.0, 2.0, 2.0, 2.0, 2.0}, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->stddev.value(), 0.0);
  EXPECT_EQ(s->cv.value(), 0.0);
  EXPECT_EQ(s->mad, 0.0);
  ASSERT_TRUE(s->median_ci.has_value());
  EXPECT_EQ(s->median_ci->lo, 2.0);
  EXPECT_EQ(s->median_ci->hi, 2.0);
  EXPECT_EQ(s->outliers.value().total(), 0U);
}

TEST(Summarize, NegativeAndZero) {
  // {-1, 1}: mean 0, so no coefficient of variation.
  const auto s = summarize(std::array{-1.0, 1.0}, IntervalOptions{});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->mean, 0.0);
  EXPECT_TRUE(s->stddev.has_value());
  EXPECT_FALSE(s->cv.has_value());
}

TEST(Summarize, EmptyIsNullopt) { EXPECT_FALSE(summarize({}, IntervalOptions{}).has_value()); }

// ---- compare ------------------------------------------------------------------------------

TEST(Compare, TypicalDataPopulatesEverything) {
  const auto c = compare(kBase25, kCandidate30, IntervalOptions{});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->base.n, 25U);
  EXPECT_EQ(c->candidate.n, 30U);
  EXPECT_TRUE(near_rel(c->base.median, 10.128, kClosedForm));
  // numpy.median(kCandidate30) / numpy.median(kBase25)
  expect_optional_near(c->ratio, 1.069905213270142, "ratio");
  // Exact 95% CI of the ratio, from the Python convolution of the two exact median laws
  // (see exact_bootstrap_test.cpp, ExactMedianRatioCi.MatchesExactConvolution).
  ASSERT_TRUE(c->ratio_ci.has_value());
  EXPECT_TRUE(near_rel(c->ratio_ci->lo, 0.9980614788147327, 1e-9));
  EXPECT_TRUE(near_rel(c->ratio_ci->hi, 1.1377118644067796, 1e-9));
  // compare.hpp: mann_whitney_u(candidate, base), welch_t_test(candidate, base).
  // scipy.stats.mannwhitneyu(kCandidate30, kBase25, alternative='two-sided', method='exact'):
  // U = 489 (U of the candidate), p = 0.054570814831248336.
  ASSERT_TRUE(c->mann_whitney.has_value());
  EXPECT_EQ(c->mann_whitney->u, 489.0);
  EXPECT_TRUE(near_rel(c->mann_whitney->p, 0.054570814831248336, 1e-10));
  EXPECT_EQ(c->mann_whitney->method, PValueMethod::exact);
  // scipy.stats.ttest_ind(kCandidate30, kBase25, equal_var=False): t = 2.239163164617453
  // (> 0: the candidate is slower), p = 0.029387371816844584; df = 52.738962006747485 by the
  // Welch-Satterthwaite formula.
  ASSERT_TRUE(c->welch.has_value());
  EXPECT_TRUE(near_rel(c->welch->t, 2.239163164617453, kClosedForm));
  EXPECT_TRUE(near_rel(c->welch->df, 52.738962006747485, kClosedForm));
  EXPECT_TRUE(near_rel(c->welch->p, 0.029387371816844584, 1e-10));
  // numpy.median(numpy.subtract.outer(kCandidate30, kBase25)): candidate - base.
  ASSERT_TRUE(c->hodges_lehmann.has_value());
  EXPECT_NEAR(*c->hodges_lehmann, 0.5704999999999991, 1e-12);
}

TEST(Compare, RatioCiFollowsOptions) {
  IntervalOptions options;
  options.method = IntervalMethod::percentile;
  options.confidence = 0.9;
  const auto c = compare(kBase25, kCandidate30, options);
  const auto direct = median_ratio_ci(kBase25, kCandidate30, options);
  ASSERT_TRUE(c.has_value() && c->ratio_ci.has_value() && direct.has_value());
  EXPECT_EQ(c->ratio_ci->lo, direct->lo);
  EXPECT_EQ(c->ratio_ci->hi, direct->hi);
}

TEST(Compare, NegativeAndZero) {
  // Base median 0: no ratio and no ratio CI; the tests and the shift still exist.
  const auto c = compare(std::array{-1.0, 0.0, 1.0}, kCandidate30, IntervalOptions{});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->ratio.has_value());
  EXPECT_FALSE(c->ratio_ci.has_value());
  EXPECT_TRUE(c->mann_whitney.has_value());
  EXPECT_TRUE(c->welch.has_value());
  EXPECT_TRUE(c->hodges_lehmann.has_value());
}

TEST(Compare, SingleSample) {
  // n = 1 per side: a ratio (2 / 4) but no interval and no t-test.
  const auto c = compare(std::array{4.0}, std::array{2.0}, IntervalOptions{});
  ASSERT_TRUE(c.has_value());
  expect_optional_near(c->ratio, 0.5, "ratio");
  EXPECT_FALSE(c->ratio_ci.has_value());
  EXPECT_FALSE(c->welch.has_value());
  EXPECT_EQ(c->hodges_lehmann.value(), -2.0);
}

TEST(Compare, EmptyIsNullopt) {
  EXPECT_FALSE(compare({}, kCandidate30, IntervalOptions{}).has_value());
  EXPECT_FALSE(compare(kBase25, {}, IntervalOptions{}).has_value());
}

TEST(RatioMethodNames, ParseIsTheInverseOfToString) {
  for (const RatioMethod method :
       {RatioMethod::median_ratio, RatioMethod::paired_sign, RatioMethod::paired_signed_rank}) {
    EXPECT_EQ(parse_ratio_method(to_string(method)), method) << to_string(method);
  }
  EXPECT_EQ(parse_ratio_method("median_ratio"), RatioMethod::median_ratio);
  EXPECT_EQ(parse_ratio_method("paired_sign"), RatioMethod::paired_sign);
  EXPECT_EQ(parse_ratio_method("paired_signed_rank"), RatioMethod::paired_signed_rank);
}

TEST(RatioMethodNames, OtherTextIsNullopt) {
  for (const std::string_view text :
       {"", "Median_Ratio", "paired", "paired_sign ", " paired_sign", "sign", "wilcoxon"}) {
    EXPECT_FALSE(parse_ratio_method(text).has_value()) << '"' << text << '"';
  }
}

TEST(RatioMethodNames, ListNamesEveryMethod) {
  EXPECT_EQ(ratio_method_names(), "median_ratio, paired_sign, paired_signed_rank");
  for (const RatioMethod method :
       {RatioMethod::median_ratio, RatioMethod::paired_sign, RatioMethod::paired_signed_rank}) {
    const std::string names(ratio_method_names());
    const std::string name(to_string(method));
    // Whole names only: "paired_sign" must not be found inside "paired_signed_rank".
    const std::string listed = ", " + names + ",";
    EXPECT_NE(listed.find(" " + name + ","), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace perfguard::stats
