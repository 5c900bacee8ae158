// End to end: compare and diff record what they judged in the history store
// (docs/history.md, "Recording a run"), and a store that fails leaves their artifacts intact.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "history/store.hpp"
#include "tests/support/gate_artifacts.hpp"
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

// The (benchmark, metric) pairs of an artifact that have a candidate median: the series one run
// adds to.
std::set<std::pair<std::string, std::string>> judged_series(const json& comparison) {
  std::set<std::pair<std::string, std::string>> series;
  for (const json& row : comparison["results"]) {
    if (row["candidate"].is_object())
      series.emplace(row["benchmark"].get<std::string>(), row["metric"].get<std::string>());
  }
  return series;
}

constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "warmup": 1, "timeout": "2s"}],
  "budgets": [{"benchmark": "*", "max_regression": "50%"}]
})";

// A repository whose tool sleeps 20 ms, tagged v1.0.0 (the "last release"); each night adds a
// commit that leaves the tool as it was. The threshold is 50%: these tests share two cores with
// others and are about what is recorded, not about small differences; the planted slowdown is
// threefold.
class HistoryRecordCli : public ::testing::Test {
 protected:
  void SetUp() override {
    git_.write("perfguard.json", kConfig);
    git_.write("tool.sh", "#!/bin/sh\nsleep 0.02\n");
    git_.commit("v1");
    git_.git({"tag", "v1.0.0"});
  }

  // One night's commit; returns its SHA.
  std::string commit_night(int night) const {
    git_.write("NOTES.txt", "night " + std::to_string(night));
    return git_.commit("night " + std::to_string(night));
  }

  CommandResult compare(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {
        "compare",    "--repo", repo().string(), "--base", "v1.0.0", "--out", out().string(),
        "--min-runs", "8",      "--max-runs",    "12"};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }
  [[nodiscard]] fs::path default_store() const { return repo() / ".perfguard" / "history.sqlite"; }
  [[nodiscard]] json comparison() const { return read_comparison(out()); }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
};

TEST_F(HistoryRecordCli, TwoNightlyComparesFillTheRepositorysStore) {
  const std::string night1 = commit_night(1);
  const CommandResult first = compare();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const auto series = judged_series(comparison());
  ASSERT_FALSE(series.empty());
  const std::string night2 = commit_night(2);
  const CommandResult second = compare();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;

  // `perfguard history` reads them back: one series per judged benchmark x metric, two nights
  // are no step.
  const CommandResult read =
      perfguard({"history", "--history", default_store().string(), "--json"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  const json document = json::parse(read.out);
  EXPECT_EQ(document["series"], series.size());
  EXPECT_EQ(document["change_points"].size(), 0u);

  // Each series holds both nights, in order, at their candidate commits and with the medians
  // the artifacts reported.
  history::Store store = history::Store::open(default_store().string());
  EXPECT_EQ(store.run_count(), 2);
  const json last = comparison();
  for (const history::Series& s : store.series()) {
    EXPECT_TRUE(series.count({s.benchmark, s.metric})) << s.benchmark << ' ' << s.metric;
    ASSERT_EQ(s.points.size(), 2u) << s.benchmark << ' ' << s.metric;
    EXPECT_EQ(s.points[0].commit, night1);
    EXPECT_EQ(s.points[1].commit, night2);
    EXPECT_EQ(s.points[1].ref, "HEAD");
    for (const json& row : last["results"]) {
      if (row["benchmark"] == s.benchmark && row["metric"] == s.metric) {
        EXPECT_EQ(s.points[1].median, row["candidate"]["median"].get<double>());
      }
    }
  }
}

// The replay a failing row prints re-measures a night that is recorded already: run as printed,
// it does not record that night again.
TEST_F(HistoryRecordCli, ReplayDoesNotRecordTheNightAgain) {
  git_.write("tool.sh", "#!/bin/sh\nsleep 0.06\n");  // three times slower
  git_.commit("slower");
  const CommandResult r = compare();
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(history::Store::open(default_store().string()).run_count(), 1);
  std::string replay;
  const json document = comparison();
  for (const json& row : document["results"])
    if (row["replay"].is_string()) replay = row["replay"].get<std::string>();
  ASSERT_NE(replay.find(" --no-history"), std::string::npos) << replay;
  const std::string bin = fs::path(PERFGUARD_BINARY).parent_path().string();
  const CommandResult again =
      run_command({"/bin/sh", "-c", "PATH=" + bin + ":$PATH " + replay + " --max-runs 12"});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_EQ(history::Store::open(default_store().string()).run_count(), 1);
}

TEST_F(HistoryRecordCli, NoHistoryWritesNothing) {
  commit_night(1);
  const CommandResult r = compare({"--no-history"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::exists(out() / "perf_comparison.json"));
  EXPECT_FALSE(fs::exists(default_store()));
}

TEST_F(HistoryRecordCli, HistoryFlagChoosesTheStore) {
  commit_night(1);
  const fs::path elsewhere = dir_.path() / "nightly" / "perf.sqlite";
  const CommandResult r = compare({"--history", elsewhere.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(fs::exists(default_store()));
  EXPECT_EQ(history::Store::open(elsewhere.string()).run_count(), 1);
}

// A nightly job that silently stops recording is worse than a red one: after a passing gate, a
// corrupt store is exit 3 and one line, and the gate's artifacts are all there, saying pass.
TEST_F(HistoryRecordCli, CorruptStoreAfterAPassingGateExitsThreeWithTheArtifactsIntact) {
  commit_night(1);
  fs::create_directories(default_store().parent_path());
  const std::string garbage(4096, 'x');
  std::ofstream(default_store(), std::ios::binary) << garbage;
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  // The last line of standard error (notes about the machine may come before it).
  const std::string error = "error: history " + default_store().string() +
                            ": not a perfguard history database, or corrupt (file is not a "
                            "database); this run is not recorded (the gate passed, its reports "
                            "are in " +
                            out().string() + ")\n";
  ASSERT_GE(r.err.size(), error.size()) << r.err;
  EXPECT_EQ(r.err.substr(r.err.size() - error.size()), error) << r.err;
  EXPECT_TRUE(r.err.size() == error.size() || r.err[r.err.size() - error.size() - 1] == '\n');
  const json document = comparison();
  EXPECT_EQ(document["gate"]["verdict"], "pass");
  EXPECT_EQ(document["gate"]["exit_code"], 0);
  for (const char* file : {"budget_summary.json", "perf_comparison.md", "junit.xml", "index.html"})
    EXPECT_TRUE(fs::exists(out() / file)) << file;
  EXPECT_EQ(slurp(default_store()), garbage);  // not "repaired" either
  EXPECT_EQ(perfguard({"check", out().string()}).exit_code, 0);
}

TEST_F(HistoryRecordCli, HistoryAndNoHistoryTogetherIsAUsageError) {
  const CommandResult r = compare({"--history", "x.sqlite", "--no-history"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--history excludes --no-history"), std::string::npos) << r.err;
}

// 41 times spread evenly over center * [0.99, 1.01]: median = center.
std::string hyperfine(double center) {
  json times = json::array();
  for (int i = 0; i < 41; ++i) times.push_back(center * (0.99 + 0.02 * ((i * 7) % 41) / 40.0));
  return json{{"results", {{{"command", "sort"}, {"times", times}}}}}.dump();
}

class HistoryRecordDiff : public ::testing::Test {
 protected:
  CommandResult diff(const std::string& candidate, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"diff", base_, candidate, "--out", out()};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }
  [[nodiscard]] std::string out() const { return (dir_.path() / "reports").string(); }
  [[nodiscard]] json comparison() const {
    return json::parse(slurp(dir_.path() / "reports" / "perf_comparison.json"));
  }

  TempDir dir_;
  std::string base_ = dir_.write("base.json", hyperfine(0.1)).string();
  std::string same_ = dir_.write("same.json", hyperfine(0.1)).string();
  std::string slow_ = dir_.write("slow.json", hyperfine(0.13)).string();
};

TEST_F(HistoryRecordDiff, RecordsOnlyWithHistory) {
  const std::string store = (dir_.path() / "h" / "history.sqlite").string();
  EXPECT_EQ(diff(same_, {"--history", store}).exit_code, 0);
  EXPECT_EQ(diff(slow_, {"--history", store}).exit_code, 1);  // a failing gate is recorded too
  history::Store opened = history::Store::open(store);
  EXPECT_EQ(opened.run_count(), 2);
  const std::vector<history::Series> series = opened.series();
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].points.size(), 2u);
  EXPECT_NEAR(series[0].points[0].median, 0.1, 1e-12);
  EXPECT_NEAR(series[0].points[1].median, 0.13, 1e-12);
  // Without --history (or with --no-history) a diff records nowhere: no store appears beside
  // the files, the reports or the current directory's repository.
  EXPECT_EQ(diff(same_, {}).exit_code, 0);
  EXPECT_EQ(diff(same_, {"--no-history"}).exit_code, 0);
  EXPECT_EQ(history::Store::open(store).run_count(), 2);
  EXPECT_FALSE(fs::exists(dir_.path() / ".perfguard"));
  EXPECT_FALSE(fs::exists(dir_.path() / "reports" / ".perfguard"));
}

TEST_F(HistoryRecordDiff, UnwritableStoreAfterAPassingGateExitsThreeWithTheArtifactsIntact) {
  const std::string blocker = dir_.write("blocker", "a file, not a folder").string();
  const std::string store = blocker + "/history.sqlite";
  const CommandResult r = diff(same_, {"--history", store});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("\nerror: history " + store + ": cannot create " + blocker),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("; this run is not recorded (the gate passed, its reports are in " + out() +
                       ")\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(comparison()["gate"]["verdict"], "pass");
  EXPECT_EQ(perfguard({"check", out()}).exit_code, 0);
}

// After a failing gate the gate's own exit code says more; the store's failure is a warning.
TEST_F(HistoryRecordDiff, CorruptStoreAfterAFailingGateWarnsAndKeepsTheGatesExitCode) {
  const std::string store = dir_.write("history.sqlite", std::string(4096, 'x')).string();
  const CommandResult r = diff(slow_, {"--history", store});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("perfguard: warning: history " + store +
                       ": not a perfguard history database, or corrupt (file is not a database); "
                       "this run is not recorded\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("perfguard: gate FAILED (exit 1)"), std::string::npos) << r.out;
  EXPECT_EQ(comparison()["gate"]["verdict"], "fail");
  // The replay a failing row prints does not carry --history: it would record the night twice.
  const json row = comparison()["results"][0];
  ASSERT_TRUE(row["replay"].is_string()) << row;
  EXPECT_EQ(row["replay"].get<std::string>().find("--history"), std::string::npos) << row;
}

}  // namespace
}  // namespace perfguard::tests
