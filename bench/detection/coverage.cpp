// How often the verdict's interval -- the exact bootstrap CI of median(c) / median(b) --
// covers the true ratio when both samples come from the same real times, where the true
// ratio is exactly 1. Percentile intervals can be too narrow in small samples; this measures
// whether that bites at the sizes of the adaptive schedule's looks.
//
//   detection_coverage POOL.json [CONFIDENCE [DRAWS]]
// POOL.json is a `perfguard time --export-json` (or hyperfine) file: its first command's times.
// Prints, for 10, 15, 23, 35 and 60 runs per side (the looks' sizes), the share of DRAWS
// (default 4000) seeded draws whose interval at CONFIDENCE (default 0.95) contains 1.
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stats/exact_bootstrap.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: detection_coverage POOL.json [CONFIDENCE [DRAWS]]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  const auto pool =
      nlohmann::json::parse(in).at("results").at(0).at("times").get<std::vector<double>>();
  const double confidence = argc > 2 ? std::stod(argv[2]) : 0.95;
  const int draws = argc > 3 ? std::stoi(argv[3]) : 4000;
  if (pool.size() < 2 || confidence <= 0.0 || confidence >= 1.0 || draws < 1) {
    std::fprintf(stderr, "detection_coverage: needs 2+ times, 0 < CONFIDENCE < 1, DRAWS >= 1\n");
    return 2;
  }
  std::mt19937_64 generator(7);
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
  fmt::print("coverage of the exact {:g}% CI of the ratio of medians, {} draws from {} times\n",
             confidence * 100.0, draws, pool.size());
  for (const std::size_t n : {10, 15, 23, 35, 60}) {
    int covered = 0;
    std::vector<double> base(n);
    std::vector<double> candidate(n);
    for (int d = 0; d < draws; ++d) {
      for (double& v : base) v = pool[pick(generator)];
      for (double& v : candidate) v = pool[pick(generator)];
      const auto ci = perfguard::stats::exact_median_ratio_ci(base, candidate, confidence);
      if (ci && ci->lo <= 1.0 && 1.0 <= ci->hi) ++covered;
    }
    fmt::print("  {:>2} runs per side: {:.2f}%\n", n, 100.0 * covered / draws);
  }
  return 0;
}
