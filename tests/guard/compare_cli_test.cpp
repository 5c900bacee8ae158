// End to end: perfguard compare on throwaway git repositories made here. The "project" is a
// shell script the build step copies into the build folder; its run time is a sleep, which
// keeps these tests fast and their timings steady.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/gate_artifacts.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string today_plus(int days) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                   std::chrono::days(days);
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "warmup": 1, "timeout": "2s"},
                 {"id": "tool.size", "file_size": "{build}/tool"}],
  "budgets": [{"benchmark": "*", "max_regression": "10%"}],
  "approvals": "perfguard-approvals.json"
})";

// A repository whose tool sleeps 50 ms, committed and tagged v1.0.0. The threshold is 10%:
// these tests run beside others on two cores, and must not be flaky; the planted
// regressions are 30%.
class CompareCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write("perfguard.json", kConfig);
    write("perfguard-approvals.json", R"({"schema": "perfguard.approvals.v1", "approvals": []})");
    commit_tool("sleep 0.05\n", "v1");
    git_.git({"tag", "v1.0.0"});
  }

  void write(const std::string& name, const std::string& content) const {
    git_.write(name, content);
  }

  // A commit that leaves the tool byte for byte as it was.
  void commit_unrelated(const std::string& message) const {
    write("NOTES.txt", message);
    git_.commit(message);
  }

  void commit_tool(const std::string& body, const std::string& message) const {
    write("tool.sh", "#!/bin/sh\n" + body);
    git_.commit(message);
  }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }

  CommandResult compare(std::vector<std::string> extra = {},
                        const std::string& base = "v1.0.0") const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare", "--repo",     repo().string(),
                                     "--base",         base,      "--out",      out().string(),
                                     "--min-runs",     "8",       "--max-runs", "30"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args);
  }

  [[nodiscard]] json comparison() const { return read_comparison(out()); }

  [[nodiscard]] json row(const std::string& benchmark) const {
    return result_row(out(), benchmark);
  }

  [[nodiscard]] bool worktrees_gone() const {
    const fs::path dir = repo() / ".perfguard" / "worktrees";
    return !fs::exists(dir) || fs::is_empty(dir);
  }

  void approve(const std::string& created, const std::string& expires) const {
    write("perfguard-approvals.json", json{{"schema", "perfguard.approvals.v1"},
                                           {"approvals",
                                            {{{"benchmark", "tool.run"},
                                              {"metric", "wall_time"},
                                              {"max_ratio", 1.5},
                                              {"reason", "slower but safer"},
                                              {"approver", "j.doe"},
                                              {"ticket", "#7"},
                                              {"created", created},
                                              {"expires", expires}}}}}
                                          .dump());
  }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
};

TEST_F(CompareCli, IdenticalCodePasses) {
  commit_unrelated("same code, new notes");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(row("tool.run")["verdict"], "unchanged");
  EXPECT_EQ(row("tool.size")["verdict"], "unchanged");
  // Timed runs are judged round by round; a file size is exact (docs/design.md).
  EXPECT_EQ(row("tool.run")["method"], "paired_sign");
  EXPECT_GT(row("tool.run")["paired_rounds"].get<int>(), 0);
  EXPECT_EQ(row("tool.size")["method"], "median_ratio");
  const json doc = comparison();
  EXPECT_EQ(doc["base"]["ref"], "v1.0.0");
  EXPECT_EQ(doc["base"]["commit"].get<std::string>().size(), 40U);
  EXPECT_EQ(doc["host"]["pinned_cpus"].size(), 1U);
  EXPECT_TRUE(worktrees_gone());
  for (const char* file : {"samples.jsonl", "events.jsonl", "budget_summary.json",
                           "perf_comparison.md", "junit.xml"}) {
    EXPECT_TRUE(fs::exists(out() / file)) << file;
  }
  const std::string events = slurp(out() / "events.jsonl");
  for (const char* stage : {"resolved", "worktree", "build", "run", "verdict"}) {
    EXPECT_NE(events.find(std::string("\"stage\":\"") + stage + "\""), std::string::npos) << stage;
  }
}

TEST_F(CompareCli, PlantedSlowdownIsCaughtWithAReplayThatReproducesIt) {
  commit_tool("sleep 0.065\n", "30% slower");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json slow = row("tool.run");
  EXPECT_EQ(slow["verdict"], "regressed");
  const std::string replay = slow["replay"];
  EXPECT_EQ(replay.rfind("perfguard compare --base ", 0), 0U) << replay;
  EXPECT_NE(replay.find("--only tool.run"), std::string::npos);
  // The replay, run as printed (perfguard on PATH), re-runs only that benchmark and fails again.
  const std::string bin = fs::path(PERFGUARD_BINARY).parent_path().string();
  const CommandResult again =
      run_command({"/bin/sh", "-c",
                   "cd " + repo().string() + " && PATH=" + bin + ":$PATH " + replay + " --out " +
                       (dir_.path() / "replay").string() + " --min-runs 8"});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("1 results, 1 failing"), std::string::npos) << again.out;
}

// The replay as printed, run from an unrelated folder: it finds the repository, samples as the
// gate did, and writes into <out>/replay, leaving the gate's own reports alone.
TEST_F(CompareCli, ReplayWorksFromAnyDirectoryAndWritesItsOwnFolder) {
  commit_tool("sleep 0.065\n", "30% slower");
  const CommandResult r = compare({"--warmup", "2"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string replay = row("tool.run")["replay"];
  EXPECT_NE(replay.find(" --repo " + repo().string() + " "), std::string::npos) << replay;
  EXPECT_NE(replay.find(" --out " + (out() / "replay").string() + " "), std::string::npos)
      << replay;
  EXPECT_NE(replay.find(" --min-runs 8 --max-runs 30 --warmup 2 "), std::string::npos) << replay;
  const std::string gate_report = slurp(out() / "perf_comparison.json");
  const fs::path elsewhere = dir_.path() / "elsewhere";
  fs::create_directories(elsewhere);
  const std::string bin = fs::path(PERFGUARD_BINARY).parent_path().string();
  const CommandResult again = run_command(
      {"/bin/sh", "-c", "cd " + elsewhere.string() + " && PATH=" + bin + ":$PATH " + replay});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("1 results, 1 failing"), std::string::npos) << again.out;
  EXPECT_TRUE(fs::exists(out() / "replay" / "perf_comparison.json"));
  EXPECT_TRUE(fs::is_empty(elsewhere));
  EXPECT_EQ(slurp(out() / "perf_comparison.json"), gate_report);
}

// .perfguard/ ignores itself: the checkout stays clean in `git status`.
TEST_F(CompareCli, StateDirectoryStaysOutOfGitStatus) {
  commit_unrelated("same code");
  // The fewest runs allowed (the gate may fail as inconclusive); the run is what matters here.
  const CommandResult r = compare({"--runs", "7"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
  EXPECT_TRUE(fs::exists(repo() / ".perfguard" / ".gitignore"));
  EXPECT_EQ(git_.git({"status", "--porcelain"}).out, "");
}

// "args" follow the command, "env" is added to the environment, "cwd" is taken from the
// worktree; {build} and {worktree} are substituted in each. The tool exits 7 unless all hold.
TEST_F(CompareCli, ArgsEnvAndCwdReachTheBenchmark) {
  fs::create_directories(repo() / "data");
  write("data/input.txt", "words\n");
  write("perfguard.json", R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool", "--mode"], "args": ["{build}"],
                  "env": {"PG_DATA": "{worktree}/data"}, "cwd": "data", "timeout": "2s"}],
  "budgets": [{"benchmark": "*", "max_regression": "10%"}]
})");
  commit_tool(
      "[ \"$1\" = --mode ] && [ -x \"$2/tool\" ] && [ . -ef \"$PG_DATA\" ] && "
      "[ -f input.txt ] || exit 7\nsleep 0.02\n",
      "a tool that checks its arguments, environment and folder");
  git_.git({"tag", "v1.1.0"});
  const CommandResult r = compare({"--base", "v1.1.0", "--runs", "7"});
  // Every run succeeded on both sides (a busy machine may leave 7 runs inconclusive, which
  // is beside the point here; an exit 7 would be an error, exit 3).
  EXPECT_NE(r.exit_code, 3) << r.out << r.err;
  const json run = row("tool.run");
  EXPECT_NE(run["verdict"], "error") << run["reason"];
  EXPECT_TRUE(run["failures"]["base"].empty()) << run["failures"];
  EXPECT_TRUE(run["failures"]["candidate"].empty()) << run["failures"];
  EXPECT_EQ(run["candidate"]["n"], 7) << run["reason"];
}

TEST_F(CompareCli, ReplayKeepsTheThresholdAndConfidence) {
  commit_tool("sleep 0.065\n", "30% slower");
  const CommandResult r = compare({"--threshold", "10%", "--confidence", "0.9"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string replay = row("tool.run")["replay"];
  EXPECT_NE(replay.find(" --threshold 10% "), std::string::npos) << replay;
  EXPECT_NE(replay.find(" --confidence 0.9 "), std::string::npos) << replay;
}

TEST_F(CompareCli, ValidApprovalPassesAndExpiredOneFails) {
  commit_tool("sleep 0.065\n", "30% slower");
  approve(today_plus(-1), today_plus(10));
  git_.git({"commit", "-qam", "approve"});
  const CommandResult approved = compare();
  EXPECT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_EQ(row("tool.run")["verdict"], "approved");

  approve(today_plus(-20), today_plus(-1));
  const CommandResult expired = compare();  // the approvals file is read from the working tree
  EXPECT_EQ(expired.exit_code, 1) << expired.out;
  EXPECT_NE(expired.out.find("is invalid: expired on " + today_plus(-1)), std::string::npos)
      << expired.out;
}

TEST_F(CompareCli, PercentileBudgetGetsTheRunsItNeeds) {
  // The verdict settles after 8 runs, but a p95 budget needs 20 samples: sampling goes on.
  write("perfguard.json",
        std::string(kConfig).replace(
            std::string(kConfig).find(R"({"benchmark": "*", "max_regression": "10%"})"), 0,
            R"({"benchmark": "tool.run", "statistic": "p95", "max": "1s"}, )"));
  commit_unrelated("a p95 budget");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json doc = comparison();
  ASSERT_EQ(doc["budgets"].size(), 1U);
  EXPECT_EQ(doc["budgets"][0]["status"], "pass") << doc["budgets"][0]["reason"];
  EXPECT_GE(row("tool.run")["candidate"]["n"].get<int>(), 20);
}

TEST_F(CompareCli, UnknownRefIsAUsageError) {
  const CommandResult r = run_command({PERFGUARD_BINARY, "compare", "--repo", repo().string(),
                                       "--base", "v9.9.9", "--out", out().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--base v9.9.9: no such commit"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(repo() / ".perfguard" / "worktrees"));
}

// A config with a second program, "newtool", that a revision builds only when it has
// newtool.sh.
constexpr const char* kTwoProgramsConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool && if [ -f {worktree}/newtool.sh ]; then cp {worktree}/newtool.sh {build}/newtool && chmod +x {build}/newtool; fi"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "warmup": 1, "timeout": "2s"},
                 {"id": "tool.new", "command": ["{build}/newtool"], "warmup": 1, "timeout": "2s"}],
  "budgets": [{"benchmark": "*", "max_regression": "10%"}],
  "approvals": "perfguard-approvals.json"
})";

TEST_F(CompareCli, ProgramOnlyTheCandidateBuildsIsNew) {
  write("perfguard.json", kTwoProgramsConfig);
  write("newtool.sh", "#!/bin/sh\nsleep 0.02\n");
  git_.commit("a new benchmark program");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(row("tool.new")["verdict"], "new") << row("tool.new");
  EXPECT_EQ(row("tool.new")["passes"], true);
  EXPECT_EQ(row("tool.run")["verdict"], "unchanged") << row("tool.run");
}

TEST_F(CompareCli, ProgramTheCandidateNoLongerBuildsIsMissing) {
  write("perfguard.json", kTwoProgramsConfig);
  write("newtool.sh", "#!/bin/sh\nsleep 0.02\n");
  git_.commit("a second benchmark program");
  git_.git({"tag", "v2.0.0"});
  git_.git({"rm", "-q", "newtool.sh"});
  git_.commit("the second program is gone");
  const CommandResult r = compare({}, "v2.0.0");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(row("tool.new")["verdict"], "missing") << row("tool.new");
  EXPECT_EQ(row("tool.new")["removed"], true);
  EXPECT_EQ(row("tool.new")["passes"], false);
}

TEST_F(CompareCli, BuildFailureExitsThreeWithTheLogTail) {
  write("perfguard.json",
        std::string(kConfig).replace(std::string(kConfig).find("cp {worktree}"), 2,
                                     "echo compiler says no >&2; false && cp"));
  git_.git({"commit", "-qam", "broken build"});
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("build step 1 of 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("compiler says no"), std::string::npos) << r.err;
  EXPECT_TRUE(worktrees_gone());
}

TEST_F(CompareCli, CandidateThatCrashesFailsWithTheReason) {
  commit_tool("kill -SEGV $$\n", "crashes");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(row("tool.run")["verdict"], "error");
  // The config's one warmup is the first run to crash, and the reason says so.
  EXPECT_NE(
      row("tool.run")["reason"].get<std::string>().find("candidate: warmup 0: killed by SIGSEGV"),
      std::string::npos)
      << row("tool.run")["reason"];
}

TEST_F(CompareCli, HangingBenchmarkIsKilledAtItsTimeout) {
  commit_tool("sleep 30\n", "hangs");
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = compare();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(25));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(row("tool.run")["reason"].get<std::string>().find("timeout after 2s"),
            std::string::npos)
      << row("tool.run")["reason"];
  // The warmup already ran into the limit: the reason says so and names the key to raise.
  EXPECT_NE(row("tool.run")["reason"].get<std::string>().find(
                "a warmup run alone exceeded the timeout (timeout after 2s); raise \"timeout\" of "
                "benchmark \"tool.run\" in the config"),
            std::string::npos)
      << row("tool.run")["reason"];
}

TEST_F(CompareCli, SecondRunReusesBuilds) {
  commit_unrelated("same code");
  ASSERT_EQ(compare().exit_code, 0);
  EXPECT_NE(slurp(out() / "events.jsonl").find("\"outcome\":\"built\""), std::string::npos);
  ASSERT_EQ(compare().exit_code, 0);
  const std::string events = slurp(out() / "events.jsonl");
  EXPECT_EQ(events.find("\"outcome\":\"built\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"outcome\":\"reused\""), std::string::npos) << events;
}

TEST_F(CompareCli, InterruptRemovesWorktreesAndKeepsTheJournal) {
  commit_tool("sleep 0.2\n", "slow enough to interrupt");
  const std::string out_dir = out().string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(PERFGUARD_BINARY, PERFGUARD_BINARY, "compare", "--repo", repo().c_str(), "--base",
          "v1.0.0", "--out", out_dir.c_str(), "--runs", "50", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until some runs are journaled, then press Ctrl-C.
  const fs::path journal = out() / "samples.jsonl";
  for (int i = 0; i < 200 && (!fs::exists(journal) || fs::file_size(journal) < 500); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(fs::exists(journal));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_TRUE(worktrees_gone());
  EXPECT_GT(fs::file_size(journal), 0U);
  EXPECT_NE(slurp(out() / "events.jsonl").find("\"stage\":\"interrupted\""), std::string::npos);
}

// A run killed with SIGKILL never cleans up: its worktree of another commit stayed forever, as
// did git's record of one whose folder was deleted by hand. The next run prunes both.
TEST_F(CompareCli, StaleWorktreesOfKilledRunsArePruned) {
  commit_unrelated("a commit measured once");
  const std::string old_commit = git_.rev_parse("HEAD");
  commit_unrelated("moves on");
  const fs::path worktrees = repo() / ".perfguard" / "worktrees";
  const fs::path stale = worktrees / old_commit;
  git_.git({"worktree", "add", "--detach", stale.string(), old_commit});
  const fs::path vanished = worktrees / "0000000000000000000000000000000000000000";
  git_.git({"worktree", "add", "--detach", vanished.string(), old_commit});
  fs::remove_all(vanished);
  const fs::path leftover = worktrees / "not-a-worktree";
  fs::create_directories(leftover / "deep");
  std::ofstream(leftover / "deep" / "file") << "left by a killed run";

  const CommandResult r = compare();
  EXPECT_LE(r.exit_code, 1) << r.out
                            << r.err;  // the run went through; its verdict is not the point
  EXPECT_NE(r.err.find("perfguard: note: removed the stale worktree " + stale.string()),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(worktrees_gone());
  const std::string listed = git_.git({"worktree", "list", "--porcelain"}).out;
  EXPECT_EQ(listed.find(".perfguard"), std::string::npos) << listed;
}

TEST_F(CompareCli, SecondConcurrentRunIsRefusedByTheLock) {
  fs::create_directories(repo() / ".perfguard");
  // flock(1) holds the lock while perfguard runs, as a running compare would.
  const CommandResult r = run_command({"/usr/bin/flock", (repo() / ".perfguard" / "lock").string(),
                                       PERFGUARD_BINARY, "compare", "--repo", repo().string(),
                                       "--base", "v1.0.0", "--out", out().string(), "--runs", "10"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("another perfguard run holds"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace perfguard::tests
