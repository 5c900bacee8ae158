#include "stats/exact_bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/binomial.hpp>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

const double kLogNegligible = std::log(kNegligibleAtom);

// Order statistics are 1-based here, as in the formulas of the header.
struct OrderStatistics {
  std::size_t n = 0;
  std::size_t k = 0;  // the quantile is (1 - g) X*(k) + g X*(k + 1)
  double g = 0.0;
};

OrderStatistics type7_order_statistics(std::size_t n, double p) {
  const double h = static_cast<double>(n - 1) * p;
  const double floor_h = std::floor(h);
  OrderStatistics os{n, static_cast<std::size_t>(floor_h) + 1, h - floor_h};
  if (os.k >= n) os.g = 0.0;  // p = 1: the maximum, no right neighbour
  return os;
}

// P(Bin(n, i/n) <= m): the chance that at most m of n draws land at positions <= i.
double binomial_cdf(std::size_t n, std::size_t i, std::size_t m) {
  if (i == 0) return 1.0;
  if (i >= n || m >= n) return m >= n ? 1.0 : 0.0;
  const boost::math::binomial_distribution<double> law(static_cast<double>(n),
                                                       static_cast<double>(i) / static_cast<double>(n));
  return boost::math::cdf(law, static_cast<double>(m));
}

// P(Bin(n, i/n) > m), computed directly so that small upper tails keep their precision.
double binomial_sf(std::size_t n, std::size_t i, std::size_t m) {
  if (i == 0 || m >= n) return 0.0;
  if (i >= n) return 1.0;
  const boost::math::binomial_distribution<double> law(static_cast<double>(n),
                                                       static_cast<double>(i) / static_cast<double>(n));
  return boost::math::cdf(boost::math::complement(law, static_cast<double>(m)));
}

// P(X*(k) = x(i)) = P(N(i) >= k) - P(N(i-1) >= k), each difference taken on the side where the
// two terms are small, so that neither tail cancels catastrophically.
double order_statistic_pmf(std::size_t n, std::size_t k, std::size_t i) {
  if (i < k) return binomial_sf(n, i, k - 1) - binomial_sf(n, i - 1, k - 1);
  return binomial_cdf(n, i - 1, k - 1) - binomial_cdf(n, i, k - 1);
}

// P(X*(k) = X*(k+1) = x(i)) = P(N(i-1) <= k-1, N(i) >= k+1); see the header.
double tied_pair_pmf(std::size_t n, std::size_t k, std::size_t i, double log_choose_nk) {
  const double cdf_difference = i <= k ? binomial_sf(n, i, k) - binomial_sf(n, i - 1, k - 1)
                                       : binomial_cdf(n, i - 1, k - 1) - binomial_cdf(n, i, k);
  const double dn = static_cast<double>(n);
  const double both_k = std::exp(log_choose_nk + static_cast<double>(k) * std::log((i - 1.0) / dn) +
                                 static_cast<double>(n - k) * std::log((dn - static_cast<double>(i)) / dn));
  return std::max(0.0, cdf_difference + both_k);
}

// log[(m/n)^e - ((m-1)/n)^e] for m >= 1, e >= 1: the chance that e draws all land at positions
// <= m with at least one at m. Written as (m/n)^e (1 - (1 - 1/m)^e) for accuracy.
double log_top_at(std::size_t m, std::size_t n, std::size_t e) {
  const double de = static_cast<double>(e);
  const double dm = static_cast<double>(m);
  return de * std::log(dm / static_cast<double>(n)) + std::log(-std::expm1(de * std::log1p(-1.0 / dm)));
}

std::vector<Atom> merge_equal_values(std::vector<Atom> atoms) {
  std::sort(atoms.begin(), atoms.end(),
            [](const Atom& a, const Atom& b) { return a.value < b.value; });
  std::vector<Atom> merged;
  merged.reserve(atoms.size());
  for (const Atom& a : atoms) {
    if (!merged.empty() && merged.back().value == a.value) {
      merged.back().probability += a.probability;
    } else {
      merged.push_back(a);
    }
  }
  return merged;
}

// Law of the single order statistic X*(k): walk outwards from its mode until the tails vanish.
std::vector<Atom> single_order_statistic_law(std::span<const double> sorted, std::size_t k) {
  const std::size_t n = sorted.size();
  std::vector<Atom> atoms;
  const auto add = [&](std::size_t i) {
    const double pr = order_statistic_pmf(n, k, i);
    if (pr >= kNegligibleAtom) atoms.push_back({sorted[i - 1], pr});
    return pr;
  };
  add(k);
  for (std::size_t i = k + 1; i <= n && add(i) >= kNegligibleAtom;) ++i;
  for (std::size_t i = k - 1; i >= 1 && add(i) >= kNegligibleAtom;) --i;
  return atoms;
}

// Law of (1 - g) X*(k) + g X*(k+1), 0 < g < 1, from the joint law of adjacent order statistics.
std::vector<Atom> adjacent_pair_law(std::span<const double> sorted, const OrderStatistics& os) {
  const std::size_t n = os.n;
  const std::size_t k = os.k;
  const double log_choose_nk = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
  // low[i] = log P(k low draws all at <= i, one at i); high[j] = log P(n-k high draws all at
  // >= j, one at j) -- the mirror image, with m = n - j + 1 positions at or above j.
  std::vector<double> low(n + 1);
  std::vector<double> high(n + 1);
  for (std::size_t i = 1; i <= n; ++i) {
    low[i] = log_top_at(i, n, k);
    high[i] = log_top_at(n - i + 1, n, n - k);
  }
  const auto value = [&](std::size_t i, std::size_t j) {
    return sorted[i - 1] + os.g * (sorted[j - 1] - sorted[i - 1]);
  };

  std::vector<Atom> atoms;
  std::size_t first_row = n + 1;
  std::size_t last_row = 0;
  for (std::size_t i = 1; i < n; ++i) {
    // high[j] falls with j, so the first j below the cut-off ends the row.
    for (std::size_t j = i + 1; j <= n; ++j) {
      const double log_pr = log_choose_nk + low[i] + high[j];
      if (log_pr < kLogNegligible) break;
      atoms.push_back({value(i, j), std::exp(log_pr)});
      first_row = std::min(first_row, i);
      last_row = std::max(last_row, i);
    }
  }
  // Both order statistics at one position: only where the rows above carry mass (a margin of
  // two positions covers the edges of that band).
  if (last_row > 0) {
    const std::size_t from = first_row > 2 ? first_row - 2 : 1;
    const std::size_t to = std::min(n, last_row + 3);
    for (std::size_t i = from; i <= to; ++i) {
      const double pr = tied_pair_pmf(n, k, i, log_choose_nk);
      if (pr >= kNegligibleAtom) atoms.push_back({sorted[i - 1], pr});
    }
  }
  return atoms;
}

// P(C / B <= t) for independent discrete laws, base atoms all positive: sum over base atoms b of
// P(B = b) P(C <= t b). t b is monotone in b, so one pass over each law suffices.
double ratio_cdf(std::span<const Atom> base, std::span<const Atom> candidate,
                 std::span<const double> candidate_cdf, double t) {
  double total = 0.0;
  std::size_t c = 0;  // atoms of candidate with value <= t b, for the current b
  const auto accumulate = [&](const Atom& b) {
    const double limit = t * b.value;
    while (c < candidate.size() && candidate[c].value <= limit) ++c;
    if (c > 0) total += b.probability * candidate_cdf[c - 1];
  };
  if (t >= 0.0) {
    std::for_each(base.begin(), base.end(), accumulate);
  } else {
    std::for_each(base.rbegin(), base.rend(), accumulate);
  }
  return total;
}

// Smallest t with P(C / B <= t) >= q, by bisection on doubles down to adjacent values.
double ratio_quantile(std::span<const Atom> base, std::span<const Atom> candidate,
                      std::span<const double> candidate_cdf, double q) {
  const double b_min = base.front().value;
  const double b_max = base.back().value;
  const double c_min = candidate.front().value;
  const double c_max = candidate.back().value;
  double lo = std::min(c_min / b_min, c_min / b_max);
  double hi = std::max(c_max / b_min, c_max / b_max);
  if (ratio_cdf(base, candidate, candidate_cdf, lo) >= q) return lo;
  while (true) {
    const double mid = lo + (hi - lo) / 2.0;
    if (mid <= lo || mid >= hi) return hi;
    if (ratio_cdf(base, candidate, candidate_cdf, mid) >= q) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
}

std::vector<double> cumulative(std::span<const Atom> atoms) {
  std::vector<double> cdf(atoms.size());
  double running = 0.0;
  for (std::size_t i = 0; i < atoms.size(); ++i) cdf[i] = running += atoms[i].probability;
  return cdf;
}

}  // namespace

std::vector<Atom> bootstrap_quantile_distribution(std::span<const double> x, double p) {
  PG_CHECK(p >= 0.0 && p <= 1.0);
  PG_CHECK(std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); }));
  if (x.empty()) return {};
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  const OrderStatistics os = type7_order_statistics(sorted.size(), p);
  if (os.g == 0.0) return merge_equal_values(single_order_statistic_law(sorted, os.k));
  return merge_equal_values(adjacent_pair_law(sorted, os));
}

double atom_quantile(std::span<const Atom> atoms, double q) noexcept {
  PG_CHECK(!atoms.empty());
  PG_CHECK(q >= 0.0 && q <= 1.0);
  double running = 0.0;
  for (const Atom& a : atoms) {
    running += a.probability;
    if (running >= q) return a.value;
  }
  // Only dropped negligible mass (or rounding) keeps the total from reaching q.
  return atoms.back().value;
}

std::optional<Interval> exact_quantile_ci(std::span<const double> x, double p, double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  if (x.size() < 2) return std::nullopt;
  const std::vector<Atom> law = bootstrap_quantile_distribution(x, p);
  const double alpha = 1.0 - confidence;
  return Interval{atom_quantile(law, alpha / 2.0), atom_quantile(law, 1.0 - alpha / 2.0)};
}

std::optional<Interval> exact_median_ci(std::span<const double> x, double confidence) {
  return exact_quantile_ci(x, 0.5, confidence);
}

std::optional<Interval> exact_median_ratio_ci(std::span<const double> base,
                                              std::span<const double> candidate,
                                              double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  if (base.size() < 2 || candidate.size() < 2) return std::nullopt;
  const std::vector<Atom> base_law = bootstrap_quantile_distribution(base, 0.5);
  if (base_law.front().value <= 0.0) return std::nullopt;
  const std::vector<Atom> candidate_law = bootstrap_quantile_distribution(candidate, 0.5);
  const std::vector<double> candidate_cdf = cumulative(candidate_law);
  const double alpha = 1.0 - confidence;
  return Interval{ratio_quantile(base_law, candidate_law, candidate_cdf, alpha / 2.0),
                  ratio_quantile(base_law, candidate_law, candidate_cdf, 1.0 - alpha / 2.0)};
}

}  // namespace perfguard::stats
