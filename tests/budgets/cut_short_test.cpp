// A measurement the schedule stopped short of the runs a verdict needs (the time budget ran
// out): inconclusive whatever its values say, its absolute budgets insufficient, a failed run
// still an error. Values are built so that their medians are known by construction.
#include <gtest/gtest.h>

#include "budgets/verdict.hpp"
#include "stats/compare.hpp"

namespace perfguard::budgets {
namespace {

// n values spread evenly over center * [0.99, 1.01]: the median is the center exactly.
std::vector<double> spread(double center, int n = 6) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(center * (0.99 + 0.02 * i / (n - 1)));
  return values;
}

Measurement cut(std::vector<double> base, std::vector<double> candidate) {
  Measurement m;
  m.spec = m.benchmark = "tool.run";
  m.metric = "wall_time";
  m.unit = "s";
  m.base = SideSamples{std::move(base), {}};
  m.candidate = SideSamples{std::move(candidate), {}};
  m.cut_short = "time ran out at 6 runs per side";
  return m;
}

GateResult judge_one(const Measurement& m, std::vector<BudgetRule> rules = {},
                     stats::RatioMethod method = kDefaultRatioMethod) {
  const std::vector<Measurement> all{m};
  GateSettings settings;
  settings.method = method;
  settings.today = std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(11),
                                               std::chrono::day(22)};
  return judge(all, rules, {}, settings);
}

TEST(CutShort, IdenticalValuesAreInconclusiveNotAPass) {
  const GateResult gate = judge_one(cut(spread(1.0), spread(1.0)));
  ASSERT_EQ(gate.rows.size(), 1u);
  const Row& row = gate.rows[0];
  EXPECT_EQ(row.verdict, Verdict::inconclusive);
  EXPECT_EQ(row.reason.rfind("time ran out at 6 runs per side; so far median +0.0%", 0), 0u)
      << row.reason;
  EXPECT_TRUE(row.comparison.has_value());  // what the runs showed is kept
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.exit_code, 1);
}

// What the runs showed so far is reached by the gate's method, as a finished row's would be
// (an interrupted run's rows, judged by `report`, are all cut short); values without rounds
// by the ratio of medians.
TEST(CutShort, SoFarIsJudgedByTheGatesMethod) {
  std::vector<double> candidate = spread(1.0, 8);
  for (double& value : candidate) value *= 1.1;  // run i: 1.1 times the base's run i
  for (const stats::RatioMethod method :
       {stats::RatioMethod::median_ratio, stats::RatioMethod::paired_sign,
        stats::RatioMethod::paired_signed_rank}) {
    for (const bool rounds : {true, false}) {
      Measurement m = cut(spread(1.0, 8), candidate);
      m.rounds = rounds;
      const GateResult gate = judge_one(m, {}, method);
      ASSERT_EQ(gate.rows.size(), 1u);
      const Row& row = gate.rows[0];
      EXPECT_EQ(row.verdict, Verdict::inconclusive);
      ASSERT_TRUE(row.comparison.has_value());
      const stats::RatioMethod judged = rounds ? method : stats::RatioMethod::median_ratio;
      EXPECT_EQ(row.comparison->method, judged) << stats::to_string(method) << rounds;
      EXPECT_EQ(row.comparison->paired_rounds, stats::is_paired(judged) ? 8u : 0u);
      // Every centre is 1.1 here: the medians scale, and every round's ratio is 1.1.
      EXPECT_NEAR(*row.comparison->ratio, 1.1, 1e-12);
    }
  }
}

TEST(CutShort, NoRunsAtAllIsInconclusiveWithTheReason) {
  Measurement m = cut({}, {});
  m.base.reset();
  m.candidate.reset();
  m.cut_short = "time ran out at 0 runs per side";
  const GateResult gate = judge_one(m);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::inconclusive);
  EXPECT_EQ(gate.rows[0].reason, "time ran out at 0 runs per side");
  EXPECT_FALSE(gate.passed);
}

TEST(CutShort, AFailedRunIsStillAnError) {
  Measurement m = cut(spread(1.0), {});
  m.candidate->failures = {"run 2: killed by SIGSEGV"};
  const GateResult gate = judge_one(m);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::error);
}

TEST(CutShort, AnAbsoluteBudgetMetSoFarIsInsufficient) {
  BudgetRule rule;
  rule.benchmark = "tool.run";
  rule.metric = "wall_time";
  rule.statistic = Statistic::median;
  rule.max = 2.0;
  rule.location = {"perfguard.json", 12, 5};
  const GateResult gate = judge_one(cut(spread(1.0), spread(1.0)), {rule});
  ASSERT_EQ(gate.budgets.size(), 1u);
  EXPECT_EQ(gate.budgets[0].status, BudgetStatus::insufficient);
  EXPECT_EQ(gate.budgets[0].reason.rfind("time ran out at 6 runs per side; median", 0), 0u)
      << gate.budgets[0].reason;
  EXPECT_FALSE(gate.passed);
}

}  // namespace
}  // namespace perfguard::budgets
