// Coverage of exact_median_ratio_ci by simulation: pairs of lognormal samples with a known
// ratio of medians exp(mu_c - mu_b), seeded (std::mt19937_64 + Box-Muller, test_data.hpp) so
// every run draws the same samples. A 95% interval should cover the true ratio about 95% of
// the time; with 1200 pairs the binomial standard error at 95% is 0.63 points, so the band
// [93%, 97%] is +-3.2 standard errors. Percentile intervals over a discrete law take the
// outer atom at both ends, so some over-coverage is expected; the band still bounds it.
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "stats/exact_bootstrap.hpp"
#include "tests/stats/test_data.hpp"

namespace perfguard::stats {
namespace {

constexpr int kPairs = 1200;
constexpr double kConfidence = 0.95;
constexpr double kMinCoverage = 0.93;
constexpr double kMaxCoverage = 0.97;

TEST(ExactMedianRatioCi, CoverageIsNominal) {
  test::RandomSource source(20241122);
  int covered = 0;
  std::array<int, 2> covered_by_ratio{};  // [0]: true ratio 1.0, [1]: 1.1
  for (int pair = 0; pair < kPairs; ++pair) {
    // Half the pairs unchanged, half 10% slower; n 30..60 and sigma 0.1..0.3 per side.
    const double true_ratio = pair % 2 == 0 ? 1.0 : 1.1;
    const std::size_t n_base = source.integer(30, 60);
    const std::size_t n_candidate = source.integer(30, 60);
    const double sigma_base = 0.1 + 0.2 * source.uniform();
    const double sigma_candidate = 0.1 + 0.2 * source.uniform();
    const std::vector<double> base = source.lognormal(n_base, 0.0, sigma_base);
    const std::vector<double> candidate =
        source.lognormal(n_candidate, std::log(true_ratio), sigma_candidate);
    const auto ci = exact_median_ratio_ci(base, candidate, kConfidence);
    ASSERT_TRUE(ci.has_value()) << "pair " << pair;
    if (ci->lo <= true_ratio && true_ratio <= ci->hi) {
      ++covered;
      ++covered_by_ratio[static_cast<std::size_t>(pair % 2)];
    }
  }
  const double coverage = static_cast<double>(covered) / kPairs;
  RecordProperty("coverage", testing::PrintToString(coverage));
  RecordProperty("coverage_ratio_1_0", covered_by_ratio[0]);
  RecordProperty("coverage_ratio_1_1", covered_by_ratio[1]);
  EXPECT_GE(coverage, kMinCoverage) << covered << " of " << kPairs << " pairs covered";
  EXPECT_LE(coverage, kMaxCoverage) << covered << " of " << kPairs << " pairs covered";
}

}  // namespace
}  // namespace perfguard::stats
