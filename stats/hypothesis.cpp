#include "stats/hypothesis.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "core/check.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::stats {
namespace {

std::vector<double> sorted_copy(std::span<const double> x) {
  PG_CHECK(std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); }));
  std::vector<double> copy(x.begin(), x.end());
  std::sort(copy.begin(), copy.end());
  return copy;
}

struct RankSums {
  double rank_sum_x = 0.0;  // average ranks for ties, 1-based
  double tie_term = 0.0;    // sum over tie groups of t^3 - t
  bool has_ties = false;
};

RankSums rank_sums(std::span<const double> x, std::span<const double> y) {
  struct Tagged {
    double value;
    bool from_x;
  };
  std::vector<Tagged> all;
  all.reserve(x.size() + y.size());
  for (const double v : x) all.push_back({v, true});
  for (const double v : y) all.push_back({v, false});
  std::sort(all.begin(), all.end(),
            [](const Tagged& a, const Tagged& b) { return a.value < b.value; });

  RankSums sums;
  for (std::size_t first = 0; first < all.size();) {
    std::size_t last = first;
    while (last + 1 < all.size() && all[last + 1].value == all[first].value) ++last;
    const double group = static_cast<double>(last - first + 1);
    const double average_rank = (static_cast<double>(first + last) / 2.0) + 1.0;
    for (std::size_t i = first; i <= last; ++i) {
      if (all[i].from_x) sums.rank_sum_x += average_rank;
    }
    if (group > 1.0) {
      sums.tie_term += group * group * group - group;
      sums.has_ties = true;
    }
    first = last + 1;
  }
  return sums;
}

// P(U >= u) under the null, for untied samples of sizes m and n. The law of U follows the
// recurrence of Mann & Whitney (1947): the largest of the m + n values belongs to the first
// sample with probability m / (m + n), adding n to U, or to the second, adding nothing.
double exact_u_sf(std::size_t m, std::size_t n, double u) {
  // row[j] = law of U for sizes (i, j), built up over i.
  std::vector<std::vector<double>> row(n + 1);
  for (std::size_t j = 0; j <= n; ++j) row[j] = {1.0};  // i = 0: U = 0 surely
  for (std::size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1);
    next[0] = {1.0};  // j = 0: U = 0 surely
    for (std::size_t j = 1; j <= n; ++j) {
      std::vector<double> law(i * j + 1, 0.0);
      const double from_x = static_cast<double>(i) / static_cast<double>(i + j);
      const std::vector<double>& x_largest = row[j];       // sizes (i - 1, j), shifted by j
      const std::vector<double>& y_largest = next[j - 1];  // sizes (i, j - 1)
      for (std::size_t u0 = 0; u0 < x_largest.size(); ++u0) law[u0 + j] += from_x * x_largest[u0];
      for (std::size_t u0 = 0; u0 < y_largest.size(); ++u0)
        law[u0] += (1.0 - from_x) * y_largest[u0];
      next[j] = std::move(law);
    }
    row = std::move(next);
  }
  const std::vector<double>& law = row[n];
  const auto from = static_cast<std::size_t>(std::ceil(u));
  double tail = 0.0;
  for (std::size_t k = from; k < law.size(); ++k) tail += law[k];
  return tail;
}

// Doubles mapped to integers of the same order, so bisection over doubles ends in <= 64 steps.
std::int64_t ordered_key(double d) {
  const auto bits = std::bit_cast<std::int64_t>(d);
  return bits >= 0 ? bits : std::numeric_limits<std::int64_t>::min() - bits;
}
double from_ordered_key(std::int64_t key) {
  return std::bit_cast<double>(key >= 0 ? key : std::numeric_limits<std::int64_t>::min() - key);
}

// #{(i, j) : c[j] - b[i] <= d} over ascending b and c. c[j] - b[i] grows with j and falls with
// i (floating-point subtraction is monotone too), so one forward pointer over c suffices.
std::uint64_t count_differences_at_most(std::span<const double> b, std::span<const double> c,
                                        double d) {
  std::uint64_t count = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    while (j < c.size() && c[j] - b[i] <= d) ++j;
    count += j;
  }
  return count;
}

// The k-th smallest (1-based) of all differences c[j] - b[i]: bisection over the ordered
// doubles keeps count(lo) < k <= count(hi) until lo and hi are adjacent, when hi is attained.
double kth_difference(std::span<const double> b, std::span<const double> c, std::uint64_t k) {
  const double smallest = c.front() - b.back();
  if (count_differences_at_most(b, c, smallest) >= k) return smallest;
  std::int64_t lo = ordered_key(smallest);
  std::int64_t hi = ordered_key(c.back() - b.front());
  while (lo + 1 < hi) {
    const std::int64_t mid = std::midpoint(lo, hi);  // no overflow across the sign
    if (count_differences_at_most(b, c, from_ordered_key(mid)) >= k) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return from_ordered_key(hi);
}

}  // namespace

std::optional<MannWhitney> mann_whitney_u(std::span<const double> x, std::span<const double> y) {
  if (x.empty() || y.empty()) return std::nullopt;
  PG_CHECK(std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); }));
  PG_CHECK(std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); }));
  const double n1 = static_cast<double>(x.size());
  const double n2 = static_cast<double>(y.size());
  const RankSums sums = rank_sums(x, y);
  MannWhitney result;
  result.u = sums.rank_sum_x - n1 * (n1 + 1.0) / 2.0;
  // Two-sided: twice the upper tail of the larger of U1 and U2 = n1 n2 - U1.
  const double u_max = std::max(result.u, n1 * n2 - result.u);

  if (!sums.has_ties && x.size() <= kMannWhitneyExactMaxN && y.size() <= kMannWhitneyExactMaxN) {
    result.method = PValueMethod::exact;
    result.p = std::min(1.0, 2.0 * exact_u_sf(x.size(), y.size(), u_max));
    return result;
  }
  const double n = n1 + n2;
  const double variance = n1 * n2 / 12.0 * ((n + 1.0) - sums.tie_term / (n * (n - 1.0)));
  if (!(variance > 0.0)) return std::nullopt;  // every value tied: nothing to test
  const double z = (u_max - n1 * n2 / 2.0 - 0.5) / std::sqrt(variance);
  const boost::math::normal_distribution<double> standard_normal;
  result.method = PValueMethod::asymptotic;
  result.p =
      std::clamp(2.0 * boost::math::cdf(boost::math::complement(standard_normal, z)), 0.0, 1.0);
  return result;
}

std::optional<WelchT> welch_t_test(std::span<const double> x, std::span<const double> y) {
  if (x.size() < 2 || y.size() < 2) return std::nullopt;
  const double nx = static_cast<double>(x.size());
  const double ny = static_cast<double>(y.size());
  const double sx = *stddev(x);
  const double sy = *stddev(y);
  const double vx = sx * sx / nx;
  const double vy = sy * sy / ny;
  if (vx + vy == 0.0) return std::nullopt;
  WelchT result;
  result.t = (*mean(x) - *mean(y)) / std::sqrt(vx + vy);
  result.df = (vx + vy) * (vx + vy) / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
  // Values beyond ~1e154 overflow the squares: no test rather than a law with a NaN parameter.
  if (!std::isfinite(result.t) || !std::isfinite(result.df) || !(result.df > 0.0))
    return std::nullopt;
  const boost::math::students_t_distribution<double> law(result.df);
  result.p =
      std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(law, std::fabs(result.t))));
  return result;
}

std::optional<double> hodges_lehmann_shift(std::span<const double> base,
                                           std::span<const double> candidate) {
  if (base.empty() || candidate.empty()) return std::nullopt;
  const std::vector<double> b = sorted_copy(base);
  const std::vector<double> c = sorted_copy(candidate);
  const std::uint64_t count = static_cast<std::uint64_t>(b.size()) * c.size();
  // Type-7 median of the count differences: the middle one, or the mean of the middle two.
  const double lower = kth_difference(b, c, (count + 1) / 2);
  if (count % 2 == 1) return lower;
  const double upper = kth_difference(b, c, count / 2 + 1);
  return lower + (upper - lower) / 2.0;
}

}  // namespace perfguard::stats
