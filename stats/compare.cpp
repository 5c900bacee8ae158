#include "stats/compare.hpp"

#include <algorithm>
#include <vector>

namespace perfguard::stats {
namespace {

// A percentile only where min_samples_for_quantile allows it.
std::optional<double> reported_quantile(std::span<const double> sorted, double p) {
  if (sorted.size() < min_samples_for_quantile(p)) return std::nullopt;
  return quantile_sorted(sorted, p);
}

}  // namespace

std::size_t min_samples_for_ratio_ci(double confidence) noexcept {
  // C(2n, n) grows by (2n + 1)(2n + 2) / (n + 1)^2 per step; a double holds it exactly long
  // past any confidence a double can express.
  const double needed = 32.0 / (1.0 - confidence);
  double central = 2.0;  // C(2, 1)
  std::size_t n = 1;
  while (central < needed && n < 1000) {
    central = central * static_cast<double>((2 * n + 1) * (2 * n + 2)) /
              static_cast<double>((n + 1) * (n + 1));
    ++n;
  }
  return std::max<std::size_t>(n, 2);
}

std::optional<Summary> summarize(std::span<const double> x, const IntervalOptions& options) {
  if (x.empty()) return std::nullopt;
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  Summary s;
  s.n = sorted.size();
  s.mean = *mean(sorted);
  s.median = *quantile_sorted(sorted, 0.5);
  s.mad = *mad(sorted);
  s.min = sorted.front();
  s.max = sorted.back();
  s.stddev = stddev(sorted);
  if (s.stddev && s.mean != 0.0) s.cv = *s.stddev / s.mean;
  s.p5 = reported_quantile(sorted, 0.05);
  s.p25 = reported_quantile(sorted, 0.25);
  s.p75 = reported_quantile(sorted, 0.75);
  s.p90 = reported_quantile(sorted, 0.90);
  s.p95 = reported_quantile(sorted, 0.95);
  s.p99 = reported_quantile(sorted, 0.99);
  s.median_ci = quantile_ci(sorted, 0.5, options);
  if (s.p95) s.p95_ci = quantile_ci(sorted, 0.95, options);
  if (s.p99) s.p99_ci = quantile_ci(sorted, 0.99, options);
  s.outliers = tukey_outliers(sorted);
  return s;
}

std::optional<Comparison> compare(std::span<const double> base, std::span<const double> candidate,
                                  const IntervalOptions& options) {
  std::optional<Summary> base_summary = summarize(base, options);
  std::optional<Summary> candidate_summary = summarize(candidate, options);
  if (!base_summary || !candidate_summary) return std::nullopt;
  Comparison c;
  c.base = *base_summary;
  c.candidate = *candidate_summary;
  if (c.base.median != 0.0) c.ratio = c.candidate.median / c.base.median;
  const std::size_t needs = min_samples_for_ratio_ci(options.confidence);
  if (std::min(base.size(), candidate.size()) >= needs) {
    c.ratio_ci = median_ratio_ci(base, candidate, options);
  } else {
    c.ratio_ci_needs = needs;
  }
  c.mann_whitney = mann_whitney_u(candidate, base);
  c.welch = welch_t_test(candidate, base);
  c.hodges_lehmann = hodges_lehmann_shift(base, candidate);
  return c;
}

std::string_view to_string(RatioMethod method) noexcept {
  switch (method) {
    case RatioMethod::median_ratio:
      return "median_ratio";
    case RatioMethod::paired_sign:
      return "paired_sign";
    case RatioMethod::paired_signed_rank:
      return "paired_signed_rank";
  }
  return "median_ratio";
}

std::optional<RatioMethod> parse_ratio_method(std::string_view name) noexcept {
  for (const RatioMethod method :
       {RatioMethod::median_ratio, RatioMethod::paired_sign, RatioMethod::paired_signed_rank}) {
    if (to_string(method) == name) return method;
  }
  return std::nullopt;
}

std::string_view ratio_method_names() noexcept {
  return "median_ratio, paired_sign, paired_signed_rank";
}

std::optional<Comparison> compare(std::span<const double> base, std::span<const double> candidate,
                                  const IntervalOptions& options, RatioMethod method) {
  std::optional<Comparison> c = compare(base, candidate, options);
  if (!c || !is_paired(method)) return c;
  const PairedRatio paired =
      paired_ratio(base, candidate, options.confidence,
                   method == RatioMethod::paired_sign ? PairedInterval::sign
                                                      : PairedInterval::signed_rank);
  c->method = method;
  c->ratio = paired.ratio;
  c->ratio_ci = paired.ci;
  c->ratio_ci_needs = paired.needs;
  c->paired_rounds = paired.rounds;
  c->unpaired_runs = paired.unpaired;
  return c;
}

}  // namespace perfguard::stats
