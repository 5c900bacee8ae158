// A Google Benchmark binary for harness tests: one benchmark that measures, one that fails.
#include <benchmark/benchmark.h>

namespace {

void BM_ok(benchmark::State& state) {
  for (auto _ : state) {
    int x = 0;
    benchmark::DoNotOptimize(x += 1);
  }
}
BENCHMARK(BM_ok)->Iterations(100);

void BM_error(benchmark::State& state) {
  for (auto _ : state) {
    state.SkipWithError("fixture missing");
    break;
  }
}
BENCHMARK(BM_error);

}  // namespace

BENCHMARK_MAIN();
