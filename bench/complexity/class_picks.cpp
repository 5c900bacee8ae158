// How often perfguard's complexity fit picks the right class, side by side with Google
// Benchmark's formula on the same data (bench/README.md, "Complexity").
//
// Google Benchmark's fit (src/complexity.cc, reimplemented here from its description): for
// each class g in {1, lg N, N, N lg N, N^2, N^3}, least squares through the origin over every
// run, coef = sum t g(N) / sum g(N)^2, rms = sqrt(sum (t - coef g(N))^2 / n) / mean(t); the
// class of least rms wins (1 is the default, replaced only by a strictly smaller rms).
//
// Simulated families: a known class, time = a + b g(N) per run times a lognormal noise factor,
// sizes 16, 32, ... (4 to 12 of them), 10 runs per size, seeded. perfguard fits the runs with
// stats::fit_complexity; Google Benchmark's formula sees the same runs.
//
// Usage: complexity_class_picks [TRIALS]   (default 200 per cell)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "stats/complexity.hpp"

namespace {

using perfguard::stats::Complexity;
using perfguard::stats::complexity_term;

constexpr Complexity kClasses[] = {Complexity::constant,  Complexity::log_n,
                                   Complexity::n,         Complexity::n_log_n,
                                   Complexity::n_squared, Complexity::n_cubed};

struct Family {
  std::vector<double> sizes;
  std::vector<std::vector<double>> runs;  // per size
};

Complexity gbench_pick(const Family& f) {
  Complexity best = Complexity::constant;
  double best_rms = INFINITY;
  for (const Complexity c : kClasses) {
    double sum_tg = 0;
    double sum_gg = 0;
    double sum_t = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < f.sizes.size(); ++i) {
      const double g = complexity_term(c, f.sizes[i]);
      for (const double t : f.runs[i]) {
        sum_tg += t * g;
        sum_gg += g * g;
        sum_t += t;
        ++count;
      }
    }
    const double coef = sum_tg / sum_gg;
    double rss = 0;
    for (std::size_t i = 0; i < f.sizes.size(); ++i) {
      const double g = complexity_term(c, f.sizes[i]);
      for (const double t : f.runs[i]) rss += (t - coef * g) * (t - coef * g);
    }
    const double rms =
        std::sqrt(rss / static_cast<double>(count)) / (sum_t / static_cast<double>(count));
    if (c == Complexity::constant || rms < best_rms) {
      best_rms = rms;
      best = c;
    }
  }
  return best;
}

Complexity perfguard_pick(const Family& f) {
  std::vector<perfguard::stats::SizeRuns> sizes;
  for (std::size_t i = 0; i < f.sizes.size(); ++i) sizes.push_back({f.sizes[i], f.runs[i]});
  return perfguard::stats::fit_complexity(sizes)->complexity;
}

using Curve = double (*)(double);

Family simulate(const std::vector<double>& sizes, double a, double b, Complexity c, double noise,
                std::mt19937_64& rng, int runs = 10) {
  std::normal_distribution<double> z(0.0, noise);
  Family f;
  f.sizes = sizes;
  for (const double n : sizes) {
    std::vector<double> values;
    for (int r = 0; r < runs; ++r)
      values.push_back((a + b * complexity_term(c, n)) * std::exp(z(rng)));
    f.runs.push_back(values);
  }
  return f;
}

std::vector<double> powers_of_two(double from, int count) {
  std::vector<double> sizes;
  for (int i = 0; i < count; ++i) sizes.push_back(from * std::pow(2.0, i));
  return sizes;
}

struct Score {
  int perfguard = 0;
  int gbench = 0;
  int trials = 0;
};

void add(Score& s, const Family& f, Complexity truth) {
  s.perfguard += perfguard_pick(f) == truth ? 1 : 0;
  s.gbench += gbench_pick(f) == truth ? 1 : 0;
  ++s.trials;
}

std::string pct(int hits, int trials) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * hits / trials);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const int trials = argc > 1 ? std::atoi(argv[1]) : 200;
  std::mt19937_64 rng(20261201);

  // 1. google/benchmark's test shapes (test/complexity_test.cc), with an intercept, 3% noise.
  struct Shape {
    const char* name;
    Complexity truth;
    std::vector<double> sizes;
    double a;
    double b;
  };
  const std::vector<Shape> shapes = {
      {"O(1): 1024 loop iterations, N = 1 ... 2^18 (x8)",
       Complexity::constant,
       {1, 8, 64, 512, 4096, 32768, 262144},
       300e-9,
       0.0},
      {"O(N): find in a vector, N = 2^10 ... 2^16, + 40 ns", Complexity::n, powers_of_two(1024, 7),
       40e-9, 0.3e-9},
      {"O(N lg N): sort, N = 2^10 ... 2^16, + 200 ns", Complexity::n_log_n, powers_of_two(1024, 7),
       200e-9, 1.2e-9},
      {"O(N^2): nested loop, N = 2^4 ... 2^10, + 100 ns", Complexity::n_squared,
       powers_of_two(16, 7), 100e-9, 0.5e-9},
      {"#296: 29 N - 88, N = 4 ... 4096", Complexity::n, powers_of_two(4, 11), -88e-6, 29e-6},
  };
  std::printf("## google/benchmark's shapes (3%% noise, 10 runs per size, %d trials each)\n\n",
              trials);
  std::printf("| family | perfguard right | Google Benchmark right |\n|---|---|---|\n");
  for (const Shape& shape : shapes) {
    Score s;
    for (int t = 0; t < trials; ++t) {
      add(s, simulate(shape.sizes, shape.a, shape.b, shape.truth, 0.03, rng), shape.truth);
    }
    std::printf("| %s | %s | %s |\n", shape.name, pct(s.perfguard, s.trials).c_str(),
                pct(s.gbench, s.trials).c_str());
  }

  // google/benchmark #296's own medians (us), N = 1 ... 1024: a linear algorithm whose fit
  // through the origin the report questioned. Each run is the median times 3% noise.
  {
    const std::vector<double> sizes = powers_of_two(1, 11);
    const std::vector<double> medians = {12, 36, 88, 196, 419, 881, 1778, 3769, 7289, 14461, 29002};
    std::normal_distribution<double> z(0.0, 0.03);
    Score s;
    for (int t = 0; t < trials; ++t) {
      Family f;
      f.sizes = sizes;
      for (const double m : medians) {
        std::vector<double> runs;
        for (int r = 0; r < 10; ++r) runs.push_back(m * 1e-6 * std::exp(z(rng)));
        f.runs.push_back(runs);
      }
      add(s, f, Complexity::n);
    }
    std::printf("| #296's measured medians, N = 1 ... 1024 | %s | %s |\n",
                pct(s.perfguard, s.trials).c_str(), pct(s.gbench, s.trials).c_str());
  }

  // 2. The grid: every class x intercept x noise x number of sizes.
  std::printf("\n## Simulated families (%d trials per cell; sizes 16, 32, ...)\n\n", trials);
  std::printf(
      "| class | intercept | noise | sizes | perfguard right | Google Benchmark right |\n"
      "|---|---|---|---|---|---|\n");
  Score total;
  for (const Complexity c : kClasses) {
    for (const double k : {0.0, 1.0, 10.0}) {  // intercept / (b g(N)) at the smallest size
      for (const double noise : {0.01, 0.05, 0.10}) {
        for (const int count : {4, 6, 8, 12}) {
          if (c == Complexity::constant && k != 1.0) continue;  // a constant has one shape
          const std::vector<double> sizes = powers_of_two(16, count);
          const double b = 1e-9;
          const double a = c == Complexity::constant ? 0.0 : k * b * complexity_term(c, sizes[0]);
          Score s;
          for (int t = 0; t < trials; ++t) add(s, simulate(sizes, a, b, c, noise, rng), c);
          total.perfguard += s.perfguard;
          total.gbench += s.gbench;
          total.trials += s.trials;
          std::printf("| %s | %s | %.0f%% | %d | %s | %s |\n", perfguard::stats::big_o(c).c_str(),
                      c == Complexity::constant ? "–"
                                                : (k == 0   ? "0"
                                                   : k == 1 ? "1x"
                                                            : "10x"),
                      noise * 100, count, pct(s.perfguard, s.trials).c_str(),
                      pct(s.gbench, s.trials).c_str());
        }
      }
    }
  }
  std::printf("| **all** | | | | **%s** | **%s** |\n", pct(total.perfguard, total.trials).c_str(),
              pct(total.gbench, total.trials).c_str());
  return 0;
}
