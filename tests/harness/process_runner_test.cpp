// SystemProcessRunner against real child processes (helpers/pg_helper). Timing bounds are
// deliberately loose: these tests check that the right thing is measured, not how fast the
// machine is.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "harness/cpu_list.hpp"
#include "harness/process_runner.hpp"
#include "tests/support/run_command.hpp"

namespace perfguard::harness {
namespace {

using namespace std::chrono_literals;
using tests::process_gone;

ProcessSpec program(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

ProcessSpec helper(std::vector<std::string> args) {
  args.insert(args.begin(), PG_HELPER_PATH);
  return program(std::move(args));
}

ProcessSpec captured(std::vector<std::string> args) {
  ProcessSpec spec = helper(std::move(args));
  spec.stdout_mode = OutputMode::capture;
  spec.stderr_mode = OutputMode::capture;
  return spec;
}

// Gone, or a zombie nobody reaped yet (in a container, PID 1 may never reap): not running.
TEST(SystemProcessRunner, SleepIsTimedByTheWallClock) {
  SystemProcessRunner runner;
  const RunResult result = runner.run(helper({"sleep", "50"}));
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(result.termination, Termination::exited);
  EXPECT_GE(result.wall_time, 0.040);
  EXPECT_LE(result.wall_time, 2.0);
  EXPECT_LT(result.user_time + result.sys_time, result.wall_time);
}

TEST(SystemProcessRunner, BurningCpuShowsAsUserTime) {
  SystemProcessRunner runner;
  const RunResult result = runner.run(helper({"burn", "150"}));
  EXPECT_TRUE(result.succeeded());
  EXPECT_GE(result.user_time + result.sys_time, 0.140);
  EXPECT_GE(result.user_time, 0.100);
  EXPECT_LE(result.user_time, 5.0);
}

TEST(SystemProcessRunner, AllocatedMemoryShowsInMaxRss) {
  SystemProcessRunner runner;
  const RunResult small = runner.run(helper({"alloc", "1"}));
  const RunResult large = runner.run(helper({"alloc", "64"}));
  ASSERT_TRUE(small.succeeded());
  ASSERT_TRUE(large.succeeded());
  constexpr std::int64_t kMiB = 1 << 20;
  EXPECT_GE(large.max_rss, 64 * kMiB);
  // The pre-exec image (this test binary at the fork) and the C++ runtime come on top.
  EXPECT_LE(large.max_rss, 64 * kMiB + small.max_rss + 8 * kMiB);
  EXPECT_GT(large.max_rss - small.max_rss, 56 * kMiB);
}

TEST(SystemProcessRunner, ExitStatusIsReported) {
  SystemProcessRunner runner;
  const RunResult result = runner.run(helper({"exit", "3"}));
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.termination, Termination::exited);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(describe_termination(result), "exit 3");
}

TEST(SystemProcessRunner, DeathBySignalIsReported) {
  SystemProcessRunner runner;
  const RunResult result = runner.run(helper({"signal", "SEGV"}));
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.termination, Termination::signaled);
  EXPECT_EQ(result.signal, SIGSEGV);
  EXPECT_EQ(describe_termination(result), "killed by SIGSEGV");
}

TEST(SystemProcessRunner, TimeoutKillsTheWholeProcessGroup) {
  const std::filesystem::path pid_file =
      std::filesystem::temp_directory_path() / ("pg_hang_" + std::to_string(::getpid()));
  std::filesystem::remove(pid_file);
  ProcessSpec spec = helper({"hang", pid_file.string()});
  spec.timeout = 300ms;
  SystemProcessRunner runner;
  const RunResult result = runner.run(spec);
  EXPECT_EQ(result.termination, Termination::timed_out);
  EXPECT_EQ(describe_termination(result), "timeout after 300ms");
  EXPECT_GE(result.wall_time, 0.25);
  EXPECT_LE(result.wall_time, 5.0);

  std::ifstream pids(pid_file);
  pid_t child = 0;
  pid_t grandchild = 0;
  ASSERT_TRUE(pids >> child >> grandchild) << "the helper did not write " << pid_file;
  std::filesystem::remove(pid_file);
  EXPECT_TRUE(process_gone(child));
  // The grandchild was killed with the group; give init a moment to notice.
  for (int i = 0; i < 100 && !process_gone(grandchild); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(process_gone(grandchild));
}

// The pids a command printed, one a line.
std::vector<pid_t> pids_in(const std::string& text) {
  std::istringstream in(text);
  std::vector<pid_t> pids;
  pid_t pid = 0;
  while (in >> pid) pids.push_back(pid);
  return pids;
}

// Without the cgroup, the subreaper alone: what a command leaves running is re-parented to
// perfguard and killed when its run ends (once, 4 sleeps outlived every run).
TEST(SystemProcessRunner, BackgroundChildrenEndWithTheirRun) {
  ASSERT_EQ(::setenv("PERFGUARD_NO_CGROUP", "1", 1), 0);
  ProcessSpec spec = program({"sh", "-c", "sleep 60 & echo $!; sleep 60 & echo $!"});
  spec.stdout_mode = OutputMode::capture;
  SystemProcessRunner runner;
  const RunResult result = runner.run(spec);
  EXPECT_TRUE(result.succeeded()) << describe_failure(result);
  const std::vector<pid_t> pids = pids_in(result.stdout_text);
  ASSERT_EQ(pids.size(), 2U) << result.stdout_text;
  for (const pid_t pid : pids) {
    EXPECT_TRUE(process_gone(pid)) << pid;
    if (!process_gone(pid)) ::kill(pid, SIGKILL);
  }
}

// A grandchild that setsid() out of the group the timeout kills escaped it.
TEST(SystemProcessRunner, SetsidGrandchildDiesWithItsTimedOutRun) {
  ASSERT_EQ(::setenv("PERFGUARD_NO_CGROUP", "1", 1), 0);
  ProcessSpec spec = program({"sh", "-c", "setsid sh -c 'echo $$; exec sleep 60' & sleep 60"});
  spec.stdout_mode = OutputMode::capture;
  spec.timeout = 500ms;
  SystemProcessRunner runner;
  const RunResult result = runner.run(spec);
  EXPECT_EQ(result.termination, Termination::timed_out);
  const std::vector<pid_t> pids = pids_in(result.stdout_text);
  ASSERT_EQ(pids.size(), 1U) << result.stdout_text;
  EXPECT_TRUE(process_gone(pids.front()));
  if (!process_gone(pids.front())) ::kill(pids.front(), SIGKILL);
}

TEST(SystemProcessRunner, RunWithinItsTimeoutFinishesNormally) {
  ProcessSpec spec = helper({"sleep", "20"});
  spec.timeout = 10s;
  SystemProcessRunner runner;
  const RunResult result = runner.run(spec);
  EXPECT_TRUE(result.succeeded());
  EXPECT_LE(result.wall_time, 5.0);
}

TEST(SystemProcessRunner, CaptureIsBounded) {
  ProcessSpec spec = captured({"print", "100000"});
  spec.capture_limit = 1000;
  SystemProcessRunner runner;
  const RunResult big = runner.run(spec);
  EXPECT_TRUE(big.succeeded());
  EXPECT_EQ(big.stdout_text, std::string(1000, 'x'));
  EXPECT_TRUE(big.stdout_truncated);

  const RunResult small = runner.run(captured({"print", "500"}));
  EXPECT_EQ(small.stdout_text.size(), 500u);
  EXPECT_FALSE(small.stdout_truncated);
}

TEST(SystemProcessRunner, DiscardedOutputDoesNotBlockTheChild) {
  SystemProcessRunner runner;
  EXPECT_TRUE(runner.run(helper({"print", "1000000"})).succeeded());
}

TEST(SystemProcessRunner, FailureNamesTheLastLineOfStderr) {
  SystemProcessRunner runner;
  const RunResult result = runner.run(captured({"fail", "no such fixture"}));
  EXPECT_EQ(describe_failure(result), "exit 1 (no such fixture)");
}

TEST(SystemProcessRunner, StdinIsEmpty) {
  SystemProcessRunner runner;
  EXPECT_EQ(runner.run(captured({"stdin"})).stdout_text, "0");
}

TEST(SystemProcessRunner, EnvironmentIsInheritedAndExtended) {
  ProcessSpec spec = captured({"env", "PG_TEST_VARIABLE"});
  spec.environment = {{"PG_TEST_VARIABLE", "forty-two"}};
  SystemProcessRunner runner;
  EXPECT_EQ(runner.run(spec).stdout_text, "forty-two");
  EXPECT_EQ(runner.run(captured({"env", "PATH"})).stdout_text, std::getenv("PATH"));
}

TEST(SystemProcessRunner, WorkingDirectoryIsSet) {
  const std::filesystem::path directory =
      std::filesystem::canonical(std::filesystem::temp_directory_path());
  ProcessSpec spec = captured({"pwd"});
  spec.working_directory = directory.string();
  SystemProcessRunner runner;
  EXPECT_EQ(runner.run(spec).stdout_text, directory.string());
}

TEST(SystemProcessRunner, PinsTheChildToTheGivenCpus) {
  const std::vector<int> allowed = allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  ProcessSpec spec = captured({"affinity"});
  spec.cpus = {allowed.back()};
  SystemProcessRunner runner;
  EXPECT_EQ(runner.run(spec).stdout_text, std::to_string(allowed.back()));
  // Unpinned, the child may use what perfguard may.
  std::string all;
  for (const int cpu : allowed) all += (all.empty() ? "" : ",") + std::to_string(cpu);
  EXPECT_EQ(runner.run(captured({"affinity"})).stdout_text, all);
}

TEST(SystemProcessRunner, ProgramThatCannotStartThrows) {
  SystemProcessRunner runner;
  EXPECT_THROW((void)runner.run(program({"/nonexistent/perfguard-helper"})), ExecutionError);
  EXPECT_THROW((void)runner.run(program({"perfguard-no-such-program"})), ExecutionError);
}

TEST(SystemProcessRunner, ProgramIsFoundInPath) {
  SystemProcessRunner runner;
  EXPECT_TRUE(runner.run(program({"true"})).succeeded());
}

}  // namespace
}  // namespace perfguard::harness
