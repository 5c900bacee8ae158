#pragma once
// One sample's summary and a base-vs-candidate comparison: the stats/ stage boundary that
// budgets/ judges and reports/ serializes.
#include <cstddef>
#include <optional>
#include <span>

#include "stats/bootstrap.hpp"
#include "stats/descriptive.hpp"
#include "stats/hypothesis.hpp"

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

struct Comparison {
  Summary base;
  Summary candidate;
  std::optional<double> ratio;  // median(candidate) / median(base); nullopt if base median is 0
  std::optional<Interval> ratio_ci;         // median_ratio_ci()
  std::optional<MannWhitney> mann_whitney;  // mann_whitney_u(candidate, base): U of the candidate
  std::optional<WelchT> welch;              // welch_t_test(candidate, base): t > 0 when slower
  std::optional<double> hodges_lehmann;     // shift candidate - base, in the samples' unit
};

// Compare candidate against base; nullopt when either sample is empty.
[[nodiscard]] std::optional<Comparison> compare(std::span<const double> base,
                                                std::span<const double> candidate,
                                                const IntervalOptions& options);

}  // namespace perfguard::stats
