#include "stats/paired.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <boost/math/special_functions/erf.hpp>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

double one_sided_alpha(double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  return (1.0 - confidence) / 2.0;
}

// The exact null law of the signed-rank statistic T+ for n pairs: P(T+ = w), w = 0..n(n+1)/2.
// Each rank r joins the positive set with probability 1/2 (Wilcoxon 1945), so the law is the
// convolution P_r(w) = (P_{r-1}(w) + P_{r-1}(w - r)) / 2.
std::vector<double> signed_rank_law(std::size_t n) {
  const std::size_t top = n * (n + 1) / 2;
  std::vector<double> law(top + 1, 0.0);
  law[0] = 1.0;
  std::size_t reach = 0;
  for (std::size_t r = 1; r <= n; ++r) {
    reach += r;
    for (std::size_t w = reach; w >= r; --w) law[w] = 0.5 * (law[w] + law[w - r]);
    for (std::size_t w = std::min(r, reach + 1); w-- > 0;) law[w] *= 0.5;
  }
  return law;
}

// The k-th smallest (1-based) of `values`, which it reorders.
double order_statistic(std::vector<double>& values, std::size_t k) {
  PG_CHECK(k >= 1 && k <= values.size());
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(k - 1);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

std::vector<double> walsh_averages(std::span<const double> d) {
  std::vector<double> walsh;
  walsh.reserve(d.size() * (d.size() + 1) / 2);
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t j = i; j < d.size(); ++j) walsh.push_back(0.5 * (d[i] + d[j]));
  }
  return walsh;
}

}  // namespace

std::size_t min_pairs_for_interval(double confidence) noexcept {
  const double alpha = (1.0 - confidence) / 2.0;
  std::size_t n = 1;
  while (std::ldexp(1.0, -static_cast<int>(n)) > alpha) ++n;
  return n;
}

std::size_t sign_interval_depth(std::size_t n, double confidence) {
  const double alpha = one_sided_alpha(confidence);
  // P(Bin(n, 1/2) <= k - 1), summed term by term in log space: C(n, j) 2^-n.
  const double log_n_factorial = std::lgamma(static_cast<double>(n) + 1.0);
  double cdf = 0.0;
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double jd = static_cast<double>(j);
    cdf += std::exp(log_n_factorial - std::lgamma(jd + 1.0) -
                    std::lgamma(static_cast<double>(n) - jd + 1.0) -
                    static_cast<double>(n) * std::numbers::ln2);
    // cdf is now P(Bin <= j): depth j + 1 qualifies while it stays within alpha.
    if (cdf > alpha) break;
    k = j + 1;
  }
  return std::min(k, (n + 1) / 2);
}

std::size_t signed_rank_interval_depth(std::size_t n, double confidence) {
  const double alpha = one_sided_alpha(confidence);
  const std::size_t top = n * (n + 1) / 2;
  std::size_t k = 0;
  if (n <= kSignedRankExactMaxN) {
    const std::vector<double> law = signed_rank_law(n);
    double cdf = 0.0;
    for (std::size_t w = 0; w <= top; ++w) {
      cdf += law[w];
      if (cdf > alpha) break;
      k = w + 1;
    }
  } else {
    const double nd = static_cast<double>(n);
    const double mean = nd * (nd + 1.0) / 4.0;
    const double sd = std::sqrt(nd * (nd + 1.0) * (2.0 * nd + 1.0) / 24.0);
    const double z = std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * alpha);
    const double last = std::floor(mean - 0.5 - z * sd);  // largest k - 1 within alpha
    k = last < 0.0 ? 0 : static_cast<std::size_t>(last) + 1;
  }
  return std::min(k, (top + 1) / 2);
}

std::optional<Interval> sign_median_ci(std::span<const double> d, double confidence) {
  const std::size_t k = sign_interval_depth(d.size(), confidence);
  if (k == 0) return std::nullopt;
  std::vector<double> sorted(d.begin(), d.end());
  std::sort(sorted.begin(), sorted.end());
  return Interval{sorted[k - 1], sorted[sorted.size() - k]};
}

std::optional<double> walsh_median(std::span<const double> d) {
  if (d.empty() || d.size() >= kMaxWalshPairs) return std::nullopt;
  return median(walsh_averages(d));
}

std::optional<Interval> signed_rank_ci(std::span<const double> d, double confidence) {
  if (d.size() >= kMaxWalshPairs) return std::nullopt;
  const std::size_t k = signed_rank_interval_depth(d.size(), confidence);
  if (k == 0) return std::nullopt;
  std::vector<double> walsh = walsh_averages(d);
  const double lo = order_statistic(walsh, k);
  const double hi = order_statistic(walsh, walsh.size() - k + 1);
  return Interval{lo, hi};
}

PairedRatio paired_ratio(std::span<const double> base, std::span<const double> candidate,
                         double confidence, PairedInterval interval) {
  PairedRatio result;
  result.rounds = std::min(base.size(), candidate.size());
  result.unpaired = std::max(base.size(), candidate.size()) - result.rounds;
  std::vector<double> d(result.rounds);
  for (std::size_t i = 0; i < result.rounds; ++i) {
    if (!(base[i] > 0.0) || !(candidate[i] > 0.0)) return result;
    d[i] = std::log(candidate[i] / base[i]);
  }
  if (d.empty()) return result;
  const bool sign = interval == PairedInterval::sign;
  const std::optional<double> centre = sign ? median(d) : walsh_median(d);
  if (!centre) return result;
  result.ratio = std::exp(*centre);
  if (result.rounds < min_pairs_for_interval(confidence)) {
    result.needs = min_pairs_for_interval(confidence);
    return result;
  }
  const std::optional<Interval> ci = sign ? sign_median_ci(d, confidence) : signed_rank_ci(d, confidence);
  if (ci) result.ci = Interval{std::exp(ci->lo), std::exp(ci->hi)};
  return result;
}

}  // namespace perfguard::stats
