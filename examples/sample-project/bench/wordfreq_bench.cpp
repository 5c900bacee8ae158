// Google Benchmark cases for wordfreq, on an in-memory corpus generated once per process.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

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

}  // namespace

BENCHMARK_MAIN();
