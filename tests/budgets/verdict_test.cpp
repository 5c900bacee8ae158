// budgets/verdict.hpp: the docs/design.md verdict rules on hand-picked ratios and intervals at and
// around every boundary (threshold 5% unless stated), and on a table of cases whose verdicts
// were worked out by hand from docs/design.md "Verdict rules".
#include "budgets/verdict.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace perfguard::budgets {
namespace {

using stats::Interval;

constexpr double kT = kDefaultThreshold;
// The boundaries as the rules spell them: 1 + T and 1 / (1 + T).
const double kUpper = 1.0 + kT;
const double kLower = 1.0 / (1.0 + kT);

double above(double x) { return std::nextafter(x, 2.0 * x + 1.0); }
double below(double x) { return std::nextafter(x, -1.0); }

Verdict verdict_of(double r, double lo, double hi, double threshold = kT) {
  return judge_change(r, Interval{lo, hi}, threshold).verdict;
}

TEST(DefaultThreshold, IsFivePercent) { EXPECT_EQ(kDefaultThreshold, 0.05); }

// ---- regressed: lo > 1 and r > 1 + T --------------------------------------------------------

TEST(JudgeChange, Regressed) {
  EXPECT_EQ(verdict_of(1.08, 1.02, 1.12), Verdict::regressed);
  EXPECT_EQ(verdict_of(1.5, 1.3, 1.7), Verdict::regressed);
}

TEST(JudgeChange, RegressedNeedsRatioAboveThreshold) {
  // r exactly 1 + T is not beyond it; hi > 1 + T then makes it inconclusive, hi = 1 + T
  // leaves it unchanged.
  EXPECT_EQ(verdict_of(kUpper, 1.01, 1.09), Verdict::inconclusive);
  EXPECT_EQ(verdict_of(kUpper, 1.01, kUpper), Verdict::unchanged);
  EXPECT_EQ(verdict_of(above(kUpper), 1.01, 1.09), Verdict::regressed);
  EXPECT_EQ(verdict_of(above(kUpper), 1.01, above(kUpper)), Verdict::regressed);
}

TEST(JudgeChange, RegressedNeedsLowerBoundAboveOne) {
  // lo = 1 exactly is not significant: hi > 1 + T, so inconclusive.
  EXPECT_EQ(verdict_of(1.1, 1.0, 1.2), Verdict::inconclusive);
  EXPECT_EQ(verdict_of(1.1, above(1.0), 1.2), Verdict::regressed);
  EXPECT_EQ(verdict_of(1.1, 0.99, 1.2), Verdict::inconclusive);
}

// ---- improved: hi < 1 and r < 1 / (1 + T) ---------------------------------------------------

TEST(JudgeChange, Improved) {
  EXPECT_EQ(verdict_of(0.9, 0.85, 0.95), Verdict::improved);
  EXPECT_EQ(verdict_of(0.5, 0.4, 0.6), Verdict::improved);
}

TEST(JudgeChange, ImprovedNeedsRatioBelowThreshold) {
  // r = 1 / (1 + T) exactly is not beyond it; a significant but small speed-up is unchanged.
  EXPECT_EQ(verdict_of(kLower, 0.9, 0.99), Verdict::unchanged);
  EXPECT_EQ(verdict_of(below(kLower), 0.9, 0.99), Verdict::improved);
  EXPECT_EQ(verdict_of(0.97, 0.9, 0.99), Verdict::unchanged);
}

TEST(JudgeChange, ImprovedNeedsUpperBoundBelowOne) {
  EXPECT_EQ(verdict_of(0.9, 0.8, 1.0), Verdict::unchanged);
  EXPECT_EQ(verdict_of(0.9, 0.8, below(1.0)), Verdict::improved);
  EXPECT_EQ(verdict_of(0.9, 0.8, 1.01), Verdict::unchanged);
}

// ---- inconclusive: hi > 1 + T and not regressed ---------------------------------------------

TEST(JudgeChange, Inconclusive) {
  EXPECT_EQ(verdict_of(1.0, 0.9, 1.1), Verdict::inconclusive);
  EXPECT_EQ(verdict_of(1.03, 0.95, 1.12), Verdict::inconclusive);
  // A large apparent speed-up whose interval still reaches past 1 + T.
  EXPECT_EQ(verdict_of(0.9, 0.8, 1.06), Verdict::inconclusive);
}

TEST(JudgeChange, InconclusiveBoundary) {
  EXPECT_EQ(verdict_of(1.0, 0.97, kUpper), Verdict::unchanged);
  EXPECT_EQ(verdict_of(1.0, 0.97, above(kUpper)), Verdict::inconclusive);
}

// ---- unchanged ----------------------------------------------------------------------------

TEST(JudgeChange, Unchanged) {
  EXPECT_EQ(verdict_of(1.02, 0.99, 1.04), Verdict::unchanged);
  EXPECT_EQ(verdict_of(1.0, 1.0, 1.0), Verdict::unchanged);
  // Significant (lo > 1) but below the threshold.
  EXPECT_EQ(verdict_of(1.03, 1.01, 1.05), Verdict::unchanged);
}

TEST(JudgeChange, ThresholdIsAParameter) {
  // With T = 10%, the 5%-regression above is no longer beyond the threshold.
  EXPECT_EQ(verdict_of(1.08, 1.02, 1.12, 0.10), Verdict::inconclusive);
  EXPECT_EQ(verdict_of(1.08, 1.02, 1.09, 0.10), Verdict::unchanged);
  EXPECT_EQ(verdict_of(1.15, 1.12, 1.18, 0.10), Verdict::regressed);
  EXPECT_EQ(verdict_of(0.93, 0.9, 0.96, 0.10), Verdict::unchanged);
  EXPECT_EQ(verdict_of(0.85, 0.8, 0.9, 0.10), Verdict::improved);
}

// Each verdict below was worked out by hand from docs/design.md "Verdict rules", not by running
// the rule: regressed when lo > 1 and r > 1 + T; else improved when hi < 1 and r < 1 / (1 + T);
// else inconclusive when hi > 1 + T; else unchanged. The "why" says which clause decides.
// 1 + T and 1 / (1 + T): 1.05 and 0.95238 at T = 5%, 1.1 and 0.90909 at 10%, 1.005 and 0.99502
// at 0.5%.
struct HandCase {
  double r, lo, hi, t;
  Verdict expected;
  const char* why;
};

constexpr std::array kHandCases{
    HandCase{1.10, 1.02, 1.20, 0.05, Verdict::regressed, "lo 1.02 > 1, r 1.10 > 1.05"},
    HandCase{1.10, 1.02, 1.30, 0.05, Verdict::regressed,
             "regressed is decided before hi > 1 + T is looked at"},
    HandCase{1.06, 1.06, 1.06, 0.05, Verdict::regressed, "a point interval (exact counts)"},
    HandCase{1.04, 1.01, 1.07, 0.05, Verdict::inconclusive,
             "significant, but r 1.04 <= 1.05; hi 1.07 > 1.05"},
    HandCase{1.04, 1.01, 1.05, 0.05, Verdict::unchanged,
             "significant, but r <= 1.05 and hi 1.05 is not > 1.05"},
    HandCase{1.10, 0.98, 1.20, 0.05, Verdict::inconclusive, "lo 0.98 <= 1, hi 1.20 > 1.05"},
    HandCase{1.10, 1.00, 1.20, 0.05, Verdict::inconclusive, "lo = 1 is not > 1; hi > 1.05"},
    HandCase{1.30, 0.50, 2.00, 0.05, Verdict::inconclusive, "a wide interval around a big r"},
    HandCase{1.00, 0.90, 1.10, 0.05, Verdict::inconclusive, "r 1, but hi 1.10 > 1.05"},
    HandCase{1.00, 0.97, 1.03, 0.05, Verdict::unchanged, "hi 1.03 <= 1.05, neither clause"},
    HandCase{1.00, 1.00, 1.00, 0.05, Verdict::unchanged, "identical exact values"},
    HandCase{0.90, 0.85, 0.94, 0.05, Verdict::improved, "hi 0.94 < 1, r 0.90 < 0.95238"},
    HandCase{0.50, 0.30, 0.70, 0.05, Verdict::improved, "hi 0.70 < 1, r 0.50 < 0.95238"},
    HandCase{0.95, 0.95, 0.95, 0.05, Verdict::improved, "point interval, 0.95 < 0.95238"},
    HandCase{0.953, 0.953, 0.953, 0.05, Verdict::unchanged, "point interval, 0.953 >= 0.95238"},
    HandCase{0.96, 0.90, 0.99, 0.05, Verdict::unchanged,
             "hi 0.99 < 1, but r 0.96 >= 0.95238: a small speed-up"},
    HandCase{0.90, 0.80, 1.00, 0.05, Verdict::unchanged, "hi = 1 is not < 1; hi <= 1.05"},
    HandCase{0.90, 0.80, 1.06, 0.05, Verdict::inconclusive, "hi 1.06 > 1.05"},
    HandCase{1.08, 1.02, 1.12, 0.10, Verdict::inconclusive, "r 1.08 <= 1.1; hi 1.12 > 1.1"},
    HandCase{1.08, 1.02, 1.09, 0.10, Verdict::unchanged, "r <= 1.1, hi 1.09 <= 1.1"},
    HandCase{1.15, 1.12, 1.18, 0.10, Verdict::regressed, "lo 1.12 > 1, r 1.15 > 1.1"},
    HandCase{0.92, 0.88, 0.96, 0.10, Verdict::unchanged, "hi < 1, but r 0.92 >= 0.90909"},
    HandCase{0.90, 0.85, 0.95, 0.10, Verdict::improved, "hi 0.95 < 1, r 0.90 < 0.90909"},
    HandCase{0.90, 0.85, 1.11, 0.10, Verdict::inconclusive, "hi 1.11 > 1.1"},
    HandCase{1.006, 1.004, 1.008, 0.005, Verdict::regressed, "lo 1.004 > 1, r 1.006 > 1.005"},
    HandCase{1.004, 1.001, 1.006, 0.005, Verdict::inconclusive,
             "r 1.004 <= 1.005; hi 1.006 > 1.005"},
    HandCase{0.994, 0.990, 0.998, 0.005, Verdict::improved, "hi < 1, r 0.994 < 0.99502"},
    HandCase{0.996, 0.990, 0.998, 0.005, Verdict::unchanged, "hi < 1, but r 0.996 >= 0.99502"},
};

TEST(JudgeChange, CasesWorkedOutByHand) {
  for (const HandCase& c : kHandCases) {
    EXPECT_EQ(verdict_of(c.r, c.lo, c.hi, c.t), c.expected)
        << "r = " << c.r << ", CI [" << c.lo << ", " << c.hi << "], T = " << c.t << ": expected "
        << to_string(c.expected) << " (" << c.why << ")";
  }
}

// ---- missing data -------------------------------------------------------------------------

TEST(JudgeChange, MissingRatioIsInconclusive) {
  const Judgement j = judge_change(std::nullopt, Interval{1.02, 1.12}, kT);
  EXPECT_EQ(j.verdict, Verdict::inconclusive);
  EXPECT_FALSE(j.reason.empty());
}

TEST(JudgeChange, MissingIntervalIsInconclusive) {
  // Even a ratio that looks unchanged cannot pass without its interval.
  for (const double r : {1.08, 1.0, 0.9}) {
    const Judgement j = judge_change(r, std::nullopt, kT);
    EXPECT_EQ(j.verdict, Verdict::inconclusive) << "r = " << r;
    EXPECT_FALSE(j.reason.empty());
  }
  const Judgement neither = judge_change(std::nullopt, std::nullopt, kT);
  EXPECT_EQ(neither.verdict, Verdict::inconclusive);
  EXPECT_FALSE(neither.reason.empty());
}

// ---- reasons ------------------------------------------------------------------------------

void expect_reason_mentions(double r, double lo, double hi, Verdict verdict,
                            std::string_view change) {
  const Judgement j = judge_change(r, Interval{lo, hi}, kT);
  EXPECT_EQ(j.verdict, verdict);
  EXPECT_NE(j.reason.find(change), std::string::npos)
      << "reason \"" << j.reason << "\" should mention " << change;
}

TEST(JudgeChange, ReasonMentionsTheChange) {
  // (r - 1) * 100 to one decimal.
  expect_reason_mentions(1.08, 1.02, 1.12, Verdict::regressed, "+8.0%");
  expect_reason_mentions(0.9, 0.85, 0.95, Verdict::improved, "10.0%");
  expect_reason_mentions(1.03, 0.95, 1.12, Verdict::inconclusive, "+3.0%");
  expect_reason_mentions(1.02, 0.99, 1.04, Verdict::unchanged, "+2.0%");
}

// ---- judge_change(Comparison) -------------------------------------------------------------

TEST(JudgeChange, FromComparison) {
  stats::Comparison c;
  c.ratio = 1.08;
  c.ratio_ci = Interval{1.02, 1.12};
  EXPECT_EQ(judge_change(c, kT).verdict, Verdict::regressed);
  c.ratio_ci = Interval{0.99, 1.04};
  c.ratio = 1.02;
  EXPECT_EQ(judge_change(c, kT).verdict, Verdict::unchanged);
  c.ratio_ci.reset();
  EXPECT_EQ(judge_change(c, kT).verdict, Verdict::inconclusive);
  c.ratio_ci = Interval{0.99, 1.04};
  c.ratio.reset();
  EXPECT_EQ(judge_change(c, kT).verdict, Verdict::inconclusive);
}

// ---- passes / to_string -------------------------------------------------------------------

constexpr std::array kAllVerdicts{Verdict::unchanged,
                                  Verdict::improved,
                                  Verdict::approved,
                                  Verdict::new_,
                                  Verdict::regressed,
                                  Verdict::inconclusive,
                                  Verdict::over_budget,
                                  Verdict::insufficient,
                                  Verdict::missing,
                                  Verdict::error,
                                  Verdict::complexity_regressed};

TEST(Passes, OnlyUnchangedImprovedApprovedAndNew) {
  for (const Verdict v : kAllVerdicts) {
    const bool expected = v == Verdict::unchanged || v == Verdict::improved ||
                          v == Verdict::approved || v == Verdict::new_;
    EXPECT_EQ(passes(v), expected) << to_string(v);
  }
}

TEST(ToString, DistinctNames) {
  std::set<std::string_view> names;
  for (const Verdict v : kAllVerdicts) {
    EXPECT_FALSE(to_string(v).empty());
    names.insert(to_string(v));
  }
  EXPECT_EQ(names.size(), kAllVerdicts.size());
}

}  // namespace
}  // namespace perfguard::budgets

namespace perfguard::budgets {
namespace {

// Hand derivation: n' = ceil(n (h / room)^2) on the log scale. +2% in [0.95, 1.10] from 20 runs
// at T = 5%: h = ln 1.10 - ln 1.02, room = ln 1.05 - ln 1.02, n' = ceil(135.70) = 136. +8% in
// [0.99, ...] from 30: the lower end must clear 1, h = ln 1.08 - ln 0.99, room = ln 1.08: 39.
TEST(RunsToSettle, IntervalWidthShrinksAsOneOverRootN) {
  EXPECT_EQ(runs_to_settle(1.02, {0.95, 1.10}, 0.05, 20), 136u);
  EXPECT_EQ(runs_to_settle(1.08, {0.99, 1.20}, 0.05, 30), 39u);
  // A centre a hair below the line: millions of runs, past kMaxRunsToSettle, so no estimate.
  EXPECT_FALSE(runs_to_settle(1.0499, {0.95, 1.15}, 0.05, 30));
}

TEST(JudgeChange, InconclusiveSaysWhatWouldSettleIt) {
  stats::Comparison c;
  c.base.n = c.candidate.n = 20;
  c.ratio = 1.02;
  c.ratio_ci = stats::Interval{0.95, 1.10};
  const Judgement j = judge_change(c, 0.05);
  EXPECT_EQ(j.verdict, Verdict::inconclusive);
  EXPECT_NE(j.reason.find("about 136 runs per side"), std::string::npos) << j.reason;
  EXPECT_NE(j.reason.find("--metric cpu_time"), std::string::npos) << j.reason;
  EXPECT_NE(j.reason.find("instruction counts"), std::string::npos) << j.reason;
  EXPECT_NE(j.reason.find("quieter host"), std::string::npos) << j.reason;
}

TEST(JudgeChange, PairedReasonNamesTheRounds) {
  stats::Comparison c;
  c.method = stats::RatioMethod::paired_sign;
  c.ratio = 1.081;
  c.ratio_ci = stats::Interval{1.052, 1.110};
  c.paired_rounds = 23;
  c.unpaired_runs = 1;
  const Judgement j = judge_change(c, 0.05);
  EXPECT_EQ(j.verdict, Verdict::regressed);
  EXPECT_EQ(j.reason,
            "paired median +8.1% (CI +5.2…+11.0%, 23 rounds, 1 unpaired run dropped) > 5% "
            "threshold");
  c.ratio_ci_needs = 7;
  c.paired_rounds = 5;
  EXPECT_EQ(judge_change(c, 0.05).reason,
            "paired median +8.1% from 5 rounds: too few for the interval at this confidence, "
            "which needs at least 7 rounds");
}

TEST(JudgeChange, PairedZeroTimeIsInconclusiveAndSaysWhy) {
  stats::Comparison c;
  c.method = stats::RatioMethod::paired_sign;
  c.paired_rounds = 10;
  const Judgement j = judge_change(c, 0.05);
  EXPECT_EQ(j.verdict, Verdict::inconclusive);
  EXPECT_EQ(j.reason, "a round measured 0 on one side: its per-round ratio is undefined");
}

// Runs in rounds (compare, time) are judged paired by default; two result files (diff) are not.
TEST(Judge, RoundsArePairedFilesAreNot) {
  Measurement m;
  m.spec = m.benchmark = "x";
  m.metric = "wall_time";
  m.unit = "s";
  std::vector<double> base;
  std::vector<double> candidate;
  for (int i = 0; i < 12; ++i) {
    base.push_back(i % 2 == 0 ? 1.0 : 1.5);
    candidate.push_back(base.back() * 1.10);
  }
  m.base = SideSamples{base, {}};
  m.candidate = SideSamples{candidate, {}};
  GateSettings settings;
  const Row files = judge(std::vector<Measurement>{m}, {}, {}, settings).rows.at(0);
  EXPECT_EQ(files.comparison->method, stats::RatioMethod::median_ratio);
  m.rounds = true;
  const Row rounds = judge(std::vector<Measurement>{m}, {}, {}, settings).rows.at(0);
  EXPECT_EQ(rounds.comparison->method, kDefaultRatioMethod);
  EXPECT_EQ(rounds.comparison->paired_rounds, 12u);
  EXPECT_EQ(rounds.verdict, Verdict::regressed);
  EXPECT_NEAR(*rounds.comparison->ratio, 1.10, 1e-12);
}

}  // namespace
}  // namespace perfguard::budgets
