// Microbenchmarks of the stats/ hot paths, on seeded lognormal samples shaped like benchmark
// timings (right-skewed, a few percent of spread). See bench/README.md.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "stats/bootstrap.hpp"
#include "stats/exact_bootstrap.hpp"
#include "stats/hypothesis.hpp"

namespace {

constexpr std::size_t kSamplesPerSide = 1'000;
constexpr double kBaseMedianMs = 10.0;
constexpr double kCandidateSlowdown = 1.05;
constexpr double kLogSpread = 0.05;  // sigma of log(time): about 5% run-to-run spread

// n draws from lognormal(log(median), kLogSpread), the same draws for the same seed.
std::vector<double> lognormal_sample(std::size_t n, double median, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(median), kLogSpread);
  std::vector<double> x(n);
  for (auto& v : x) v = dist(rng);
  return x;
}

const std::vector<double>& base_sample() {
  static const std::vector<double> x = lognormal_sample(kSamplesPerSide, kBaseMedianMs, 1);
  return x;
}

const std::vector<double>& candidate_sample() {
  static const std::vector<double> x =
      lognormal_sample(kSamplesPerSide, kBaseMedianMs * kCandidateSlowdown, 2);
  return x;
}

// The verdict's interval: exact bootstrap law of median(c) / median(b), no resampling.
void BM_ExactMedianRatioCi(benchmark::State& state) {
  const auto& base = base_sample();
  const auto& candidate = candidate_sample();
  for (auto _ : state) {
    auto ci = perfguard::stats::exact_median_ratio_ci(base, candidate, 0.95);
    benchmark::DoNotOptimize(ci);
  }
  state.counters["n_per_side"] = static_cast<double>(kSamplesPerSide);
}
BENCHMARK(BM_ExactMedianRatioCi)->Unit(benchmark::kMicrosecond);

// One side's median CI from its exact bootstrap law.
void BM_ExactMedianCi(benchmark::State& state) {
  const auto& base = base_sample();
  for (auto _ : state) {
    auto ci = perfguard::stats::exact_median_ci(base, 0.95);
    benchmark::DoNotOptimize(ci);
  }
  state.counters["n"] = static_cast<double>(kSamplesPerSide);
}
BENCHMARK(BM_ExactMedianCi)->Unit(benchmark::kMicrosecond);

// The resampling alternative to BM_ExactMedianRatioCi: BCa with 10,000 resamples.
void BM_BootstrapBcaMedianRatio(benchmark::State& state) {
  const auto& base = base_sample();
  const auto& candidate = candidate_sample();
  const perfguard::stats::IntervalOptions options{
      .method = perfguard::stats::IntervalMethod::bca,
      .resamples = 10'000,
  };
  for (auto _ : state) {
    auto ci = perfguard::stats::median_ratio_ci(base, candidate, options);
    benchmark::DoNotOptimize(ci);
  }
  state.counters["resamples"] = static_cast<double>(options.resamples);
}
BENCHMARK(BM_BootstrapBcaMedianRatio)->Unit(benchmark::kMillisecond);

// Median of the n_b * n_c pairwise differences, found without materialising them.
void BM_HodgesLehmann(benchmark::State& state) {
  const auto& base = base_sample();
  const auto& candidate = candidate_sample();
  for (auto _ : state) {
    auto shift = perfguard::stats::hodges_lehmann_shift(base, candidate);
    benchmark::DoNotOptimize(shift);
  }
  state.counters["pairs"] = static_cast<double>(kSamplesPerSide * kSamplesPerSide);
}
BENCHMARK(BM_HodgesLehmann)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
