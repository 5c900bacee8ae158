#pragma once
// The axes of index.html's plots (docs/report.md): where a value lands across a plot's width
// and which ticks label it. Pure arithmetic, no SVG text, so tick placement is tested alone
// (tests/reports/svg_scale_test.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace perfguard::reports {

struct Tick {
  double value;
  double fraction;  // 0 at the left edge of the plot, 1 at the right
  std::string label;
};

// 1, 2 or 5 (and 2.5 when `quarters`) times a power of ten: the smallest such step giving at
// most `count` steps over `range` (range > 0, count > 0).
[[nodiscard]] double nice_step(double range, double count, bool quarters);

// A ratio m x 10^e as a short axis label: "±0%", "×2", "×100", "÷10", "÷1e9" (÷: that many
// times faster), never "×1e-09".
[[nodiscard]] std::string factor_label(double m, int e);

// Keeps ticks at least `gap` apart (as fractions of the width), starting from the tick whose
// value is `anchor`, which always stays, and drops those within 0.04 of an edge (too close
// for their label). Without an `anchor` tick the ticks are returned as given.
[[nodiscard]] std::vector<Tick> thin(std::vector<Tick> ticks, double anchor, double gap);

// Ratios on a log scale, so that halving and doubling are the same distance from "no change".
// The range [lo, hi] (0 < lo <= hi) is widened to at least 2% and padded by 6% of its log
// width on each side.
class RatioScale {
 public:
  RatioScale(double lo, double hi);

  [[nodiscard]] double fraction(double ratio) const;

  // Percent changes while the padded range spans at most a factor of 4 (the usual case),
  // about eight steps of 1, 2, 2.5 or 5 times a power of ten; factors (×2, ×10, ÷10) when
  // wider. Thinned to 7.5% of the width apart, anchored at "±0%" when it is in range.
  [[nodiscard]] std::vector<Tick> ticks() const;

 private:
  double lo_ = 0.0;  // log of the padded range's ends
  double hi_ = 0.0;
};

// A linear axis for the values of one row, from x0 to x1 in SVG units. The range [lo, hi] is
// padded by 5% on each side; an empty range (lo == hi) is first widened by 1% of the value
// (by 1 around 0).
class ValueScale {
 public:
  ValueScale(double lo, double hi, double x0, double x1);

  [[nodiscard]] double x(double value) const;

  // About five ticks at multiples of a 1-2-5 step, labelled in the display unit of the
  // larger end (budgets::display_unit) with as many decimals as the step needs ("9.95 ms",
  // "10.00 ms"), so neighbours never read the same.
  [[nodiscard]] std::vector<Tick> ticks(std::string_view unit) const;

 private:
  double lo_ = 0.0;
  double hi_ = 1.0;
  double x0_;
  double x1_;
};

}  // namespace perfguard::reports
