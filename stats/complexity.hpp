#pragma once
// Complexity of a benchmark family: how the time per iteration grows with the input size N.
//
// For each candidate class g in {1, lg N, N, N lg N, N^2, N^3} (lg is log2, as Google
// Benchmark's src/complexity.cc) the per-size medians are fitted by weighted least squares
// with an intercept, time(N) = a + b g(N), b >= 0. Google Benchmark fits b g(N) through the
// origin and ranks by normalised RMS; an intercept (call overhead, setup) then bends the fit
// toward a lower class (google/benchmark #296: 29N - 88 is not called N). The weight of a size
// is 1 / s^2, s the standard error of its median (the half-width of its exact bootstrap
// interval at 68.27%, so 1 sigma), floored at kRelativeErrorFloor of the median; when a size
// has a single run, every size is weighted 1 / median^2 (equal relative noise).
//
// Model choice, the criterion (Burnham & Anderson 2002, "Model Selection and Multimodel
// Inference", 2.5 and 6.2): the quasi-AIC QAIC_k = chi2_k / c + 2 p_k, where chi2_k is the
// weighted residual sum of class k, p_k its parameter count (1 for the constant class, 2 for
// the others) and c = max(1, min_k chi2_k / (m - p_k)) the overdispersion (m sizes): when the
// medians scatter more than their intervals say, differences of chi2 count for less. The class
// of least QAIC wins, except that the simplest class within kSimplerPreference of it is chosen
// instead: evidence that does not separate two classes picks the lower one. The margin is the
// QAIC of the best other class minus the chosen one's: how clearly the choice beat the next.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stats/descriptive.hpp"

namespace perfguard::stats {

// In order of growth: a higher value is a worse class.
enum class Complexity { constant, log_n, n, n_log_n, n_squared, n_cubed };
inline constexpr std::size_t kComplexityClasses = 6;

// A family needs this many distinct sizes to be fitted (two parameters, and two more sizes
// to tell the classes apart).
inline constexpr std::size_t kMinFamilySizes = 4;
// QAIC units: a simpler class this close to the best one is chosen instead.
inline constexpr double kSimplerPreference = 2.0;
// QAIC units: a class worse than the chosen one by this much has "essentially no support"
// (Burnham & Anderson, 2.6): the evidence against it is clear.
inline constexpr double kClearEvidence = 10.0;
// The standard error of a median is never taken below this fraction of it: timers and
// repeated identical runs would otherwise claim an infinite weight.
inline constexpr double kRelativeErrorFloor = 1e-3;

// g(N) of a class: 1, log2 N, N, N log2 N, N^2, N^3. Requires n >= 1.
[[nodiscard]] double complexity_term(Complexity complexity, double n) noexcept;

// "1", "lg N", "N", "N lg N", "N^2", "N^3".
[[nodiscard]] std::string_view to_string(Complexity complexity) noexcept;

// The big-O notation the reports and JSON use: "O(1)", "O(lg N)", ..., "O(N^3)".
[[nodiscard]] std::string big_o(Complexity complexity);

// Reads a class as a user writes it, case and spaces ignored, with or without O(...):
// "1", "constant", "lg n", "log n", "n", "n lg n", "n log n", "nlogn", "n^2", "n²", "n^3",
// "n³". nullopt for anything else.
[[nodiscard]] std::optional<Complexity> parse_complexity(std::string_view text);

// The runs of one size of a family. Sizes must be >= 1; runs finite and non-empty.
struct SizeRuns {
  double n = 0.0;
  std::span<const double> runs;
};

// A size as the fit sees it.
struct SizePoint {
  double n = 0.0;
  double median = 0.0;
  double weight = 0.0;  // 1 / s^2, s the standard error of the median (see the header comment)
};

// One class fitted: time(N) = intercept + coefficient * g(N).
struct CurveFit {
  Complexity complexity = Complexity::constant;
  double intercept = 0.0;
  double coefficient = 0.0;  // >= 0; 0 for the constant class
  double chi2 = 0.0;         // weighted residual sum of squares
  double r_squared = 0.0;    // weighted, 1 - chi2 / (weighted total sum of squares); 0 for constant
  double qaic = 0.0;
};

struct ComplexityFit {
  Complexity complexity = Complexity::constant;  // the chosen class
  std::vector<SizePoint> points;                 // by size, ascending
  std::vector<CurveFit> curves;                  // every class, in order of growth
  double dispersion = 1.0;                       // c of the QAIC
  Complexity runner_up = Complexity::constant;   // the best class other than the chosen
  double margin = 0.0;  // QAIC(runner_up) - QAIC(chosen); negative when simplicity won
  [[nodiscard]] const CurveFit& chosen() const noexcept;
  [[nodiscard]] const CurveFit& curve(Complexity complexity) const noexcept;
  // QAIC(complexity) - QAIC(chosen): the evidence against `complexity` on this data.
  [[nodiscard]] double evidence_against(Complexity complexity) const noexcept;
};

// Medians and weights of the sizes (sorted by n; runs of equal n merged).
[[nodiscard]] std::vector<SizePoint> size_points(std::span<const SizeRuns> sizes);

// Weighted least squares of one class over the points; needs >= 2 distinct sizes (>= 1 for
// the constant class). A negative slope is clamped to 0 (the fit is then the constant one with
// the class's name). qaic is left 0: it depends on the other classes.
[[nodiscard]] CurveFit fit_curve(std::span<const SizePoint> points, Complexity complexity);

// Fits every class and chooses one (the criterion above). nullopt with fewer than
// kMinFamilySizes distinct sizes.
[[nodiscard]] std::optional<ComplexityFit> fit_complexity(std::span<const SizeRuns> sizes);
[[nodiscard]] std::optional<ComplexityFit> fit_points(std::vector<SizePoint> points);

// The fitted time at size n.
[[nodiscard]] double project(const CurveFit& curve, double n) noexcept;

struct ProjectionOptions {
  double confidence = 0.95;
  std::size_t resamples = 2000;
  std::uint64_t seed = 20261122;
};

// The class two sides are compared under when the evidence does not separate their own
// choices: the class of least QAIC(base) + QAIC(candidate), or the simplest class within
// kSimplerPreference of it. Identical code fitted O(N lg N) on one side and O(N^2) on the
// other by noise is then projected like for like, not across two models.
[[nodiscard]] Complexity common_complexity(const ComplexityFit& base,
                                           const ComplexityFit& candidate) noexcept;

// The projected candidate / base time at size n, each side under the class given.
struct Projection {
  double n = 0.0;
  Complexity base_complexity = Complexity::constant;       // the class base is projected under
  Complexity candidate_complexity = Complexity::constant;  // and the candidate
  double base = 0.0;                                       // fitted base time at n
  double candidate = 0.0;                                  // fitted candidate time at n
  std::optional<double> ratio;  // nullopt when the base projection is <= 0
  // Percentile interval over resamples: each size's runs drawn with replacement (seeded,
  // std::mt19937_64, Lemire's bounded draw), medians refitted with the same weights and the
  // same classes, then widened on the log scale around the ratio by `inflation`, the square
  // root of the larger dispersion c of the two fits (1 when the curves fit the medians as
  // well as their runs allow). The interval is conditional on the classes. nullopt when a size has
  // fewer than 2 runs, or more than alpha/2 of the resampled base projections are <= 0.
  std::optional<Interval> ratio_ci;
  double inflation = 1.0;  // the widening applied to the resampled interval
};

[[nodiscard]] Projection project_ratio(std::span<const SizeRuns> base,
                                       const ComplexityFit& base_fit, Complexity base_complexity,
                                       std::span<const SizeRuns> candidate,
                                       const ComplexityFit& candidate_fit,
                                       Complexity candidate_complexity, double n,
                                       const ProjectionOptions& options);

}  // namespace perfguard::stats
