// ProcessTrial over a scripted runner: what a run measures, which exits count as failures,
// and when --setup and --prepare run.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "harness/process_trial.hpp"

namespace perfguard::harness {
namespace {

RunResult exited(int code, double wall = 0.5) {
  RunResult result;
  result.exit_code = code;
  result.wall_time = wall;
  result.user_time = 0.25;
  result.sys_time = 0.125;
  result.max_rss = 1 << 20;
  return result;
}

RunResult signaled(int signal) {
  RunResult result;
  result.termination = Termination::signaled;
  result.signal = signal;
  return result;
}

ProcessSpec program(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

ProcessTrialOptions command(std::vector<std::string> argv) {
  ProcessTrialOptions options;
  options.command.argv = std::move(argv);
  return options;
}

TEST(ProcessTrial, MeasuresFourMetrics) {
  FakeProcessRunner runner([](const ProcessSpec&, std::size_t) { return exited(0); });
  ProcessTrial trial(runner, command({"app"}));
  const Outcome outcome = trial.run();
  EXPECT_FALSE(outcome.failed());
  EXPECT_EQ(outcome.exit_code, 0);
  ASSERT_EQ(outcome.observations.size(), 4u);
  EXPECT_EQ(outcome.observations[0].metric, "wall_time");
  EXPECT_EQ(outcome.observations[0].value, 0.5);
  EXPECT_EQ(outcome.observations[1].metric, "user_time");
  EXPECT_EQ(outcome.observations[2].metric, "sys_time");
  EXPECT_EQ(outcome.observations[3].metric, "max_rss");
  EXPECT_EQ(outcome.observations[3].unit, "bytes");
  EXPECT_EQ(outcome.observations[3].value, 1 << 20);
}

TEST(ProcessTrial, NonZeroExitFailsUnlessIgnored) {
  FakeProcessRunner runner([](const ProcessSpec&, std::size_t) { return exited(3); });
  ProcessTrial strict(runner, command({"app"}));
  const Outcome failed = strict.run();
  ASSERT_TRUE(failed.failed());
  EXPECT_EQ(failed.failures[0].reason, "exit 3");
  EXPECT_TRUE(failed.observations.empty());
  EXPECT_EQ(failed.exit_code, 3);

  ProcessTrialOptions options = command({"app"});
  options.ignore_exit_code = true;
  ProcessTrial lenient(runner, options);
  const Outcome measured = lenient.run();
  EXPECT_FALSE(measured.failed());
  EXPECT_EQ(measured.exit_code, 3);
  EXPECT_EQ(measured.observations.size(), 4u);
}

TEST(ProcessTrial, SignalsFailEvenWhenExitCodesAreIgnored) {
  FakeProcessRunner runner([](const ProcessSpec&, std::size_t) { return signaled(11); });
  ProcessTrialOptions options = command({"app"});
  options.ignore_exit_code = true;
  ProcessTrial trial(runner, options);
  const Outcome outcome = trial.run();
  ASSERT_TRUE(outcome.failed());
  EXPECT_EQ(outcome.failures[0].reason, "killed by SIGSEGV");
  EXPECT_FALSE(outcome.exit_code.has_value());
}

TEST(ProcessTrial, SetupOnceAndPrepareBeforeEveryRun) {
  FakeProcessRunner runner([](const ProcessSpec&, std::size_t) { return exited(0); });
  ProcessTrialOptions options = command({"app"});
  options.setup = program({"make-fixture"});
  options.prepare = program({"drop-caches"});
  ProcessTrial trial(runner, options);
  trial.setup();
  (void)trial.run();
  (void)trial.run();
  std::vector<std::string> programs;
  for (const ProcessSpec& spec : runner.calls()) programs.push_back(spec.argv[0]);
  EXPECT_EQ(programs,
            (std::vector<std::string>{"make-fixture", "drop-caches", "app", "drop-caches", "app"}));
  // Helpers' stderr is captured to explain their failures; the command's is not.
  EXPECT_EQ(runner.calls()[1].stderr_mode, OutputMode::capture);
  EXPECT_EQ(runner.calls()[2].stderr_mode, OutputMode::discard);
}

TEST(ProcessTrial, FailedPrepareFailsTheRunWithItsReason) {
  FakeProcessRunner runner([](const ProcessSpec& spec, std::size_t) {
    if (spec.argv[0] != "prep") return exited(0);
    RunResult result = exited(1);
    result.stderr_text = "prep: cannot write /tmp/x\n";
    return result;
  });
  ProcessTrialOptions options = command({"app"});
  options.prepare = program({"prep", "--fast"});
  ProcessTrial trial(runner, options);
  const Outcome outcome = trial.run();
  ASSERT_TRUE(outcome.failed());
  EXPECT_EQ(outcome.failures[0].reason,
            "prepare command 'prep --fast' failed: exit 1 (prep: cannot write /tmp/x)");
  EXPECT_EQ(runner.calls().size(), 1u);
}

TEST(ProcessTrial, FailedSetupThrows) {
  FakeProcessRunner runner([](const ProcessSpec&, std::size_t) { return exited(2); });
  ProcessTrialOptions options = command({"app"});
  options.setup = program({"setup.sh"});
  ProcessTrial trial(runner, options);
  EXPECT_THROW(trial.setup(), ExecutionError);
}

}  // namespace
}  // namespace perfguard::harness
