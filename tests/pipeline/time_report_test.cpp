// `perfguard time`'s results built from a schedule's runs (pipeline/time_report.hpp), on runs
// made up here. Expected medians, ratios and warnings are worked out by hand from those runs.
#include "pipeline/time_report.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/callgrind.hpp"
#include "harness/sample_set.hpp"
#include "stats/compare.hpp"

namespace perfguard::pipeline {
namespace {

using reports::TimeMetric;
using reports::TimeReport;
using reports::TimeSettings;

struct Run {
  double wall = 0.0;
  double user = 0.0;
  double system = 0.0;
  double rss = 0.0;
};

harness::RunRecord record(const std::string& variant, std::size_t index, const Run& run,
                          bool warmup = false) {
  harness::RunRecord r{"time", variant, index, warmup, {}};
  r.outcome.observations = {{"", std::string(harness::kWallTime), "s", run.wall, ""},
                            {"", std::string(harness::kUserTime), "s", run.user, ""},
                            {"", std::string(harness::kSysTime), "s", run.system, ""},
                            {"", std::string(harness::kMaxRss), "B", run.rss, ""}};
  r.outcome.exit_code = 0;
  return r;
}

harness::ScheduleResult result_of(std::vector<harness::RunRecord> runs, std::size_t per_variant,
                                  std::optional<double> confidence = 0.99) {
  harness::ScheduleResult result;
  harness::BenchmarkResult benchmark;
  benchmark.id = "time";
  benchmark.runs = per_variant;
  benchmark.looks = 2;
  benchmark.confidence = confidence;
  benchmark.stop_reason = harness::StopReason::decided;
  result.benchmarks.push_back(benchmark);
  result.runs = std::move(runs);
  result.planned_runs = 40;
  return result;
}

// Run i of A takes 100 + i ms of wall time (i = 0..19), of which 60 ms user and 10 ms system;
// B takes 1.5 times as long in wall time but the same CPU time.
harness::ScheduleResult a_and_b() {
  std::vector<harness::RunRecord> runs;
  for (std::size_t i = 0; i < 20; ++i) {
    const double wall = 0.100 + 0.001 * static_cast<double>(i);
    runs.push_back(record("A", i, {wall, 0.060, 0.010, 4096.0 * 1024.0}));
    runs.push_back(record("B", i, {1.5 * wall, 0.060, 0.010, 8192.0 * 1024.0}));
  }
  return result_of(std::move(runs), 20);
}

const std::vector<std::string> kCommands{"./a", "./b"};

TEST(MakeTimeReport, CommandsInOrderWithTheirRuns) {
  TimeSettings settings;
  const TimeReport report = make_time_report(a_and_b(), kCommands, {"A", "B"}, settings);
  ASSERT_EQ(report.commands.size(), 2u);
  EXPECT_EQ(report.commands[0].command, "./a");
  EXPECT_EQ(report.commands[1].command, "./b");
  ASSERT_EQ(report.commands[0].times.size(), 20u);
  EXPECT_DOUBLE_EQ(report.commands[0].times[3], 0.103);
  EXPECT_EQ(report.commands[0].user, std::vector<double>(20, 0.060));
  EXPECT_EQ(report.commands[0].system, std::vector<double>(20, 0.010));
  EXPECT_EQ(report.commands[1].max_rss, std::vector<double>(20, 8192.0 * 1024.0));
  EXPECT_EQ(report.commands[0].exit_codes, std::vector<int>(20, 0));
  // Median of 100..119 ms: the mean of the 10th and 11th, 109.5 ms.
  ASSERT_TRUE(report.commands[0].summary.has_value());
  EXPECT_NEAR(report.commands[0].summary->median, 0.1095, 1e-12);
  EXPECT_EQ(report.runs, 20u);
  EXPECT_EQ(report.planned_runs, 40u);
  EXPECT_EQ(report.looks, 2u);
  EXPECT_EQ(report.stop_reason, harness::StopReason::decided);
  EXPECT_DOUBLE_EQ(report.confidence, 0.99);  // the last look's, not 1 - alpha
}

TEST(MakeTimeReport, WallTimeComparisonRegressed) {
  TimeSettings settings;
  const TimeReport report = make_time_report(a_and_b(), kCommands, {"A", "B"}, settings);
  ASSERT_EQ(report.comparisons.size(), 1u);
  const reports::TimedComparison& c = report.comparisons[0];
  EXPECT_EQ(c.command, 1u);
  // Every run of B is 1.5 times the same run of A, so the medians are too.
  ASSERT_TRUE(c.comparison.ratio.has_value());
  EXPECT_NEAR(*c.comparison.ratio, 1.5, 1e-12);
  ASSERT_TRUE(c.comparison.ratio_ci.has_value());
  EXPECT_GT(c.comparison.ratio_ci->lo, 1.05);
  EXPECT_EQ(c.judgement.verdict, budgets::Verdict::regressed);
  EXPECT_TRUE(is_slower(c));
}

// settings.ratio_method judges every comparison. Run i of B is 1.5 times run i of A, so the
// ratio of medians, the median of the per-round ratios and their Hodges-Lehmann centre are
// all 1.5 (by hand); only the method and the rounds paired differ.
TEST(MakeTimeReport, RatioMethodFromTheSettings) {
  for (const stats::RatioMethod method :
       {stats::RatioMethod::median_ratio, stats::RatioMethod::paired_sign,
        stats::RatioMethod::paired_signed_rank}) {
    TimeSettings settings;
    settings.ratio_method = method;
    const TimeReport report = make_time_report(a_and_b(), kCommands, {"A", "B"}, settings);
    ASSERT_EQ(report.comparisons.size(), 1u);
    const stats::Comparison& c = report.comparisons[0].comparison;
    EXPECT_EQ(c.method, method) << stats::to_string(method);
    EXPECT_EQ(c.paired_rounds, stats::is_paired(method) ? 20u : 0u) << stats::to_string(method);
    ASSERT_TRUE(c.ratio.has_value());
    EXPECT_NEAR(*c.ratio, 1.5, 1e-12) << stats::to_string(method);
    EXPECT_EQ(report.comparisons[0].judgement.verdict, budgets::Verdict::regressed);
  }
}

TEST(MakeTimeReport, CpuTimeJudgesUserPlusSystem) {
  TimeSettings settings;
  settings.metric = TimeMetric::cpu_time;
  const TimeReport report = make_time_report(a_and_b(), kCommands, {"A", "B"}, settings);
  ASSERT_EQ(report.comparisons.size(), 1u);
  // 60 + 10 ms of CPU in every run of both: a ratio of exactly 1, and no slowdown.
  EXPECT_NEAR(*report.comparisons[0].comparison.ratio, 1.0, 1e-12);
  EXPECT_NE(report.comparisons[0].judgement.verdict, budgets::Verdict::regressed);
}

TEST(MakeTimeReport, WarmupsAndFailedRunsAreLeftOut) {
  std::vector<harness::RunRecord> runs;
  runs.push_back(record("A", 0, {9.0, 0, 0, 0}, /*warmup=*/true));
  runs.push_back(record("A", 0, {0.2, 0, 0, 0}));
  harness::RunRecord failed = record("A", 1, {7.0, 0, 0, 0});
  failed.outcome.failures.push_back({"", "exit code 1"});
  runs.push_back(failed);
  runs.push_back(record("A", 2, {0.4, 0, 0, 0}));
  const TimeReport report =
      make_time_report(result_of(std::move(runs), 2), {"./a"}, {"A"}, TimeSettings{});
  EXPECT_EQ(report.commands[0].times, (std::vector<double>{0.2, 0.4}));
  EXPECT_TRUE(report.comparisons.empty());
}

TEST(MakeTimeReport, NoLookLeavesTheConfidenceOfAlpha) {
  TimeSettings settings;
  settings.alpha = 0.1;
  const TimeReport report = make_time_report(
      result_of({record("A", 0, {0.2, 0, 0, 0})}, 1, std::nullopt), {"./a"}, {"A"}, settings);
  EXPECT_DOUBLE_EQ(report.confidence, 0.9);
}

TEST(MakeTimeReport, CommandWithoutRunsHasNoSummary) {
  const TimeReport report = make_time_report(result_of({record("A", 0, {0.2, 0, 0, 0})}, 1),
                                             kCommands, {"A", "B"}, TimeSettings{});
  EXPECT_FALSE(report.commands[1].summary.has_value());
  EXPECT_TRUE(report.commands[1].warnings.empty());
  EXPECT_TRUE(report.comparisons.empty());  // nothing to compare with
}

TEST(MakeTimeReport, SlowFirstRunWarnsWithoutWarmup) {
  // 5 s, then 20 runs of 1.000..1.019 s: quartiles near 1.005 and 1.015, far below 5 s.
  std::vector<harness::RunRecord> runs{record("A", 0, {5.0, 0, 0, 0})};
  for (std::size_t i = 1; i <= 20; ++i)
    runs.push_back(record("A", i, {1.0 + 0.001 * static_cast<double>(i - 1), 0, 0, 0}));
  TimeSettings settings;
  const TimeReport report = make_time_report(result_of(runs, 21), {"./a"}, {"A"}, settings);
  const std::vector<std::string>& warnings = report.commands[0].warnings;
  EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                      "the first run was much slower than the rest (5.000 s): caches filled by "
                      "the first run? Use --warmup"),
            warnings.end());
  settings.warmup = 1;  // warmups were run: the first run is not blamed on cold caches
  const TimeReport warmed = make_time_report(result_of(runs, 21), {"./a"}, {"A"}, settings);
  for (const std::string& warning : warmed.commands[0].warnings)
    EXPECT_EQ(warning.find("first run"), std::string::npos) << warning;
}

TEST(MakeTimeReport, NoisyRunsWarn) {
  // 0.1 s and 0.3 s alternating: mean 0.2 s, stddev about 0.1 s, cv near 50% > 10%.
  std::vector<harness::RunRecord> runs;
  for (std::size_t i = 0; i < 10; ++i)
    runs.push_back(record("A", i, {i % 2 == 0 ? 0.1 : 0.3, 0, 0, 0}));
  const TimeReport report = make_time_report(result_of(runs, 10), {"./a"}, {"A"}, TimeSettings{});
  ASSERT_FALSE(report.commands[0].warnings.empty());
  EXPECT_EQ(report.commands[0].warnings[0].rfind("noisy: the runs vary by 53%", 0), 0u)
      << report.commands[0].warnings[0];
}

TEST(MakeTimeReport, ShortCommandThroughAShellWarns) {
  std::vector<harness::RunRecord> runs;
  for (std::size_t i = 0; i < 3; ++i) runs.push_back(record("A", i, {0.001, 0, 0, 0}));
  TimeSettings settings;
  settings.shell = "bash";
  const TimeReport report = make_time_report(result_of(runs, 3), {"true"}, {"A"}, settings);
  EXPECT_EQ(report.commands[0].warnings,
            std::vector<std::string>{"the command takes 1.0 ms: the start of 'bash' is a large "
                                     "part of it; -N runs it without a shell"});
  settings.shell.reset();
  EXPECT_TRUE(
      make_time_report(result_of(runs, 3), {"true"}, {"A"}, settings).commands[0].warnings.empty());
}

harness::RunRecord counted(const std::string& variant, std::size_t index, double count) {
  harness::RunRecord r{"time", variant, index, false, {}};
  r.outcome.observations = {{"", std::string(harness::kInstructions), "instructions", count, ""}};
  r.outcome.exit_code = 0;
  return r;
}

TEST(MakeCountReport, AgreeingCountsCompareExactly) {
  std::vector<harness::RunRecord> runs;
  for (std::size_t i = 0; i < 2; ++i) {
    runs.push_back(counted("A", i, 1000.0));
    runs.push_back(counted("B", i, 1100.0));
  }
  const reports::CountReport report = make_count_report(result_of(runs, 2), kCommands, {"A", "B"},
                                                        harness::kInstructions, TimeSettings{});
  EXPECT_EQ(report.metric, "instructions");
  EXPECT_EQ(report.unit, "instructions");
  ASSERT_EQ(report.commands.size(), 2u);
  EXPECT_TRUE(report.commands[0].constant);
  EXPECT_EQ(report.commands[1].counts, (std::vector<double>{1100.0, 1100.0}));
  ASSERT_EQ(report.comparisons.size(), 1u);
  const budgets::Row& row = report.comparisons[0].row;
  EXPECT_TRUE(row.exact);
  ASSERT_TRUE(row.comparison && row.comparison->ratio);
  EXPECT_NEAR(*row.comparison->ratio, 1.1, 1e-12);      // 1100 / 1000
  EXPECT_EQ(row.verdict, budgets::Verdict::regressed);  // +10% > the 5% threshold
  EXPECT_TRUE(is_slower(report.comparisons[0]));
}

TEST(MakeCountReport, OneRunIsNotConstant) {
  const reports::CountReport report = make_count_report(
      result_of({counted("A", 0, 5.0)}, 1), {"./a"}, {"A"}, harness::kInstructions, TimeSettings{});
  EXPECT_FALSE(report.commands[0].constant);  // agreement needs two runs
}

TEST(CountMetricName, OnlyCountedMetrics) {
  EXPECT_TRUE(is_count_metric_name("instructions"));
  EXPECT_TRUE(is_count_metric_name("estimated_cycles"));
  EXPECT_FALSE(is_count_metric_name("wall_time"));
  EXPECT_FALSE(is_count_metric_name("cpu_time"));
}

}  // namespace
}  // namespace perfguard::pipeline
