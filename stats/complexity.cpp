#include "stats/complexity.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <random>

#include <Eigen/Dense>

#include "core/check.hpp"
#include "stats/exact_bootstrap.hpp"

namespace perfguard::stats {
namespace {

constexpr Complexity kClasses[kComplexityClasses] = {Complexity::constant,  Complexity::log_n,
                                                     Complexity::n,         Complexity::n_log_n,
                                                     Complexity::n_squared, Complexity::n_cubed};

// One standard error either side of a normal estimate: the 68.27% central interval.
constexpr double kOneSigma = 0.6826894921370859;

std::size_t index_of(Complexity complexity) { return static_cast<std::size_t>(complexity); }

std::size_t parameters(Complexity complexity) { return complexity == Complexity::constant ? 1 : 2; }

// The runs of each distinct size, by size ascending.
std::vector<std::pair<double, std::vector<double>>> merged(std::span<const SizeRuns> sizes) {
  std::map<double, std::vector<double>> by_n;
  for (const SizeRuns& size : sizes) {
    PG_CHECK(size.n >= 1.0 && std::isfinite(size.n));
    PG_CHECK(!size.runs.empty());
    std::vector<double>& runs = by_n[size.n];
    runs.insert(runs.end(), size.runs.begin(), size.runs.end());
  }
  return {by_n.begin(), by_n.end()};
}

double median_of(std::vector<double> x) {
  const std::optional<double> m = quantile(x, 0.5);
  PG_CHECK(m.has_value());
  return *m;
}

// Lemire's unbiased bounded draw, as stats/bootstrap.cpp: the same on every standard library.
std::size_t bounded(std::mt19937_64& rng, std::size_t range) {
  std::uint64_t x = rng();
  __uint128_t m = static_cast<__uint128_t>(x) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = -static_cast<std::uint64_t>(range) % range;
    while (low < threshold) {
      x = rng();
      m = static_cast<__uint128_t>(x) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::size_t>(m >> 64);
}

// The curve of one class over fixed points and weights (fit_curve without the copy).
CurveFit fit(std::span<const SizePoint> points, Complexity complexity) {
  PG_CHECK(!points.empty());
  CurveFit out;
  out.complexity = complexity;
  double sw = 0.0;
  double swt = 0.0;
  for (const SizePoint& p : points) {
    sw += p.weight;
    swt += p.weight * p.median;
  }
  PG_CHECK(sw > 0.0);
  const double mean = swt / sw;
  double total = 0.0;
  for (const SizePoint& p : points) total += p.weight * (p.median - mean) * (p.median - mean);
  const auto chi2_of = [&](double a, double b) {
    double chi2 = 0.0;
    for (const SizePoint& p : points) {
      const double r = p.median - a - b * complexity_term(complexity, p.n);
      chi2 += p.weight * r * r;
    }
    return chi2;
  };
  out.intercept = mean;
  out.chi2 = chi2_of(mean, 0.0);
  if (complexity == Complexity::constant) return out;

  // Weighted least squares on sqrt(w)-scaled rows; g and w are scaled by their maxima so that
  // N^3 at N = 10^4 and a unit column stay well conditioned for the QR.
  double g_max = 0.0;
  double w_max = 0.0;
  for (const SizePoint& p : points) {
    g_max = std::max(g_max, complexity_term(complexity, p.n));
    w_max = std::max(w_max, p.weight);
  }
  if (g_max <= 0.0) return out;  // lg N of N = 1 only: nothing to fit
  const auto m = static_cast<Eigen::Index>(points.size());
  Eigen::MatrixXd x(m, 2);
  Eigen::VectorXd y(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    const SizePoint& p = points[static_cast<std::size_t>(i)];
    const double s = std::sqrt(p.weight / w_max);
    x(i, 0) = s;
    x(i, 1) = s * complexity_term(complexity, p.n) / g_max;
    y(i) = s * p.median;
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < 2) return out;  // one distinct g: the slope is not identified
  const Eigen::VectorXd beta = qr.solve(y);
  const double a = beta(0);
  const double b = beta(1) / g_max;
  if (!(b > 0.0) || !std::isfinite(a) || !std::isfinite(b)) return out;  // clamped to b = 0
  out.intercept = a;
  out.coefficient = b;
  out.chi2 = chi2_of(a, b);
  out.r_squared = total > 0.0 ? 1.0 - out.chi2 / total : 0.0;
  return out;
}

}  // namespace

double complexity_term(Complexity complexity, double n) noexcept {
  switch (complexity) {
    case Complexity::constant:
      return 1.0;
    case Complexity::log_n:
      return std::log2(n);
    case Complexity::n:
      return n;
    case Complexity::n_log_n:
      return n * std::log2(n);
    case Complexity::n_squared:
      return n * n;
    case Complexity::n_cubed:
      return n * n * n;
  }
  return 1.0;
}

std::string_view to_string(Complexity complexity) noexcept {
  switch (complexity) {
    case Complexity::constant:
      return "1";
    case Complexity::log_n:
      return "lg N";
    case Complexity::n:
      return "N";
    case Complexity::n_log_n:
      return "N lg N";
    case Complexity::n_squared:
      return "N^2";
    case Complexity::n_cubed:
      return "N^3";
  }
  return "1";
}

std::string big_o(Complexity complexity) { return "O(" + std::string(to_string(complexity)) + ")"; }

std::optional<Complexity> parse_complexity(std::string_view text) {
  std::string key;
  for (const char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch)) == 0)
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (key.size() > 3 && key.starts_with("o(") && key.ends_with(")"))
    key = key.substr(2, key.size() - 3);
  if (key == "1" || key == "constant") return Complexity::constant;
  if (key == "lgn" || key == "logn") return Complexity::log_n;
  if (key == "n") return Complexity::n;
  if (key == "nlgn" || key == "nlogn") return Complexity::n_log_n;
  if (key == "n^2" || key == "n\xc2\xb2") return Complexity::n_squared;
  if (key == "n^3" || key == "n\xc2\xb3") return Complexity::n_cubed;
  return std::nullopt;
}

const CurveFit& ComplexityFit::chosen() const noexcept { return curve(complexity); }

const CurveFit& ComplexityFit::curve(Complexity c) const noexcept { return curves[index_of(c)]; }

double ComplexityFit::evidence_against(Complexity c) const noexcept {
  return curve(c).qaic - chosen().qaic;
}

std::vector<SizePoint> size_points(std::span<const SizeRuns> sizes) {
  std::vector<SizePoint> points;
  const auto by_n = merged(sizes);
  bool every_size_has_an_interval = true;
  for (const auto& [n, runs] : by_n) {
    SizePoint point;
    point.n = n;
    point.median = median_of(runs);
    const std::optional<Interval> ci = exact_median_ci(runs, kOneSigma);
    if (ci) {
      const double floor = kRelativeErrorFloor * std::abs(point.median);
      const double se = std::max((ci->hi - ci->lo) / 2.0, floor);
      point.weight = se > 0.0 ? 1.0 / (se * se) : 0.0;
    }
    every_size_has_an_interval = every_size_has_an_interval && ci && point.weight > 0.0;
    points.push_back(point);
  }
  if (!every_size_has_an_interval) {
    // Equal relative noise; the dispersion c of the QAIC estimates its level.
    for (SizePoint& point : points) {
      const double scale = std::max(std::abs(point.median), 1e-300);
      point.weight = 1.0 / (scale * scale);
    }
  }
  return points;
}

CurveFit fit_curve(std::span<const SizePoint> points, Complexity complexity) {
  return fit(points, complexity);
}

std::optional<ComplexityFit> fit_points(std::vector<SizePoint> points) {
  std::sort(points.begin(), points.end(),
            [](const SizePoint& a, const SizePoint& b) { return a.n < b.n; });
  if (points.size() < kMinFamilySizes) return std::nullopt;
  ComplexityFit out;
  out.points = std::move(points);
  const double m = static_cast<double>(out.points.size());
  double min_ratio = INFINITY;
  for (const Complexity c : kClasses) {
    out.curves.push_back(fit(out.points, c));
    min_ratio =
        std::min(min_ratio, out.curves.back().chi2 / (m - static_cast<double>(parameters(c))));
  }
  out.dispersion = std::max(1.0, min_ratio);
  for (CurveFit& curve : out.curves)
    curve.qaic =
        curve.chi2 / out.dispersion + 2.0 * static_cast<double>(parameters(curve.complexity));

  const CurveFit& best =
      *std::min_element(out.curves.begin(), out.curves.end(),
                        [](const CurveFit& a, const CurveFit& b) { return a.qaic < b.qaic; });
  // The simplest class that the evidence does not separate from the best one.
  for (const CurveFit& curve : out.curves) {
    if (curve.qaic - best.qaic <= kSimplerPreference) {
      out.complexity = curve.complexity;
      break;
    }
  }
  const CurveFit* next = nullptr;
  for (const CurveFit& curve : out.curves) {
    if (curve.complexity == out.complexity) continue;
    if (next == nullptr || curve.qaic < next->qaic) next = &curve;
  }
  out.runner_up = next->complexity;
  out.margin = next->qaic - out.chosen().qaic;
  return out;
}

std::optional<ComplexityFit> fit_complexity(std::span<const SizeRuns> sizes) {
  return fit_points(size_points(sizes));
}

double project(const CurveFit& curve, double n) noexcept {
  return curve.intercept + curve.coefficient * complexity_term(curve.complexity, n);
}

Complexity common_complexity(const ComplexityFit& base, const ComplexityFit& candidate) noexcept {
  const auto joint = [&](Complexity c) { return base.curve(c).qaic + candidate.curve(c).qaic; };
  double best = INFINITY;
  for (const Complexity c : kClasses) best = std::min(best, joint(c));
  for (const Complexity c : kClasses) {
    if (joint(c) - best <= kSimplerPreference) return c;
  }
  return Complexity::constant;
}

Projection project_ratio(std::span<const SizeRuns> base, const ComplexityFit& base_fit,
                         Complexity base_complexity, std::span<const SizeRuns> candidate,
                         const ComplexityFit& candidate_fit, Complexity candidate_complexity,
                         double n, const ProjectionOptions& options) {
  PG_CHECK(n >= 1.0 && options.confidence > 0.0 && options.confidence < 1.0);
  Projection out;
  out.n = n;
  out.base_complexity = base_complexity;
  out.candidate_complexity = candidate_complexity;
  out.base = project(base_fit.curve(base_complexity), n);
  out.candidate = project(candidate_fit.curve(candidate_complexity), n);
  if (out.base > 0.0) out.ratio = out.candidate / out.base;
  if (!out.ratio || options.resamples == 0) return out;

  const auto base_runs = merged(base);
  const auto candidate_runs = merged(candidate);
  PG_CHECK(base_runs.size() == base_fit.points.size());
  PG_CHECK(candidate_runs.size() == candidate_fit.points.size());
  for (const auto* side : {&base_runs, &candidate_runs}) {
    for (const auto& size : *side) {
      if (size.second.size() < 2) return out;
    }
  }
  std::mt19937_64 rng(options.seed);
  std::vector<double> draw;
  const auto resampled_projection =
      [&](const std::vector<std::pair<double, std::vector<double>>>& runs,
          const ComplexityFit& fitted, Complexity complexity) {
        std::vector<SizePoint> points = fitted.points;
        for (std::size_t i = 0; i < runs.size(); ++i) {
          const std::vector<double>& x = runs[i].second;
          draw.resize(x.size());
          for (double& value : draw) value = x[bounded(rng, x.size())];
          points[i].median = median_of(draw);
        }
        return project(fit(points, complexity), n);
      };
  std::vector<double> ratios;
  ratios.reserve(options.resamples);
  std::size_t undefined = 0;
  for (std::size_t r = 0; r < options.resamples; ++r) {
    const double b = resampled_projection(base_runs, base_fit, base_complexity);
    const double c = resampled_projection(candidate_runs, candidate_fit, candidate_complexity);
    if (b > 0.0) {
      ratios.push_back(c / b);
    } else {
      ++undefined;
    }
  }
  const double alpha = 1.0 - options.confidence;
  if (static_cast<double>(undefined) > alpha / 2.0 * static_cast<double>(options.resamples))
    return out;
  std::sort(ratios.begin(), ratios.end());
  const std::optional<double> lo = quantile_sorted(ratios, alpha / 2.0);
  const std::optional<double> hi = quantile_sorted(ratios, 1.0 - alpha / 2.0);
  if (!lo || !hi || !(*lo > 0.0)) return out;
  // Medians that scatter around the curves more than their runs say (dispersion c > 1) make
  // the extrapolation less certain than resampling the runs shows: widen on the log scale by
  // sqrt(c), the quasi-likelihood variance inflation (Burnham & Anderson 2002, 6.2).
  out.inflation = std::sqrt(std::max(base_fit.dispersion, candidate_fit.dispersion));
  const double center = std::log(*out.ratio);
  out.ratio_ci = Interval{std::exp(center - out.inflation * (center - std::log(*lo))),
                          std::exp(center + out.inflation * (std::log(*hi) - center))};
  return out;
}

}  // namespace perfguard::stats
