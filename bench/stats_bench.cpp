// Microbenchmarks of the stats/ hot paths, on seeded lognormal samples shaped like benchmark
// timings (right-skewed, a few percent of spread). See bench/README.md.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <benchmark/benchmark.h>

#include "budgets/verdict.hpp"
#include "stats/bootstrap.hpp"
#include "stats/compare.hpp"
#include "stats/exact_bootstrap.hpp"
#include "stats/hypothesis.hpp"

namespace {

constexpr std::size_t kSamplesPerSide = 1'000;
constexpr double kBaseMedianMs = 10.0;
constexpr double kCandidateSlowdown = 1.05;
constexpr double kLogSpread = 0.05;  // sigma of log(time): about 5% run-to-run spread
constexpr double kGateConfidence = 0.98;
constexpr double kThreshold = 0.05;

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

// The adaptive schedule's stop rule at one look, on the first n values of each side, at the
// gates' confidence: budgets::settled, which computes the two medians and the ratio interval...
void BM_Settled(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::span<const double> base = std::span(base_sample()).first(n);
  const std::span<const double> candidate = std::span(candidate_sample()).first(n);
  for (auto _ : state) {
    bool settled = perfguard::budgets::settled(base, candidate, kGateConfidence, kThreshold);
    benchmark::DoNotOptimize(settled);
  }
}
BENCHMARK(BM_Settled)->Arg(10)->Arg(30)->Arg(100)->Arg(1'000)->Unit(benchmark::kMicrosecond);

// ...against the same answer from the whole comparison (six quantile intervals, Mann-Whitney,
// Welch, Hodges-Lehmann), as the stop rule was first written.
void BM_SettledByFullComparison(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::span<const double> base = std::span(base_sample()).first(n);
  const std::span<const double> candidate = std::span(candidate_sample()).first(n);
  const perfguard::stats::IntervalOptions options{.confidence = kGateConfidence};
  for (auto _ : state) {
    const auto comparison = perfguard::stats::compare(base, candidate, options);
    bool settled =
        comparison && perfguard::budgets::judge_change(*comparison, kThreshold).verdict !=
                          perfguard::budgets::Verdict::inconclusive;
    benchmark::DoNotOptimize(settled);
  }
}
BENCHMARK(BM_SettledByFullComparison)
    ->Arg(10)
    ->Arg(30)
    ->Arg(100)
    ->Arg(1'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
