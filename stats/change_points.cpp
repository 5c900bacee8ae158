// Change points by binary segmentation over weighted Welch t statistics; the method and its
// references are in change_points.hpp, its parameters in docs/history.md.
#include "stats/change_points.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

// MAD to a normal sigma: 1 / Phi^-1(3/4).
constexpr double kMadToSigma = 1.4826;

double median_of(std::vector<double>& values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2 == 1) return *middle;
  const double upper = *middle;
  const double lower = *std::max_element(values.begin(), middle);
  return lower + (upper - lower) / 2.0;
}

// Step 1: the Hampel filter.
std::vector<double> without_outliers(std::span<const SeriesValue> series,
                                     const ChangePointOptions& options) {
  std::vector<double> values(series.size());
  std::transform(series.begin(), series.end(), values.begin(),
                 [](const SeriesValue& point) { return point.value; });
  if (options.outlier_window == 0) return values;
  // The series' own noise, from its first differences (median |x[i+1] - x[i]| / (0.6745 sqrt 2),
  // as Fryzlewicz 2014 estimates it): a window whose points mostly agree exactly (few distinct
  // values) has a MAD of 0, and must not call every other value an outlier.
  std::vector<double> steps;
  for (std::size_t i = 1; i < values.size(); ++i)
    steps.push_back(std::abs(values[i] - values[i - 1]));
  const double noise = steps.empty() ? 0.0 : median_of(steps) / (0.6745 * std::sqrt(2.0));
  std::vector<double> cleaned = values;
  std::vector<double> window;
  std::vector<double> deviations;
  const std::size_t w = options.outlier_window;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t from = i >= w ? i - w : 0;
    const std::size_t to = std::min(values.size(), i + w + 1);
    window.assign(values.begin() + static_cast<std::ptrdiff_t>(from),
                  values.begin() + static_cast<std::ptrdiff_t>(to));
    const double center = median_of(window);
    deviations.clear();
    for (std::size_t j = from; j < to; ++j) deviations.push_back(std::abs(values[j] - center));
    const double scale = std::max(kMadToSigma * median_of(deviations), noise);
    if (std::abs(values[i] - center) > options.outlier_cutoff * scale) cleaned[i] = center;
  }
  return cleaned;
}

// Step 2: each point's sigma, clamped around the median sigma; 1 for all when none is known.
std::vector<double> clamped_sigmas(std::span<const SeriesValue> series) {
  std::vector<double> known;
  for (const SeriesValue& point : series)
    if (point.sigma) known.push_back(*point.sigma);
  std::vector<double> sigmas(series.size(), 1.0);
  if (known.empty()) return sigmas;
  const double typical = median_of(known);
  if (typical <= 0.0) return sigmas;  // exact values: all alike
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double sigma = series[i].sigma.value_or(typical);
    sigmas[i] = std::clamp(sigma, typical / 2.0, typical * 2.0);
  }
  return sigmas;
}

// Prefix sums over the weighted, centred values, so any segment's statistics cost O(1).
class Prefix {
 public:
  Prefix(const std::vector<double>& values, const std::vector<double>& sigmas, double center,
         bool sigmas_known)
      : w_(values.size() + 1),
        wy_(values.size() + 1),
        wyy_(values.size() + 1),
        ww_(values.size() + 1),
        ss_(values.size() + 1),
        sigmas_known_(sigmas_known) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double weight = 1.0 / (sigmas[i] * sigmas[i]);
      const double y = values[i] - center;
      w_[i + 1] = w_[i] + weight;
      wy_[i + 1] = wy_[i] + weight * y;
      wyy_[i + 1] = wyy_[i] + weight * y * y;
      ww_[i + 1] = ww_[i] + weight * weight;
      ss_[i + 1] = ss_[i] + sigmas[i] * sigmas[i];
    }
  }

  struct Side {
    double mean = 0.0;
    double variance = 0.0;  // of one point
    double n_eff = 0.0;
  };

  [[nodiscard]] Side side(std::size_t from, std::size_t to) const {
    const double w = w_[to] - w_[from];
    const double wy = wy_[to] - wy_[from];
    const double wyy = wyy_[to] - wyy_[from];
    const double ww = ww_[to] - ww_[from];
    Side s;
    s.mean = wy / w;
    s.n_eff = w * w / ww;
    const double spread = std::max(0.0, wyy / w - s.mean * s.mean);
    // Reliability weights' unbiased variance: V1^2 / (V1^2 - V2) times the weighted one.
    const double denominator = w * w - ww;
    s.variance = denominator > 0.0 ? spread * w * w / denominator : 0.0;
    if (sigmas_known_) {
      const double floor = (ss_[to] - ss_[from]) / static_cast<double>(to - from);
      s.variance = std::max(s.variance, floor);
    }
    return s;
  }

 private:
  std::vector<double> w_, wy_, wyy_, ww_, ss_;
  bool sigmas_known_;
};

struct Split {
  double t = 0.0;
  double df = 1.0;
};

// Welch's t of [mid, to) against [from, mid).
Split welch(const Prefix& prefix, std::size_t from, std::size_t mid, std::size_t to) {
  const Prefix::Side left = prefix.side(from, mid);
  const Prefix::Side right = prefix.side(mid, to);
  const double a = left.variance / left.n_eff;
  const double b = right.variance / right.n_eff;
  const double se2 = a + b;
  const double diff = right.mean - left.mean;
  Split split;
  if (se2 <= 0.0) {
    split.t = diff == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
    split.df = std::max(1.0, left.n_eff + right.n_eff - 2.0);
    return split;
  }
  split.t = diff / std::sqrt(se2);
  const double da = std::max(left.n_eff - 1.0, 1e-9);
  const double db = std::max(right.n_eff - 1.0, 1e-9);
  split.df = std::max(1.0, se2 * se2 / (a * a / da + b * b / db));
  return split;
}

double two_sided_p(const Split& split) {
  if (std::isinf(split.t)) return 0.0;
  if (split.t == 0.0) return 1.0;
  const boost::math::students_t_distribution<double> law(split.df);
  return 2.0 * boost::math::cdf(boost::math::complement(law, std::abs(split.t)));
}

// The Bonferroni-corrected p of a split between two neighbours, given how many split
// positions the stretch [from, to) offered.
double corrected_p(const Split& split, std::size_t from, std::size_t to, std::size_t min_segment) {
  const std::size_t tried = to - from + 1 - 2 * min_segment;
  return std::min(1.0, two_sided_p(split) * static_cast<double>(tried));
}

}  // namespace

std::vector<ChangePoint> change_points(std::span<const SeriesValue> series,
                                       const ChangePointOptions& options) {
  PG_CHECK(options.min_segment >= 1);
  PG_CHECK(options.alpha > 0.0 && options.alpha < 1.0);
  for (const SeriesValue& point : series) {
    PG_CHECK(std::isfinite(point.value));
    PG_CHECK(!point.sigma || (std::isfinite(*point.sigma) && *point.sigma >= 0.0));
  }
  const std::size_t n = series.size();
  const std::size_t min_segment = options.min_segment;
  if (n < 2 * min_segment) return {};

  const std::vector<double> values = without_outliers(series, options);
  const bool sigmas_known = std::any_of(series.begin(), series.end(),
                                        [](const SeriesValue& p) { return p.sigma.has_value(); });
  std::vector<double> sorted = values;
  const double center = median_of(sorted);
  const Prefix prefix(values, clamped_sigmas(series), center, sigmas_known);

  // Step 3: binary segmentation.
  std::vector<std::size_t> cuts;
  std::vector<std::pair<std::size_t, std::size_t>> pending = {{0, n}};
  while (!pending.empty()) {
    const auto [from, to] = pending.back();
    pending.pop_back();
    if (to - from < 2 * min_segment) continue;
    std::size_t best = 0;
    Split best_split;
    double best_abs = -1.0;
    for (std::size_t mid = from + min_segment; mid + min_segment <= to; ++mid) {
      const Split split = welch(prefix, from, mid, to);
      if (std::abs(split.t) > best_abs) {
        best_abs = std::abs(split.t);
        best = mid;
        best_split = split;
      }
    }
    if (corrected_p(best_split, from, to, min_segment) >= options.alpha) continue;
    cuts.push_back(best);
    pending.emplace_back(from, best);
    pending.emplace_back(best, to);
  }
  std::sort(cuts.begin(), cuts.end());

  // Step 4: merge away the least significant change until every one passes.
  const auto bounds = [&](std::size_t i) {
    const std::size_t from = i == 0 ? 0 : cuts[i - 1];
    const std::size_t to = i + 1 == cuts.size() ? n : cuts[i + 1];
    return std::pair{from, to};
  };
  while (!cuts.empty()) {
    std::size_t weakest = 0;
    double weakest_p = -1.0;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      const auto [from, to] = bounds(i);
      const double p = corrected_p(welch(prefix, from, cuts[i], to), from, to, min_segment);
      if (p > weakest_p) {
        weakest_p = p;
        weakest = i;
      }
    }
    if (weakest_p < options.alpha) break;
    cuts.erase(cuts.begin() + static_cast<std::ptrdiff_t>(weakest));
  }

  std::vector<ChangePoint> found;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const auto [from, to] = bounds(i);
    const Split split = welch(prefix, from, cuts[i], to);
    ChangePoint point;
    point.index = cuts[i];
    std::vector<double> before(values.begin() + static_cast<std::ptrdiff_t>(from),
                               values.begin() + static_cast<std::ptrdiff_t>(cuts[i]));
    std::vector<double> after(values.begin() + static_cast<std::ptrdiff_t>(cuts[i]),
                              values.begin() + static_cast<std::ptrdiff_t>(to));
    point.before = median_of(before);
    point.after = median_of(after);
    if (point.before != 0.0) point.change = point.after / point.before - 1.0;
    point.t = split.t;
    point.p_value = corrected_p(split, from, to, min_segment);
    found.push_back(point);
  }
  return found;
}

double sigma_from_interval(Interval interval, double confidence) {
  PG_CHECK(confidence > 0.0 && confidence < 1.0);
  const boost::math::normal_distribution<double> standard_normal;
  const double z = boost::math::quantile(standard_normal, (1.0 + confidence) / 2.0);
  return (interval.hi - interval.lo) / (2.0 * z);
}

}  // namespace perfguard::stats
