#pragma once
// The verdict rules of docs/design.md, in one place: verdict.cpp reads top to bottom.
//
// The relative rule. Given the ratio r = median(candidate) / median(base), its confidence
// interval [lo, hi] and the threshold T (max_regression):
//   regressed     lo > 1 and r > 1 + T        a significant slowdown of material size
//   improved      hi < 1 and r < 1 / (1 + T)  a significant speed-up of material size
//   inconclusive  hi > 1 + T, not regressed   the data cannot rule out a regression beyond T
//   unchanged     otherwise
// Missing data is never a pass: no ratio or no interval is inconclusive, with the reason.
//
// The gate (judge()) adds what a release decision needs on top: approvals, absolute budgets,
// failed and missing benchmarks, severities, and the single pass/fail answer.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/defaults.hpp"
#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "stats/compare.hpp"

namespace perfguard::budgets {

enum class Verdict {
  unchanged,     // passes
  improved,      // passes
  approved,      // passes: regressed, within a valid approval's max_ratio; or gone from the
                 // candidate, with a valid approval of the removal
  new_,          // passes: only the candidate has it ("new"); absolute budgets still judge it
  regressed,     // fails
  inconclusive,  // fails: too noisy to rule out a regression beyond T
  over_budget,   // fails: an absolute budget is exceeded
  insufficient,  // fails: too few samples for a budget's statistic
  missing,       // fails: a side produced no samples
  error,         // fails: a run crashed, hung or failed
  // fails: a complexity family's class is clearly worse (budgets/families.hpp)
  complexity_regressed,
};

using perfguard::kDefaultConfidence;
using perfguard::kDefaultConfidenceText;
using perfguard::kDefaultThreshold;
using perfguard::kDefaultThresholdText;

struct Judgement {
  Verdict verdict = Verdict::inconclusive;
  std::string reason;  // one line for a human: "median +8.1% (CI +5.2…+11.0%) > 5% threshold"
};

[[nodiscard]] std::string_view to_string(Verdict verdict) noexcept;

// Whether a verdict lets the gate pass.
[[nodiscard]] bool passes(Verdict verdict) noexcept;

// How `compare` and `time` judge runs taken in rounds (docs/design.md, "Verdict rules"): the
// per-round ratios with their sign interval. Samples without rounds (`diff`'s result files)
// are judged by stats::RatioMethod::median_ratio whatever this says.
inline constexpr stats::RatioMethod kDefaultRatioMethod = stats::RatioMethod::paired_sign;

// Runs per side that would settle an inconclusive comparison at the noise it showed: its
// interval's half-widths (on the log scale) shrink as 1/sqrt(n), so n' = n (h / room)^2, where
// room is the distance from the centre to the line the interval must clear (1 + T above, or 1
// below for a regression beyond T). nullopt when the estimate passes kMaxRunsToSettle (a centre
// on or next to the line 1 + T). n >= 1, threshold > 0, ratio and ci.lo > 0.
inline constexpr std::size_t kMaxRunsToSettle = 100000;
[[nodiscard]] std::optional<std::size_t> runs_to_settle(double ratio, const stats::Interval& ci,
                                                        double threshold, std::size_t n);

// Judge a relative change. threshold is a fraction (0.05 for 5%), > 0.
[[nodiscard]] Judgement judge_change(std::optional<double> ratio,
                                     std::optional<stats::Interval> ratio_ci, double threshold);
[[nodiscard]] Judgement judge_change(const stats::Comparison& comparison, double threshold);

// ---- The gate ----------------------------------------------------------------------------

// Triage order for failing rows: P0 over an absolute budget, or a crash/hang; P1 regressed by
// at least twice the threshold; P2 any other failure.
enum class Severity { none, p0, p1, p2 };
[[nodiscard]] std::string_view to_string(Severity severity) noexcept;

// What one side produced for one benchmark x metric.
struct SideSamples {
  std::vector<double> values;
  std::vector<std::string> failures;  // one reason per failed run: "run 3: killed by SIGSEGV"
};

// The samples of one benchmark x metric, both sides. guard/ builds these from the harness's
// SampleSets and adds an empty one for every benchmark the config expects but nobody measured.
struct Measurement {
  std::string spec;       // the config's benchmark id ("micro")
  std::string benchmark;  // the measured id: the spec, or "spec/case" for a Google Benchmark case
  std::string metric;
  std::string unit;
  bool primary = true;              // the metric a benchmark is judged on by default
  bool deterministic = false;       // exact values (file sizes): no statistics needed
  std::optional<SideSamples> base;  // nullopt: the side never produced this
  std::optional<SideSamples> candidate;
  // Counts under Callgrind (instructions, estimated_cycles): exact when every run of each side
  // gave the same count (counts_agree), else judged statistically with a note saying why.
  bool counted = false;
  // The level to judge at, when it is not the gate's: an adaptive schedule that looked at the
  // data before spends part of alpha there, and its last look tells what is left.
  std::optional<double> confidence;
  // Value i of both sides ran in round i of one schedule (compare, time): a paired method may
  // judge them. Samples from two result files (diff) have no rounds.
  bool rounds = false;
  // Google Benchmark cases only: whether this case may join a complexity family (the config's
  // "family"), and the size to project its family to ("project_to"; default 10x the largest).
  bool family = true;
  std::optional<double> project_to;
  std::string label;  // a Google Benchmark case's label ("html (22.31 %)"), shown beside its name
  // Why the schedule stopped it before it had the runs a verdict needs ("time ran out at 6 runs
  // per side"); empty when it did not. Such a row is inconclusive whatever its data say, unless
  // a run failed (an error says more).
  std::string cut_short;
};

struct GateSettings {
  // confidence, CI method (and resamples/seed if resampling)
  stats::IntervalOptions interval{.confidence = kDefaultConfidence};
  double default_threshold = kDefaultThreshold;
  // How measurements with rounds are judged; those without are judged by median_ratio.
  stats::RatioMethod method = kDefaultRatioMethod;
  std::chrono::year_month_day today{};  // for approvals
};

// One judged benchmark x metric.
struct Row {
  std::string spec;
  std::string benchmark;
  std::string metric;
  std::string unit;
  Verdict verdict = Verdict::missing;
  std::string reason;
  Severity severity = Severity::none;
  double threshold = kDefaultThreshold;
  double confidence = kDefaultConfidence;       // the level of the intervals it was judged on
  std::optional<stats::Comparison> comparison;  // when both sides had samples
  std::optional<Approval> approval;             // the approval that made it `approved`
  bool removed = false;  // only the base has it: gone from the candidate (missing or approved)
  std::string label;     // Measurement::label
  std::vector<std::string> base_failures;
  std::vector<std::string> candidate_failures;
  // Judged on exact values (a file size, counts that agreed): the ratio is exact, its interval
  // a point.
  bool exact = false;
};

enum class BudgetStatus { pass, over_budget, insufficient, missing };
[[nodiscard]] std::string_view to_string(BudgetStatus status) noexcept;

// One absolute budget applied to one measured benchmark x metric.
struct BudgetResult {
  std::string benchmark;
  std::string metric;
  std::string unit;
  Statistic statistic = Statistic::median;
  double limit = 0.0;
  std::optional<double> actual;              // the candidate's statistic
  std::optional<stats::Interval> actual_ci;  // its CI, where one exists
  BudgetStatus status = BudgetStatus::missing;
  std::string reason;
  Severity severity = Severity::none;
  SourceLocation rule;
};

enum class ApprovalUse {
  used,     // covered a regression
  unused,   // valid, matched nothing: reported, not a failure
  invalid,  // expired or malformed: fails the gate
};
[[nodiscard]] std::string_view to_string(ApprovalUse use) noexcept;

struct ApprovalNote {
  ApprovalUse use = ApprovalUse::unused;
  std::string benchmark;
  std::string metric;
  std::string message;           // one line
  std::optional<int> days_left;  // valid approvals only
  SourceLocation location;
};

// One complexity family (budgets/families.hpp): Google Benchmark cases of one spec that differ
// only in their last numeric argument, fitted on each side and judged together.
struct FamilyRow {
  std::string family;  // "micro/BM_Sort": the case ids without the size argument
  std::string spec;
  std::string metric;
  std::string unit;
  std::vector<std::string> cases;  // member benchmark ids, by size ascending
  Verdict verdict = Verdict::inconclusive;
  std::string reason;
  Severity severity = Severity::none;
  double threshold = kDefaultThreshold;
  double confidence = kDefaultConfidence;
  std::optional<stats::ComplexityFit> base;
  std::optional<stats::ComplexityFit> candidate;
  std::optional<stats::Projection> projection;
  std::optional<Approval> approval;
  std::optional<stats::Complexity> complexity_budget;  // the complexity budget that applies
  std::optional<SourceLocation> complexity_budget_rule;
};

struct GateResult {
  bool passed = false;
  int exit_code = 1;      // 0 passed, 1 failed, 3 a benchmark crashed, hung or failed to run
  std::vector<Row> rows;  // failing rows first (by severity), then the rest, by id
  std::vector<FamilyRow> families;  // by family id
  std::vector<BudgetResult> budgets;
  std::vector<ApprovalNote> approvals;
  std::vector<std::string> warnings;          // approvals about to expire, unused approvals
  std::vector<std::string> failures;          // one line per reason the gate failed
  std::map<std::string, std::size_t> counts;  // verdict name -> rows
};

// Counts are exact when each side was measured at least this often and every run of a side
// gave the same count: then the ratio needs no interval, and any threshold is meaningful.
inline constexpr std::size_t kMinExactRuns = 2;
[[nodiscard]] bool counts_agree(std::span<const double> base,
                                std::span<const double> candidate) noexcept;

// The threshold T that applies to a measurement: its most specific relative rule's
// max_regression, else `default_threshold`.
[[nodiscard]] double relative_threshold(std::span<const BudgetRule> rules, const Measurement& m,
                                        double default_threshold);

// Whether more samples could still change the relative verdict: false while it is
// inconclusive at `confidence`. An adaptive schedule stops sampling once this is true. The
// same answer as judge_change(*stats::compare(...)) != inconclusive, from the two medians and
// the ratio interval alone (the stop rule runs at every look). threshold > 0.
// `method` as in judge(): value i of both sides is round i when it is paired.
[[nodiscard]] bool settled(std::span<const double> base, std::span<const double> candidate,
                           double confidence, double threshold,
                           stats::RatioMethod method = stats::RatioMethod::median_ratio);

// Judge every measurement against the rules and approvals and decide the gate.
[[nodiscard]] GateResult judge(std::span<const Measurement> measurements,
                               std::span<const BudgetRule> rules, const Approvals& approvals,
                               const GateSettings& settings);

}  // namespace perfguard::budgets
