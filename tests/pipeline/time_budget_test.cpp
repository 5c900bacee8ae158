// The estimate `compare` prints once the pace of a round is known, and the warning when the
// time budget cannot hold the minimum runs. The expected durations are worked out by hand from
// the pace: rounds left x time a round.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "pipeline/time_budget.hpp"

namespace perfguard::pipeline {
namespace {

using namespace std::chrono_literals;

harness::Pace warmup_pace(std::chrono::nanoseconds per_round, std::chrono::nanoseconds elapsed) {
  return {per_round, elapsed, 0, true};
}

TEST(TimeBudget, EstimateWithoutBudgetIsOneNote) {
  const auto lines = estimate_lines(warmup_pace(1300ms, 1300ms), {10, 60, std::nullopt});
  ASSERT_EQ(lines.size(), 1u);
  // 10 x 1.3 s = 13 s; 60 x 1.3 s = 78 s.
  EXPECT_EQ(lines[0],
            "perfguard: note: measuring takes about 13s for 10 runs per side, up to 78s for 60 "
            "(1.3s a round at the warmups' pace)");
}

TEST(TimeBudget, BudgetThatHoldsTheMinimumOnlyNotes) {
  const auto lines = estimate_lines(warmup_pace(1s, 2s), {10, 60, 30s});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("the time budget has 28s left"), std::string::npos) << lines[0];
}

// snappy's shape: 13 s a round, 30 s budget, 2 s of it spent on the warmups: 10 runs need 130 s.
TEST(TimeBudget, BudgetShortOfTheMinimumWarnsWithWhatWouldHelp) {
  const auto lines = estimate_lines(warmup_pace(13s, 2s), {10, 60, 30s});
  ASSERT_EQ(lines.size(), 2u);
  const std::string& warning = lines[1];
  EXPECT_EQ(warning.rfind("perfguard: warning: 10 runs per side need about 130s, more than the "
                          "28s left of the time budget",
                          0),
            0u)
      << warning;
  for (const char* help : {"--only", "--shard", "--benchmark_min_time", "--max-time"})
    EXPECT_NE(warning.find(help), std::string::npos) << help;
}

// From the first round's pace one round is already done: 9 more for min_runs 10.
TEST(TimeBudget, FirstRoundPaceCountsTheRoundDone) {
  const harness::Pace pace{2s, 2s, 1, false};
  const auto lines = estimate_lines(pace, {10, 20, 19s});
  ASSERT_EQ(lines.size(), 2u);  // 9 x 2 s = 18 s > 17 s left
  EXPECT_NE(lines[0].find("about 18s for 10 runs per side, up to 38s for 20"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("first round's pace"), std::string::npos);
}

// Without --max-runs the budget planned N, which the pace carries: 1.3 s a round, 120 runs
// planned: 120 x 1.3 s = 156 s, 10 x 1.3 s = 13 s; 200 s - 1.3 s = 199 s left.
TEST(TimeBudget, ABudgetPlannedNIsNamed) {
  harness::Pace pace = warmup_pace(1300ms, 1300ms);
  pace.planned_runs = 120;
  const auto lines = estimate_lines(pace, {10, std::nullopt, 200s});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "perfguard: note: planning up to 120 runs per side from the time budget; measuring "
            "takes about 13s for 10 runs per side, up to 156s for 120 (1.3s a round at the "
            "warmups' pace); the time budget has 199s left");
}

TEST(TimeBudget, ListenerPrintsAfterClearingTheProgressLine) {
  std::ostringstream notes;
  int cleared = 0;
  EstimateNotes listener(notes, {10, 60, 30s}, [&] { ++cleared; });
  listener.on_pace(warmup_pace(13s, 2s));
  EXPECT_EQ(cleared, 1);
  const std::string text = notes.str();
  EXPECT_NE(text.find("perfguard: note: measuring takes about"), std::string::npos);
  EXPECT_NE(text.find("\nperfguard: warning: "), std::string::npos);
}

}  // namespace
}  // namespace perfguard::pipeline
