// to_measurements: what a finished schedule hands to the verdict rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "guard/compare_plan.hpp"

namespace perfguard::guard {
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
    result.samples.push_back({name, "base", "real_time", "s", times, {}});
  result.samples.push_back(
      {"micro/BM_a", "candidate", "real_time", "s", {}, {{0, "killed by SIGSEGV"}}});
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

}  // namespace
}  // namespace perfguard::guard
