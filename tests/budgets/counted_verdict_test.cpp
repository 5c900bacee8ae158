// The verdict rules for counts under Callgrind: exact when every run of each side agrees,
// statistical with a note when they vary. Expected ratios are the counts' own quotients.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "budgets/verdict.hpp"

namespace perfguard::budgets {
namespace {

Measurement counted(std::vector<double> base, std::vector<double> candidate) {
  Measurement m;
  m.spec = m.benchmark = "loop";
  m.metric = "instructions";
  m.unit = "instructions";
  m.counted = true;
  m.base = SideSamples{std::move(base), {}};
  m.candidate = SideSamples{std::move(candidate), {}};
  return m;
}

GateResult judge_one(const Measurement& m, std::vector<BudgetRule> rules = {},
                     double threshold = 0.005) {
  GateSettings settings;
  settings.default_threshold = threshold;
  return judge(std::vector<Measurement>{m}, rules, Approvals{}, settings);
}

TEST(CountsAgree, NeedsTwoRunsPerSideAllEqual) {
  EXPECT_TRUE(counts_agree(std::vector<double>{5, 5}, std::vector<double>{7, 7, 7}));
  EXPECT_FALSE(counts_agree(std::vector<double>{5}, std::vector<double>{7, 7}));
  EXPECT_FALSE(counts_agree(std::vector<double>{5, 5}, std::vector<double>{7, 8}));
  EXPECT_FALSE(counts_agree(std::vector<double>{}, std::vector<double>{}));
}

TEST(CountedVerdict, AgreeingCountsAreJudgedExactly) {
  // 1,010,000 / 1,000,000 = 1.01 exactly: +1% > 0.5%.
  const GateResult gate = judge_one(counted({1e6, 1e6}, {1.01e6, 1.01e6}));
  ASSERT_EQ(gate.rows.size(), 1U);
  const Row& row = gate.rows.front();
  EXPECT_TRUE(row.exact);
  EXPECT_EQ(row.verdict, Verdict::regressed);
  EXPECT_EQ(*row.comparison->ratio, 1.01e6 / 1e6);
  EXPECT_EQ(row.comparison->ratio_ci->lo, row.comparison->ratio_ci->hi);
  EXPECT_EQ(row.reason, "exactly +1.00% > 0.5% threshold");
}

TEST(CountedVerdict, ATenthOfAPercentThresholdIsMeaningful) {
  // +0.2% is a regression at 0.1%, and +0.05% is not.
  EXPECT_EQ(judge_one(counted({1e6, 1e6}, {1.002e6, 1.002e6}), {}, 0.001).rows[0].verdict,
            Verdict::regressed);
  EXPECT_EQ(judge_one(counted({1e6, 1e6}, {1.0005e6, 1.0005e6}), {}, 0.001).rows[0].verdict,
            Verdict::unchanged);
}

TEST(CountedVerdict, IdenticalCountsHaveRatioExactlyOne) {
  const Row row = judge_one(counted({123456789, 123456789}, {123456789, 123456789})).rows[0];
  EXPECT_TRUE(row.exact);
  EXPECT_EQ(row.verdict, Verdict::unchanged);
  EXPECT_EQ(*row.comparison->ratio, 1.0);
}

TEST(CountedVerdict, VaryingCountsAreJudgedStatisticallyWithANote) {
  const Row row = judge_one(counted({100, 101, 102, 100, 103, 101, 100, 102, 101, 100},
                                    {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}),
                            {}, 0.05)
                      .rows[0];
  EXPECT_FALSE(row.exact);
  EXPECT_NE(row.reason.find("; not exact: counts varied between runs (base 4 distinct in 10 "
                            "runs, candidate 1 in 10), so judged statistically"),
            std::string::npos)
      << row.reason;
  EXPECT_EQ(row.reason.rfind("median ", 0), 0U) << row.reason;
}

TEST(CountedVerdict, EveryStatisticOfExactCountsExistsWithTwoRuns) {
  BudgetRule p95;
  p95.benchmark = "loop";
  p95.metric = "instructions";
  p95.statistic = Statistic::p95;
  p95.max = 2e6;
  const GateResult gate = judge_one(counted({1e6, 1e6}, {1.5e6, 1.5e6}), {p95}, 0.9);
  ASSERT_EQ(gate.budgets.size(), 1U);
  EXPECT_EQ(gate.budgets[0].status, BudgetStatus::pass) << gate.budgets[0].reason;
  EXPECT_EQ(gate.budgets[0].actual, 1.5e6);
  EXPECT_EQ(gate.budgets[0].reason, "p95 1.5 M instructions <= 2 M instructions budget");
  // Varying counts need the usual 20 runs for a p95.
  const GateResult varying = judge_one(counted({1e6, 1e6}, {1.5e6, 1.4e6}), {p95}, 0.9);
  EXPECT_EQ(varying.budgets[0].status, BudgetStatus::insufficient);
}

}  // namespace
}  // namespace perfguard::budgets
