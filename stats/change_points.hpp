#pragma once
// Change points in a series of nightly medians (docs/history.md, "Change points"): where the
// level of the series steps up or down and stays there.
//
// The method, deterministic and O(n log n) for n points:
//  1. Outlier nights are set aside: a Hampel filter (Hampel 1974; Pearson 2002, "Outliers in
//     process modeling and identification") replaces a point farther than `outlier_cutoff`
//     scales from the median of the 2 * outlier_window + 1 points around it by that median.
//     The scale is the window's scaled MAD (1.4826 x MAD), but at least the whole series' noise
//     estimated from first differences (Fryzlewicz 2014, "Wild binary segmentation"), so that
//     few distinct values (MAD 0) do not make every other one an outlier. A step's first points are not outliers: past the step, the window's
//     majority is already on the new level.
//  2. Each point is weighted by its precision, 1 / sigma^2, where sigma is its standard error
//     (from its median's interval, sigma_from_interval()); sigmas are clamped to [1/2, 2] x
//     their median so that no single night dominates, and a point without one gets the median.
//  3. Binary segmentation (Scott & Knott 1974; Vostrikova 1981): in a segment, each split that
//     leaves at least `min_segment` points either side is scored by Welch's t on the weighted
//     means of the two sides, with effective sample sizes (sum w)^2 / sum w^2 and each side's
//     weighted variance floored at its points' own mean sigma^2 (nights cannot agree more
//     closely than they were measured). The split with the largest |t| (the first, on ties) is
//     kept when its two-sided p-value (Student's t at Welch's degrees of freedom),
//     Bonferroni-corrected for the number of splits tried, is below `alpha`; both halves are
//     then searched again.
//  4. Each kept change point is re-tested against its neighbours' segments in the final
//     segmentation, and the least significant one above `alpha` is merged away, until all pass
//     (a split that helped find others may not survive them).
// Levels before and after a change are the medians of the (filtered) segments either side.
//
// Assumptions: the points are in measurement order; values are finite. Too few points for two
// segments (n < 2 * min_segment) give no change points. A flat series gives none, also with
// zero spread; a step in a series with zero spread is significant (p = 0).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "stats/descriptive.hpp"

namespace perfguard::stats {

struct SeriesValue {
  double value = 0.0;
  std::optional<double> sigma;  // standard error of `value`, when known
};

struct ChangePointOptions {
  // Fewest points in a segment: a change needs this many nights on each side, so a run of
  // shorter than this many odd nights is never a level of its own.
  std::size_t min_segment = 5;
  // Significance of each change, after the Bonferroni correction over the splits tried.
  double alpha = 0.01;
  // Hampel filter half-width; 0 turns the filter off.
  std::size_t outlier_window = 3;
  double outlier_cutoff = 3.0;
};

struct ChangePoint {
  std::size_t index = 0;  // the first point of the new level
  double before = 0.0;    // median of the segment before
  double after = 0.0;     // median of the segment after
  // after / before - 1; nullopt when before is 0.
  std::optional<double> change;
  double t = 0.0;        // Welch's t of the weighted means, after minus before
  double p_value = 1.0;  // two-sided, Bonferroni-corrected, as in step 4
};

// The change points of `series`, by index. Requires min_segment >= 1 and 0 < alpha < 1; every
// value and sigma finite, sigmas >= 0.
[[nodiscard]] std::vector<ChangePoint> change_points(std::span<const SeriesValue> series,
                                                     const ChangePointOptions& options = {});

// The standard error of an estimate from its two-sided interval at `confidence`, treating
// the interval as normal: (hi - lo) / (2 z), z the (1 + confidence) / 2 normal quantile.
[[nodiscard]] double sigma_from_interval(Interval interval, double confidence);

}  // namespace perfguard::stats
