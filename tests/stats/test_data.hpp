#pragma once
// Shared fixtures of the stats tests: fixed samples whose expected statistics were worked out
// independently in Debian's /usr/bin/python3 (numpy 1.24.2, scipy 1.10.1; each test names the
// call), a seeded lognormal source, and the tests' own brute-force reference helpers.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

namespace perfguard::stats::test {

// The fixed samples: lognormal timings drawn once with numpy.random.default_rng(20241122),
// np.round(np.exp(rng.normal(mu, sigma, n)) * 10, 3), in this order:
// kTimings37 (mu 0, sigma 0.15), kTimings20 (0, 0.1), kBase25 (0, 0.08),
// kCandidate30 (0.07, 0.1), kSpread40 (0, 0.2). No sample has ties, nor do kBase25 and
// kCandidate30 together.
inline constexpr std::array<double, 37> kTimings37{
    10.627, 10.121, 7.456,  8.488,  8.002,  10.647, 12.177, 10.922, 10.229, 9.468,
    9.989,  10.275, 10.688, 8.913,  10.985, 10.863, 8.01,   12.876, 9.037,  8.296,
    11.072, 10.167, 10.542, 10.041, 9.998,  9.172,  11.96,  7.874,  8.542,  11.927,
    7.67,   11.796, 10.064, 9.113,  9.146,  9.195,  9.266};
inline constexpr std::array<double, 20> kTimings20{
    9.786,  9.613, 8.734, 10.663, 8.599, 9.77,   11.643, 9.685, 9.609,  10.313,
    10.187, 8.461, 9.387, 9.708,  9.498, 11.359, 11.028, 9.364, 11.358, 11.661};
inline constexpr std::array<double, 25> kBase25{
    9.287,  9.505,  9.33,   11.403, 10.265, 11.127, 10.242, 9.29,  9.716,
    11.667, 10.467, 11.662, 10.906, 10.128, 9.676,  9.695,  10.99, 9.677,
    9.352,  9.216,  11.244, 10.833, 9.442,  9.535,  10.73};
inline constexpr std::array<double, 30> kCandidate30{
    10.548, 10.86,  11.549, 11.382, 10.809, 11.062, 9.984,  10.641, 9.077,  12.723,
    10.699, 10.378, 9.05,   10.812, 11.269, 12.979, 11.194, 10.544, 10.187, 9.4,
    9.386,  11.01,  10.318, 11.711, 10.872, 9.405,  11.007, 10.936, 11.465, 11.013};
inline constexpr std::array<double, 40> kSpread40{
    11.38,  8.759,  10.282, 9.078,  9.625,  11.166, 7.451,  11.812, 8.29,   10.477,
    10.985, 6.625,  9.939,  7.566,  10.484, 7.058,  7.952,  6.398,  6.948,  9.003,
    13.26,  11.947, 9.48,   8.689,  6.198,  12.094, 12.976, 9.68,   15.345, 12.074,
    11.405, 9.728,  7.336,  10.352, 10.133, 10.715, 12.989, 9.972,  9.106,  13.287};

// x_i = ((i * mult) % mod) * scale + offset for i = 0 .. n-1: large samples that Python
// reproduces bit for bit with the same expression.
[[nodiscard]] inline std::vector<double> modular_sample(std::size_t n, std::size_t mult,
                                                        std::size_t mod, double scale,
                                                        double offset) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>((i * mult) % mod) * scale + offset;
  }
  return x;
}

[[nodiscard]] inline std::vector<double> shifted(std::span<const double> x, double by) {
  std::vector<double> y(x.begin(), x.end());
  for (double& v : y) v += by;
  return y;
}

[[nodiscard]] inline std::vector<double> scaled(std::span<const double> x, double by) {
  std::vector<double> y(x.begin(), x.end());
  for (double& v : y) v *= by;
  return y;
}

// |actual - expected| <= rel |expected|, with the values in the failure message.
[[nodiscard]] inline ::testing::AssertionResult near_rel(double actual, double expected,
                                                         double rel) {
  if (std::abs(actual - expected) <= rel * std::abs(expected)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << std::setprecision(17) << "actual " << actual << " vs expected " << expected
         << " (relative difference " << std::abs(actual - expected) / std::abs(expected)
         << ", tolerance " << rel << ")";
}

// Hyndman & Fan type 7 on a sorted sample, written out from the definition; the tests'
// reference, independent of stats/.
[[nodiscard]] inline double reference_quantile_sorted(std::span<const double> sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted[lo];
  return sorted[lo] + (h - std::floor(h)) * (sorted[lo + 1] - sorted[lo]);
}

[[nodiscard]] inline double reference_median(std::span<const double> x) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  return reference_quantile_sorted(sorted, 0.5);
}

// Seeded normal and lognormal draws: std::mt19937_64 with Box-Muller written out, so every
// standard library produces the same samples (std::normal_distribution does not).
class RandomSource {
 public:
  explicit RandomSource(std::uint64_t seed) : engine_(seed) {}

  // Uniform on [0, 1) with 53 random bits.
  [[nodiscard]] double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform integer in [lo, hi]; the modulo bias (< 2^-50 here) is irrelevant for a test.
  [[nodiscard]] std::size_t integer(std::size_t lo, std::size_t hi) {
    return lo + static_cast<std::size_t>(engine_() % (hi - lo + 1));
  }

  // Box-Muller (1958), the cosine branch; 1 - u keeps the logarithm's argument in (0, 1].
  [[nodiscard]] double normal() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  // n draws of exp(N(mu, sigma^2)): median exp(mu).
  [[nodiscard]] std::vector<double> lognormal(std::size_t n, double mu, double sigma) {
    std::vector<double> x(n);
    for (double& v : x) v = std::exp(mu + sigma * normal());
    return x;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace perfguard::stats::test
