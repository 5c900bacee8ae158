// The gate: every verdict, severity, approval and budget path of budgets::judge().
// Samples are built so that their medians are known by construction (see spread()).
#include <gtest/gtest.h>

#include "budgets/verdict.hpp"

#include <algorithm>

#include "core/natural_order.hpp"

namespace perfguard::budgets {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const year_month_day kToday{year(2026), month(11), day(22)};

// 41 values spread evenly over center * [0.99, 1.01] in a shuffled order: the median is the
// center exactly, and the spread is small enough that a 10% shift is significant.
std::vector<double> spread(double center, int n = 41) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(center * (0.99 + 0.02 * ((i * 7) % n) / (n - 1)));
  return values;
}

Measurement measured(const std::string& id, std::vector<double> base, std::vector<double> candidate,
                     const std::string& metric = "wall_time") {
  Measurement m;
  m.spec = m.benchmark = id;
  m.metric = metric;
  m.unit = "s";
  m.base = SideSamples{std::move(base), {}};
  m.candidate = SideSamples{std::move(candidate), {}};
  return m;
}

GateSettings settings() {
  GateSettings s;
  s.today = kToday;
  return s;
}

Approval approval(const std::string& benchmark, double max_ratio, year_month_day expires) {
  Approval a;
  a.benchmark = benchmark;
  a.metric = "wall_time";
  a.max_ratio = max_ratio;
  a.reason = "new plugin loader";
  a.approver = "j.doe";
  a.ticket = "#482";
  a.created = year_month_day{year(2026), month(11), day(20)};
  a.expires = expires;
  return a;
}

BudgetRule relative_rule(const std::string& glob, double threshold) {
  BudgetRule rule;
  rule.benchmark = glob;
  rule.max_regression = threshold;
  rule.location = {"perfguard.json", 10, 5};
  return rule;
}

BudgetRule absolute_rule(const std::string& glob, Statistic statistic, double max) {
  BudgetRule rule;
  rule.benchmark = glob;
  rule.metric = "wall_time";
  rule.statistic = statistic;
  rule.max = max;
  rule.location = {"perfguard.json", 12, 5};
  return rule;
}

GateResult judge_one(const Measurement& m, std::vector<BudgetRule> rules = {},
                     const Approvals& approvals = {}) {
  const std::vector<Measurement> all{m};
  return judge(all, rules, approvals, settings());
}

TEST(Gate, IdenticalCodePasses) {
  const GateResult gate = judge_one(measured("cli.startup", spread(1.0), spread(1.0)));
  ASSERT_EQ(gate.rows.size(), 1U);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::unchanged);
  EXPECT_EQ(gate.rows[0].severity, Severity::none);
  EXPECT_TRUE(gate.passed);
  EXPECT_EQ(gate.exit_code, 0);
  EXPECT_TRUE(gate.failures.empty());
  EXPECT_EQ(gate.counts.at("unchanged"), 1U);
}

TEST(Gate, LargeRegressionIsP1AndFails) {
  const GateResult gate = judge_one(measured("cli.startup", spread(1.0), spread(1.3)));
  const Row& row = gate.rows[0];
  EXPECT_EQ(row.verdict, Verdict::regressed);
  EXPECT_EQ(row.severity, Severity::p1);  // +30% >= 2 x 5%
  EXPECT_NE(row.reason.find("median +30.0%"), std::string::npos) << row.reason;
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.exit_code, 1);
  ASSERT_EQ(gate.failures.size(), 1U);
  EXPECT_EQ(gate.failures[0].rfind("cli.startup wall_time: regressed: median +30.0%", 0), 0U)
      << gate.failures[0];
}

TEST(Gate, SmallRegressionIsP2) {
  const GateResult gate = judge_one(measured("x", spread(1.0), spread(1.07)));
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  EXPECT_EQ(gate.rows[0].severity, Severity::p2);  // +7% < 2 x 5%
}

TEST(Gate, ImprovementPasses) {
  const GateResult gate = judge_one(measured("x", spread(1.0), spread(0.8)));
  EXPECT_EQ(gate.rows[0].verdict, Verdict::improved);
  EXPECT_TRUE(gate.passed);
}

TEST(Gate, TooFewSamplesAreInconclusiveAndFail) {
  const GateResult gate = judge_one(measured("x", {1.0}, {1.3}));
  EXPECT_EQ(gate.rows[0].verdict, Verdict::inconclusive);
  EXPECT_EQ(gate.rows[0].severity, Severity::p2);
  EXPECT_FALSE(gate.passed);
}

TEST(Gate, ValidApprovalCoversTheRegression) {
  Approvals approvals;
  approvals.valid.push_back(
      approval("cli.startup", 1.4, year_month_day{year(2026), month(12), day(10)}));
  const GateResult gate =
      judge_one(measured("cli.startup", spread(1.0), spread(1.3)), {}, approvals);
  const Row& row = gate.rows[0];
  EXPECT_EQ(row.verdict, Verdict::approved);
  ASSERT_TRUE(row.approval.has_value());
  EXPECT_EQ(row.approval->ticket, "#482");
  EXPECT_NE(row.reason.find("approval up to +40.0% by j.doe (#482) until 2026-12-10"),
            std::string::npos)
      << row.reason;
  EXPECT_TRUE(gate.passed);
  ASSERT_EQ(gate.approvals.size(), 1U);
  EXPECT_EQ(gate.approvals[0].use, ApprovalUse::used);
  EXPECT_EQ(gate.approvals[0].days_left, 18);
}

TEST(Gate, ApprovalTooSmallForTheRegression) {
  Approvals approvals;
  approvals.valid.push_back(
      approval("cli.startup", 1.1, year_month_day{year(2026), month(12), day(10)}));
  const GateResult gate =
      judge_one(measured("cli.startup", spread(1.0), spread(1.3)), {}, approvals);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  EXPECT_NE(gate.rows[0].reason.find("exceeds the approval up to +10.0%"), std::string::npos);
  EXPECT_FALSE(gate.passed);
}

TEST(Gate, ApprovalForAnotherMetricDoesNotApply) {
  Approvals approvals;
  approvals.valid.push_back(
      approval("cli.startup", 1.4, year_month_day{year(2026), month(12), day(10)}));
  approvals.valid.back().metric = "max_rss";
  const GateResult gate =
      judge_one(measured("cli.startup", spread(1.0), spread(1.3)), {}, approvals);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  EXPECT_EQ(gate.approvals[0].use, ApprovalUse::unused);
}

TEST(Gate, UnusedAndExpiringApprovalsWarn) {
  Approvals approvals;
  approvals.valid.push_back(approval("other", 1.2, year_month_day{year(2026), month(11), day(24)}));
  const GateResult gate = judge_one(measured("x", spread(1.0), spread(1.0)), {}, approvals);
  EXPECT_TRUE(gate.passed);  // warnings never fail the gate
  ASSERT_EQ(gate.warnings.size(), 2U);
  EXPECT_EQ(gate.warnings[0], "approval #482 for other wall_time matched no regression");
  EXPECT_EQ(gate.warnings[1], "approval #482 for other wall_time expires in 2 days (2026-11-24)");
}

TEST(Gate, InvalidApprovalFailsTheGateNamingIt) {
  Approvals approvals;
  approvals.invalid.push_back(
      {0, "cli.startup", "expired on 2026-11-01", {"perfguard-approvals.json", 3, 5}});
  const GateResult gate = judge_one(measured("x", spread(1.0), spread(1.0)), {}, approvals);
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.exit_code, 1);
  ASSERT_EQ(gate.failures.size(), 1U);
  EXPECT_EQ(
      gate.failures[0],
      "perfguard-approvals.json:3:5: approval #1 (cli.startup) is invalid: expired on 2026-11-01");
}

TEST(Gate, MissingSideFails) {
  Measurement gone = measured("x", spread(1.0), {});
  gone.candidate.reset();
  const GateResult gate = judge_one(gone);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::missing);
  EXPECT_EQ(gate.rows[0].reason, "no candidate samples: the benchmark is gone from the candidate");
  EXPECT_EQ(gate.rows[0].severity, Severity::p2);
  EXPECT_EQ(gate.exit_code, 1);

  EXPECT_TRUE(gate.rows[0].removed);
}

// A benchmark only the candidate has (a renamed or added case) is new: it passes, with no
// severity, and is not a removal.
TEST(Gate, CandidateOnlyIsNewAndPasses) {
  Measurement fresh = measured("snappy/BM_UIOVecSink", {}, spread(1.0));
  fresh.base.reset();
  const GateResult gate = judge_one(fresh);
  ASSERT_EQ(gate.rows.size(), 1U);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::new_);
  EXPECT_EQ(to_string(gate.rows[0].verdict), "new");
  EXPECT_EQ(gate.rows[0].reason, "new: only the candidate has this benchmark");
  EXPECT_EQ(gate.rows[0].severity, Severity::none);
  EXPECT_FALSE(gate.rows[0].removed);
  EXPECT_TRUE(gate.passed);
  EXPECT_EQ(gate.exit_code, 0);
  EXPECT_EQ(gate.counts.at("new"), 1U);
  // An empty base set (no samples, no failures) is the same.
  EXPECT_EQ(judge_one(measured("y", {}, spread(1.0))).rows[0].verdict, Verdict::new_);
}

// Absolute budgets still judge a new benchmark: over its limit it fails, P0.
TEST(Gate, NewBenchmarkStillMeetsAbsoluteBudgets) {
  Measurement fresh = measured("cli.startup", {}, spread(1.2));
  fresh.base.reset();
  const GateResult over = judge_one(fresh, {absolute_rule("cli.startup", Statistic::median, 1.0)});
  EXPECT_EQ(over.rows[0].verdict, Verdict::over_budget);
  EXPECT_EQ(over.rows[0].severity, Severity::p0);
  EXPECT_FALSE(over.passed);
  const GateResult within =
      judge_one(fresh, {absolute_rule("cli.startup", Statistic::median, 2.0)});
  EXPECT_EQ(within.rows[0].verdict, Verdict::new_);
  EXPECT_TRUE(within.passed);
}

// A benchmark gone from the candidate stays missing unless a valid approval with "removed"
// accepts its removal; a ratio approval does not, and a removal approval approves no regression.
TEST(Gate, RemovalNeedsARemovalApproval) {
  Measurement gone = measured("snappy/BM_UIOVec/0", spread(1.0), {});
  gone.candidate.reset();
  Approval removal =
      approval("snappy/BM_UIOVec/0", 1.0, year_month_day{year(2026), month(12), day(10)});
  removal.removed = true;
  removal.reason = "split into BM_UIOVecSource and BM_UIOVecSink";
  Approvals approvals;
  approvals.valid.push_back(removal);
  const GateResult gate = judge_one(gone, {}, approvals);
  ASSERT_EQ(gate.rows.size(), 1U);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::approved);
  EXPECT_TRUE(gate.rows[0].removed);
  EXPECT_EQ(gate.rows[0].reason,
            "removed from the candidate; removal approved by j.doe (#482) until 2026-12-10: split "
            "into BM_UIOVecSource and BM_UIOVecSink");
  EXPECT_TRUE(gate.passed);
  ASSERT_EQ(gate.approvals.size(), 1U);
  EXPECT_EQ(gate.approvals[0].use, ApprovalUse::used);

  Approvals ratio_only;
  ratio_only.valid.push_back(
      approval("snappy/BM_UIOVec/0", 1.5, year_month_day{year(2026), month(12), day(10)}));
  EXPECT_EQ(judge_one(gone, {}, ratio_only).rows[0].verdict, Verdict::missing);

  // The removal approval on a benchmark that regressed instead: unused, the regression fails.
  const GateResult regressed =
      judge_one(measured("snappy/BM_UIOVec/0", spread(1.0), spread(1.3)), {}, approvals);
  EXPECT_EQ(regressed.rows[0].verdict, Verdict::regressed);
  EXPECT_EQ(regressed.approvals[0].use, ApprovalUse::unused);
  EXPECT_EQ(regressed.warnings[0],
            "approval #482 for snappy/BM_UIOVec/0 wall_time matched no removed benchmark");
}

TEST(Gate, CrashedRunIsAnErrorP0WithExitThree) {
  Measurement m = measured("x", spread(1.0), spread(1.0));
  m.candidate->failures = {"run 3: killed by SIGSEGV", "run 4: killed by SIGSEGV"};
  const GateResult gate = judge_one(m);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::error);
  EXPECT_EQ(gate.rows[0].severity, Severity::p0);
  EXPECT_EQ(gate.rows[0].reason, "candidate: run 3: killed by SIGSEGV (+1 more failed runs)");
  EXPECT_EQ(gate.exit_code, 3);
}

TEST(Gate, DeterministicMetricIsExact) {
  Measurement m = measured("binary.size", {1000.0}, {1100.0}, "file_size");
  m.unit = "bytes";
  m.deterministic = true;
  const GateResult gate = judge_one(m);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  EXPECT_EQ(gate.rows[0].reason, "exactly +10.0% > 5% threshold");
  ASSERT_TRUE(gate.rows[0].comparison->ratio_ci.has_value());
  EXPECT_DOUBLE_EQ(gate.rows[0].comparison->ratio_ci->lo, 1.1);

  m.candidate->values = {1040.0};
  EXPECT_EQ(judge_one(m).rows[0].verdict, Verdict::unchanged);
}

TEST(Gate, MostSpecificRelativeRuleWins) {
  const std::vector<BudgetRule> rules = {relative_rule("*", 0.05), relative_rule("cli.*", 0.20)};
  const std::vector<Measurement> all = {measured("cli.startup", spread(1.0), spread(1.1)),
                                        measured("parse", spread(1.0), spread(1.1))};
  const GateResult gate = judge(all, rules, {}, settings());
  ASSERT_EQ(gate.rows.size(), 2U);
  // Failing rows come first.
  EXPECT_EQ(gate.rows[0].benchmark, "parse");
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  EXPECT_DOUBLE_EQ(gate.rows[0].threshold, 0.05);
  EXPECT_EQ(gate.rows[1].benchmark, "cli.startup");
  EXPECT_EQ(gate.rows[1].verdict, Verdict::unchanged);
  EXPECT_DOUBLE_EQ(gate.rows[1].threshold, 0.20);
}

TEST(Gate, AbsoluteBudgetOverIsP0) {
  // p95 of the candidate spread around 1.2 s is about 1.21 s, over a 1 s budget.
  const std::vector<BudgetRule> rules = {absolute_rule("cli.startup", Statistic::p95, 1.0)};
  const GateResult gate = judge_one(measured("cli.startup", spread(1.2), spread(1.2)), rules);
  ASSERT_EQ(gate.budgets.size(), 1U);
  const BudgetResult& budget = gate.budgets[0];
  EXPECT_EQ(budget.status, BudgetStatus::over_budget);
  EXPECT_EQ(budget.severity, Severity::p0);
  EXPECT_EQ(budget.reason, "p95 1.21 s > 1 s budget");
  EXPECT_TRUE(budget.actual_ci.has_value());
  // The row passes relatively (unchanged) but carries the budget failure.
  EXPECT_EQ(gate.rows[0].verdict, Verdict::over_budget);
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.exit_code, 1);
}

TEST(Gate, AbsoluteBudgetWithinPasses) {
  const std::vector<BudgetRule> rules = {absolute_rule("cli.*", Statistic::median, 2.0)};
  const GateResult gate = judge_one(measured("cli.startup", spread(1.0), spread(1.0)), rules);
  EXPECT_EQ(gate.budgets[0].status, BudgetStatus::pass);
  EXPECT_EQ(gate.budgets[0].reason, "median 1 s <= 2 s budget");
  EXPECT_TRUE(gate.passed);
}

TEST(Gate, TooFewSamplesForP95IsInsufficient) {
  const std::vector<BudgetRule> rules = {absolute_rule("x", Statistic::p95, 10.0)};
  const GateResult gate = judge_one(measured("x", spread(1.0, 19), spread(1.0, 19)), rules);
  EXPECT_EQ(gate.budgets[0].status, BudgetStatus::insufficient);
  EXPECT_EQ(gate.budgets[0].reason, "p95 needs at least 20 samples, have 19");
  EXPECT_FALSE(gate.passed);
}

TEST(Gate, SecondaryMetricsAreJudgedOnlyWhenNamed) {
  Measurement rss = measured("x", spread(100.0), spread(200.0), "max_rss");
  rss.primary = false;
  EXPECT_TRUE(judge_one(rss).rows.empty());
  BudgetRule named = relative_rule("x", 0.05);
  named.metric = "max_rss";
  const GateResult gate = judge_one(rss, {named});
  ASSERT_EQ(gate.rows.size(), 1U);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
}

TEST(Gate, MeasurementConfidenceOverridesTheGates) {
  Measurement m = measured("x", spread(1.0), spread(1.07));
  const GateResult at_default = judge_one(m);
  m.confidence = 0.999;
  const GateResult stricter = judge_one(m);
  EXPECT_DOUBLE_EQ(at_default.rows[0].confidence, kDefaultConfidence);
  EXPECT_DOUBLE_EQ(stricter.rows[0].confidence, 0.999);
  // A higher level widens the interval of the same data.
  const stats::Interval wide = *stricter.rows[0].comparison->ratio_ci;
  const stats::Interval narrow = *at_default.rows[0].comparison->ratio_ci;
  EXPECT_LT(wide.lo, narrow.lo);
  EXPECT_GT(wide.hi, narrow.hi);
}

TEST(NaturalOrder, DigitRunsCompareByValue) {
  // The order a reader expects of Google Benchmark names; std::sort with operator< would put
  // /10 and /11 before /2.
  std::vector<std::string> names{
      "BM_UFlat/10", "BM_UFlat/2", "BM_UFlat/0",   "BM_UFlat/11", "BM_UFlat/1",
      "BM_UIOVec/0", "BM_ZFlat/4", "BM_UFlat/1/8", "BM_UFlat/01", "a"};
  std::sort(names.begin(), names.end(),
            [](const std::string& x, const std::string& y) { return natural_less(x, y); });
  EXPECT_EQ(names, (std::vector<std::string>{"BM_UFlat/0", "BM_UFlat/1", "BM_UFlat/01",
                                             "BM_UFlat/1/8", "BM_UFlat/2", "BM_UFlat/10",
                                             "BM_UFlat/11", "BM_UIOVec/0", "BM_ZFlat/4", "a"}));
  // A strict weak order: irreflexive, and equal only when identical.
  EXPECT_FALSE(natural_less("BM_x/10", "BM_x/10"));
  EXPECT_TRUE(natural_less("BM_x/1", "BM_x/01") != natural_less("BM_x/01", "BM_x/1"));
  EXPECT_TRUE(natural_less("x9", "x10"));
  EXPECT_TRUE(natural_less("x", "x0"));
  EXPECT_TRUE(natural_less("x99999999999999999999999", "x100000000000000000000000"));
}

TEST(Gate, RowsOfEqualRankAreInNaturalOrder) {
  std::vector<Measurement> all;
  for (const char* id : {"s/BM_UFlat/10", "s/BM_UFlat/2", "s/BM_UFlat/1"})
    all.push_back(measured(id, spread(1.0), spread(1.0)));
  const GateResult gate = judge(all, {}, {}, settings());
  ASSERT_EQ(gate.rows.size(), 3U);
  EXPECT_EQ(gate.rows[0].benchmark, "s/BM_UFlat/1");
  EXPECT_EQ(gate.rows[1].benchmark, "s/BM_UFlat/2");
  EXPECT_EQ(gate.rows[2].benchmark, "s/BM_UFlat/10");
}

TEST(Gate, NothingJudgedFails) {
  const GateResult gate = judge({}, {}, {}, settings());
  EXPECT_FALSE(gate.passed);
  EXPECT_EQ(gate.failures, std::vector<std::string>{"no benchmark was judged"});
}

// Two approvals for one benchmark: the one that covers the change applies, whatever the order.
TEST(Gate, ACoveringApprovalAppliesWhenAnotherDoesNot) {
  Approvals approvals;
  approvals.valid.push_back(
      approval("cli.startup", 1.1, year_month_day{year(2026), month(12), day(10)}));
  approvals.valid.back().ticket = "#1";
  approvals.valid.back().location = {"approvals.json", 3, 5};
  approvals.valid.push_back(
      approval("cli.startup", 1.4, year_month_day{year(2026), month(12), day(10)}));
  approvals.valid.back().ticket = "#2";
  approvals.valid.back().location = {"approvals.json", 9, 5};
  const GateResult gate =
      judge_one(measured("cli.startup", spread(1.0), spread(1.3)), {}, approvals);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::approved) << gate.rows[0].reason;
  ASSERT_TRUE(gate.rows[0].approval.has_value());
  EXPECT_EQ(gate.rows[0].approval->ticket, "#2");
  EXPECT_TRUE(gate.passed);
  ASSERT_EQ(gate.approvals.size(), 2U);
  EXPECT_EQ(gate.approvals[0].use, ApprovalUse::unused);
  EXPECT_EQ(gate.approvals[1].use, ApprovalUse::used);
}

// An approval the regression exceeds did match it: no "matched no regression" warning.
TEST(Gate, ExceededApprovalIsNotReportedAsMatchingNothing) {
  Approvals approvals;
  approvals.valid.push_back(
      approval("cli.startup", 1.1, year_month_day{year(2026), month(12), day(10)}));
  const GateResult gate =
      judge_one(measured("cli.startup", spread(1.0), spread(1.3)), {}, approvals);
  EXPECT_EQ(gate.rows[0].verdict, Verdict::regressed);
  for (const std::string& warning : gate.warnings)
    EXPECT_EQ(warning.find("matched no regression"), std::string::npos) << warning;
  ASSERT_EQ(gate.approvals.size(), 1U);
  EXPECT_NE(gate.approvals[0].message.find("is exceeded by the regression (up to +10.0%)"),
            std::string::npos)
      << gate.approvals[0].message;
}

// A budget whose benchmark nothing measured is missing, not dropped.
TEST(Gate, BudgetThatMatchesNothingIsMissing) {
  const GateResult gate = judge_one(measured("x", spread(1.0), spread(1.0)),
                                    {absolute_rule("gone", Statistic::median, 1.0),
                                     relative_rule("also.gone", 0.1)});
  EXPECT_FALSE(gate.passed);
  ASSERT_EQ(gate.budgets.size(), 1U);
  EXPECT_EQ(gate.budgets[0].benchmark, "gone");
  EXPECT_EQ(gate.budgets[0].status, BudgetStatus::missing);
  ASSERT_EQ(gate.rows.size(), 2U);
  EXPECT_EQ(gate.rows[0].benchmark, "also.gone");
  EXPECT_EQ(gate.rows[0].verdict, Verdict::missing);
  EXPECT_EQ(gate.failures.size(), 2U);
}

}  // namespace
}  // namespace perfguard::budgets
