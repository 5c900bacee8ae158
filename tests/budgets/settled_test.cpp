// budgets::settled, the adaptive schedule's stop rule, computes only the two medians and the
// ratio interval. Its answer must be the one the full comparison gives: judge_change on
// stats::compare's result, which is how settled() was first written and how the gate judges
// the final look. Checked on seeded samples of every size around the interval's floor, on
// ties, zero spread, a base median of 0 and an empty side, at interim-look confidences.
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "budgets/verdict.hpp"
#include "stats/compare.hpp"
#include "tests/stats/test_data.hpp"

namespace perfguard::budgets {
namespace {

// settled() as first written: the whole comparison, then the relative rule.
bool settled_by_full_comparison(std::span<const double> base, std::span<const double> candidate,
                                double confidence, double threshold) {
  stats::IntervalOptions options;
  options.confidence = confidence;
  const std::optional<stats::Comparison> comparison = stats::compare(base, candidate, options);
  return comparison && judge_change(*comparison, threshold).verdict != Verdict::inconclusive;
}

std::vector<double> rounded(std::vector<double> x, double step) {
  for (double& v : x) v = std::round(v / step) * step;
  return x;
}

struct Tally {
  int settled = 0;
  int unsettled = 0;
};

void expect_same(std::span<const double> base, std::span<const double> candidate, double confidence,
                 double threshold, Tally& tally) {
  const bool expected = settled_by_full_comparison(base, candidate, confidence, threshold);
  EXPECT_EQ(settled(base, candidate, confidence, threshold), expected)
      << "n = " << base.size() << " / " << candidate.size() << ", confidence " << confidence
      << ", threshold " << threshold;
  ++(expected ? tally.settled : tally.unsettled);
}

TEST(Settled, SameAnswerAsTheFullComparisonOnSeededSamples) {
  stats::test::RandomSource random(20261202);
  // perfguard stats' 0.95, the gates' 0.98, and higher levels such as interim looks use.
  const std::vector<double> confidences{0.95, 0.98, 0.9917, 0.9957};
  const std::vector<double> thresholds{0.01, 0.02, 0.05, 0.10};
  const std::vector<std::size_t> sizes{1, 2, 5, 6, 7, 8, 9, 12, 20, 45, 150};
  const std::vector<double> shifts{0.0, 0.03, 0.05, 0.08, 0.3, -0.08, -0.3};
  const std::vector<double> spreads{0.005, 0.05, 0.2};
  Tally tally;
  for (const std::size_t n_base : sizes) {
    for (const double shift : shifts) {
      for (const double sigma : spreads) {
        // Unequal sides now and then, as when one side's runs failed.
        const std::size_t n_candidate = n_base + random.integer(0, 2) * (n_base / 2);
        const std::vector<double> base = random.lognormal(n_base, 0.0, sigma);
        const std::vector<double> candidate = random.lognormal(n_candidate, shift, sigma);
        const double confidence = confidences[random.integer(0, confidences.size() - 1)];
        const double threshold = thresholds[random.integer(0, thresholds.size() - 1)];
        expect_same(base, candidate, confidence, threshold, tally);
        // Times rounded to a coarse clock: many ties.
        expect_same(rounded(base, 0.02), rounded(candidate, 0.02), confidence, threshold, tally);
      }
    }
  }
  // Both answers occur, so the comparison above means something.
  EXPECT_GT(tally.settled, 100);
  EXPECT_GT(tally.unsettled, 100);
}

TEST(Settled, SameAnswerOnEdgeCases) {
  Tally tally;
  const std::vector<double> empty;
  const std::vector<double> ten(10, 1.0);
  const std::vector<double> ten_slower(10, 1.2);
  const std::vector<double> zeros(10, 0.0);
  const std::vector<double> mostly_zero{0, 0, 0, 0, 0, 0, 1, 2, 3};
  // Median 1, but a resample's median can be 0: no interval.
  const std::vector<double> some_zero{0, 0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<double> counts{1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6};
  for (const double confidence : {0.95, 0.98}) {
    expect_same(empty, ten, confidence, 0.05, tally);
    expect_same(ten, empty, confidence, 0.05, tally);
    expect_same(ten, ten, confidence, 0.05, tally);          // zero spread, identical
    expect_same(ten, ten_slower, confidence, 0.05, tally);   // zero spread, 20% slower
    expect_same(zeros, ten, confidence, 0.05, tally);        // base median 0: no ratio
    expect_same(mostly_zero, ten, confidence, 0.05, tally);  // base median 0, some spread
    expect_same(some_zero, ten, confidence, 0.05, tally);
    expect_same(ten, zeros, confidence, 0.05, tally);  // candidate median 0
    expect_same(counts, counts, confidence, 0.005, tally);
    expect_same(std::span(ten).first(3), std::span(ten_slower).first(3), confidence, 0.05,
                tally);  // below the interval's floor
  }
  EXPECT_GT(tally.settled, 0);
  EXPECT_GT(tally.unsettled, 0);
}

}  // namespace
}  // namespace perfguard::budgets

namespace perfguard::budgets {
namespace {

// The paired methods: settled() gives the answer of judge_change on stats::compare(..., method),
// on seeded rounds (a round factor both sides share, times each run's own noise), equal run
// counts and an incomplete last round alike.
TEST(Settled, PairedSameAnswerAsTheFullComparison) {
  stats::test::RandomSource random(20261203);
  Tally tally;
  for (const stats::RatioMethod method :
       {stats::RatioMethod::paired_sign, stats::RatioMethod::paired_signed_rank}) {
    for (const double confidence : {0.95, 0.98, 0.9957}) {
      for (const std::size_t n : {3u, 6u, 7u, 8u, 12u, 30u}) {
        for (const double shift : {0.0, 0.03, 0.05, 0.08, -0.3}) {
          for (const double sigma : {0.005, 0.05, 0.2}) {
            std::vector<double> base;
            std::vector<double> candidate;
            for (std::size_t i = 0; i < n; ++i) {
              const double round = std::exp(sigma * random.normal());
              base.push_back(round * std::exp(0.01 * random.normal()));
              candidate.push_back(round * (1.0 + shift) * std::exp(0.01 * random.normal()));
            }
            candidate.push_back(1.0);  // an incomplete last round
            stats::IntervalOptions options;
            options.confidence = confidence;
            const std::optional<stats::Comparison> comparison =
                stats::compare(base, candidate, options, method);
            ASSERT_TRUE(comparison);
            const bool expected =
                judge_change(*comparison, 0.05).verdict != Verdict::inconclusive;
            EXPECT_EQ(settled(base, candidate, confidence, 0.05, method), expected)
                << stats::to_string(method) << " n = " << n << ", shift " << shift;
            ++(expected ? tally.settled : tally.unsettled);
          }
        }
      }
    }
  }
  EXPECT_GT(tally.settled, 50);
  EXPECT_GT(tally.unsettled, 50);
}

}  // namespace
}  // namespace perfguard::budgets
