#include "stats/exact_bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

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
        log_choose_nk_(std::lgamma(static_cast<double>(n) + 1.0) -
                       std::lgamma(static_cast<double>(k) + 1.0) -
                       std::lgamma(static_cast<double>(n - k) + 1.0)),
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
      std::exp(tails.log_choose_nk() +
               static_cast<double>(k) * std::log((static_cast<double>(i) - 1.0) / dn) +
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

bool by_value(const Atom& a, const Atom& b) noexcept { return a.value < b.value; }

// Sorts atoms by value. They arrive as a few hundred ascending runs (the laws are built row by
// row), so merging neighbouring runs pairwise sorts them in about log2(runs) linear passes:
// several times faster than sorting from scratch.
void sort_runs(std::vector<Atom>& atoms) {
  std::vector<std::size_t> starts{0};  // where each run starts, then the end
  for (std::size_t i = 1; i < atoms.size(); ++i) {
    if (atoms[i].value < atoms[i - 1].value) starts.push_back(i);
  }
  starts.push_back(atoms.size());
  std::vector<Atom> merged(atoms.size());
  std::vector<std::size_t> merged_starts;
  while (starts.size() > 2) {
    merged_starts.assign(1, 0);
    for (std::size_t r = 0; r + 1 < starts.size(); r += 2) {
      const std::size_t middle = starts[r + 1];
      const std::size_t end = r + 2 < starts.size() ? starts[r + 2] : middle;  // odd run out
      const auto first = atoms.begin();
      std::merge(first + static_cast<std::ptrdiff_t>(starts[r]),
                 first + static_cast<std::ptrdiff_t>(middle),
                 first + static_cast<std::ptrdiff_t>(middle),
                 first + static_cast<std::ptrdiff_t>(end),
                 merged.begin() + static_cast<std::ptrdiff_t>(starts[r]), by_value);
      merged_starts.push_back(end);
    }
    starts.swap(merged_starts);
    atoms.swap(merged);
  }
}

std::vector<Atom> merge_equal_values(std::vector<Atom> atoms) {
  sort_runs(atoms);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (kept > 0 && atoms[kept - 1].value == atoms[i].value) {
      atoms[kept - 1].probability += atoms[i].probability;
    } else {
      atoms[kept++] = atoms[i];
    }
  }
  atoms.resize(kept);
  return atoms;
}

// Law of the single order statistic X*(k): walk outwards from its mode until the tails vanish,
// in ascending order of position.
std::vector<Atom> single_order_statistic_law(std::span<const double> sorted, std::size_t k) {
  BinomialTails tails(sorted.size(), k);
  const std::size_t n = sorted.size();
  std::vector<Atom> atoms;
  const auto add = [&](std::size_t i) {
    const double pr = std::max(0.0, order_statistic_pmf(tails, k, i));
    if (pr >= kNegligibleAtom) atoms.push_back({sorted[i - 1], pr});
    return pr;
  };
  for (std::size_t i = k - 1; i >= 1 && add(i) >= kNegligibleAtom;) --i;
  std::reverse(atoms.begin(), atoms.end());  // ascending, as sort_runs likes it
  add(k);
  for (std::size_t i = k + 1; i <= n && add(i) >= kNegligibleAtom;) ++i;
  return atoms;
}

// Law of (1 - g) X*(k) + g X*(k+1), 0 < g < 1, from the joint law of adjacent order statistics.
std::vector<Atom> adjacent_pair_law(std::span<const double> sorted, const OrderStatistics& os) {
  const std::size_t n = os.n;
  const std::size_t k = os.k;
  BinomialTails tails(n, k);
  const double log_choose_nk = tails.log_choose_nk();
  // low[i] = log P(k low draws all at <= i, one at i); high[j] = log P(n-k high draws all at
  // >= j, one at j) -- the mirror image, with m = n - j + 1 positions at or above j. Computed
  // on demand: only the band of rows that carries mass needs them.
  std::vector<double> low(n + 1, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> high(n + 1, std::numeric_limits<double>::quiet_NaN());
  const auto low_at = [&](std::size_t i) {
    if (std::isnan(low[i])) low[i] = log_top_at(i, n, k);
    return low[i];
  };
  const auto high_at = [&](std::size_t j) {
    if (std::isnan(high[j])) high[j] = log_top_at(n - j + 1, n, n - k);
    return high[j];
  };
  const auto value = [&](std::size_t i, std::size_t j) {
    return sorted[i - 1] + os.g * (sorted[j - 1] - sorted[i - 1]);
  };

  std::vector<Atom> atoms;
  std::size_t first_row = n + 1;
  std::size_t last_row = 0;
  // Row i: the pairs (i, j > i). high falls with j, so the first j below the cut-off ends the
  // row; false when even its first atom is negligible.
  const auto add_row = [&](std::size_t i) {
    std::size_t j = i + 1;
    for (; j <= n; ++j) {
      const double log_pr = log_choose_nk + low_at(i) + high_at(j);
      if (log_pr < kLogNegligible) break;
      atoms.push_back({value(i, j), std::exp(log_pr)});
    }
    if (j == i + 1) return false;
    first_row = std::min(first_row, i);
    last_row = std::max(last_row, i);
    return true;
  };
  // A row's largest atom is its first, and those are log-concave in i (low and high are
  // logarithms of differences of powers, i.e. of a log-concave density integrated over unit
  // steps), so the rows with mass form one band, here found by walking out from row k.
  if (add_row(k)) {
    for (std::size_t i = k - 1; i >= 1 && add_row(i);) --i;
    for (std::size_t i = k + 1; i < n && add_row(i);) ++i;
  } else {
    for (std::size_t i = 1; i < n; ++i) add_row(i);
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

// The law of C / B for independent discrete laws B (all atoms positive) and C, kept as the two
// laws: its CDF is P(C / B <= t) = sum over base atoms b of P(B = b) P(C <= t b), and t b is
// monotone in b, so one merge-like pass over both laws evaluates it. The law has one atom per
// pair (b, c) -- millions for two laws of a few thousand atoms -- so its quantiles are found by
// narrowing a bracket with such passes until few pairs remain inside, then sorting those.
class RatioLaw {
 public:
  RatioLaw(std::span<const Atom> base, std::span<const Atom> candidate) {
    // Values and probabilities apart, in the arrays the passes read; a sentinel ends the
    // candidate values, and cumulative_[c] is the mass of the first c candidate atoms.
    base_value_.reserve(base.size());
    base_probability_.reserve(base.size());
    for (const Atom& b : base) {
      base_value_.push_back(b.value);
      base_probability_.push_back(b.probability);
    }
    candidate_value_.reserve(candidate.size());
    candidate_probability_.reserve(candidate.size());
    cumulative_.reserve(candidate.size());
    cumulative_.push_back(0.0);
    for (const Atom& c : candidate) {
      candidate_value_.push_back(c.value);
      candidate_probability_.push_back(c.probability);
      cumulative_.push_back(cumulative_.back() + c.probability);
    }
    candidate_value_.push_back(std::numeric_limits<double>::infinity());
    for (const double p : base_probability_) total_ += p * cumulative_.back();
    const auto [base_mean, base_variance] = log_moments(base);
    if (candidate.front().value > 0.0) {
      const auto [candidate_mean, candidate_variance] = log_moments(candidate);
      log_mean_ = candidate_mean - base_mean;
      log_sd_ = std::sqrt(base_variance + candidate_variance);
    }
  }

  // Smallest t with P(C / B <= t) >= q: an attained ratio c / b. The CDF is a staircase with a
  // step per pair, nearly continuous from afar, so regula falsi with the Illinois modification
  // (Dowell & Jarratt 1971) closes in quickly from a bracket around a log-normal guess; once
  // the bracket holds at most kPairsToSort pairs, they are sorted and summed up to q. The
  // bracket keeps F(lo) < q <= F(hi) throughout. Near the answer the steps of F differ in size
  // by orders of magnitude, so interpolation shrinks the bracket unevenly; it still beats
  // bisection there, which only comes in after kSlowSteps steps in a row that failed to halve
  // the pairs in the bracket. About 8 passes per bound for 2 x 1,000 samples.
  [[nodiscard]] double quantile(double q) const {
    const std::size_t base_size = base_value_.size();
    const std::size_t candidate_size = candidate_probability_.size();
    const double b_min = base_value_.front();
    const double b_max = base_value_.back();
    const double c_min = candidate_value_.front();
    const double c_max = candidate_value_[candidate_size - 1];
    const double support_lo = std::min(c_min / b_min, c_min / b_max);
    const double support_hi = std::max(c_max / b_min, c_max / b_max);
    if (support_hi == support_lo) return support_lo;
    // Ends one support width outside the support, where F is known without a pass.
    const double width = support_hi - support_lo;
    Point lo{support_lo - width, 0.0, 0, std::vector<std::size_t>(base_size, 0)};
    Point hi{support_hi + width, total_, base_size * candidate_size,
             std::vector<std::size_t>(base_size, candidate_size)};
    if (hi.cdf < q) return support_hi;  // only dropped negligible mass keeps F below q
    if (const std::optional<double> guess = lognormal_guess(q)) {
      // A tight bracket around the guess, widened until it holds the answer.
      double step = std::max(*log_sd_ / 4.0, 1e-9);
      Point g_lo = at(std::max(support_lo, *guess * std::exp(-step)));
      Point g_hi = at(std::min(support_hi, *guess * std::exp(step)));
      while (g_lo.cdf >= q && g_lo.t > support_lo) {  // the answer lies lower
        step *= 2.0;
        const double lower = std::max(support_lo, g_lo.t * std::exp(-step));
        g_hi = std::move(g_lo);
        g_lo = at(lower);
      }
      while (g_hi.cdf < q && g_hi.t < support_hi) {  // the answer lies higher
        step *= 2.0;
        const double higher = std::min(support_hi, g_hi.t * std::exp(step));
        g_lo = std::move(g_hi);
        g_hi = at(higher);
      }
      if (g_lo.cdf < q) lo = std::move(g_lo);
      if (g_hi.cdf >= q) hi = std::move(g_hi);
    }
    // Regula falsi on probit(F) - probit(q): far from the answer F is close to a log-normal
    // CDF, which the probit makes nearly linear in t. Illinois: an end kept twice in a row has
    // its value halved, so the next interpolation moves away from it.
    const double z_q = probit(q);
    double f_lo = probit(lo.cdf) - z_q;
    double f_hi = probit(hi.cdf) - z_q;
    int kept = 0;        // which end survived the last step: -1 lo, +1 hi
    int slow_steps = 0;  // steps in a row that failed to halve the pairs in the bracket
    while (hi.pairs - lo.pairs > kPairsToSort) {
      const std::size_t pairs = hi.pairs - lo.pairs;
      double t = lo.t + (hi.t - lo.t) / 2.0;
      if (slow_steps < kSlowSteps) {
        const double interpolated = (f_lo * hi.t - f_hi * lo.t) / (f_lo - f_hi);
        if (interpolated > lo.t && interpolated < hi.t) t = interpolated;
      }
      // lo and hi are adjacent doubles (or, with an infinite end, t is not a number).
      if (!(t > lo.t && t < hi.t)) break;
      Point mid = at(t);
      if (mid.cdf >= q) {
        if (kept == -1) f_lo /= 2.0;
        kept = -1, f_hi = probit(mid.cdf) - z_q, hi = std::move(mid);
      } else {
        if (kept == +1) f_hi /= 2.0;
        kept = +1, f_lo = probit(mid.cdf) - z_q, lo = std::move(mid);
      }
      slow_steps = hi.pairs - lo.pairs > pairs / 2 ? slow_steps + 1 : 0;
    }
    return crossing(lo, hi, q);
  }

 private:
  // A bracket end: F(t), the number of pairs with c <= t b, and that number for each base atom.
  struct Point {
    double t = 0.0;
    double cdf = 0.0;
    std::size_t pairs = 0;
    std::vector<std::size_t> counts;
  };

  // Sorting this many pairs costs about as much as one more pass over the laws.
  static constexpr std::size_t kPairsToSort = 512;
  static constexpr int kSlowSteps = 8;

  // The standard normal quantile, finite at 0 and 1.
  static double probit(double probability) {
    const boost::math::normal_distribution<double, DoublePolicy> standard_normal;
    return boost::math::quantile(standard_normal, std::clamp(probability, 1e-300, 1.0 - 1e-16));
  }

  // One pass over both laws. The base atoms are walked in the order that makes t b grow, so
  // the count of candidate atoms at or below t b only moves right.
  [[nodiscard]] Point at(double t) const {
    const std::size_t base_size = base_value_.size();
    const std::size_t candidate_size = candidate_probability_.size();
    Point p{t, 0.0, 0, std::vector<std::size_t>(base_size)};
    std::size_t c = 0;
    const auto step = [&](std::size_t b) {
      const double limit = t * base_value_[b];
      // The sentinel stops it, unless t b overflowed to +infinity: hence the bound.
      while (c < candidate_size && candidate_value_[c] <= limit) ++c;
      p.cdf += base_probability_[b] * cumulative_[c];
      p.pairs += c;
      p.counts[b] = c;
    };
    if (t >= 0.0) {
      for (std::size_t b = 0; b < base_size; ++b) step(b);
    } else {
      for (std::size_t b = base_size; b-- > 0;) step(b);
    }
    return p;
  }

  // The pairs with lo.t b < c <= hi.t b, sorted by ratio and summed onto F(lo) until q is reached.
  [[nodiscard]] double crossing(const Point& lo, const Point& hi, double q) const {
    std::vector<Atom> inside;
    inside.reserve(hi.pairs - lo.pairs);
    for (std::size_t b = 0; b < base_value_.size(); ++b) {
      for (std::size_t c = lo.counts[b]; c < hi.counts[b]; ++c) {
        inside.push_back({candidate_value_[c] / base_value_[b],
                          base_probability_[b] * candidate_probability_[c]});
      }
    }
    std::sort(inside.begin(), inside.end(), by_value);
    double running = lo.cdf;
    for (const Atom& a : inside) {
      running += a.probability;
      if (running >= q) return a.value;
    }
    // Summation order can leave the total a rounding short of F(hi).
    return inside.empty() ? hi.t : inside.back().value;
  }

  // Where the q-quantile of C / B would be if log(C / B) were normal: only a starting point for
  // the search, which stays exact. nullopt when the candidate law reaches 0 (no logarithm).
  [[nodiscard]] std::optional<double> lognormal_guess(double q) const {
    if (!log_sd_ || q <= 0.0 || q >= 1.0) return std::nullopt;
    const double guess = std::exp(log_mean_ + probit(q) * *log_sd_);
    return std::isfinite(guess) && guess > 0.0 ? std::optional<double>(guess) : std::nullopt;
  }

  // Mean and variance of log(value) under a law of positive values, to first order (the delta
  // method: log of the mean, variance over mean squared) -- plenty for a starting point, and
  // without a logarithm per atom.
  static std::pair<double, double> log_moments(std::span<const Atom> atoms) {
    double mean = 0.0;
    double square = 0.0;
    for (const Atom& a : atoms) {
      mean += a.probability * a.value;
      square += a.probability * a.value * a.value;
    }
    return {std::log(mean), std::max(0.0, square - mean * mean) / (mean * mean)};
  }

  std::vector<double> base_value_;
  std::vector<double> base_probability_;
  std::vector<double> candidate_value_;  // ends with +infinity
  std::vector<double> candidate_probability_;
  std::vector<double> cumulative_;  // cumulative_[c]: mass of the first c candidate atoms
  double total_ = 0.0;              // F beyond the support: 1 up to rounding and dropped atoms
  double log_mean_ = 0.0;
  std::optional<double> log_sd_;  // of log(C / B); none when the candidate law reaches 0
};

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

std::optional<Interval> exact_quantile_ratio_ci(std::span<const double> base,
                                                std::span<const double> candidate, double p,
                                                double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  PG_CHECK(p >= 0.0 && p <= 1.0);
  if (base.size() < 2 || candidate.size() < 2) return std::nullopt;
  const std::vector<Atom> base_law = bootstrap_quantile_distribution(base, p);
  if (base_law.front().value <= 0.0) return std::nullopt;
  const std::vector<Atom> candidate_law = bootstrap_quantile_distribution(candidate, p);
  const RatioLaw ratio(base_law, candidate_law);
  const double alpha = 1.0 - confidence;
  return Interval{ratio.quantile(alpha / 2.0), ratio.quantile(1.0 - alpha / 2.0)};
}

std::optional<Interval> exact_median_ratio_ci(std::span<const double> base,
                                              std::span<const double> candidate,
                                              double confidence) {
  return exact_quantile_ratio_ci(base, candidate, 0.5, confidence);
}

}  // namespace perfguard::stats
