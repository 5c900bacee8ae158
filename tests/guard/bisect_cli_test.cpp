// End to end: perfguard bisect on a throwaway git repository made here, twelve commits after
// the good one, a planted growth of the built file at one of them and a commit that does not
// build. The benchmark is the built file's size: deterministic, so each step is judged
// exactly, runs nothing, and the test is fast and never flaky.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reports/artifact_schema.hpp"
#include "reports/bisect_output.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The build fails in a commit holding a file BROKEN, as a compile error would.
constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "test ! -e {worktree}/BROKEN && cp {worktree}/tool.sh {build}/tool"]],
  "benchmarks": [{"id": "tool.size", "file_size": "{build}/tool"},
                 {"id": "tool.run", "command": ["sh", "{build}/tool"]}],
  "budgets": [{"benchmark": "*", "max_regression": "10%"}]
})";

// good (tagged), then c1 .. c12; c8 makes the tool 4x larger; c6 does not build.
class BisectCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write("perfguard.json", kConfig);
    write("tool.sh", std::string("#!/bin/sh\n") + std::string(200, '#') + "\ntrue\n");
    commit("good");
    git_.git({"tag", "good"});
    for (int i = 1; i <= 12; ++i) {
      const std::string message = "c" + std::to_string(i);
      write("NOTES.txt", message);
      if (i == 6) write("BROKEN", "");
      if (i == 7) fs::remove(repo() / "BROKEN");
      if (i == 8) write("tool.sh", std::string("#!/bin/sh\n") + std::string(800, '#') + "\ntrue\n");
      shas_.push_back(commit(message));
    }
  }

  void write(const std::string& name, const std::string& content) const {
    git_.write(name, content);
  }
  std::string commit(const std::string& message) const { return git_.commit(message); }
  std::string rev_parse(const std::string& ref) const { return git_.rev_parse(ref); }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "bisect"; }

  CommandResult bisect(std::vector<std::string> extra) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "bisect", "--repo",
                                     repo().string(),  "--out",  out().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args);
  }

  [[nodiscard]] json result() const {
    const json doc = json::parse(slurp(out() / "bisect.json"));
    const auto violation = reports::schema_violation(doc, reports::kBisectSchema);
    EXPECT_FALSE(violation.has_value()) << (violation ? violation->text() : "");
    return doc;
  }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
  std::vector<std::string> shas_;  // c1 .. c12
};

TEST_F(BisectCli, NamesThePlantedCommitSkippingOneThatDoesNotBuild) {
  const CommandResult r = bisect({"--good", "good", "--bad", "HEAD", "--only", "tool.size"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json doc = result();
  EXPECT_EQ(doc["status"], "found");
  EXPECT_EQ(doc["commits"], 12);
  EXPECT_EQ(doc["metric"], "file_size");
  EXPECT_EQ(doc["culprit"]["commit"], shas_[7]);
  EXPECT_EQ(doc["culprit"]["subject"], "c8");
  EXPECT_EQ(doc["culprit"]["author"], "perfguard test <test@perfguard.invalid>");
  EXPECT_TRUE(doc["culprit"]["exact"].get<bool>());
  // "#!/bin/sh\n" (10 bytes) + 800 + "\ntrue\n" (6) against 10 + 200 + 6: the ratio by hand.
  EXPECT_NEAR(doc["culprit"]["ratio"].get<double>(), 816.0 / 216.0, 1e-12);
  // bad (c12), then c6 (the middle, does not build), c5 (clean), c8 (regressed), c7 (clean).
  std::vector<std::string> walked;
  std::vector<std::string> outcomes;
  for (const json& step : doc["steps"]) {
    walked.push_back(step["commit"]);
    outcomes.push_back(step["outcome"]);
    EXPECT_TRUE(fs::is_directory(step["artifacts"].get<std::string>())) << step;
  }
  EXPECT_EQ(walked, (std::vector<std::string>{shas_[11], shas_[5], shas_[4], shas_[7], shas_[6]}));
  EXPECT_EQ(outcomes,
            (std::vector<std::string>{"regressed", "skipped", "clean", "regressed", "clean"}));
  EXPECT_EQ(doc["steps"][1]["verdict"], "build_failed");
  EXPECT_TRUE(fs::exists(out() / ("step-01-" + shas_[11].substr(0, 12)) / "perf_comparison.json"));
  // Printed too: the culprit and every step.
  EXPECT_NE(r.out.find("first regressed commit: " + shas_[7].substr(0, 12) + " c8"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("build_failed"), std::string::npos) << r.out;
}

// A second step right after a commit that does not build: the search cannot tell whether the
// broken commit or the one after it is the culprit, and says so (exit 3) with both.
TEST_F(BisectCli, RangeOfASkippedCommitCannotBeSplit) {
  write("BROKEN", "");
  commit("c13 does not build");
  fs::remove(repo() / "BROKEN");
  write("tool.sh", std::string("#!/bin/sh\n") + std::string(3000, '#') + "\ntrue\n");
  commit("c14");
  const CommandResult r = bisect({"--good", shas_[11], "--bad", "HEAD", "--only", "tool.size"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const json doc = result();
  EXPECT_EQ(doc["status"], "unsplit");
  EXPECT_TRUE(doc["culprit"].is_null());
  ASSERT_EQ(doc["range"].size(), 2U);
  EXPECT_EQ(doc["range"][0]["subject"], "c13 does not build");
  EXPECT_EQ(doc["range"][1]["commit"], rev_parse("HEAD"));
  EXPECT_NE(r.out.find("could not split the range: only commits that could not be measured"),
            std::string::npos)
      << r.out;
}

TEST_F(BisectCli, BadNotRegressedIsNothingToFind) {
  const CommandResult r = bisect({"--good", "good", "--bad", shas_[6], "--only", "tool.size"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json doc = result();
  EXPECT_EQ(doc["status"], "nothing_to_find");
  EXPECT_TRUE(doc["culprit"].is_null());
  EXPECT_EQ(doc["steps"].size(), 1U);
  EXPECT_EQ(doc["steps"][0]["verdict"], "unchanged");
  EXPECT_NE(r.out.find("nothing to find: --bad " + shas_[6].substr(0, 12) + " is unchanged"),
            std::string::npos)
      << r.out;
}

TEST_F(BisectCli, Help) {
  const CommandResult r = run_command({PERFGUARD_BINARY, "bisect", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--good", "--bad", "--only", "--metric", "--out", "--runs", "--max-runs",
                           "--threshold", "--confidence", "Exit 0 found"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

// Each bad input: exit 2 and one line naming it.
TEST_F(BisectCli, UnknownRef) {
  const CommandResult r = bisect({"--good", "nope", "--bad", "HEAD", "--only", "tool.size"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: --good nope: no such commit in ", 0), 0U) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(out() / "bisect.json"));
}

TEST_F(BisectCli, GoodNotAnAncestorOfBad) {
  const CommandResult r = bisect({"--good", "HEAD", "--bad", "good", "--only", "tool.size"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not an ancestor of --bad"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(BisectCli, OnlyMissing) {
  const CommandResult r = bisect({"--good", "good", "--bad", "HEAD"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--only is required"), std::string::npos) << r.err;
}

TEST_F(BisectCli, OnlyMatchingNothing) {
  const CommandResult r = bisect({"--good", "good", "--bad", "HEAD", "--only", "nope*"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: --only nope*: matches no benchmark in "), std::string::npos)
      << r.err;
}

TEST_F(BisectCli, OnlyMatchingSeveral) {
  const CommandResult r = bisect({"--good", "good", "--bad", "HEAD", "--only", "tool.*"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--only tool.*: matches 2 benchmarks (tool.size, tool.run); bisect "
                       "follows one"),
            std::string::npos)
      << r.err;
}

// A metric the benchmark is not judged on: exit 2, naming what it is judged on.
TEST_F(BisectCli, MetricNotJudged) {
  const CommandResult r =
      bisect({"--good", "good", "--bad", "HEAD", "--only", "tool.size", "--metric", "max_rss"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --metric max_rss: tool.size has no judged row for it (judged: "
                       "tool.size file_size)"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out() / "bisect.json"));
}

}  // namespace
}  // namespace perfguard::tests
