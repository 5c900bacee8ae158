// to_measurements: what a finished schedule hands to the verdict rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "pipeline/compare_plan.hpp"

namespace perfguard::pipeline {
namespace {

// A Google Benchmark binary with two cases: on the candidate, BM_a crashed the binary, so
// BM_b never ran there. BM_b is not "gone from the candidate": its row says it was not
// measured because of the failure.
TEST(ToMeasurements, CasesOfAFailedRunAreNotMeasuredRatherThanMissing) {
  budgets::BenchmarkSpec spec;
  spec.id = "micro";
  spec.kind = budgets::BenchmarkKind::gbench;
  harness::BenchmarkResult result;
  result.id = "micro";
  const std::vector<double> times{1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.02};
  for (const char* name : {"micro/BM_a", "micro/BM_b"})
    result.samples.push_back({name, "base", "real_time", "s", times, {}, ""});
  result.samples.push_back(
      {"micro/BM_a", "candidate", "real_time", "s", {}, {{0, "killed by SIGSEGV"}}, ""});
  harness::ScheduleResult schedule;
  schedule.benchmarks.push_back(result);

  const std::vector<budgets::Measurement> measured = to_measurements(schedule, {spec}, {});
  const budgets::GateResult gate = budgets::judge(measured, {}, {}, budgets::GateSettings{});
  bool saw_b = false;
  for (const budgets::Row& row : gate.rows) {
    if (row.benchmark != "micro/BM_b") continue;
    saw_b = true;
    EXPECT_EQ(row.verdict, budgets::Verdict::error) << row.reason;
    EXPECT_EQ(row.reason, "candidate: not measured: a run of micro failed (see its failing case)");
    EXPECT_EQ(row.reason.find("gone from the candidate"), std::string::npos);
  }
  EXPECT_TRUE(saw_b);
  EXPECT_EQ(gate.exit_code, 3);
}

budgets::BenchmarkSpec command_spec(const std::string& id) {
  budgets::BenchmarkSpec spec;
  spec.id = id;
  spec.kind = budgets::BenchmarkKind::command;
  return spec;
}

const budgets::Measurement* find(const std::vector<budgets::Measurement>& measured,
                                 const std::string& benchmark, const std::string& metric) {
  for (const budgets::Measurement& m : measured) {
    if (m.benchmark == benchmark && m.metric == metric) return &m;
  }
  return nullptr;
}

// Each (benchmark, metric) becomes one measurement with both sides' values in run order, the
// unit the samples carry, the look's confidence, and `primary` only on the benchmark's
// primary metric (wall_time for a command).
TEST(ToMeasurements, SidesMetricsAndTheConfidenceOfTheLastLook) {
  harness::BenchmarkResult result;
  result.id = "tool";
  result.confidence = 0.97;
  result.samples = {{"tool", "base", "wall_time", "s", {1.0, 2.0}, {}, ""},
                    {"tool", "candidate", "wall_time", "s", {3.0, 4.0}, {}, ""},
                    {"tool", "base", "max_rss", "bytes", {10.0, 20.0}, {}, ""},
                    {"tool", "candidate", "max_rss", "bytes", {30.0, 40.0}, {}, ""}};
  harness::ScheduleResult schedule;
  schedule.benchmarks.push_back(result);
  const std::vector<budgets::Measurement> measured =
      to_measurements(schedule, {command_spec("tool")}, {});
  ASSERT_EQ(measured.size(), 2u);
  const budgets::Measurement* wall = find(measured, "tool", "wall_time");
  ASSERT_NE(wall, nullptr);
  EXPECT_TRUE(wall->primary);
  EXPECT_EQ(wall->unit, "s");
  EXPECT_EQ(wall->base->values, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(wall->candidate->values, (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(wall->confidence, 0.97);
  const budgets::Measurement* rss = find(measured, "tool", "max_rss");
  ASSERT_NE(rss, nullptr);
  EXPECT_FALSE(rss->primary);
  EXPECT_EQ(rss->unit, "bytes");
}

// A selected benchmark the schedule has nothing of is still there, with no sides: `missing`,
// never silence. File sizes measured while planning come last, as given.
TEST(ToMeasurements, NothingMeasuredIsMissingAndFileSizesFollow) {
  budgets::Measurement size;
  size.benchmark = "binary";
  size.metric = "file_size";
  const std::vector<budgets::Measurement> measured =
      to_measurements({}, {command_spec("never_ran")}, {size});
  ASSERT_EQ(measured.size(), 2u);
  EXPECT_EQ(measured[0].benchmark, "never_ran");
  EXPECT_EQ(measured[0].metric, "wall_time");
  EXPECT_FALSE(measured[0].base);
  EXPECT_FALSE(measured[0].candidate);
  EXPECT_EQ(measured[1].benchmark, "binary");
  const budgets::GateResult gate = budgets::judge({measured.data(), 1}, {}, {}, {});
  EXPECT_EQ(gate.rows.at(0).verdict, budgets::Verdict::missing);
}

// Failures say which run, and whether it was a warmup; a warmup that hit the timeout names the
// config key to raise, since every run would hit it too.
TEST(ToMeasurements, FailuresNameTheirRunOrWarmup) {
  harness::BenchmarkResult result;
  result.id = "tool";
  harness::SampleSet base{"tool", "base", "", "", {}, {}, ""};
  base.failures = {{0, "timeout after 2s", true}};
  harness::SampleSet candidate{"tool", "candidate", "wall_time", "s", {1.0}, {}, ""};
  candidate.failures = {{1, "exit 3", false}};
  result.samples = {base, candidate};
  harness::ScheduleResult schedule;
  schedule.benchmarks.push_back(result);
  const std::vector<budgets::Measurement> measured =
      to_measurements(schedule, {command_spec("tool")}, {});
  const budgets::Measurement* wall = find(measured, "tool", "wall_time");
  ASSERT_NE(wall, nullptr);
  ASSERT_TRUE(wall->base);
  EXPECT_EQ(wall->base->failures,
            (std::vector<std::string>{
                "warmup 0: a warmup run alone exceeded the timeout (timeout after 2s); raise "
                "\"timeout\" of benchmark \"tool\" in the config"}));
  EXPECT_EQ(wall->candidate->failures, (std::vector<std::string>{"run 1: exit 3"}));
}

}  // namespace
}  // namespace perfguard::pipeline
