// End to end: the real `perfguard time` on the helper program (helpers/pg_helper): output,
// exports, journal, exit codes. Runs are few and short; nothing asserts on speed.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "inputs/samples_journal.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

CommandResult perfguard_time(std::vector<std::string> args) {
  args.insert(args.begin(), {PERFGUARD_BINARY, "time"});
  return run_command(args);
}

// A -N command line running the helper.
std::string helper(const std::string& args) { return std::string(PG_HELPER_PATH) + " " + args; }

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(TimeCli, OneCommandGetsItsStatistics) {
  const CommandResult r = perfguard_time({"-N", "--runs", "5", helper("sleep 10")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Benchmark 1: " + helper("sleep 10")), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Time (mean ± σ):"), std::string::npos);
  EXPECT_NE(r.out.find("p95:                 needs at least 20 runs"), std::string::npos);
  EXPECT_NE(r.out.find("5 runs per command"), std::string::npos);
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal
}

TEST(TimeCli, ExportJsonKeepsHyperfineFields) {
  const TempDir dir;
  const auto file = dir.path() / "out.json";
  const CommandResult r = perfguard_time(
      {"-N", "--runs", "8", "--export-json", file.string(), helper("sleep 5"), helper("sleep 40")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = read_json(file);
  EXPECT_EQ(doc["schema"], "perfguard.time.v1");
  ASSERT_EQ(doc["results"].size(), 2u);
  const nlohmann::json& first = doc["results"][0];
  EXPECT_EQ(first["command"], helper("sleep 5"));
  for (const char* key : {"mean", "stddev", "median", "user", "system", "min", "max"}) {
    EXPECT_TRUE(first[key].is_number()) << key;
  }
  EXPECT_EQ(first["times"].size(), 8u);
  EXPECT_EQ(first["exit_codes"], std::vector<int>(8, 0));
  EXPECT_EQ(first["memory_usage_byte"].size(), 8u);
  EXPECT_GE(first["min"].get<double>(), 0.004);
  ASSERT_EQ(doc["comparisons"].size(), 1u);
  const nlohmann::json& comparison = doc["comparisons"][0];
  EXPECT_EQ(comparison["command"], helper("sleep 40"));
  EXPECT_EQ(comparison["verdict"], "regressed");
  EXPECT_GT(comparison["ratio"].get<double>(), 2.0);
  EXPECT_EQ(doc["runs"], 8);
  // The default --confidence 0.98; with --runs there is one look, which gets all of it.
  EXPECT_NEAR(doc["settings"]["alpha"].get<double>(), 0.02, 1e-12);
  EXPECT_NEAR(doc["confidence"].get<double>(), 0.98, 1e-9);
}

// --ratio-method reaches the comparisons, the summary line and the export's settings; without
// it the paired default judges.
TEST(TimeCli, RatioMethodChoosesHowComparisonsAreJudged) {
  const TempDir dir;
  const auto file = dir.path() / "out.json";
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"-N", "--runs", "8", "--export-json", file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(helper("sleep 2"));
    args.push_back(helper("sleep 30"));
    return perfguard_time(args);
  };
  CommandResult r = run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = read_json(file);
  EXPECT_EQ(doc["settings"]["ratio_method"], "paired_sign");
  ASSERT_EQ(doc["comparisons"].size(), 1u);
  EXPECT_EQ(doc["comparisons"][0]["method"], "paired_sign");
  EXPECT_EQ(doc["comparisons"][0]["paired_rounds"], 8);
  EXPECT_NE(r.out.find("(median of the per-round ratios"), std::string::npos) << r.out;

  r = run({"--ratio-method", "median_ratio"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = read_json(file);
  EXPECT_EQ(doc["settings"]["ratio_method"], "median_ratio");
  EXPECT_EQ(doc["comparisons"][0]["method"], "median_ratio");
  EXPECT_TRUE(doc["comparisons"][0]["paired_rounds"].is_null());
  EXPECT_EQ(doc["comparisons"][0]["verdict"], "regressed");
  EXPECT_NE(r.out.find("(ratio of medians"), std::string::npos) << r.out;

  r = run({"--ratio-method", "paired_signed_rank"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = read_json(file);
  EXPECT_EQ(doc["settings"]["ratio_method"], "paired_signed_rank");
  EXPECT_EQ(doc["comparisons"][0]["method"], "paired_signed_rank");
  EXPECT_NE(r.out.find("(Hodges-Lehmann centre of the per-round ratios"), std::string::npos)
      << r.out;
}

TEST(TimeCli, FailIfSlowerExitsOneOnARegression) {
  const CommandResult slower = perfguard_time(
      {"-N", "--runs", "8", "--fail-if-slower", helper("sleep 5"), helper("sleep 40")});
  EXPECT_EQ(slower.exit_code, 1) << slower.out << slower.err;
  EXPECT_NE(slower.out.find("regressed"), std::string::npos);
  const CommandResult faster = perfguard_time(
      {"-N", "--runs", "8", "--fail-if-slower", helper("sleep 40"), helper("sleep 5")});
  EXPECT_EQ(faster.exit_code, 0) << faster.out << faster.err;
  EXPECT_NE(faster.out.find("improved"), std::string::npos);
}

TEST(TimeCli, SameCommandTwiceSettlesEarly) {
  const TempDir dir;
  const auto file = dir.path() / "aa.json";
  const CommandResult r =
      perfguard_time({"-N", "--threshold", "50%", "--max-runs", "40", "--export-json",
                      file.string(), helper("sleep 20"), helper("sleep 20")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = read_json(file);
  EXPECT_EQ(doc["stop_reason"], "decided");
  EXPECT_LT(doc["runs"].get<int>(), 40);
  EXPECT_EQ(doc["comparisons"][0]["verdict"], "unchanged");
  EXPECT_LT(doc["confidence"].get<double>(), 1.0);
  EXPECT_GT(doc["confidence"].get<double>(), 0.98);  // an interim look tests at a stricter level
}

TEST(TimeCli, FailingCommandExitsThreeUnlessIgnored) {
  const CommandResult failed = perfguard_time({"-N", "--runs", "3", helper("exit 4")});
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_NE(failed.err.find("failed in run 1: exit 4"), std::string::npos) << failed.err;

  const TempDir dir;
  const auto file = dir.path() / "ignored.json";
  const CommandResult ignored =
      perfguard_time({"-N", "--runs", "3", "-i", "--export-json", file.string(), helper("exit 4")});
  EXPECT_EQ(ignored.exit_code, 0) << ignored.err;
  EXPECT_EQ(read_json(file)["results"][0]["exit_codes"], std::vector<int>(3, 4));
}

TEST(TimeCli, CrashAndTimeoutExitThree) {
  const CommandResult crashed = perfguard_time({"-N", "-i", "--runs", "3", helper("signal SEGV")});
  EXPECT_EQ(crashed.exit_code, 3);
  EXPECT_NE(crashed.err.find("killed by SIGSEGV"), std::string::npos) << crashed.err;

  const TempDir dir;
  const CommandResult hung = perfguard_time({"-N", "--runs", "3", "--timeout", "200ms",
                                             helper("hang " + (dir.path() / "pids").string())});
  EXPECT_EQ(hung.exit_code, 3);
  EXPECT_NE(hung.err.find("timeout after 200ms"), std::string::npos) << hung.err;
}

TEST(TimeCli, CpuTimeMetricJudgesTheWorkNotTheWaiting) {
  // The second command sleeps 120 ms before doing the same 60 ms of CPU work: three times the
  // wall time, the same CPU time (plus a second process start: a few milliseconds, more under
  // the sanitizers).
  const std::string work = helper("burn 60");
  const std::string waits = helper("sleep 120") + " && " + helper("burn 60");
  const TempDir dir;
  const auto wall_file = dir.path() / "wall.json";
  const auto cpu_file = dir.path() / "cpu.json";
  const CommandResult wall = perfguard_time(
      {"--runs", "8", "--threshold", "50%", "--export-json", wall_file.string(), work, waits});
  ASSERT_EQ(wall.exit_code, 0) << wall.err;
  const CommandResult cpu =
      perfguard_time({"--runs", "8", "--threshold", "50%", "--metric", "cpu_time", "--export-json",
                      cpu_file.string(), work, waits});
  ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
  EXPECT_NE(cpu.out.find("median of the per-round ratios of CPU time (user + system)"),
            std::string::npos)
      << cpu.out;

  const nlohmann::json on_wall = read_json(wall_file);
  EXPECT_EQ(on_wall["settings"]["metric"], "wall_time");
  EXPECT_EQ(on_wall["comparisons"][0]["metric"], "wall_time");
  EXPECT_EQ(on_wall["comparisons"][0]["verdict"], "regressed");
  EXPECT_GT(on_wall["comparisons"][0]["ratio"].get<double>(), 2.0);

  const nlohmann::json on_cpu = read_json(cpu_file);
  EXPECT_EQ(on_cpu["settings"]["metric"], "cpu_time");
  EXPECT_EQ(on_cpu["comparisons"][0]["metric"], "cpu_time");
  EXPECT_EQ(on_cpu["comparisons"][0]["verdict"], "unchanged") << on_cpu["comparisons"][0];
  const double ratio = on_cpu["comparisons"][0]["ratio"].get<double>();
  EXPECT_GT(ratio, 0.8);
  EXPECT_LT(ratio, 1.3);
  // The ratio is the median of the per-round ratios of user + system (docs/design.md,
  // "Verdict rules"): exp of the median log ratio, run i of each command being round i.
  EXPECT_EQ(on_cpu["comparisons"][0]["method"], "paired_sign");
  EXPECT_EQ(on_cpu["comparisons"][0]["paired_rounds"], 8);
  std::vector<double> log_ratios;
  for (std::size_t i = 0; i < 8; ++i) {
    const double base = on_cpu["results"][0]["user_times"][i].get<double>() +
                        on_cpu["results"][0]["system_times"][i].get<double>();
    const double candidate = on_cpu["results"][1]["user_times"][i].get<double>() +
                             on_cpu["results"][1]["system_times"][i].get<double>();
    log_ratios.push_back(std::log(candidate / base));
  }
  std::sort(log_ratios.begin(), log_ratios.end());
  EXPECT_NEAR(ratio, std::exp((log_ratios[3] + log_ratios[4]) / 2.0), 1e-9);  // n = 8
}

TEST(TimeCli, InterruptKillsEverythingTheCommandStarted) {
  // The helper forks a grandchild; both hang. Ctrl-C reaches perfguard only (the command runs
  // in a process group of its own), and the parent-death signal only the direct child: the
  // grandchild would outlive perfguard unless it kills the group.
  const TempDir dir;
  const auto pid_file = dir.path() / "pids";
  const std::string command = helper("hang " + pid_file.string());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(PERFGUARD_BINARY, PERFGUARD_BINARY, "time", "-N", "--runs", "1", command.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_t child = 0;
  pid_t grandchild = 0;
  for (int i = 0; i < 250 && grandchild == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream pids(pid_file);
    if (!(pids >> child >> grandchild)) grandchild = 0;
  }
  ASSERT_NE(grandchild, 0) << "the helper did not start";
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  for (int i = 0; i < 100 && !(process_gone(child) && process_gone(grandchild)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(process_gone(child));
  EXPECT_TRUE(process_gone(grandchild));
  if (!process_gone(grandchild)) kill(grandchild, SIGKILL);
}

// SIGKILL cannot be caught: perfguard cleans nothing up. The parent-death signal ends the direct
// child only; the runs' cgroup (its watcher kills it when perfguard dies) ends the grandchild.
TEST(TimeCli, SigkillOfPerfguardLeavesNothingWhereCgroupsAllow) {
  const TempDir dir;
  const auto pid_file = dir.path() / "pids";
  const std::string command = helper("hang " + pid_file.string());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(PERFGUARD_BINARY, PERFGUARD_BINARY, "time", "-N", "--runs", "1", command.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_t child = 0;
  pid_t grandchild = 0;
  for (int i = 0; i < 250 && grandchild == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream pids(pid_file);
    if (!(pids >> child >> grandchild)) grandchild = 0;
  }
  ASSERT_NE(grandchild, 0) << "the helper did not start";
  std::ifstream cgroup_of("/proc/" + std::to_string(grandchild) + "/cgroup");
  std::string line;
  bool in_run_cgroup = false;
  while (std::getline(cgroup_of, line)) {
    if (line.starts_with("0::") && line.find("/perfguard-") != std::string::npos)
      in_run_cgroup = true;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  for (int i = 0; i < 150 && !(process_gone(child) && process_gone(grandchild)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool gone = process_gone(grandchild);
  if (!gone) kill(grandchild, SIGKILL);
  EXPECT_TRUE(process_gone(child));
  if (!in_run_cgroup)
    GTEST_SKIP() << "no writable cgroup v2 here: the grandchild outlives a SIGKILL";
  EXPECT_TRUE(gone);
}

TEST(TimeCli, JournalHasEveryRunAsItHappened) {
  const TempDir dir;
  const auto journal = dir.path() / "samples.jsonl";
  const CommandResult r = perfguard_time({"-N", "--runs", "7", "--warmup", "1", "--journal",
                                          journal.string(), helper("sleep 1"), helper("sleep 2")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<inputs::JournalRun> runs = inputs::read_journal_file(journal.string());
  ASSERT_EQ(runs.size(), 16u);  // 2 warmups, 14 runs
  EXPECT_TRUE(runs[0].warmup);
  EXPECT_EQ(runs[15].benchmark, "time");
  EXPECT_EQ(runs[15].samples.size(), 4u);
}

TEST(TimeCli, PrepareAndSetupRunThroughTheShell) {
  const TempDir dir;
  const auto setups = dir.path() / "setups";
  const auto prepares = dir.path() / "prepares";
  const CommandResult r =
      perfguard_time({"--runs", "3", "--warmup", "1", "--setup", helper("count " + setups.string()),
                      "--prepare", helper("count " + prepares.string()), helper("sleep 1")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = [](const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    int count = 0;
    while (std::getline(in, line)) ++count;
    return count;
  };
  EXPECT_EQ(lines(setups), 1);
  EXPECT_EQ(lines(prepares), 4);  // before the warmup and each of the 3 runs
}

TEST(TimeCli, MarkdownExportIsATable) {
  const TempDir dir;
  const auto file = dir.path() / "out.md";
  const CommandResult r =
      perfguard_time({"-N", "--runs", "3", "--export-markdown", file.string(), helper("sleep 1")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().rfind("| Command | Mean [ms] | Median [ms] | Min [ms] | Max [ms] | Relative "
                             "(median) | Verdict |\n",
                             0),
            0u)
      << text.str();
}

TEST(TimeCli, UsageErrorsExitTwoNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--runs", "0", "true"}, "--runs 0"},
      {{"--min-runs", "5", "--max-runs", "3", "true"}, "--max-runs 3 is below --min-runs 5"},
      {{"--cpu", "0-", "true"}, "--cpu 0-"},
      {{"--timeout", "soon", "true"}, "--timeout soon"},
      {{"--threshold", "five", "true"}, "--threshold five"},
      {{"--metric", "cpu", "true"},
       "--metric 'cpu': expected wall_time, cpu_time, instructions or estimated_cycles"},
      {{"-N", "echo 'unclosed"}, "unbalanced quotes"},
      {{"-N", "--shell", "bash", "true"}, "excludes"},
      {{"--ratio-method", "wilcoxon", "true"},
       "error: --ratio-method wilcoxon: expected one of median_ratio, paired_sign, "
       "paired_signed_rank\n"},
  };
  for (const auto& [args, message] : cases) {
    const CommandResult r = perfguard_time(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST(TimeCli, HelpExplainsTheExitCodes) {
  const CommandResult r = perfguard_time({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--fail-if-slower"), std::string::npos);
  EXPECT_NE(r.out.find("git bisect run"), std::string::npos);
  // The verdict's method is named, with its flag and default.
  EXPECT_NE(r.out.find("come from --ratio-method (default "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("first, ratio of medians)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace perfguard::tests
