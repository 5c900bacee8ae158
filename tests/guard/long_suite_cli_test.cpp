// End to end, what a long suite needs from `perfguard compare`: a time budget for the whole
// measuring phase, resuming an interrupted run, and `report` on an interrupted run. Throwaway git repositories made here; the "project" is a shell script that
// sleeps, copied into the build folder by the build step (as in compare_cli_test.cpp).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/gate_artifacts.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// No budgets: --threshold decides what matters. A threshold of 0.01% is never settled on a
// sleeping tool (its runs vary by far more), so a run goes on until its budget ends it.
constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "cwd": "{worktree}",
                  "warmup": 1, "timeout": "2s"},
                 {"id": "tool.size", "file_size": "{build}/tool"}]MAX_TIME
})";

class LongSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    set_config("");
    commit_tool("sleep 0.05\n", "v1");
    git_.git({"tag", "v1.0.0"});
    git_.write("NOTES.txt", "same code, new notes");
    git_.commit("notes");
  }

  // The config, with `max_time` (a JSON string) when given.
  void set_config(const std::string& max_time) const { set_config_key("max_time", max_time); }

  // The config, with one more top-level key when `value` (JSON text) is not empty.
  void set_config_key(const std::string& key, const std::string& value) const {
    std::string text = kConfig;
    text.replace(text.find("MAX_TIME"), 8, value.empty() ? "" : ",\n  \"" + key + "\": " + value);
    git_.write("perfguard.json", text);
  }

  void commit_tool(const std::string& body, const std::string& message) const {
    git_.write("tool.sh", "#!/bin/sh\n" + body);
    git_.commit(message);
  }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }

  CommandResult compare(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare", "--repo",      repo().string(),
                                     "--base",         "v1.0.0",  "--out",       out().string(),
                                     "--min-runs",     "8",       "--max-runs",  "1000",
                                     "--threshold",    "0.01%",   "--no-history"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args);
  }

  [[nodiscard]] json comparison() const { return read_comparison(out()); }

  [[nodiscard]] json row(const std::string& benchmark) const {
    return result_row(out(), benchmark);
  }

  // The "measured" event: how long the measuring phase took, and whether the budget ended it.
  [[nodiscard]] json measured_event() const {
    std::istringstream lines(slurp(out() / "events.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      const json event = json::parse(line);
      if (event["stage"] == "measured") return event;
    }
    ADD_FAILURE() << "no measured event";
    return {};
  }

  // The longest measured run in the journal: the most the budget may be overrun by.
  [[nodiscard]] double longest_run() const {
    double longest = 0.0;
    std::istringstream lines(slurp(out() / "samples.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      const json run = json::parse(line);
      for (const json& sample : run["samples"]) {
        if (sample["metric"] == "wall_time")
          longest = std::max(longest, sample["value"].get<double>());
      }
    }
    return longest;
  }

  // Starts a compare into `out` (by default fixed --runs 10, so both runs plan the same),
  // waits until `measured` runs are journaled, and presses Ctrl-C; returns the exit status.
  int interrupt_compare(const fs::path& out, std::size_t measured,
                        const std::vector<std::string>& runs = {"--runs", "10"}) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare",    "--repo",
                                     repo().string(),  "--base",     "v1.0.0",
                                     "--out",          out.string(), "--no-history"};
    args.insert(args.end(), runs.begin(), runs.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      std::freopen("/dev/null", "w", stdout);
      std::freopen("/dev/null", "w", stderr);
      execv(PERFGUARD_BINARY, argv.data());
      _exit(127);
    }
    for (int i = 0; i < 600 && measured_lines(out) < measured; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Measured (not warmup) runs in a folder's journal, per variant.
  [[nodiscard]] static std::map<std::string, std::size_t> measured_runs(const fs::path& out) {
    std::map<std::string, std::size_t> runs;
    std::istringstream lines(slurp(out / "samples.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      const json run = json::parse(line, nullptr, false);
      if (run.is_discarded() || run["warmup"].get<bool>()) continue;
      ++runs[run["variant"].get<std::string>()];
    }
    return runs;
  }

  [[nodiscard]] static std::size_t measured_lines(const fs::path& out) {
    std::size_t total = 0;
    for (const auto& [variant, count] : measured_runs(out)) total += count;
    return total;
  }

  [[nodiscard]] static json verdicts(const fs::path& out) {
    json kinds = json::object();
    const json doc = json::parse(slurp(out / "perf_comparison.json"));
    for (const json& r : doc["results"])
      kinds[r["benchmark"].get<std::string>() + " " + r["metric"].get<std::string>()] =
          r["verdict"];
    return kinds;
  }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
};

// Nothing settles at 0.01%, so only the budget ends the run: it ran to 2 s and no further
// than one run past it (plus the scheduler's own bookkeeping, well under 100 ms).
TEST_F(LongSuite, BudgetIsHonouredWithinOneRun) {
  const CommandResult r = compare({"--max-time", "2s"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;  // the verdict is not the point here
  const json event = measured_event();
  EXPECT_TRUE(event["out_of_time"].get<bool>());
  const double seconds = event["seconds"].get<double>();
  EXPECT_GE(seconds, 2.0);
  EXPECT_LE(seconds, 2.0 + longest_run() + 0.1) << "longest run " << longest_run();
  EXPECT_EQ(comparison()["settings"]["max_time"], 2.0);
  // Both sides judged on the same number of runs, past --min-runs.
  const json tool = row("tool.run");
  EXPECT_GE(tool["base"]["n"].get<int>(), 8) << tool.dump();
  EXPECT_EQ(tool["base"]["n"], tool["candidate"]["n"]) << tool.dump();
  EXPECT_NE(r.err.find("perfguard: note: measuring takes about"), std::string::npos) << r.err;
}

// 0.3 s holds the warmups and two or three rounds of 8: the gate fails closed, saying how far
// it got, and the warning after the warmups said so before the time was spent.
TEST_F(LongSuite, TooShortBudgetFailsClosedWithTheReason) {
  const CommandResult r = compare({"--max-time", "300ms"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json tool = row("tool.run");
  EXPECT_EQ(tool["verdict"], "inconclusive");
  const std::string reason = tool["reason"];
  EXPECT_TRUE(std::regex_search(reason, std::regex("^time ran out at [0-7] runs? per side")))
      << reason;
  EXPECT_EQ(row("tool.size")["verdict"], "unchanged");  // measured exactly, no runs
  EXPECT_NE(r.err.find("perfguard: warning: 8 runs per side need about"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--only"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("time ran out at"), std::string::npos) << r.out;
}

// The config's "max_time" is the budget when --max-time is not given; the flag wins over it.
TEST_F(LongSuite, ConfigMaxTimeIsTheDefaultBudget) {
  set_config("\"300ms\"");
  CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(comparison()["settings"]["max_time"], 0.3);
  EXPECT_EQ(row("tool.run")["reason"].get<std::string>().rfind("time ran out at", 0), 0u);

  r = compare({"--max-time", "1s"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(comparison()["settings"]["max_time"], 1.0);
}

TEST_F(LongSuite, BadConfigMaxTimeIsAUsageError) {
  set_config("\"soon\"");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("perfguard.json:7:15:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"max_time\": \"soon\" is not a duration"), std::string::npos) << r.err;
}

// The method that judges the rows and settles the stop rule: --ratio-method, else the config's
// "ratio_method", else the default; the artifacts and run.json record it.
TEST_F(LongSuite, RatioMethodFromTheFlagOrTheConfig) {
  const auto methods = [&] {
    const json doc = comparison();
    const json run = json::parse(slurp(out() / "run.json"));
    return std::vector<std::string>{doc["settings"]["ratio_method"].get<std::string>(),
                                    row("tool.run")["method"].get<std::string>(),
                                    run["settings"]["ratio_method"].get<std::string>()};
  };
  const auto all = [](const std::string& method) {
    return std::vector<std::string>{method, method, method};
  };
  CommandResult r = compare({"--runs", "8"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(methods(), all("paired_sign"));
  // A file size has no rounds: exact, and recorded as median_ratio whatever the setting.
  EXPECT_EQ(row("tool.size")["method"], "median_ratio");

  r = compare({"--runs", "8", "--ratio-method", "median_ratio"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(methods(), all("median_ratio"));
  EXPECT_TRUE(row("tool.run")["paired_rounds"].is_null());
  // Nothing settles at 0.01%: the row fails, and its replay judges as the gate did.
  EXPECT_NE(row("tool.run")["replay"].dump().find(" --ratio-method median_ratio"),
            std::string::npos)
      << row("tool.run").dump();

  set_config_key("ratio_method", "\"median_ratio\"");
  r = compare({"--runs", "8"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(methods(), all("median_ratio"));

  r = compare({"--runs", "8", "--ratio-method", "paired_signed_rank"});
  EXPECT_LE(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(methods(), all("paired_signed_rank"));
  EXPECT_EQ(row("tool.run")["paired_rounds"], 8);
  EXPECT_EQ(row("tool.size")["method"], "median_ratio");
}

TEST_F(LongSuite, BadRatioMethodIsAUsageError) {
  CommandResult r = compare({"--runs", "8", "--ratio-method", "wilcoxon"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err,
            "error: --ratio-method wilcoxon: expected one of median_ratio, paired_sign, "
            "paired_signed_rank\n");

  set_config_key("ratio_method", "\"paired\"");
  r = compare({"--runs", "8"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("perfguard.json:7:19: \"ratio_method\": \"paired\" is not a ratio "
                       "method; expected one of: median_ratio, paired_sign, paired_signed_rank"),
            std::string::npos)
      << r.err;
}

// Ctrl-C after some runs, then --resume: the verdicts are those of an uninterrupted run, every
// run measured before the interrupt is taken over, and only the missing ones are measured.
class Resume : public LongSuite {
 protected:
  void SetUp() override {
    LongSuite::SetUp();
    // Three times slower (regressed however noisy), and reading its worktree all through a
    // run, as benchmarks reading test data do: a Ctrl-C that removes the worktree mid-run
    // makes that run fail for no fault of its own.
    commit_tool(
        "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do\n"
        "  sleep 0.01; cat tool.sh > /dev/null || exit 1\n"
        "done\n",
        "three times slower");
  }
  CommandResult resume(std::vector<std::string> extra = {},
                       const std::vector<std::string>& runs = {"--runs", "10"}) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare", "--repo", repo().string(),
                                     "--base",         "v1.0.0",  "--out",  out().string(),
                                     "--no-history",   "--resume"};
    args.insert(args.end(), runs.begin(), runs.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args);
  }
};

TEST_F(Resume, CtrlCThenResumeGivesTheUninterruptedVerdicts) {
  const fs::path full = dir_.path() / "full";
  const CommandResult uninterrupted =
      run_command({PERFGUARD_BINARY, "compare", "--repo", repo().string(), "--base", "v1.0.0",
                   "--out", full.string(), "--runs", "10", "--no-history"});
  ASSERT_EQ(uninterrupted.exit_code, 1) << uninterrupted.out << uninterrupted.err;

  EXPECT_EQ(interrupt_compare(out(), 7), 130);
  // The run the interrupt cut (its worktree removed under it) is not journaled as a failure.
  EXPECT_EQ(slurp(out() / "samples.jsonl").find("\"reason\""), std::string::npos)
      << slurp(out() / "samples.jsonl");
  const std::size_t before = measured_lines(out());
  ASSERT_GE(before, 7u);
  ASSERT_LT(before, 20u) << "the run finished before the interrupt";

  const CommandResult r = resume();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(verdicts(out()), verdicts(full));
  EXPECT_EQ(row("tool.run")["verdict"], "regressed");
  const json doc = comparison();
  EXPECT_EQ(doc["resumed"]["samples_reused"], before) << doc["resumed"].dump();
  EXPECT_EQ(doc["resumed"]["from_journal"], (out() / "samples.jsonl").string());
  // Only the missing runs were measured: 10 per side in all, in one journal.
  EXPECT_EQ(measured_runs(out()),
            (std::map<std::string, std::size_t>{{"base", 10}, {"candidate", 10}}));
  EXPECT_EQ(row("tool.run")["base"]["n"], 10);
  EXPECT_EQ(row("tool.run")["candidate"]["n"], 10);
  EXPECT_NE(slurp(out() / "events.jsonl").find("\"stage\":\"resumed\""), std::string::npos);
  // The uninterrupted run's artifacts say nothing of a resumption.
  EXPECT_FALSE(json::parse(slurp(full / "perf_comparison.json")).contains("resumed"));
}

TEST_F(Resume, MismatchesAreRefusedWithTheReason) {
  EXPECT_EQ(interrupt_compare(out(), 3), 130);
  const std::string journal = slurp(out() / "samples.jsonl");

  CommandResult r = resume({"--runs", "12"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --resume: setting max_runs is 12 here, 10 in the interrupted run"),
            std::string::npos)
      << r.err;

  r = resume({"--ratio-method", "median_ratio"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --resume: setting ratio_method is \"median_ratio\" here, "
                       "\"paired_sign\" in the interrupted run"),
            std::string::npos)
      << r.err;

  r = resume({"--candidate", "v1.0.0"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --resume: the candidate is commit "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" in the interrupted run"), std::string::npos) << r.err;

  set_config("\"1h\"");
  r = resume();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --resume: the config "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("changed since the interrupted run"), std::string::npos) << r.err;
  set_config("");

  // The journal is untouched by refusals: a matching --resume can still use it.
  EXPECT_EQ(slurp(out() / "samples.jsonl"), journal);
  r = resume();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

// With a time budget and no --max-runs, N comes from the warmups' pace; run.json records it
// once planned, and the resumed run looks at the same fractions of the same N. A run.json
// without it (a run interrupted before it planned) cannot be resumed: one line, exit 2.
TEST_F(Resume, ABudgetPlannedNIsResumedFromRunJson) {
  const std::vector<std::string> budget = {"--max-time", "10m"};
  EXPECT_EQ(interrupt_compare(out(), 7, budget), 130);
  const std::size_t before = measured_lines(out());
  ASSERT_GE(before, 7u);
  json run = json::parse(slurp(out() / "run.json"));
  ASSERT_TRUE(run["planned_runs"].is_number_unsigned()) << run.dump();
  const std::size_t planned = run["planned_runs"].get<std::size_t>();
  // Ten minutes at a fraction of a second a round hold more than the cap.
  EXPECT_EQ(planned, 120u);
  EXPECT_TRUE(run["settings"]["max_runs"].is_null()) << run["settings"].dump();

  CommandResult r = resume({}, budget);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(row("tool.run")["verdict"], "regressed");
  json doc = comparison();
  EXPECT_EQ(doc["resumed"]["samples_reused"], before) << doc["resumed"].dump();
  EXPECT_EQ(doc["settings"]["planned_runs"], planned);
  EXPECT_TRUE(doc["settings"]["max_runs"].is_null());

  // The same interruption, but run.json lost its N: refused, the journal kept.
  EXPECT_EQ(interrupt_compare(out(), 7, budget), 130);
  run = json::parse(slurp(out() / "run.json"));
  run["planned_runs"] = nullptr;
  std::ofstream(out() / "run.json") << run.dump(2);
  r = resume({}, budget);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const std::size_t error = r.err.find("error: --resume: " + (out() / "run.json").string() +
                                       " does not record the runs per side the time budget "
                                       "planned");
  ASSERT_NE(error, std::string::npos) << r.err;
  const std::size_t line_end = r.err.find('\n', error);
  EXPECT_EQ(r.err.substr(line_end - 28, 29), "; run again without --resume\n") << r.err;
  EXPECT_GE(measured_lines(out()), 7u);
}

TEST_F(Resume, NothingToResumeIsAUsageError) {
  const CommandResult r = resume();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("run.json: not found"), std::string::npos) << r.err;
}

// `report` on what an interrupt left: the journal judged, the gate failing closed, each row
// saying how far it got -- both after Ctrl-C (which leaves an unfinished gate) and after a
// SIGKILL (which leaves no artifacts at all).
TEST_F(Resume, ReportOnAnInterruptedRunFailsClosed) {
  EXPECT_EQ(interrupt_compare(out(), 9), 130);
  const std::map<std::string, std::size_t> runs = measured_runs(out());
  const std::size_t rounds = std::min(runs.at("base"), runs.at("candidate"));
  for (const bool killed : {false, true}) {
    if (killed) {
      fs::remove(out() / "perf_comparison.json");
      fs::remove(out() / "budget_summary.json");
    }
    const CommandResult r =
        run_command({PERFGUARD_BINARY, "report", out().string(), "--format", "md"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("holds an interrupted run"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("interrupted at"), std::string::npos) << r.out;
    const json doc = comparison();
    EXPECT_FALSE(doc["gate"]["passed"].get<bool>());
    EXPECT_EQ(doc["gate"]["failures"][0], "the run was interrupted: judged from its journal alone");
    EXPECT_EQ(doc["interrupted"]["from_journal"], (out() / "samples.jsonl").string());
    const json tool = row("tool.run");
    EXPECT_EQ(tool["verdict"], "inconclusive");
    EXPECT_EQ(tool["reason"].get<std::string>().rfind("interrupted at " + std::to_string(rounds) +
                                                          " runs per side; so far paired median +",
                                                      0),
              0u)
        << tool["reason"];
    EXPECT_EQ(tool["base"]["n"], rounds);
    EXPECT_EQ(row("tool.size")["verdict"], "inconclusive");
    EXPECT_EQ(comparison()["base"]["commit"].get<std::string>().size(), 40u);
  }
  // Judged once, the folder renders like any other: no second judgement.
  const CommandResult again =
      run_command({PERFGUARD_BINARY, "report", out().string(), "--format", "junit"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("holds an interrupted run"), std::string::npos) << again.err;
}

// `report` judges an interrupted run's journal with the method its run.json recorded.
TEST_F(Resume, ReportJudgesWithTheRecordedRatioMethod) {
  EXPECT_EQ(interrupt_compare(out(), 9), 130);
  const auto report_with = [&](const std::string& method) {
    json run = json::parse(slurp(out() / "run.json"));
    run["settings"]["ratio_method"] = method;
    std::ofstream(out() / "run.json") << run.dump(2);
    fs::remove(out() / "perf_comparison.json");
    fs::remove(out() / "budget_summary.json");
    return run_command({PERFGUARD_BINARY, "report", out().string(), "--format", "md"});
  };
  EXPECT_EQ(json::parse(slurp(out() / "run.json"))["settings"]["ratio_method"], "paired_sign");
  for (const char* method : {"median_ratio", "paired_signed_rank"}) {
    const CommandResult r = report_with(method);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(comparison()["settings"]["ratio_method"], method);
    EXPECT_EQ(row("tool.run")["method"], method);
  }
  const CommandResult bad = report_with("sign");
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_EQ(bad.err, "error: " + (out() / "run.json").string() +
                         ": settings.ratio_method \"sign\" is not one of median_ratio, "
                         "paired_sign, paired_signed_rank\n");
}

}  // namespace
}  // namespace perfguard::tests
