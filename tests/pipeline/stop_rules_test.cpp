// The one stop rule (pipeline/stop_rules.hpp) as compare and time use it. The samples are
// chosen so the answer is plain by hand: a ratio of 2 is far outside a 5% threshold at any
// usual confidence, and samples alternating 1.0/1.5 against 1.55/1.05 (round i's runs on
// opposite ends, the noise not shared by the round) cannot place a 3% change on either side of
// 5% from ten runs, by the ratio of medians or by the per-round ratios.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "pipeline/stop_rules.hpp"

namespace perfguard::pipeline {
namespace {

using harness::Decision;

constexpr double kLevel = 0.98;
constexpr double kThreshold = 0.05;

// 1.000, 1.001, ... : little spread.
std::vector<double> steady(std::size_t n, double scale = 1.0) {
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i)
    values.push_back(scale * (1.0 + 0.001 * static_cast<double>(i)));
  return values;
}

// 1.0, 1.5, 1.0, ... shifted by `shift`: as noisy as a busy machine. Shifted, it starts at
// 1.5: a round's two runs met different neighbours.
std::vector<double> noisy(std::size_t n, double shift = 0.0) {
  std::vector<double> values;
  const std::size_t phase = shift == 0.0 ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) values.push_back(((i + phase) % 2 == 0 ? 1.0 : 1.5) + shift);
  return values;
}

// 1.0, 1.5, ... like noisy(), but each round's two runs met the same neighbours: candidate
// run i is base run i times `ratio`.
std::vector<double> shared_noise(std::size_t n, double ratio) {
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) values.push_back((i % 2 == 0 ? 1.0 : 1.5) * ratio);
  return values;
}

TEST(Decide, NoComparisonKeepsSampling) {
  EXPECT_EQ(decide({}, 10, kLevel), Decision::keep_sampling);
}

TEST(Decide, ClearRegressionStops) {
  const std::vector<double> base = steady(10);
  const std::vector<double> candidate = steady(10, 2.0);
  const PendingComparison c{base, candidate, kThreshold, false};
  EXPECT_EQ(decide({&c, 1}, 10, kLevel), Decision::stop);
}

TEST(Decide, NoisyChangeNearTheThresholdKeepsSampling) {
  const std::vector<double> base = noisy(10);
  const std::vector<double> candidate = noisy(10, 0.05);
  const PendingComparison c{base, candidate, kThreshold, false};
  EXPECT_EQ(decide({&c, 1}, 10, kLevel), Decision::keep_sampling);
}

// Noise a round shares cancels in the per-round ratios (stats/paired.hpp): +3% in every round
// is settled at once by the paired method, which judges by default, while the ratio of the
// two medians, blind to the rounds, still cannot tell it from 5%.
TEST(Decide, NoiseTheRoundSharesCancelsWhenPaired) {
  const std::vector<double> base = noisy(10);
  const std::vector<double> candidate = shared_noise(10, 1.03);
  const PendingComparison paired{base, candidate, kThreshold, false};
  EXPECT_EQ(decide({&paired, 1}, 10, kLevel), Decision::stop);
  const PendingComparison unpaired{base, candidate, kThreshold, false,
                                   stats::RatioMethod::median_ratio};
  EXPECT_EQ(decide({&unpaired, 1}, 10, kLevel), Decision::keep_sampling);
}

// One unsettled comparison holds up the settled ones.
TEST(Decide, AnyUnsettledComparisonKeepsSampling) {
  const std::vector<double> base = steady(10);
  const std::vector<double> clear = steady(10, 2.0);
  const std::vector<double> noisy_base = noisy(10);
  const std::vector<double> noisy_candidate = noisy(10, 0.05);
  const std::vector<PendingComparison> both{{base, clear, kThreshold, false},
                                            {noisy_base, noisy_candidate, kThreshold, false}};
  EXPECT_EQ(decide(both, 10, kLevel), Decision::keep_sampling);
}

TEST(Decide, AgreeingCountsAreExactAfterTwoRuns) {
  const std::vector<double> base{1000.0, 1000.0};
  const std::vector<double> candidate{1010.0, 1010.0};  // +1%: unchanged, and exactly so
  const PendingComparison c{base, candidate, kThreshold, true};
  EXPECT_EQ(decide({&c, 1}, 2, kLevel), Decision::stop);
}

TEST(Decide, VaryingCountsNeedMoreThanTwoRuns) {
  const std::vector<double> base{1000.0, 1001.0};
  const std::vector<double> candidate{2000.0, 2001.0};
  const PendingComparison c{base, candidate, kThreshold, true};
  EXPECT_EQ(decide({&c, 1}, 2, kLevel), Decision::keep_sampling);
  const std::vector<double> more_base = steady(10, 1000.0);
  const std::vector<double> more_candidate = steady(10, 2000.0);
  const PendingComparison later{more_base, more_candidate, kThreshold, true};
  EXPECT_EQ(decide({&later, 1}, 10, kLevel), Decision::stop);
}

// Exact counts are settled whatever else varies: the counted pair that agrees is not tested
// again as if it were a timing.
TEST(Decide, ExactCountsStaySettledBesideVaryingOnes) {
  const std::vector<double> exact_base(10, 1000.0);
  const std::vector<double> exact_candidate(10, 1050.0);  // exactly at the threshold
  const std::vector<double> base = steady(10, 1000.0);
  const std::vector<double> candidate = steady(10, 2000.0);
  const std::vector<PendingComparison> both{{exact_base, exact_candidate, kThreshold, true},
                                            {base, candidate, kThreshold, true}};
  EXPECT_EQ(decide(both, 10, kLevel), Decision::stop);
}

TEST(Decide, TooFewRunsForABudgetKeepSampling) {
  const std::vector<double> base = steady(10);
  const std::vector<double> candidate = steady(10, 2.0);
  const PendingComparison c{base, candidate, kThreshold, false};
  EXPECT_EQ(decide({&c, 1}, 10, kLevel, 20), Decision::keep_sampling);
}

// cpu_time is user + sys of the same run: 0.25 + 0.5 = 0.75, 1.0 + 0.125 = 1.125 (exact in
// binary, so the sums are too).
TEST(JudgedValues, CpuTimeIsUserPlusSystemRunByRun) {
  const std::vector<harness::SampleSet> samples{
      {"time", "a", "user_time", "s", {0.25, 1.0}, {}, ""},
      {"time", "a", "sys_time", "s", {0.5, 0.125}, {}, ""},
      {"time", "a", "wall_time", "s", {2.0, 3.0}, {}, ""}};
  EXPECT_EQ(judged_values(samples, "time", "a", "cpu_time"), (std::vector<double>{0.75, 1.125}));
  EXPECT_EQ(judged_values(samples, "time", "a", "wall_time"), (std::vector<double>{2.0, 3.0}));
  EXPECT_FALSE(judged_values(samples, "time", "b", "wall_time"));
  EXPECT_FALSE(judged_values(samples, "time", "a", "instructions"));
}

harness::Look look(std::span<const harness::SampleSet> samples, std::string_view benchmark,
                   std::size_t runs) {
  return {benchmark, samples, 1, runs, kLevel};
}

// a is noisy (1.0 and 1.5); b at about 3 is slower beyond doubt, c at +3% undecidable until it
// becomes about 0.3, faster beyond doubt.
TEST(TimeStopRule, EachCommandAgainstTheFirst) {
  const harness::StopRule rule = time_stop_rule({"a", "b", "c"}, "wall_time", kThreshold);
  std::vector<harness::SampleSet> samples{{"time", "a", "wall_time", "s", noisy(10), {}, ""},
                                          {"time", "b", "wall_time", "s", steady(10, 3.0), {}, ""},
                                          {"time", "c", "wall_time", "s", noisy(10, 0.05), {}, ""}};
  EXPECT_EQ(rule(look(samples, "time", 10)), Decision::keep_sampling);
  samples[2].values = steady(10, 0.3);
  EXPECT_EQ(rule(look(samples, "time", 10)), Decision::stop);
  samples.pop_back();  // c has no values yet
  EXPECT_EQ(rule(look(samples, "time", 10)), Decision::keep_sampling);
}

TEST(TimeStopRule, ALoneCommandStopsOnlyOnExactCounts) {
  const harness::StopRule rule = time_stop_rule({"a"}, "instructions", kThreshold);
  std::vector<harness::SampleSet> samples{
      {"time", "a", "instructions", "instructions", {500.0, 500.0}, {}, ""}};
  EXPECT_EQ(rule(look(samples, "time", 2)), Decision::stop);
  samples[0].values = {500.0, 501.0};
  EXPECT_EQ(rule(look(samples, "time", 2)), Decision::keep_sampling);
  const harness::StopRule timed = time_stop_rule({"a"}, "wall_time", kThreshold);
  const std::vector<harness::SampleSet> times{{"time", "a", "wall_time", "s", steady(10), {}, ""}};
  EXPECT_EQ(timed(look(times, "time", 10)), Decision::keep_sampling);
}

// The rule asks the verdict's question by the method it is given (--ratio-method): +3% on
// noise every round shares settles paired, not by the ratio of medians (as in
// Decide.NoiseTheRoundSharesCancelsWhenPaired).
TEST(TimeStopRule, SettlesByTheMethodItIsGiven) {
  const std::vector<harness::SampleSet> samples{
      {"time", "a", "wall_time", "s", noisy(10), {}, ""},
      {"time", "b", "wall_time", "s", shared_noise(10, 1.03), {}, ""}};
  EXPECT_EQ(time_stop_rule({"a", "b"}, "wall_time", kThreshold,
                           stats::RatioMethod::paired_sign)(look(samples, "time", 10)),
            Decision::stop);
  EXPECT_EQ(time_stop_rule({"a", "b"}, "wall_time", kThreshold,
                           stats::RatioMethod::median_ratio)(look(samples, "time", 10)),
            Decision::keep_sampling);
}

budgets::BenchmarkSpec gbench(const std::string& id) {
  budgets::BenchmarkSpec spec;
  spec.id = id;
  spec.kind = budgets::BenchmarkKind::gbench;
  return spec;
}

// A case only the base has (gone from the candidate) leaves nothing to settle; the case both
// have decides.
TEST(GateStopRule, ACaseOnOneSideHoldsNothingUp) {
  const harness::StopRule rule = gate_stop_rule(gbench("micro"), {}, kThreshold);
  const std::vector<harness::SampleSet> samples{
      {"micro/BM_a", "base", "real_time", "s", steady(10), {}, ""},
      {"micro/BM_a", "candidate", "real_time", "s", steady(10, 2.0), {}, ""},
      {"micro/BM_gone", "base", "real_time", "s", noisy(10), {}, ""}};
  EXPECT_EQ(rule(look(samples, "micro", 10)), Decision::stop);
  const std::vector<harness::SampleSet> gone_only{samples[2]};
  EXPECT_EQ(rule(look(gone_only, "micro", 10)), Decision::stop);
  EXPECT_EQ(rule(look({}, "micro", 10)), Decision::keep_sampling);
}

// The threshold is the benchmark's budget's: a 2x change is inside a 150% max_regression, and
// the steady samples settle that too.
TEST(GateStopRule, JudgesAtTheBudgetsThreshold) {
  budgets::BudgetRule wide;
  wide.benchmark = "micro";
  wide.max_regression = 1.5;
  const harness::StopRule rule = gate_stop_rule(gbench("micro"), {wide}, kThreshold);
  const std::vector<harness::SampleSet> samples{
      {"micro/BM_a", "base", "real_time", "s", noisy(10), {}, ""},
      {"micro/BM_a", "candidate", "real_time", "s", noisy(10, 0.05), {}, ""}};
  // Noisy +3%: far inside 150% (unchanged), where 5% could not be decided.
  EXPECT_EQ(rule(look(samples, "micro", 10)), Decision::stop);
  EXPECT_EQ(gate_stop_rule(gbench("micro"), {}, kThreshold)(look(samples, "micro", 10)),
            Decision::keep_sampling);
}

TEST(GateStopRule, SettlesByTheMethodItIsGiven) {
  const std::vector<harness::SampleSet> samples{
      {"micro/BM_a", "base", "real_time", "s", noisy(10), {}, ""},
      {"micro/BM_a", "candidate", "real_time", "s", shared_noise(10, 1.03), {}, ""}};
  EXPECT_EQ(gate_stop_rule(gbench("micro"), {}, kThreshold,
                           stats::RatioMethod::paired_sign)(look(samples, "micro", 10)),
            Decision::stop);
  EXPECT_EQ(gate_stop_rule(gbench("micro"), {}, kThreshold,
                           stats::RatioMethod::median_ratio)(look(samples, "micro", 10)),
            Decision::keep_sampling);
}

// A p95 budget needs 20 samples (stats::min_samples_for_quantile(0.95)) before it exists.
TEST(GateStopRule, APercentileBudgetHoldsTheStopUntilItExists) {
  budgets::BudgetRule p95;
  p95.benchmark = "micro";
  p95.statistic = budgets::Statistic::p95;
  p95.max = 1.0;
  const harness::StopRule rule = gate_stop_rule(gbench("micro"), {p95}, kThreshold);
  const std::vector<harness::SampleSet> at10{
      {"micro/BM_a", "base", "real_time", "s", steady(10), {}, ""},
      {"micro/BM_a", "candidate", "real_time", "s", steady(10, 2.0), {}, ""}};
  EXPECT_EQ(rule(look(at10, "micro", 10)), Decision::keep_sampling);
  const std::vector<harness::SampleSet> at20{
      {"micro/BM_a", "base", "real_time", "s", steady(20), {}, ""},
      {"micro/BM_a", "candidate", "real_time", "s", steady(20, 2.0), {}, ""}};
  EXPECT_EQ(rule(look(at20, "micro", 20)), Decision::stop);
}

}  // namespace
}  // namespace perfguard::pipeline
