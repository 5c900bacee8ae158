// stats::change_points on series of 1,000 to 100,000 nights: a level that steps by 5% every
// 500 nights, 2% normal noise, 1% outlier nights at 1.5x. Seeded: every run sees the same data.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <vector>

#include "stats/change_points.hpp"

namespace {

std::vector<perfguard::stats::SeriesValue> series(std::size_t n, bool with_sigma) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0.0, 0.02);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<perfguard::stats::SeriesValue> values;
  double level = 100.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && i % 500 == 0) level *= (i / 500) % 2 == 1 ? 1.05 : 1.0 / 1.05;
    double value = level * (1.0 + noise(rng));
    if (coin(rng) < 0.01) value *= 1.5;
    values.push_back({value, with_sigma ? std::optional<double>(level * 0.01) : std::nullopt});
  }
  return values;
}

void BM_ChangePoints(benchmark::State& state) {
  const auto values = series(static_cast<std::size_t>(state.range(0)), state.range(1) != 0);
  std::size_t found = 0;
  for (auto _ : state) {
    const auto points = perfguard::stats::change_points(values);
    found = points.size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["change_points"] = static_cast<double>(found);
}
BENCHMARK(BM_ChangePoints)
    ->ArgsProduct({{1000, 10000, 100000}, {0, 1}})
    ->ArgNames({"n", "sigma"})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
