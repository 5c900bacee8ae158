#include "reports/svg_scale.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "budgets/units.hpp"

namespace perfguard::reports {

std::vector<Tick> thin(std::vector<Tick> ticks, double anchor, double gap) {
  std::sort(ticks.begin(), ticks.end(),
            [](const Tick& a, const Tick& b) { return a.fraction < b.fraction; });
  std::vector<Tick> kept;
  const auto start =
      std::find_if(ticks.begin(), ticks.end(), [&](const Tick& t) { return t.value == anchor; });
  if (start == ticks.end()) return ticks;
  kept.push_back(*start);
  for (auto it = start + 1; it != ticks.end(); ++it) {
    if (it->fraction - kept.back().fraction >= gap && it->fraction <= 0.96) kept.push_back(*it);
  }
  double last = start->fraction;
  for (auto it = std::make_reverse_iterator(start); it != ticks.rend(); ++it) {
    if (last - it->fraction >= gap && it->fraction >= 0.04) {
      kept.push_back(*it);
      last = it->fraction;
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const Tick& a, const Tick& b) { return a.fraction < b.fraction; });
  return kept;
}

double nice_step(double range, double count, bool quarters) {
  const double raw = range / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m == 2.5 && !quarters) continue;
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

std::string factor_label(double m, int e) {
  if (e == 0 && m == 1.0) return "±0%";
  if (e >= 0) {
    const double ratio = m * std::pow(10.0, e);
    return e <= 3 ? fmt::format("×{:g}", ratio) : fmt::format("×{:g}e{}", m, e);
  }
  // m x 10^e < 1: its inverse, 10^-e / m, is the speed-up.
  const double inverse = std::pow(10.0, -e) / m;
  if (inverse <= 1000.0) return fmt::format("÷{:g}", inverse);
  const int k = static_cast<int>(std::floor(std::log10(inverse) + 1e-9));
  return fmt::format("÷{:g}e{}", std::round(inverse / std::pow(10.0, k) * 10.0) / 10.0, k);
}

// ---- Ratios -------------------------------------------------------------------------------------

RatioScale::RatioScale(double lo, double hi) {
  double a = std::log(lo);
  double b = std::log(hi);
  if (b - a < 0.02) {
    a -= 0.01;
    b += 0.01;
  }
  const double pad = 0.06 * (b - a);
  lo_ = a - pad;
  hi_ = b + pad;
}

double RatioScale::fraction(double ratio) const { return (std::log(ratio) - lo_) / (hi_ - lo_); }

std::vector<Tick> RatioScale::ticks() const {
  std::vector<Tick> ticks;
  const double lo = std::exp(lo_);
  const double hi = std::exp(hi_);
  if (hi / lo <= 4.0) {
    const double step = nice_step((hi - lo) * 100.0, 8.0, true);
    for (auto k = static_cast<long>(std::ceil((lo - 1.0) * 100.0 / step));
         static_cast<double>(k) * step <= (hi - 1.0) * 100.0; ++k) {
      const double pct = std::round(static_cast<double>(k) * step * 10.0) / 10.0;
      const double ratio = 1.0 + pct / 100.0;
      if (ratio <= 0.0) continue;
      ticks.push_back({ratio, fraction(ratio), k == 0 ? "±0%" : fmt::format("{:+g}%", pct)});
    }
  } else {
    // Wide ranges (google/benchmark's own test fixtures reach 1e-9) get at most about six
    // labels: every `stride`-th power of ten, with 2 and 5 only across two decades or less.
    const int first = static_cast<int>(std::floor(std::log10(lo)));
    const int last = static_cast<int>(std::ceil(std::log10(hi)));
    const int stride = std::max(1, (last - first + 5) / 6);
    for (int e = first; e <= last; ++e) {
      if (e % stride != 0) continue;
      for (const double m : {1.0, 2.0, 5.0}) {
        if (m != 1.0 && last - first > 2) continue;
        const double ratio = m * std::pow(10.0, e);
        if (ratio < lo || ratio > hi) continue;
        ticks.push_back({ratio, fraction(ratio), factor_label(m, e)});
      }
    }
  }
  return thin(std::move(ticks), 1.0, 0.075);
}

// ---- Values -------------------------------------------------------------------------------------

ValueScale::ValueScale(double lo, double hi, double x0, double x1) : x0_(x0), x1_(x1) {
  if (hi - lo <= std::fabs(hi) * 1e-9) {
    const double pad = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.01;
    lo -= pad;
    hi += pad;
  }
  const double pad = 0.05 * (hi - lo);
  lo_ = lo - pad;
  hi_ = hi + pad;
}

double ValueScale::x(double value) const { return x0_ + (value - lo_) / (hi_ - lo_) * (x1_ - x0_); }

std::vector<Tick> ValueScale::ticks(std::string_view unit) const {
  const double step = nice_step(hi_ - lo_, 5.0, false);
  const budgets::DisplayUnit shown_in =
      budgets::display_unit(std::max(std::fabs(lo_), std::fabs(hi_)), unit);
  const int decimals =
      std::max(0, static_cast<int>(std::ceil(-std::log10(step / shown_in.factor) - 1e-9)));
  std::vector<Tick> ticks;
  for (auto k = static_cast<long>(std::ceil(lo_ / step)); static_cast<double>(k) * step <= hi_;
       ++k) {
    const double value = static_cast<double>(k) * step;
    // k == 0 is exactly 0, never "-0".
    ticks.push_back({value, (value - lo_) / (hi_ - lo_),
                     budgets::format_fixed(k == 0 ? 0.0 : value, shown_in, decimals)});
  }
  return ticks;
}

}  // namespace perfguard::reports
