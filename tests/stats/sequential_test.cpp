// stats/sequential: Lan-DeMets error-spending boundaries. Expected values come from elsewhere:
// the Pocock-type table of the R package ldbounds (Reboussin, DeMets, Kim & Lan 2000), and
// boundaries solved independently with scipy.stats.multivariate_normal (Genz's algorithm,
// abseps 1e-11) under the canonical joint distribution corr(Z_j, Z_k) = sqrt(t_j / t_k).
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "stats/sequential.hpp"

namespace perfguard::stats {
namespace {

constexpr double kTableTolerance = 2e-4;  // the references are printed to 4 decimals

std::vector<double> z_values(const std::vector<LookBoundary>& boundaries) {
  std::vector<double> z;
  for (const LookBoundary& b : boundaries) z.push_back(b.z);
  return z;
}

void expect_near_all(const std::vector<double>& actual, const std::vector<double>& expected,
                     double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], tolerance) << "look " << i + 1;
}

// Probability that standard Brownian motion observed at `fractions` crosses |Z_k| >= z_k at
// some look, by simulation.
double simulated_crossing(const std::vector<double>& fractions, const std::vector<double>& z,
                          int paths) {
  std::mt19937_64 generator(12345);
  std::normal_distribution<double> normal;
  int crossed = 0;
  for (int p = 0; p < paths; ++p) {
    double s = 0.0;
    double t_previous = 0.0;
    for (std::size_t k = 0; k < fractions.size(); ++k) {
      s += normal(generator) * std::sqrt(fractions[k] - t_previous);
      t_previous = fractions[k];
      if (std::abs(s / std::sqrt(fractions[k])) >= z[k]) {
        ++crossed;
        break;
      }
    }
  }
  return static_cast<double>(crossed) / paths;
}

TEST(SpentAlpha, RunsFromZeroToAlpha) {
  for (const Spending spending : {Spending::pocock, Spending::obrien_fleming}) {
    EXPECT_EQ(spent_alpha(spending, 0.05, 0.0), 0.0);
    EXPECT_NEAR(spent_alpha(spending, 0.05, 1.0), 0.05, 1e-12);
    double previous = 0.0;
    for (double t = 0.05; t <= 1.0; t += 0.05) {
      const double spent = spent_alpha(spending, 0.05, t);
      EXPECT_GT(spent, previous);
      previous = spent;
    }
  }
  // Pocock-type spends early, O'Brien-Fleming-type late.
  EXPECT_GT(spent_alpha(Spending::pocock, 0.05, 0.2),
            10 * spent_alpha(Spending::obrien_fleming, 0.05, 0.2));
}

TEST(SpendingBoundaries, SingleLookIsTheFixedSampleTest) {
  const std::vector<double> once{1.0};
  for (const Spending spending : {Spending::pocock, Spending::obrien_fleming}) {
    const std::vector<LookBoundary> boundaries = spending_boundaries(once, 0.05, spending);
    ASSERT_EQ(boundaries.size(), 1u);
    EXPECT_NEAR(boundaries[0].z, 1.959964, 1e-6);
    EXPECT_NEAR(boundaries[0].nominal_alpha, 0.05, 1e-9);
  }
}

TEST(SpendingBoundaries, PocockTypeMatchesLdboundsTable) {
  const std::vector<double> fractions{0.2, 0.4, 0.6, 0.8, 1.0};
  expect_near_all(z_values(spending_boundaries(fractions, 0.05, Spending::pocock)),
                  {2.4380, 2.4268, 2.4101, 2.3966, 2.3859}, kTableTolerance);
}

TEST(SpendingBoundaries, ObrienFlemingTypeMatchesScipy) {
  const std::vector<double> fractions{0.2, 0.4, 0.6, 0.8, 1.0};
  expect_near_all(z_values(spending_boundaries(fractions, 0.05, Spending::obrien_fleming)),
                  {4.3826, 3.0997, 2.5534, 2.2538, 2.0635}, kTableTolerance);
}

TEST(SpendingBoundaries, UnequalLooksOfTheScheduleMatchScipy) {
  // The looks of a schedule with min_runs 10 and N = 60: 10, 15, 23, 35, 53, 60.
  const std::vector<double> fractions{10 / 60.0, 15 / 60.0, 23 / 60.0, 35 / 60.0, 53 / 60.0, 1.0};
  expect_near_all(z_values(spending_boundaries(fractions, 0.05, Spending::pocock)),
                  {2.4951, 2.6062, 2.5178, 2.4254, 2.3391, 2.4195}, kTableTolerance);
}

TEST(SpendingBoundaries, LaterLooksNeverChangeEarlierOnes) {
  const std::vector<double> all{0.1, 0.3, 0.45, 0.7, 1.0};
  const std::vector<LookBoundary> full = spending_boundaries(all, 0.05, Spending::pocock);
  for (std::size_t k = 1; k < all.size(); ++k) {
    const std::vector<double> prefix(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
    const std::vector<LookBoundary> partial = spending_boundaries(prefix, 0.05, Spending::pocock);
    for (std::size_t i = 0; i < k; ++i) EXPECT_DOUBLE_EQ(partial[i].z, full[i].z);
  }
}

TEST(SpendingBoundaries, NominalLevelLiesBetweenBonferroniAndAlpha) {
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int plan = 0; plan < 20; ++plan) {
    std::vector<double> fractions;
    for (double t = 0.05 + 0.3 * uniform(generator); t < 1.0;
         t += 0.05 + 0.3 * uniform(generator)) {
      fractions.push_back(t);
    }
    fractions.push_back(1.0);
    for (const Spending spending : {Spending::pocock, Spending::obrien_fleming}) {
      const std::vector<LookBoundary> boundaries = spending_boundaries(fractions, 0.05, spending);
      double previous_t = 0.0;
      for (std::size_t k = 0; k < fractions.size(); ++k) {
        const double increment =
            spent_alpha(spending, 0.05, fractions[k]) - spent_alpha(spending, 0.05, previous_t);
        EXPECT_GE(boundaries[k].nominal_alpha, increment * (1 - 1e-6));
        EXPECT_LE(boundaries[k].nominal_alpha, 0.05 * (1 + 1e-6));
        previous_t = fractions[k];
      }
    }
  }
}

TEST(SpendingBoundaries, SimulatedPathsCrossWithProbabilityAlpha) {
  const std::vector<double> fractions{10 / 60.0, 15 / 60.0, 23 / 60.0, 35 / 60.0, 53 / 60.0, 1.0};
  constexpr int kPaths = 200'000;  // standard error of the rate ~0.0005
  const std::vector<double> spent =
      z_values(spending_boundaries(fractions, 0.05, Spending::pocock));
  EXPECT_NEAR(simulated_crossing(fractions, spent, kPaths), 0.05, 0.0025);
  // Looking six times at the fixed-sample 1.96 is what spending prevents.
  const std::vector<double> naive(fractions.size(), 1.959964);
  EXPECT_GT(simulated_crossing(fractions, naive, kPaths), 0.10);
}

}  // namespace
}  // namespace perfguard::stats
