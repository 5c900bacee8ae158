// The nightly job end to end (docs/history.md, README.md "The nightly job"): a throwaway
// repository of a dozen commits after its release tag, one of which makes a benchmark half
// again as slow; each commit is compared with the release by the real binary, as a nightly job
// would, filling the repository's history store; `perfguard history` then reports the step
// between the commit before it and the planted commit, and nowhere else. The same nights,
// mirrored into a PostgreSQL store on a server the test starts, give the same report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "history/record.hpp"
#include "history/store.hpp"
#include "tests/history/postgres_cluster.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::history {
namespace {

using perfguard::tests::CommandResult;
using perfguard::tests::GitRepo;
using perfguard::tests::run_command;
using perfguard::tests::slurp;
using perfguard::tests::TempDir;
namespace fs = std::filesystem;

// Two tiny whole-process benchmarks: the tool built from the commit, and a steady command that
// no commit changes. Sleeps, so the machine's load moves them little; wall time only.
constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [
    {"id": "tool.run", "command": ["{build}/tool"], "measure": "wall_time", "warmup": 1,
     "timeout": "2s"},
    {"id": "steady.run", "command": ["sh", "-c", "sleep 0.02"], "measure": "wall_time",
     "warmup": 1, "timeout": "2s"}],
  "budgets": [{"benchmark": "*", "max_regression": "20%"}]
})";

constexpr int kNights = 12;
// The commit (1-based, after the release) whose tool sleeps 30 ms instead of 20 ms.
constexpr int kPlanted = 7;

std::string tool(const std::string& seconds) { return "#!/bin/sh\nexec sleep " + seconds + "\n"; }

CommandResult perfguard(std::vector<std::string> args) {
  args.insert(args.begin(), PERFGUARD_BINARY);
  return run_command(args);
}

// The nights are measured once for every test: the release v1.0.0, then c1 .. c12, each
// compared with v1.0.0 into the repository's default store right after it is committed.
class NightlyHistory : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    repo_ = new GitRepo(dir_->path() / "repo");
    repo_->write("perfguard.json", kConfig);
    repo_->write("tool.sh", tool("0.02"));
    repo_->commit("release");
    repo_->git({"tag", "v1.0.0"});
    try {
      cluster_ = new tests::PostgresCluster;
      postgres_ = cluster_->fresh_database();
    } catch (const std::exception& e) {
      postgres_error_ = e.what();
    }
    for (int night = 1; night <= kNights; ++night) {
      repo_->write("NOTES.txt", "night " + std::to_string(night));
      if (night == kPlanted) repo_->write("tool.sh", tool("0.03"));
      commits_.push_back(repo_->commit("c" + std::to_string(night)));
      const fs::path out = dir_->path() / "reports";
      const CommandResult r =
          perfguard({"compare", "--repo", repo_->path().string(), "--base", "v1.0.0", "--candidate",
                     "HEAD", "--out", out.string(), "--min-runs", "8", "--max-runs", "12"});
      // The gate may pass or fail (it compares with the release); anything else is an error.
      ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1)
          << "night " << night << ": " << r.out << r.err;
      // What compare records, read from the artifact as compare does (record_in_history).
      if (!postgres_.empty())
        Store::open(postgres_).append(
            record_from_artifact(Json::parse(slurp(out / "perf_comparison.json"))));
    }
  }

  static void TearDownTestSuite() {
    delete cluster_;
    delete repo_;
    delete dir_;
  }

  static std::string sqlite() { return (repo_->path() / ".perfguard" / "history.sqlite").string(); }

  // The planted step, alone, in `history --json` over `store`: in tool.run's series of
  // medians and in its series of ratios to the release (every night used that base), and in
  // neither of steady.run's.
  static void expect_planted_step_only(const std::string& store) {
    const CommandResult r = perfguard({"history", "--history", store, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Json document = Json::parse(r.out);
    EXPECT_EQ(document["series"], 2) << r.out;
    EXPECT_EQ(document["ratio_series"], 2) << r.out;
    ASSERT_EQ(document["change_points"].size(), 2u) << r.out;
    EXPECT_EQ(document["regressions"], 2);
    EXPECT_EQ(document["change_points"][0]["kind"], "median");
    EXPECT_EQ(document["change_points"][1]["kind"], "ratio");
    EXPECT_EQ(document["change_points"][1]["base_commit"], repo_->rev_parse("v1.0.0"));
    for (const Json& step : document["change_points"]) {
      EXPECT_EQ(step["benchmark"], "tool.run");
      EXPECT_EQ(step["metric"], "wall_time");
      EXPECT_EQ(step["points"], kNights);
      EXPECT_EQ(step["index"], kPlanted - 1);  // the series' first point is c1
      EXPECT_EQ(step["commit_before"], commits_[kPlanted - 2]);
      EXPECT_EQ(step["commit_after"], commits_[kPlanted - 1]);
      EXPECT_EQ(step["regression"], true);
      // 20 ms to 30 ms of sleep, plus a few ms of process start on both levels: +50% at most,
      // and well beyond the 20% threshold.
      EXPECT_GT(step["change"].get<double>(), 0.25) << r.out;
      EXPECT_LT(step["change"].get<double>(), 0.55) << r.out;
      EXPECT_TRUE(step["bisect_command"].is_string()) << r.out;
    }
  }

  static inline TempDir* dir_ = nullptr;
  static inline GitRepo* repo_ = nullptr;
  static inline tests::PostgresCluster* cluster_ = nullptr;
  static inline std::string postgres_;
  static inline std::string postgres_error_;
  static inline std::vector<std::string> commits_;  // c1 .. c12
};

TEST_F(NightlyHistory, EveryNightIsRecordedInTheRepositorysStore) {
  Store store = Store::open(sqlite());
  EXPECT_EQ(store.run_count(), kNights);
  const std::vector<Series> series = store.series();
  ASSERT_EQ(series.size(), 2u);
  for (const Series& s : series) {
    ASSERT_EQ(s.points.size(), static_cast<std::size_t>(kNights)) << s.benchmark;
    for (int night = 0; night < kNights; ++night) {
      EXPECT_EQ(s.points[night].commit, commits_[night]);
      EXPECT_EQ(s.points[night].base_commit, repo_->rev_parse("v1.0.0"));
    }
  }
}

TEST_F(NightlyHistory, SqliteHistoryReportsThePlantedStepOnly) {
  expect_planted_step_only(sqlite());
}

TEST_F(NightlyHistory, PostgresHistoryReportsThePlantedStepOnly) {
  ASSERT_TRUE(postgres_error_.empty())
      << "cannot start a PostgreSQL cluster for the nightly test: " << postgres_error_;
  expect_planted_step_only(postgres_);
}

TEST_F(NightlyHistory, FailOnRegressionFailsTheJobForThePlantedStepOnly) {
  const CommandResult all = perfguard({"history", "--history", sqlite(), "--fail-on-regression"});
  EXPECT_EQ(all.exit_code, 1) << all.out << all.err;
  EXPECT_NE(all.out.find(commits_[kPlanted - 2].substr(0, 12) + "  " +
                         commits_[kPlanted - 1].substr(0, 12)),
            std::string::npos)
      << all.out;
  EXPECT_NE(all.out.find("\n  perfguard bisect --good " + commits_[kPlanted - 2] + " --bad " +
                         commits_[kPlanted - 1] + " --only tool.run --metric wall_time\n"),
            std::string::npos)
      << all.out;
  const CommandResult steady = perfguard(
      {"history", "--history", sqlite(), "--fail-on-regression", "--benchmark", "steady.run"});
  EXPECT_EQ(steady.exit_code, 0) << steady.out << steady.err;
  EXPECT_EQ(steady.out, "no change points in 1 series and 1 ratio series\n");
}

// The bisect history suggests for the step, run as printed in the repository (with an output
// folder), names the planted commit.
TEST_F(NightlyHistory, SuggestedBisectNamesThePlantedCommit) {
  const CommandResult r = perfguard({"history", "--history", sqlite(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json document = Json::parse(r.out);
  ASSERT_EQ(document["change_points"].size(), 2u) << r.out;
  const std::string command = document["change_points"][0]["bisect_command"];
  EXPECT_EQ(command, "perfguard bisect --good " + commits_[kPlanted - 2] + " --bad " +
                         commits_[kPlanted - 1] + " --only tool.run --metric wall_time");
  // Its words (none needs quoting here) after "perfguard".
  std::vector<std::string> args;
  std::istringstream words(command);
  for (std::string word; words >> word;) args.push_back(word);
  args.erase(args.begin());
  const fs::path out = dir_->path() / "bisect";
  args.insert(args.end(), {"--repo", repo_->path().string(), "--out", out.string()});
  const CommandResult bisect = perfguard(args);
  ASSERT_EQ(bisect.exit_code, 0) << bisect.out << bisect.err;
  const Json found = Json::parse(slurp(out / "bisect.json"));
  EXPECT_EQ(found["status"], "found");
  EXPECT_EQ(found["culprit"]["commit"], commits_[kPlanted - 1]);
  EXPECT_EQ(found["culprit"]["subject"], "c" + std::to_string(kPlanted));
}

}  // namespace
}  // namespace perfguard::history
