// Settling after the build (pipeline/settle.hpp) and the progress line's time left
// (pipeline/progress_line.hpp): pure pieces, with scripted samples and clocks.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "pipeline/progress_line.hpp"
#include "pipeline/settle.hpp"

namespace perfguard::pipeline {
namespace {

using std::chrono::seconds;

TEST(Settle, RunnableTasksBesidesTheReader) {
  // The fourth field of /proc/loadavg (proc(5)): runnable/total; the reader is one of them.
  EXPECT_EQ(runnable_besides_reader("2.14 1.05 0.40 3/412 98765"), 2.0);
  EXPECT_EQ(runnable_besides_reader("0.00 0.01 0.05 1/80 4242"), 0.0);
  EXPECT_EQ(runnable_besides_reader("0.00 0.01 0.05 0/80 4242"), 0.0);
  EXPECT_EQ(runnable_besides_reader("0.00 0.01 0.05"), std::nullopt);
  EXPECT_EQ(runnable_besides_reader("0.00 0.01 0.05 x/80 1"), std::nullopt);
  EXPECT_EQ(runnable_besides_reader(""), std::nullopt);
}

TEST(Settle, WaitsUntilFewerThanHalfTheCpusAreBusy) {
  std::vector<double> script{3.0, 2.0, 1.2, 0.4, 0.0};
  std::size_t next = 0;
  std::vector<seconds> slept;
  const Settled settled = settle(
      2, [&] { return std::optional<double>(script.at(next++)); },
      [&](seconds s) { slept.push_back(s); });
  EXPECT_EQ(settled.runnable, 0.4);
  EXPECT_EQ(settled.waited, seconds(6));
  EXPECT_EQ(slept, (std::vector<seconds>{seconds(2), seconds(2), seconds(2)}));
}

TEST(Settle, QuietMachineIsNotWaitedFor) {
  std::size_t calls = 0;
  const Settled settled = settle(
      4,
      [&] {
        ++calls;
        return std::optional<double>(1.0);
      },
      [](seconds) { FAIL(); });
  EXPECT_EQ(calls, 1U);
  EXPECT_EQ(settled.waited, seconds(0));
}

TEST(Settle, WaitIsBoundedAndABusyMachineStaysBusy) {
  std::vector<seconds> slept;
  const Settled settled = settle(
      2, [] { return std::optional<double>(5.0); }, [&](seconds s) { slept.push_back(s); },
      seconds(30), seconds(2));
  EXPECT_EQ(settled.waited, seconds(30));
  EXPECT_EQ(slept.size(), 15U);
  EXPECT_EQ(settled.runnable, 5.0);
}

TEST(Settle, UnreadableLoadEndsAtOnce) {
  const Settled settled = settle(
      2, [] { return std::optional<double>(); }, [](seconds) { FAIL(); });
  EXPECT_EQ(settled.runnable, std::nullopt);
}

TEST(ProgressLine, TimeLeftAtThePaceOfTheRoundsSoFar) {
  harness::Progress progress;
  progress.planned_runs = 60;
  progress.round = 11;  // 10 rounds done in 20 s: 2 s each, 50 rounds left
  progress.elapsed = seconds(20);
  EXPECT_EQ(time_left(progress), std::chrono::nanoseconds(seconds(100)));
  progress.round = 60;  // the last round is running: 59 done in 118 s, this one left
  progress.elapsed = seconds(118);
  EXPECT_EQ(time_left(progress), std::chrono::nanoseconds(seconds(2)));
  progress.round = 1;  // no round finished: no pace yet
  EXPECT_EQ(time_left(progress), std::nullopt);
  progress.round = 5;
  progress.warmup = true;
  EXPECT_EQ(time_left(progress), std::nullopt);
  progress.warmup = false;
  progress.planned_runs = 0;  // N unknown (max_time before the pace is known)
  EXPECT_EQ(time_left(progress), std::nullopt);
}

TEST(ProgressLine, FormatsTimeLeft) {
  EXPECT_EQ(format_time_left(seconds(45)), "45 s");
  EXPECT_EQ(format_time_left(seconds(185)), "3 min 05 s");
  EXPECT_EQ(format_time_left(seconds(3720)), "1 h 02 min");
}

}  // namespace
}  // namespace perfguard::pipeline
