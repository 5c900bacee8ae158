#pragma once
// One sample's summary and a base-vs-candidate comparison: the stats/ stage boundary that
// budgets/ judges and reports/ serializes.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "stats/bootstrap.hpp"
#include "stats/descriptive.hpp"
#include "stats/hypothesis.hpp"
#include "stats/paired.hpp"

namespace perfguard::stats {

struct Summary {
  std::size_t n = 0;
  double mean = 0.0;
  double median = 0.0;
  double mad = 0.0;
  double min = 0.0;
  double max = 0.0;
  std::optional<double> stddev;  // n >= 2
  std::optional<double> cv;      // stddev / mean; n >= 2 and mean != 0
  // Type-7 percentiles; each nullopt below min_samples_for_quantile(p).
  std::optional<double> p5, p25, p75, p90, p95, p99;
  std::optional<Interval> median_ci;  // n >= 2
  std::optional<Interval> p95_ci;     // when p95 is reported
  std::optional<Interval> p99_ci;     // when p99 is reported
  std::optional<Outliers> outliers;   // n >= 4
};

// Summary of a sample; nullopt when it is empty. The median CI follows options.
[[nodiscard]] std::optional<Summary> summarize(std::span<const double> x,
                                               const IntervalOptions& options);

// The fewest samples per side for which median_ratio_ci() keeps its promise on the lower end:
// on identical code, lo > 1 (a `regressed` verdict) at most (1 - confidence) / 2 of the time.
// With few samples the bootstrap law of a median has only a handful of atoms and the
// interval's ends fall on extreme order statistics, far more often than that: at 0.98 the rate
// is 16% with 2 samples per side, 4.7% with 3, 2.2% with 4 (seeded simulation,
// tests/stats/small_n_test.cpp). The floor is the smallest n with
//   1 / C(2n, n) <= (1 - confidence) / 32
// where 1 / C(2n, n) is the chance that all n candidate samples exceed all n base samples on
// identical code (the most extreme ordering); the factor 16 on the one-sided alpha leaves room
// for the bootstrap's small-sample excess measured by that test at every n from the floor up.
// 0.95 -> 6, 0.98 -> 7, 0.99 -> 7, 0.995 -> 8, 0.999 -> 9. confidence in (0, 1).
[[nodiscard]] std::size_t min_samples_for_ratio_ci(double confidence) noexcept;

// How a comparison's ratio and its interval were reached.
enum class RatioMethod {
  // median(candidate) / median(base), the exact bootstrap interval of two independent medians
  // (stats/exact_bootstrap.hpp): for samples with no rounds (two result files).
  median_ratio,
  // The median of the per-round ratios candidate_i / base_i and its sign interval
  // (stats/paired.hpp): for runs taken in rounds, base and candidate side by side.
  paired_sign,
  // The Hodges-Lehmann centre of the per-round log ratios and its signed-rank interval.
  paired_signed_rank,
};

// "median_ratio", "paired_sign", "paired_signed_rank": the name artifacts record.
[[nodiscard]] std::string_view to_string(RatioMethod method) noexcept;

// The method a name from to_string() stands for; nullopt for any other text (case matters).
[[nodiscard]] std::optional<RatioMethod> parse_ratio_method(std::string_view name) noexcept;

// Every valid name, in declaration order and comma-separated, for error messages:
// "median_ratio, paired_sign, paired_signed_rank".
[[nodiscard]] std::string_view ratio_method_names() noexcept;

[[nodiscard]] constexpr bool is_paired(RatioMethod method) noexcept {
  return method != RatioMethod::median_ratio;
}

struct Comparison {
  Summary base;
  Summary candidate;
  std::optional<double> ratio;  // median(candidate) / median(base); nullopt if base median is 0
  std::optional<Interval> ratio_ci;         // median_ratio_ci(); nullopt below the floor
  // min_samples_for_ratio_ci() when a side has fewer samples and ratio_ci is withheld, else 0.
  std::size_t ratio_ci_needs = 0;
  std::optional<MannWhitney> mann_whitney;  // mann_whitney_u(candidate, base): U of the candidate
  std::optional<WelchT> welch;              // welch_t_test(candidate, base): t > 0 when slower
  std::optional<double> hodges_lehmann;     // shift candidate - base, in the samples' unit
  // How ratio and ratio_ci were reached. Paired: ratio is the per-round centre, ratio_ci its
  // interval, ratio_ci_needs counts pairs, and the rounds paired and runs left unpaired.
  RatioMethod method = RatioMethod::median_ratio;
  std::size_t paired_rounds = 0;
  std::size_t unpaired_runs = 0;
};

// Compare candidate against base; nullopt when either sample is empty. The ratio interval
// only from min_samples_for_ratio_ci(options.confidence) samples per side.
[[nodiscard]] std::optional<Comparison> compare(std::span<const double> base,
                                                std::span<const double> candidate,
                                                const IntervalOptions& options);

// compare(), with the ratio and its interval by `method`: for a paired method, value i of each
// side is round i (stats::paired_ratio: an incomplete last round is dropped and counted).
// median_ratio gives compare() itself.
[[nodiscard]] std::optional<Comparison> compare(std::span<const double> base,
                                                std::span<const double> candidate,
                                                const IntervalOptions& options,
                                                RatioMethod method);

}  // namespace perfguard::stats
