#include "stats/sequential.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>

#include <boost/math/special_functions/erf.hpp>

#include "core/check.hpp"

namespace perfguard::stats {
namespace {

// Grid resolution of the numerical integration: points per standard deviation of the
// narrowest normal kernel the grid must resolve. Jennison & Turnbull (ch. 19) reach ~1e-6
// with far fewer; 12 keeps boundaries within 1e-4 of published tables.
constexpr double kPointsPerSd = 12.0;
// A region without a boundary is cut at 8.5 standard deviations: the normal tail beyond
// holds less than 1e-16.
constexpr double kTailSd = 8.5;
constexpr std::size_t kMaxGridPoints = 4001;
// Bisection bracket for a boundary on the z scale; 2 (1 - Phi(40)) underflows to 0.
constexpr double kMaxZ = 40.0;

double normal_pdf(double x) noexcept {
  return std::exp(-0.5 * x * x) * (std::numbers::inv_sqrtpi / std::numbers::sqrt2);
}

double normal_upper_tail(double x) noexcept { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

// The sub-density of the score S_k = Z_k sqrt(t_k) over look k's continuation region, as
// values already multiplied by their Simpson weights: integral g(s) h(s) ds ~ sum mass_i h(s_i).
struct Grid {
  std::vector<double> s;
  std::vector<double> mass;
};

// Points and Simpson weights over [-half_width, half_width], spacing at most `spacing`.
Grid simpson_grid(double half_width, double spacing) {
  const auto intervals = static_cast<std::size_t>(std::ceil(half_width / spacing));
  const std::size_t points = std::min(2 * std::max<std::size_t>(intervals, 1) + 1, kMaxGridPoints);
  const double h = 2.0 * half_width / static_cast<double>(points - 1);
  Grid grid;
  grid.s.resize(points);
  grid.mass.resize(points);
  for (std::size_t i = 0; i < points; ++i) {
    grid.s[i] = -half_width + h * static_cast<double>(i);
    const double simpson = (i == 0 || i + 1 == points) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
    grid.mass[i] = simpson * h / 3.0;
  }
  return grid;
}

// P(the path is still inside at the previous look and |Z_k| >= z at this one).
double crossing_probability(const Grid* previous, double z, double t, double increment_sd) {
  if (previous == nullptr) return 2.0 * normal_upper_tail(z);
  const double edge = z * std::sqrt(t);
  double total = 0.0;
  for (std::size_t i = 0; i < previous->s.size(); ++i) {
    const double s = previous->s[i];
    total += previous->mass[i] * (normal_upper_tail((edge - s) / increment_sd) +
                                  normal_upper_tail((edge + s) / increment_sd));
  }
  return total;
}

// The z with crossing_probability(z) == target, by bisection (the probability falls with z).
double solve_boundary(const Grid* previous, double target, double t, double increment_sd) {
  if (target <= 0.0) return std::numeric_limits<double>::infinity();
  if (crossing_probability(previous, 0.0, t, increment_sd) <= target) return 0.0;
  double lo = 0.0;
  double hi = kMaxZ;
  for (int iteration = 0; iteration < 200 && hi - lo > 1e-12; ++iteration) {
    const double mid = 0.5 * (lo + hi);
    if (crossing_probability(previous, mid, t, increment_sd) > target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

// Density of the paths that continue past this look (|Z_k| < z), on a grid fine enough for
// both this look's increment and the next one's.
Grid continuation_density(const Grid* previous, double z, double t, double increment_sd,
                          double next_increment_sd) {
  const double sd_t = std::sqrt(t);
  const double half_width = std::min(z, kTailSd) * sd_t;
  const double resolved_sd = std::min(previous == nullptr ? sd_t : increment_sd, next_increment_sd);
  Grid grid = simpson_grid(half_width, resolved_sd / kPointsPerSd);
  for (std::size_t j = 0; j < grid.s.size(); ++j) {
    double density = 0.0;
    if (previous == nullptr) {
      density = normal_pdf(grid.s[j] / sd_t) / sd_t;
    } else {
      for (std::size_t i = 0; i < previous->s.size(); ++i) {
        density += previous->mass[i] * normal_pdf((grid.s[j] - previous->s[i]) / increment_sd);
      }
      density /= increment_sd;
    }
    grid.mass[j] *= density;
  }
  return grid;
}

}  // namespace

std::string_view to_string(Spending spending) noexcept {
  return spending == Spending::pocock ? "pocock" : "obrien_fleming";
}

double spent_alpha(Spending spending, double alpha, double t) {
  PG_CHECK(alpha > 0.0 && alpha < 1.0);
  PG_CHECK(t >= 0.0 && t <= 1.0);
  if (t == 0.0) return 0.0;
  switch (spending) {
    case Spending::pocock:
      return alpha * std::log1p((std::numbers::e - 1.0) * t);
    case Spending::obrien_fleming: {
      const double z = std::numbers::sqrt2 * boost::math::erfc_inv(alpha);
      return 2.0 * normal_upper_tail(z / std::sqrt(t));
    }
  }
  PG_CHECK(false);
  return 0.0;
}

std::vector<LookBoundary> spending_boundaries(std::span<const double> fractions, double alpha,
                                              Spending spending) {
  PG_CHECK(alpha > 0.0 && alpha < 1.0);
  for (std::size_t k = 0; k < fractions.size(); ++k) {
    PG_CHECK(fractions[k] > (k == 0 ? 0.0 : fractions[k - 1]) && fractions[k] <= 1.0);
  }
  std::vector<LookBoundary> boundaries;
  boundaries.reserve(fractions.size());
  Grid grid;
  const Grid* previous = nullptr;
  double previous_t = 0.0;
  for (std::size_t k = 0; k < fractions.size(); ++k) {
    const double t = fractions[k];
    const double increment_sd = std::sqrt(t - previous_t);
    const double target =
        spent_alpha(spending, alpha, t) - spent_alpha(spending, alpha, previous_t);
    const double z = solve_boundary(previous, target, t, increment_sd);
    boundaries.push_back({z, 2.0 * normal_upper_tail(z)});
    if (k + 1 < fractions.size()) {
      const double next_increment_sd = std::sqrt(fractions[k + 1] - t);
      grid = continuation_density(previous, z, t, increment_sd, next_increment_sd);
      previous = &grid;
    }
    previous_t = t;
  }
  return boundaries;
}

}  // namespace perfguard::stats
