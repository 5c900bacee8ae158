// End to end: perfguard compare on instruction counts, on throwaway git repositories made
// here. The "project" is a shell script that runs pg_helper's fixed loop; under Callgrind its
// count is the same in every run, so one pair of runs per side decides.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/gate_artifacts.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/sanitizer.hpp"
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

// 0.5%: a threshold no timing could hold on this machine, and exact counts can.
constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
  "benchmarks": [{"id": "loop", "command": ["{build}/tool"], "measure": "instructions"}],
  "budgets": [{"benchmark": "loop", "max_regression": "0.5%"}],
  "approvals": "perfguard-approvals.json"
})";

class CallgrindCompare : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kUnderAddressSanitizer) GTEST_SKIP() << kValgrindCannotRunSanitized;
    write("perfguard.json", kConfig);
    write("perfguard-approvals.json", R"({"schema": "perfguard.approvals.v1", "approvals": []})");
    commit_tool("work 2000000", "v1");
    git_.git({"tag", "v1.0.0"});
  }

  void write(const std::string& name, const std::string& content) const {
    git_.write(name, content);
  }

  void commit_all(const std::string& message) const { git_.commit(message); }

  void commit_tool(const std::string& helper_args, const std::string& message) const {
    write("tool.sh", std::string("#!/bin/sh\nexec ") + PG_HELPER_PATH + " " + helper_args + "\n");
    commit_all(message);
  }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }

  CommandResult compare(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare", "--repo", repo().string(),
                                     "--base",         "v1.0.0",  "--out",  out().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(args);
  }

  [[nodiscard]] json row() const { return result_row(out(), "loop", "instructions"); }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
};

TEST_F(CallgrindCompare, OnePercentMoreWorkIsRegressedWithAnExactRatio) {
  commit_tool("work 2020000", "1% more iterations");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json loop = row();
  EXPECT_EQ(loop["verdict"], "regressed") << loop.dump(2);
  EXPECT_EQ(loop["unit"], "instructions");
  EXPECT_EQ(loop["exact"], true);
  // Two runs per side settled it, and the ratio is the ratio of the counts themselves.
  EXPECT_EQ(loop["base"]["n"], 2);
  EXPECT_EQ(loop["candidate"]["n"], 2);
  const double base = loop["base"]["median"];
  const double candidate = loop["candidate"]["median"];
  EXPECT_EQ(loop["base"]["min"], loop["base"]["max"]);
  EXPECT_EQ(loop["ratio"].get<double>(), candidate / base);
  EXPECT_EQ(loop["ratio_ci"][0], loop["ratio"]);
  EXPECT_EQ(loop["ratio_ci"][1], loop["ratio"]);
  EXPECT_GT(loop["ratio"].get<double>(), 1.005);
  EXPECT_LT(loop["ratio"].get<double>(), 1.011);
  const std::string reason = loop["reason"];
  EXPECT_EQ(reason.rfind("exactly +", 0), 0U) << reason;
  EXPECT_NE(reason.find("> 0.5% threshold"), std::string::npos) << reason;
  // The summary shows counts with their unit, and the page marks the comparison exact.
  EXPECT_NE(r.out.find("instructions"), std::string::npos) << r.out;
  const std::string html = slurp(out() / "index.html");
  EXPECT_NE(html.find("class=\"exact\""), std::string::npos);
  EXPECT_NE(html.find(" M instructions"), std::string::npos);
}

TEST_F(CallgrindCompare, IdenticalCodeIsUnchangedWithRatioExactlyOne) {
  write("NOTES.txt", "same code");
  commit_all("notes only");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json loop = row();
  EXPECT_EQ(loop["verdict"], "unchanged") << loop.dump(2);
  EXPECT_EQ(loop["exact"], true);
  EXPECT_EQ(loop["ratio"].get<double>(), 1.0);
  EXPECT_EQ(loop["ratio_ci"], json::array({1.0, 1.0}));
}

TEST_F(CallgrindCompare, VaryingCountsFallBackToStatisticsWithANote) {
  write("perfguard.json", R"({
    "schema": "perfguard.config.v1",
    "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
    "benchmarks": [{"id": "loop", "command": ["{build}/tool"], "measure": "instructions"}],
    "budgets": [{"benchmark": "loop", "max_regression": "30%"}]
  })");
  commit_tool("jitter 2000000", "the loop's length depends on the clock");
  git_.git({"tag", "-f", "v1.0.0"});
  write("NOTES.txt", "same code");
  commit_all("notes only");
  // 10 runs at most: the last look tests at about 0.993, where the per-round interval needs 9.
  const CommandResult r = compare({"--min-runs", "7", "--max-runs", "10"});
  const json loop = row();
  EXPECT_EQ(loop["exact"], false) << loop.dump(2);
  const std::string reason = loop["reason"];
  EXPECT_NE(reason.find("not exact: counts varied between runs"), std::string::npos) << reason;
  EXPECT_NE(reason.find("so judged statistically"), std::string::npos) << reason;
  EXPECT_GE(loop["base"]["n"].get<int>(), 7);
  ASSERT_TRUE(loop["ratio_ci"].is_array()) << loop.dump(2);
  EXPECT_LT(loop["ratio_ci"][0].get<double>(), loop["ratio_ci"][1].get<double>());
  EXPECT_EQ(loop["verdict"], "unchanged") << r.out << r.err;
}

TEST_F(CallgrindCompare, AbsoluteCountBudgetFails) {
  write("perfguard.json", R"({
    "schema": "perfguard.config.v1",
    "build": [["sh", "-c", "cp {worktree}/tool.sh {build}/tool && chmod +x {build}/tool"]],
    "benchmarks": [{"id": "loop", "command": ["{build}/tool"],
                    "measure": ["instructions", "estimated_cycles"]}],
    "budgets": [{"benchmark": "loop", "max": "1M"},
                {"benchmark": "loop", "metric": "estimated_cycles", "max": "10G"}]
  })");
  commit_all("budget of 1M instructions");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json summary = json::parse(slurp(out() / "budget_summary.json"));
  ASSERT_EQ(summary["budgets"].size(), 2U) << summary.dump(2);
  for (const json& budget : summary["budgets"]) {
    if (budget["metric"] == "instructions") {
      EXPECT_EQ(budget["status"], "over_budget");
      EXPECT_EQ(budget["limit"], 1e6);
      const std::string reason = budget["reason"];
      EXPECT_NE(reason.find(" M instructions > 1 M instructions budget"), std::string::npos)
          << reason;
    } else {
      EXPECT_EQ(budget["metric"], "estimated_cycles");
      EXPECT_EQ(budget["status"], "pass");
      EXPECT_EQ(budget["unit"], "cycles");
    }
  }
}

TEST_F(CallgrindCompare, ApprovalCoversACountRegression) {
  commit_tool("work 2100000", "5% more iterations");
  write("perfguard-approvals.json", json{{"schema", "perfguard.approvals.v1"},
                                         {"approvals",
                                          {{{"benchmark", "loop"},
                                            {"metric", "instructions"},
                                            {"max_ratio", 1.06},
                                            {"reason", "a longer loop, on purpose"},
                                            {"approver", "j.doe"},
                                            {"ticket", "#16"},
                                            {"created", today_plus(-1)},
                                            {"expires", today_plus(10)}}}}}
                                        .dump());
  commit_all("approve");
  const CommandResult r = compare();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(row()["verdict"], "approved");
  EXPECT_EQ(row()["exact"], true);
}

}  // namespace
}  // namespace perfguard::tests
