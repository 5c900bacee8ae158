// End to end: no passing gate that was not earned. A run that fails, is interrupted or cannot
// write its reports leaves nothing `check` accepts; a narrowed run is not a release gate; a
// budget that judged nothing fails; a hyperfine file whose exit codes do not fit is refused.
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

#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

CommandResult perfguard(std::vector<std::string> args) {
  args.insert(args.begin(), PERFGUARD_BINARY);
  return run_command(args);
}

// A hyperfine --export-json document: per command, 21 times spread over center * [0.99, 1.01].
json hyperfine(const std::vector<std::pair<std::string, double>>& commands) {
  json results = json::array();
  for (const auto& [command, center] : commands) {
    json times = json::array();
    for (int i = 0; i < 21; ++i) times.push_back(center * (0.99 + 0.02 * ((i * 8) % 21) / 20.0));
    results.push_back({{"command", command}, {"times", times}});
  }
  return json{{"results", results}};
}

class Unearned : public ::testing::Test {
 protected:
  TempDir dir_;
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }
  std::string write(const std::string& name, const std::string& content) const {
    return dir_.write(name, content).string();
  }
  CommandResult diff(const std::string& base, const std::string& candidate,
                     std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"diff", base, candidate, "--out", out().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }
  [[nodiscard]] CommandResult check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"check", out().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }
  [[nodiscard]] json comparison() const {
    return json::parse(slurp(out() / "perf_comparison.json"));
  }
};

// Item: a run that cannot write its reports (here a file size limit: EFBIG, as a full disk
// gives ENOSPC) must not leave the previous run's passing pair for `check`.
TEST_F(Unearned, FailedWriteLeavesNoPassingGate) {
  const std::string same = write("same.json", hyperfine({{"sort", 0.1}}).dump());
  ASSERT_EQ(diff(same, same).exit_code, 0);
  ASSERT_EQ(check().exit_code, 0);
  // A larger input, so that the reports outgrow the limit; SIGXFSZ ignored, so write(2) fails.
  std::vector<std::pair<std::string, double>> many;
  for (int i = 0; i < 40; ++i) many.emplace_back("command-" + std::to_string(i), 0.1);
  const std::string big = write("big.json", hyperfine(many).dump());
  const CommandResult r = run_command(
      {"/bin/sh", "-c",
       "trap '' XFSZ; ulimit -f 64; exec \"$0\" diff \"$1\" \"$1\" --out \"$2\"", PERFGUARD_BINARY,
       big, out().string()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  // The reason, not just "write failed".
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  const CommandResult after = check();
  EXPECT_EQ(after.exit_code, 1) << after.out;
  EXPECT_EQ(after.out.find("ok: "), std::string::npos) << after.out;
}

// Item: narrowed runs are recorded and `check` refuses them unless --allow-partial.
TEST_F(Unearned, NarrowedDiffIsNotACompleteGate) {
  const std::string both = write("both.json", hyperfine({{"sort", 0.1}, {"grep", 0.05}}).dump());
  ASSERT_EQ(diff(both, both).exit_code, 0);
  EXPECT_EQ(comparison()["settings"]["partial"], false);
  ASSERT_EQ(check().exit_code, 0);

  const CommandResult narrowed = diff(both, both, {"--only", "sort"});
  ASSERT_EQ(narrowed.exit_code, 0) << narrowed.out << narrowed.err;
  const json settings = comparison()["settings"];
  EXPECT_EQ(settings["partial"], true);
  EXPECT_EQ(settings["only"], "sort");
  EXPECT_EQ(settings["skipped_benchmarks"], json::array({"grep"}));
  const CommandResult refused = check();
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("perf_comparison.json: complete: a partial run (--only sort: 1 "
                             "benchmarks and 0 budgets left out)"),
            std::string::npos)
      << refused.out;
  const CommandResult allowed = check({"--allow-partial"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out;

  // --only that leaves nothing out is a complete run.
  ASSERT_EQ(diff(both, both, {"--only", "*"}).exit_code, 0);
  EXPECT_EQ(comparison()["settings"]["partial"], false);
  EXPECT_EQ(check().exit_code, 0);

  // An artifact that does not say whether it is complete is not trusted.
  json doc = comparison();
  doc["settings"].erase("partial");
  std::ofstream(out() / "perf_comparison.json") << doc.dump();
  const CommandResult unknown = check({"--allow-partial"});
  EXPECT_EQ(unknown.exit_code, 1);
  // The schema requires "partial", so check's schema rule refuses it before the complete rule.
  EXPECT_NE(unknown.out.find("schema: at line 1"), std::string::npos) << unknown.out;
  EXPECT_NE(unknown.out.find("settings lacks \"partial\""), std::string::npos)
      << unknown.out;
}

// Item: a budget whose benchmark is in neither file is a failing `missing`, never dropped.
TEST_F(Unearned, BudgetForAnAbsentBenchmarkIsMissing) {
  const std::string config = write("perfguard.json", R"({
    "schema": "perfguard.config.v1",
    "build": [],
    "benchmarks": [{"id": "sort", "command": ["sort"]}, {"id": "grep", "command": ["grep"]},
                   {"id": "uniq", "command": ["uniq"]}],
    "budgets": [{"benchmark": "sort", "max": "1s"},
                {"benchmark": "grep", "max": "1s"},
                {"benchmark": "uniq", "max_regression": "10%"}]
  })");
  const std::string sort_only = write("sort.json", hyperfine({{"sort", 0.1}}).dump());
  const CommandResult r = diff(sort_only, sort_only, {"--config", config});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // Both absolute budgets are there (one of them missing), and the relative one is a row.
  EXPECT_NE(r.out.find("2 results, 1 failing, 2 budgets"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("grep wall_time: budget missing: nothing measured matches the budget for "
                       "\"grep\" wall_time"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("uniq wall_time: missing: nothing measured matches the budget for \"uniq\""),
            std::string::npos)
      << r.out;
  const json doc = comparison();
  ASSERT_EQ(doc["budgets"].size(), 2U);
  EXPECT_EQ(doc["budgets"][1]["benchmark"], "grep");
  EXPECT_EQ(doc["budgets"][1]["status"], "missing");

  // Narrowed to sort, the others' budgets are skipped and recorded, not missing.
  const CommandResult narrowed = diff(sort_only, sort_only, {"--config", config, "--only", "sort"});
  EXPECT_EQ(narrowed.exit_code, 0) << narrowed.out << narrowed.err;
  EXPECT_EQ(comparison()["settings"]["skipped_budgets"].size(), 2U);
  EXPECT_EQ(check().exit_code, 1);
}

// Item: hyperfine's exit_codes must be one integer (or null: killed by a signal) per time.
TEST_F(Unearned, HyperfineExitCodesMustFitTheTimes) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}).dump());
  json short_codes = hyperfine({{"sort", 0.1}});
  short_codes["results"][0]["exit_codes"] = json::array({0, 0, 0});
  const std::string short_file = write("short.json", short_codes.dump());
  CommandResult r = diff(base, short_file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(short_file + ": results[0]: 3 exit_codes for 21 times"), std::string::npos)
      << r.err;

  json text_code = hyperfine({{"sort", 0.1}});
  text_code["results"][0]["exit_codes"] = json::array();
  for (int i = 0; i < 21; ++i) text_code["results"][0]["exit_codes"].push_back(i == 4 ? json("1") : json(0));
  const std::string text_file = write("text.json", text_code.dump());
  r = diff(base, text_file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(text_file + ": results[0].exit_codes[4]: \"1\" is not an integer"),
            std::string::npos)
      << r.err;

  // null is a run hyperfine saw killed by a signal: a failed run, not a success.
  json killed = hyperfine({{"sort", 0.1}});
  killed["results"][0]["exit_codes"] = json::array();
  for (int i = 0; i < 21; ++i) killed["results"][0]["exit_codes"].push_back(i == 2 ? json() : json(0));
  r = diff(base, write("killed.json", killed.dump()));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("candidate: run 2: no exit code (killed by a signal)"), std::string::npos)
      << r.out;
}

// Raw binary from an input file is escaped in the error, never written to the terminal.
TEST_F(Unearned, BinaryInputIsEscapedInErrors) {
  const std::string file = write("bin.txt", std::string("1.0\n\xff\xfe\x07" "abc\n"));
  const CommandResult r = perfguard({"stats", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(":2: '\\xff\\xfe\\x07abc' is not a number"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x07'), std::string::npos);
}

// ---- compare -------------------------------------------------------------------------------

constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "warmup": 0, "timeout": "5s"},
                 {"id": "tool.size", "file_size": "{build}/tool"}],
  "budgets": [{"benchmark": "*", "max_regression": "50%"},
              {"benchmark": "tool.size", "max": "1MB"}]
})";

class UnearnedCompare : public Unearned {
 protected:
  void SetUp() override {
    git_.write("perfguard.json", kConfig);
    commit("tool.sh", "#!/bin/sh\nsleep 0.05\n", "v1");
    git_.git({"tag", "v1.0.0"});
  }
  void commit(const std::string& file, const std::string& content, const std::string& message) {
    git_.write(file, content);
    git_.commit(message);
  }
  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] CommandResult compare(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"compare", "--repo", repo().string(), "--base",
                                     "v1.0.0",  "--out",  out().string(),  "--runs",
                                     "10"};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }

  GitRepo git_{dir_.path() / "repo"};
};

TEST_F(UnearnedCompare, FailedBuildLeavesArtifactsThatSayWhy) {
  commit("NOTES", "same tool", "notes");
  const CommandResult passed = compare();
  ASSERT_EQ(passed.exit_code, 0) << passed.out << passed.err << slurp(out() / "perf_comparison.md");
  ASSERT_EQ(check().exit_code, 0);

  // The candidate no longer has the tool the build copies: the build fails.
  git_.git({"rm", "-q", "tool.sh"});
  git_.commit("tool gone");
  const CommandResult failed = compare();
  ASSERT_EQ(failed.exit_code, 3) << failed.out << failed.err;
  const json doc = comparison();
  EXPECT_EQ(doc["gate"]["passed"], false);
  EXPECT_EQ(doc["gate"]["exit_code"], 3);
  ASSERT_EQ(doc["gate"]["failures"].size(), 1U);
  EXPECT_NE(doc["gate"]["failures"][0].get<std::string>().find("the run did not finish: build"),
            std::string::npos)
      << doc["gate"]["failures"][0];
  EXPECT_EQ(doc["candidate"]["commit"].get<std::string>().size(), 40U);
  const CommandResult after = check();
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_NE(after.out.find("verdict: the gate did not pass"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("the run did not finish"), std::string::npos) << after.out;
}

TEST_F(UnearnedCompare, InterruptedRunLeavesArtifactsThatSaySo) {
  commit("NOTES", "same tool", "notes");
  ASSERT_EQ(compare().exit_code, 0);
  ASSERT_EQ(check().exit_code, 0);

  commit("tool.sh", "#!/bin/sh\nsleep 0.2\n", "slower, to be interrupted");
  const std::string out_dir = out().string();
  const std::string repo_dir = repo().string();
  fs::remove(out() / "samples.jsonl");  // the last run's: wait for this run's own journal
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(PERFGUARD_BINARY, PERFGUARD_BINARY, "compare", "--repo", repo_dir.c_str(), "--base",
          "v1.0.0", "--out", out_dir.c_str(), "--runs", "50", static_cast<char*>(nullptr));
    _exit(127);
  }
  // The stale pair is gone before the new run measures anything.
  const fs::path journal = out() / "samples.jsonl";
  for (int i = 0; i < 400 && (!fs::exists(journal) || fs::file_size(journal) < 300); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_FALSE(fs::exists(out() / "perf_comparison.json"));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  const json doc = comparison();
  EXPECT_EQ(doc["gate"]["exit_code"], 143);
  EXPECT_EQ(doc["gate"]["failures"][0],
            "the run did not finish: interrupted by SIGTERM before the gate was judged");
  EXPECT_EQ(check().exit_code, 1);
}

TEST_F(UnearnedCompare, NarrowedCompareRecordsWhatItLeftOut) {
  commit("NOTES", "same tool", "notes");
  const CommandResult r = compare({"--only", "tool.run"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json settings = comparison()["settings"];
  EXPECT_EQ(settings["partial"], true);
  EXPECT_EQ(settings["skipped_benchmarks"], json::array({"tool.size"}));
  ASSERT_EQ(settings["skipped_budgets"].size(), 1U);  // tool.size's absolute budget
  EXPECT_NE(settings["skipped_budgets"][0].get<std::string>().find("perfguard.json:7:"),
            std::string::npos)
      << settings;
  const CommandResult refused = check();
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("complete: a partial run (--only tool.run"), std::string::npos)
      << refused.out;
  EXPECT_EQ(check({"--allow-partial"}).exit_code, 0);
}

// The config is read from the working tree for both sides; uncommitted source is not measured.
TEST_F(UnearnedCompare, SameCommitAndUncommittedConfigAreWarnedAbout) {
  const CommandResult same = compare({"--candidate", "v1.0.0"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.err.find("warning: --base v1.0.0 and --candidate v1.0.0 are the same commit"),
            std::string::npos)
      << same.err;
  EXPECT_EQ(same.err.find("uncommitted"), std::string::npos) << same.err;

  git_.write("perfguard.json",
             std::string(kConfig).replace(std::string(kConfig).find("50%"), 3, "40%"));
  const CommandResult dirty = compare();
  EXPECT_EQ(dirty.exit_code, 0) << dirty.out << dirty.err;
  EXPECT_NE(dirty.err.find("warning: the working tree has uncommitted changes (1 file, e.g. "
                           "perfguard.json): they are not measured, each side is built from its "
                           "commit; but the uncommitted perfguard.json is the config of both "
                           "sides"),
            std::string::npos)
      << dirty.err;
}

// Echoed input cannot break the one-line error or reach the terminal raw.
TEST_F(UnearnedCompare, RefWithControlBytesIsEchoedOnOneLine) {
  const CommandResult r = perfguard({"compare", "--repo", repo().string(), "--base",
                                     "v1\n\x1b[2Jfake", "--out", out().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: --base v1\\x0a\\x1b[2Jfake: no such commit"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
}

}  // namespace
}  // namespace perfguard::tests
