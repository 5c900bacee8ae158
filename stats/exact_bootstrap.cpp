#include "stats/exact_bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

const double kLogNegligible = std::log(kNegligibleAtom);

// The ratio quantile search narrows its bracket to this relative width, then walks the few
// steps of F left in it (at most kMaxSnapSteps) to land on the attained ratio exactly.
constexpr double kRatioTolerance = 1e-9;
constexpr int kMaxSnapSteps = 64;

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

// Double precision is plenty for probabilities that end up compared with alpha / 2; Boost
// would otherwise promote to long double, at several times the cost.
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// The binomial tails at the threshold k of N(i) ~ Bin(n, i/n), the number of the n draws that
// land at positions <= i, for every position the laws below visit. One incomplete-beta
// evaluation per position, always of the small tail (the upper one below the mean, the lower
// one above it), so differences of neighbouring tails never cancel catastrophically; the
// tails at k + 1 follow from the closed-form P(N(i) = k).
class BinomialTails {
 public:
  BinomialTails(std::size_t n, std::size_t k)
      : n_(n),
        k_(k),
        log_choose_nk_(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0)),
        at_most_(n + 1, -1.0),
        at_least_(n + 1, -1.0) {}

  [[nodiscard]] double log_choose_nk() const noexcept { return log_choose_nk_; }

  // P(N(i) <= k - 1) and P(N(i) >= k).
  [[nodiscard]] double below(std::size_t i) { return fill(i), at_most_[i]; }
  [[nodiscard]] double at_or_above(std::size_t i) { return fill(i), at_least_[i]; }

  // P(N(i) = k) = C(n,k) (i/n)^k (1 - i/n)^(n-k).
  [[nodiscard]] double exactly_k(std::size_t i) const {
    const double dn = static_cast<double>(n_);
    const double di = static_cast<double>(i);
    return std::exp(log_choose_nk_ + static_cast<double>(k_) * std::log(di / dn) +
                    static_cast<double>(n_ - k_) * std::log((dn - di) / dn));
  }

 private:
  void fill(std::size_t i) {
    if (at_most_[i] >= 0.0) return;
    double small = 0.0;
    if (i > 0 && i < n_) {
      const boost::math::binomial_distribution<double, DoublePolicy> law(
          static_cast<double>(n_), static_cast<double>(i) / static_cast<double>(n_));
      const double m = static_cast<double>(k_ - 1);
      small = i < k_ ? boost::math::cdf(boost::math::complement(law, m)) : boost::math::cdf(law, m);
    }
    // i = 0: no draw can land at or below, so N = 0 < k; i = n: every draw does, N = n >= k.
    if (i < k_) {
      at_least_[i] = small;
      at_most_[i] = 1.0 - small;
    } else {
      at_most_[i] = i == n_ ? 0.0 : small;
      at_least_[i] = 1.0 - at_most_[i];
    }
  }

  std::size_t n_;
  std::size_t k_;
  double log_choose_nk_;
  std::vector<double> at_most_;   // P(N(i) <= k - 1), -1 until computed
  std::vector<double> at_least_;  // P(N(i) >= k)
};

// P(X*(k) = x(i)) = P(N(i) >= k) - P(N(i-1) >= k), differenced on the small side.
double order_statistic_pmf(BinomialTails& tails, std::size_t k, std::size_t i) {
  if (i < k) return tails.at_or_above(i) - tails.at_or_above(i - 1);
  return tails.below(i - 1) - tails.below(i);
}

// P(X*(k) = X*(k+1) = x(i)) = P(N(i-1) <= k-1) - P(N(i) <= k) + P(N(i-1) = k, N(i) = k); see
// the header. P(N(i) <= k) = P(N(i) <= k-1) + P(N(i) = k).
double tied_pair_pmf(BinomialTails& tails, std::size_t n, std::size_t k, std::size_t i) {
  const double cdf_difference =
      i <= k ? (tails.at_or_above(i) - tails.exactly_k(i)) - tails.at_or_above(i - 1)
             : tails.below(i - 1) - (tails.below(i) + tails.exactly_k(i));
  const double dn = static_cast<double>(n);
  const double both_k =
      std::exp(tails.log_choose_nk() + static_cast<double>(k) * std::log((i - 1.0) / dn) +
               static_cast<double>(n - k) * std::log((dn - static_cast<double>(i)) / dn));
  return std::max(0.0, cdf_difference + both_k);
}

// log[(m/n)^e - ((m-1)/n)^e] for m >= 1, e >= 1: the chance that e draws all land at positions
// <= m with at least one at m. Written as (m/n)^e (1 - (1 - 1/m)^e) for accuracy.
double log_top_at(std::size_t m, std::size_t n, std::size_t e) {
  const double de = static_cast<double>(e);
  const double dm = static_cast<double>(m);
  return de * std::log(dm / static_cast<double>(n)) +
         std::log(-std::expm1(de * std::log1p(-1.0 / dm)));
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
  BinomialTails tails(sorted.size(), k);
  const std::size_t n = sorted.size();
  std::vector<Atom> atoms;
  const auto add = [&](std::size_t i) {
    const double pr = std::max(0.0, order_statistic_pmf(tails, k, i));
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
  BinomialTails tails(n, k);
  const double log_choose_nk = tails.log_choose_nk();
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
      const double pr = tied_pair_pmf(tails, n, k, i);
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

// Mean and variance of log(value) under a law of positive values.
std::pair<double, double> log_moments(std::span<const Atom> atoms) {
  double mean = 0.0;
  double square = 0.0;
  for (const Atom& a : atoms) {
    const double l = std::log(a.value);
    mean += a.probability * l;
    square += a.probability * l * l;
  }
  return {mean, std::max(0.0, square - mean * mean)};
}

// Standard deviation of log(C / B), for sizing the first bracket.
double log_spread(std::span<const Atom> base, std::span<const Atom> candidate) {
  return std::sqrt(log_moments(base).second + log_moments(candidate).second);
}

// Where the q-quantile of C / B would be if log(C / B) were normal: only a starting point for
// the search, which stays exact. nullopt when the candidate law reaches 0 (no logarithm).
std::optional<double> lognormal_guess(std::span<const Atom> base, std::span<const Atom> candidate,
                                      double q) {
  if (candidate.front().value <= 0.0 || q <= 0.0 || q >= 1.0) return std::nullopt;
  const auto [base_mean, base_variance] = log_moments(base);
  const auto [candidate_mean, candidate_variance] = log_moments(candidate);
  const boost::math::normal_distribution<double, DoublePolicy> standard_normal;
  const double z = boost::math::quantile(standard_normal, q);
  const double guess =
      std::exp(candidate_mean - base_mean + z * std::sqrt(base_variance + candidate_variance));
  return std::isfinite(guess) && guess > 0.0 ? std::optional<double>(guess) : std::nullopt;
}

// The smallest attained ratio c / b above t (infinity when there is none): where the
// staircase P(C / B <= t) takes its next step. Base atoms are positive, so t b is monotone in
// b and, walked in the order that makes it grow, the first candidate atom above t moves right.
double next_ratio_above(std::span<const Atom> base, std::span<const Atom> candidate, double t) {
  double next = std::numeric_limits<double>::infinity();
  std::size_t c = 0;
  const auto visit = [&](const Atom& b) {
    while (c < candidate.size() && candidate[c].value / b.value <= t) ++c;
    if (c < candidate.size()) next = std::min(next, candidate[c].value / b.value);
  };
  if (t >= 0.0) {
    std::for_each(base.begin(), base.end(), visit);
  } else {
    std::for_each(base.rbegin(), base.rend(), visit);
  }
  return next;
}

// Smallest t with P(C / B <= t) >= q: an attained ratio c / b. The staircase F has
// thousands of tiny steps, nearly continuous from afar, so regula falsi with the Illinois
// modification (Dowell & Jarratt 1971) closes in quickly, from a bracket around a
// log-normal guess. Once only a step or two remain in the bracket, interpolation stalls and
// bisection takes over. The bracket keeps F(lo) < q <= F(hi) throughout.
double ratio_quantile(std::span<const Atom> base, std::span<const Atom> candidate,
                      std::span<const double> candidate_cdf, double q) {
  const auto f = [&](double t) { return ratio_cdf(base, candidate, candidate_cdf, t) - q; };
  const double b_min = base.front().value;
  const double b_max = base.back().value;
  const double c_min = candidate.front().value;
  const double c_max = candidate.back().value;
  const double support_lo = std::min(c_min / b_min, c_min / b_max);
  const double support_hi = std::max(c_max / b_min, c_max / b_max);
  double lo = support_lo;
  double hi = support_hi;
  double f_lo = f(lo);
  if (f_lo >= 0.0) return lo;
  double f_hi = -1.0;
  // Start from a tight bracket around a log-normal guess, widened until it holds the answer.
  if (const std::optional<double> guess = lognormal_guess(base, candidate, q)) {
    const double spread = log_spread(base, candidate);
    double step = std::max(spread / 4.0, 1e-9);
    double g_lo = std::max(support_lo, *guess * std::exp(-step));
    double g_hi = std::min(support_hi, *guess * std::exp(step));
    double fg_lo = f(g_lo);
    double fg_hi = f(g_hi);
    while (fg_lo >= 0.0 && g_lo > support_lo) {  // the answer lies lower
      g_hi = g_lo, fg_hi = fg_lo, step *= 2.0;
      g_lo = std::max(support_lo, g_lo * std::exp(-step));
      fg_lo = f(g_lo);
    }
    while (fg_hi < 0.0 && g_hi < support_hi) {  // the answer lies higher
      g_lo = g_hi, fg_lo = fg_hi, step *= 2.0;
      g_hi = std::min(support_hi, g_hi * std::exp(step));
      fg_hi = f(g_hi);
    }
    if (fg_lo < 0.0) lo = g_lo, f_lo = fg_lo;
    if (fg_hi >= 0.0) hi = g_hi, f_hi = fg_hi;
  }
  if (f_hi < 0.0) f_hi = f(hi);
  const auto narrow = [&](double t, double f_t) {
    (f_t >= 0.0 ? hi : lo) = t;
    (f_t >= 0.0 ? f_hi : f_lo) = f_t;
  };
  int kept = 0;        // which end survived the last step: -1 lo, +1 hi
  int slow_steps = 0;  // interpolations in a row that failed to halve the bracket
  while (hi - lo > kRatioTolerance * std::max(std::fabs(lo), std::fabs(hi))) {
    const double width = hi - lo;
    double t = lo + width / 2.0;
    if (slow_steps < 2) {
      const double interpolated = (f_lo * hi - f_hi * lo) / (f_lo - f_hi);
      if (interpolated > lo && interpolated < hi) t = interpolated;
    }
    if (t <= lo || t >= hi) break;  // lo and hi are adjacent doubles
    const double f_t = f(t);
    // Illinois: an end kept twice in a row has its value halved, so the next
    // interpolation moves away from it.
    if (f_t >= 0.0) {
      if (kept == -1) f_lo /= 2.0;
      kept = -1;
    } else {
      if (kept == +1) f_hi /= 2.0;
      kept = +1;
    }
    narrow(t, f_t);
    // Once interpolation stalls against a single step of F, plain bisection is faster.
    slow_steps = hi - lo > width / 2.0 ? slow_steps + 1 : 0;
  }
  // The narrow bracket holds the crossing step; walk its few steps to return the attained
  // ratio c / b itself. F is probed just above each step, as t b rounds either way of c.
  for (int step = 0; step < kMaxSnapSteps; ++step) {
    const double next = next_ratio_above(base, candidate, lo);
    if (!(next <= hi)) break;
    if (f(std::nextafter(next, std::numeric_limits<double>::infinity())) >= 0.0) return next;
    lo = next;
  }
  return hi;
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
