#pragma once
// Paired rounds: the ratio of candidate to base from the per-round log ratios
// d_i = log(candidate_i / base_i), where base and candidate of round i ran in the same round of
// harness::Schedule and so shared their neighbours. Whatever slows a whole round (another job's
// burst, a warm or throttled CPU) cancels in d_i; the ratio of two medians keeps it.
//
// Contract shared by the functions below. Assumptions: rounds are independent of one another
// and the d_i come from one continuous distribution (ties do no harm to the sign interval; the
// signed-rank one counts a tie in a Walsh average on either side). Under identical code and an
// order within the round that is random (harness::Schedule shuffles every round), d_i is
// symmetric about 0, which the signed-rank interval needs and the sign interval does not.
// Reference: Hollander, Wolfe & Chicken (2014), "Nonparametric Statistical Methods", 3rd ed.,
// sections 3.6 (sign test and its interval for the median) and 3.3 (Wilcoxon signed-rank,
// Hodges-Lehmann estimate and its interval from Walsh averages). Both intervals are exact and
// distribution-free: coverage >= confidence for every n at which they exist. Across the
// looks of an adaptive schedule the sign statistic is a sum of independent indicators, so the
// canonical joint distribution behind stats/sequential.hpp's alpha spending holds for it as for
// medians; bench/detection/README.md checks the bound at every look by simulation.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "stats/descriptive.hpp"

namespace perfguard::stats {

enum class PairedInterval {
  sign,         // [d(k), d(n-k+1)]: order statistics of the d_i, binomial coverage
  signed_rank,  // order statistics of the n(n+1)/2 Walsh averages, signed-rank coverage
};

// The fewest pairs for which either interval exists at `confidence`: the smallest n with
// 2^-n <= (1 - confidence) / 2, i.e. the extreme order statistics already cover. 0.95 -> 6,
// 0.98 -> 7, 0.99 -> 8, 0.999 -> 11. confidence in (0, 1).
[[nodiscard]] std::size_t min_pairs_for_interval(double confidence) noexcept;

// The depth k of the two-sided sign interval [d(k), d(n-k+1)] (1-based order statistics):
// the largest k with P(Bin(n, 1/2) <= k - 1) <= (1 - confidence) / 2. 0 when no k >= 1
// qualifies (n < min_pairs_for_interval).
[[nodiscard]] std::size_t sign_interval_depth(std::size_t n, double confidence);

// The depth k of the signed-rank interval [W(k), W(M-k+1)] over the M = n(n+1)/2 sorted Walsh
// averages: the largest k with P(T+ <= k - 1) <= (1 - confidence) / 2, T+ the signed-rank
// statistic under H0. Exact null law up to kSignedRankExactMaxN pairs (the recurrence on the
// subsets of {1..n}); beyond, the normal approximation with continuity correction, as
// scipy.stats.wilcoxon does for large n. 0 when no k >= 1 qualifies.
inline constexpr std::size_t kSignedRankExactMaxN = 200;
[[nodiscard]] std::size_t signed_rank_interval_depth(std::size_t n, double confidence);

// Sign interval of the median of d at `confidence`; nullopt below min_pairs_for_interval.
[[nodiscard]] std::optional<Interval> sign_median_ci(std::span<const double> d,
                                                     double confidence);

// Hodges-Lehmann estimate of d's centre: the median of the Walsh averages (d_i + d_j) / 2,
// i <= j. nullopt when d is empty. Walsh averages are materialised: kMaxWalshPairs pairs and
// more give nullopt rather than a gigabyte of them.
inline constexpr std::size_t kMaxWalshPairs = 4000;
[[nodiscard]] std::optional<double> walsh_median(std::span<const double> d);
// Signed-rank interval of d's centre; nullopt below min_pairs_for_interval or from
// kMaxWalshPairs pairs.
[[nodiscard]] std::optional<Interval> signed_rank_ci(std::span<const double> d,
                                                     double confidence);

struct PairedRatio {
  std::optional<double> ratio;   // exp(centre of d): median (sign) or Hodges-Lehmann (signed_rank)
  std::optional<Interval> ci;    // exp of the interval of d; nullopt below the floor
  std::size_t rounds = 0;        // complete rounds paired: min(|base|, |candidate|)
  std::size_t unpaired = 0;      // runs left without a partner (an incomplete last round)
  std::size_t needs = 0;         // min_pairs_for_interval() when ci is withheld for too few pairs
};

// The per-round ratio of candidate to base: value i of each side is round i's run. A round that
// one side did not complete (a failed or interrupted run ends a benchmark, so only the last
// round can be incomplete) is dropped and counted in `unpaired`. Values must be > 0 (times,
// counts); a round with a 0 on either side makes the ratio undefined: ratio and ci nullopt.
[[nodiscard]] PairedRatio paired_ratio(std::span<const double> base,
                                       std::span<const double> candidate, double confidence,
                                       PairedInterval interval = PairedInterval::sign);

}  // namespace perfguard::stats
