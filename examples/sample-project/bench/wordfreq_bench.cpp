// Google Benchmark cases for wordfreq, on an in-memory corpus generated once per process.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.hpp"
#include "wordfreq.hpp"

namespace {

const std::string& corpus() {
  static const std::string kText = wordfreq::generate_corpus(100'000);
  return kText;
}

// normalize + tokenize: splitting the text into lower-cased words.
void BM_Tokenize(benchmark::State& state) {
  const std::string& text = corpus();
  for (auto _ : state) {
    const std::string normalized = wordfreq::normalize(text);
    const auto words = wordfreq::tokenize(normalized);
    benchmark::DoNotOptimize(words.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

// The whole count, as the CLI runs it: normalize, split and tally.
void BM_CountWords(benchmark::State& state) {
  const std::string& text = corpus();
  for (auto _ : state) {
    const wordfreq::WordCounts counts = wordfreq::count_words(text);
    benchmark::DoNotOptimize(counts.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CountWords)->Unit(benchmark::kMillisecond);

// std::sort of N pseudo-random integers: a family of five sizes, so perfguard fits how its time
// grows with N (docs/complexity.md in perfguard), N lg N. Each iteration copies the next N of
// a fixed pool of 64 Ki values (256 KiB, in L2) and sorts them: sorting one input over and over
// would let the branch predictor learn it, and generating new values inside the loop would
// add as much O(N) work as the sort's own at these sizes.
void BM_Sort(benchmark::State& state) {
  constexpr std::size_t kPool = 64 * 1024;
  static const std::vector<std::uint32_t> pool = [] {
    std::vector<std::uint32_t> values(kPool);
    std::uint32_t x = 2463534242U;  // xorshift32 (Marsaglia 2003): the same pool every run
    for (std::uint32_t& value : values) {
      x ^= x << 13U;
      x ^= x >> 17U;
      x ^= x << 5U;
      value = x;
    }
    return values;
  }();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> work(n);
  std::size_t at = 0;
  for (auto _ : state) {
    std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(at), n, work.begin());
    at = (at + n) % kPool;
    std::sort(work.begin(), work.end());
    benchmark::DoNotOptimize(work.data());
  }
}
BENCHMARK(BM_Sort)->RangeMultiplier(2)->Range(256, 4096);

}  // namespace

// perfguard runs this binary many times, interleaving base and candidate: a default of 0.05 s
// per case (instead of 0.5 s) keeps each run short while a repetition still averages many
// iterations. An explicit --benchmark_min_time still wins. (Set here rather than with
// ->MinTime(), which would add "/min_time:0.050" to every case's name.)
int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string min_time = "--benchmark_min_time=0.05";
  const bool given = std::any_of(args.begin() + 1, args.end(), [](const char* arg) {
    return std::string_view(arg).rfind("--benchmark_min_time", 0) == 0;
  });
  if (!given) args.insert(args.begin() + 1, min_time.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
