// End to end: perfguard diff, check and report on result files made here.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;

CommandResult perfguard(std::vector<std::string> args) {
  args.insert(args.begin(), PERFGUARD_BINARY);
  return run_command(args);
}

json read_json(const std::filesystem::path& path) { return json::parse(slurp(path)); }

// 41 times spread evenly over center * [0.99, 1.01], shuffled: median = center.
json spread(double center) {
  json times = json::array();
  for (int i = 0; i < 41; ++i) times.push_back(center * (0.99 + 0.02 * ((i * 7) % 41) / 40.0));
  return times;
}

// A hyperfine --export-json document: command -> median time.
std::string hyperfine(const std::vector<std::pair<std::string, double>>& commands) {
  json results = json::array();
  for (const auto& [command, center] : commands)
    results.push_back({{"command", command}, {"times", spread(center)}});
  return json{{"results", results}}.dump();
}

// A Google Benchmark document with one benchmark repeated 41 times, from `host`.
std::string gbench(const std::string& host, double center_ns) {
  json runs = json::array();
  for (const json& t : spread(center_ns)) {
    runs.push_back({{"name", "BM_parse"},
                    {"run_name", "BM_parse"},
                    {"run_type", "iteration"},
                    {"real_time", t},
                    {"cpu_time", t},
                    {"time_unit", "ns"}});
  }
  return json{{"context", {{"host_name", host}}}, {"benchmarks", runs}}.dump();
}

class GateCli : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string out() const { return (dir_.path() / "reports").string(); }
  std::string write(const std::string& name, const std::string& content) const {
    return dir_.write(name, content).string();
  }
  CommandResult diff(const std::string& base, const std::string& candidate,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"diff", base, candidate, "--out", out()};
    args.insert(args.end(), extra.begin(), extra.end());
    return perfguard(args);
  }
};

TEST_F(GateCli, IdenticalResultsPassAndCheckAccepts) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}, {"grep", 0.05}}));
  const CommandResult r = diff(base, base);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("perfguard: gate passed (exit 0): 2 results, 0 failing"), std::string::npos)
      << r.out;
  for (const char* file : {"perf_comparison.json", "budget_summary.json", "perf_comparison.md",
                           "junit.xml", "index.html"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out()) / file)) << file;
  }
  const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  EXPECT_EQ(doc["schema"], "perfguard.perf_comparison.v1");
  EXPECT_EQ(doc["gate"]["verdict"], "pass");
  EXPECT_DOUBLE_EQ(doc["settings"]["confidence"].get<double>(), 0.98);  // the gates' default
  // Two result files have no rounds to pair: the ratio of medians judges (docs/design.md).
  ASSERT_EQ(doc["results"].size(), 2U);
  for (const json& row : doc["results"]) {
    EXPECT_EQ(row["method"], "median_ratio") << row.dump();
    EXPECT_TRUE(row["paired_rounds"].is_null()) << row.dump();
  }
  const CommandResult check = perfguard({"check", out()});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(check.out.rfind("ok: ", 0), 0U) << check.out;
}

TEST_F(GateCli, PlantedRegressionFailsWithAReplayThatReproducesIt) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}, {"grep", 0.05}}));
  const std::string slow = write("slow.json", hyperfine({{"sort", 0.13}, {"grep", 0.05}}));
  const CommandResult r = diff(base, slow);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  const json& row = doc["results"][0];
  EXPECT_EQ(row["benchmark"], "sort");
  EXPECT_EQ(row["verdict"], "regressed");
  EXPECT_EQ(row["severity"], "P1");
  const std::string replay = row["replay"];
  EXPECT_EQ(replay, "perfguard diff " + base + " " + slow + " --only sort");
  // Run the replay exactly as printed, with perfguard on PATH: it judges only that benchmark.
  const std::string bin_dir = std::filesystem::path(PERFGUARD_BINARY).parent_path().string();
  const CommandResult again = run_command({"/bin/sh", "-c",
                                           "cd " + dir_.path().string() + " && PATH=" + bin_dir +
                                               ":$PATH " + replay + " --out replay"});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("1 results, 1 failing"), std::string::npos) << again.out;
  EXPECT_NE(perfguard({"check", out()}).exit_code, 0);
}

// Only the candidate has "fresh": new, passing. Only the base has "old": missing, failing --
// until an approval with "removed": true accepts it. The reports say which is which.
TEST_F(GateCli, NewBenchmarksPassRemovedOnesNeedAnApproval) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}, {"old", 0.05}}));
  const std::string candidate = write("cand.json", hyperfine({{"sort", 0.1}, {"fresh", 0.05}}));
  const CommandResult r = diff(base, candidate);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("old wall_time: missing: no candidate samples"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("fresh wall_time:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  new  1 only on the candidate: fresh\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  gone 1 only on the base: old\n"), std::string::npos) << r.out;
  const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  EXPECT_EQ(doc["gate"]["counts"]["new"], 1);
  EXPECT_EQ(doc["gate"]["counts"]["missing"], 1);

  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const auto date = [](std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd(d);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return std::string(text);
  };
  const std::string approvals =
      write("approvals.json", json{{"schema", "perfguard.approvals.v1"},
                                   {"approvals",
                                    {{{"benchmark", "old"},
                                      {"metric", "wall_time"},
                                      {"removed", true},
                                      {"reason", "replaced by fresh"},
                                      {"approver", "j.doe"},
                                      {"ticket", "#17"},
                                      {"created", date(today)},
                                      {"expires", date(today + std::chrono::days(7))}}}}}
                                  .dump());
  const CommandResult approved = diff(base, candidate, {"--approvals", approvals});
  EXPECT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_NE(approved.out.find("  gone 1 only on the base: old (removal approved)\n"),
            std::string::npos)
      << approved.out;
  const json approved_doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  const auto row = [&](const std::string& name) {
    for (const json& result : approved_doc["results"]) {
      if (result["benchmark"] == name) return result;
    }
    return json();
  };
  EXPECT_EQ(row("old")["verdict"], "approved");
  EXPECT_EQ(row("old")["removed"], true);
  EXPECT_EQ(row("old")["approval"]["removed"], true);
  EXPECT_TRUE(row("old")["approval"]["max_ratio"].is_null());
  EXPECT_EQ(row("fresh")["verdict"], "new");
  EXPECT_FALSE(row("fresh").contains("removed"));
  const std::string md = slurp(std::filesystem::path(out()) / "perf_comparison.md");
  EXPECT_NE(md.find("### Benchmarks only one side has\n\n"
                    "- **new** on the candidate (1): `fresh`\n"
                    "- **removed** from the candidate (1): `old (removal approved)`\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(perfguard({"check", out()}).exit_code, 0);
}

// Two builds at different paths: no command matches by name, so equal-length files are paired
// by position (under the base's names), and perfguard says so.
TEST_F(GateCli, HyperfineResultsWithoutCommonNamesArePairedByPosition) {
  const std::string base = write(
      "base.json", hyperfine({{"/tmp/a/build/tool run", 0.1}, {"/tmp/a/build/tool list", 0.05}}));
  const std::string candidate = write(
      "cand.json", hyperfine({{"/tmp/b/build/tool run", 0.13}, {"/tmp/b/build/tool list", 0.05}}));
  const CommandResult r = diff(base, candidate);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("no command matches by name; paired by position: \"/tmp/a/build/tool "
                       "run\" with \"/tmp/b/build/tool run\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hyperfine -n NAME"), std::string::npos) << r.err;
  const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  EXPECT_EQ(doc["settings"]["matched_by"], "position");
  ASSERT_EQ(doc["results"].size(), 2U);
  EXPECT_EQ(doc["results"][0]["benchmark"], "/tmp/a/build/tool run");
  EXPECT_EQ(doc["results"][0]["verdict"], "regressed");
  EXPECT_EQ(doc["results"][1]["verdict"], "unchanged");

  // Different counts: no pairing, names as they are.
  const std::string three = write("three.json", hyperfine({{"/tmp/b/build/tool run", 0.1},
                                                           {"/tmp/b/build/tool list", 0.05},
                                                           {"/tmp/b/build/tool help", 0.01}}));
  const CommandResult unpaired = diff(base, three);
  EXPECT_EQ(unpaired.err.find("paired by position"), std::string::npos) << unpaired.err;
  EXPECT_EQ(
      read_json(std::filesystem::path(out()) / "perf_comparison.json")["settings"]["matched_by"],
      "name");
}

// Google Benchmark labels (SetLabel: snappy names its inputs "html", "urls", "jpg"...) travel
// to the reports beside the case's name.
TEST_F(GateCli, GoogleBenchmarkLabelsReachTheReports) {
  json doc = json::parse(gbench("bench-1", 100.0));
  for (json& run : doc["benchmarks"]) {
    run["name"] = run["run_name"] = "BM_UFlat/0";
    run["label"] = "html (22.31 %)";
  }
  const std::string base = write("base.json", doc.dump());
  const CommandResult r = diff(base, base);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json comparison = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  EXPECT_EQ(comparison["results"][0]["label"], "html (22.31 %)");
  EXPECT_NE(slurp(std::filesystem::path(out()) / "perf_comparison.md")
                .find("| BM_UFlat/0 (html (22.31 %)) | real_time |"),
            std::string::npos);
  EXPECT_NE(slurp(std::filesystem::path(out()) / "index.html")
                .find("<span class=\"label\">html (22.31 %)</span>"),
            std::string::npos);
}

// diff --config without "benchmarks": budgets name what the files hold, a command line included.
TEST_F(GateCli, DiffConfigWithoutBenchmarksBudgetsTheNamesInTheFiles) {
  const std::string base = write("base.json", hyperfine({{"./tool run", 0.1}, {"grep", 0.05}}));
  const std::string slow = write("slow.json", hyperfine({{"./tool run", 0.108}, {"grep", 0.05}}));
  const std::string lenient = write("lenient.json", R"({"schema": "perfguard.config.v1",
    "budgets": [{"benchmark": "./tool run", "max_regression": "10%"}]})");
  const CommandResult passed = diff(base, slow, {"--config", lenient});
  EXPECT_EQ(passed.exit_code, 0) << passed.out << passed.err;
  const std::string strict = write("strict.json", R"({"schema": "perfguard.config.v1",
    "budgets": [{"benchmark": "./tool *", "max_regression": "5%"},
                {"benchmark": "*", "max": "90ms"}]})");
  const CommandResult failed = diff(base, slow, {"--config", strict});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_NE(
      failed.out.find("./tool run wall_time: budget over_budget: median 108 ms > 90 ms budget"),
      std::string::npos)
      << failed.out;
}

// Result files hold no rounds: diff takes --ratio-method median_ratio and refuses a paired
// method; a paired "ratio_method" in the config does not apply to it and breaks nothing.
TEST_F(GateCli, DiffTakesOnlyTheRatioOfMedians) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}, {"grep", 0.05}}));
  for (const char* paired : {"paired_sign", "paired_signed_rank"}) {
    const CommandResult refused = diff(base, base, {"--ratio-method", paired});
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_EQ(refused.err, "error: --ratio-method " + std::string(paired) +
                               ": result files hold no rounds, and paired methods need runs "
                               "taken in rounds (perfguard compare, perfguard time); diff takes "
                               "only median_ratio\n");
  }
  const CommandResult unknown = diff(base, base, {"--ratio-method", "wilcoxon"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "error: --ratio-method wilcoxon: expected one of median_ratio, paired_sign, "
            "paired_signed_rank\n");

  const std::string paired_config = write("paired.json", R"({"schema": "perfguard.config.v1",
    "ratio_method": "paired_sign", "budgets": [{"benchmark": "*", "max_regression": "10%"}]})");
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--ratio-method", "median_ratio"},
        std::vector<std::string>{"--config", paired_config}}) {
    const CommandResult r = diff(base, base, extra);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
    EXPECT_EQ(doc["settings"]["ratio_method"], "median_ratio");
    for (const json& row : doc["results"]) EXPECT_EQ(row["method"], "median_ratio") << row.dump();
  }
}

TEST_F(GateCli, FailedRunsAreAnErrorWithExitThree) {
  json doc = json::parse(hyperfine({{"sort", 0.1}}));
  doc["results"][0]["exit_codes"] = json::array();
  for (int i = 0; i < 41; ++i) doc["results"][0]["exit_codes"].push_back(i == 5 ? 139 : 0);
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}));
  const CommandResult r = diff(base, write("crash.json", doc.dump()));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("sort wall_time: error: candidate: run 5: exit 139"), std::string::npos)
      << r.out;
}

TEST_F(GateCli, ResultsFromDifferentHostsAreRefused) {
  const std::string a = write("a.json", gbench("host-a", 1000));
  const std::string b = write("b.json", gbench("host-b", 1000));
  const CommandResult refused = diff(a, b);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("was measured on host-a but"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(out()));
  EXPECT_EQ(diff(a, b, {"--allow-cross-host"}).exit_code, 0);
}

TEST_F(GateCli, GoogleBenchmarkTimesAreJudgedInSeconds) {
  const std::string a = write("a.json", gbench("h", 1000));
  const std::string config = write("perfguard.json", R"({
    "schema": "perfguard.config.v1",
    "benchmarks": [{"id": "BM_parse", "gbench": "bench/micro"}],
    // 1000 ns median against a 500 ns budget
    "budgets": [{"benchmark": "BM_parse", "statistic": "median", "max": "500ns"}]
  })");
  const CommandResult r = diff(a, a, {"--config", config});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("budget over_budget: median 1 us > 500 ns budget"), std::string::npos)
      << r.out;
}

TEST_F(GateCli, ConfigErrorsExitTwoNamingFileLineColumn) {
  const std::string a = write("a.json", hyperfine({{"sort", 0.1}}));
  const std::string config = write(
      "perfguard.json", "{\n  \"schema\": \"perfguard.config.v1\",\n  \"benchmark\": []\n}\n");
  const CommandResult r = diff(a, a, {"--config", config});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: " + config + ":3:3: unknown key", 0), 0U) << r.err;
}

TEST_F(GateCli, ApprovalsCoverOrFail) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}));
  const std::string slow = write("slow.json", hyperfine({{"sort", 0.12}}));
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const auto date = [](std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd(d);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return std::string(text);
  };
  const auto approvals = [&](std::chrono::sys_days created, std::chrono::sys_days expires) {
    return json{{"schema", "perfguard.approvals.v1"},
                {"approvals",
                 {{{"benchmark", "sort"},
                   {"metric", "wall_time"},
                   {"max_ratio", 1.3},
                   {"reason", "new algorithm"},
                   {"approver", "j.doe"},
                   {"ticket", "#482"},
                   {"created", date(created)},
                   {"expires", date(expires)}}}}}
        .dump();
  };
  const std::string valid =
      write("valid.json", approvals(today - std::chrono::days(2), today + std::chrono::days(10)));
  const CommandResult approved = diff(base, slow, {"--approvals", valid});
  EXPECT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_EQ(
      read_json(std::filesystem::path(out()) / "perf_comparison.json")["results"][0]["verdict"],
      "approved");

  const std::string expired =
      write("expired.json", approvals(today - std::chrono::days(20), today - std::chrono::days(1)));
  const CommandResult failed = diff(base, slow, {"--approvals", expired});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.out.find("approval #1 (sort) is invalid: expired on " +
                            date(today - std::chrono::days(1))),
            std::string::npos)
      << failed.out;
}

TEST_F(GateCli, UnwritableOutputIsAnExecutionError) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}));
  const std::string blocker = write("blocker", "a file, not a folder");
  const CommandResult r = perfguard({"diff", base, base, "--out", blocker + "/reports"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot create output folder"), std::string::npos) << r.err;
}

TEST_F(GateCli, ReportReRendersTheSameMarkdownAndJunit) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}));
  const std::string slow = write("slow.json", hyperfine({{"sort", 0.13}}));
  (void)diff(base, slow);
  const CommandResult md = perfguard({"report", out(), "--format", "md"});
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_EQ(md.out, slurp(std::filesystem::path(out()) / "perf_comparison.md"));
  const CommandResult junit = perfguard({"report", out(), "--format", "junit"});
  EXPECT_EQ(junit.out, slurp(std::filesystem::path(out()) / "junit.xml"));
  // diff plots the runs it compared; re-rendered without samples.jsonl, the page shows summaries.
  EXPECT_NE(slurp(std::filesystem::path(out()) / "index.html").find("<circle class=\"dot\""),
            std::string::npos);
  const CommandResult html = perfguard({"report", out(), "--format", "html"});
  EXPECT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(html.out.find("Gate failed</h1>"), std::string::npos);
  EXPECT_EQ(html.out.find("<circle"), std::string::npos);
  EXPECT_EQ(perfguard({"report", out(), "--format", "pdf"}).exit_code, 2);
  EXPECT_EQ(perfguard({"report", dir_.path().string() + "/nothing", "--format", "md"}).exit_code,
            2);
}

// Real output of the tools on this machine (examples/samples/README.md says how it was made).
TEST_F(GateCli, RealGoogleBenchmarkAndHyperfineFiles) {
  const std::string samples = PERFGUARD_SOURCE_DIR "/examples/samples/";
  for (const char* file : {"gbench.json", "hyperfine_sort.json"}) {
    const CommandResult r = diff(samples + file, samples + file);
    // The same file on both sides: nothing can be missing or failed, and nothing regressed.
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << file << r.out << r.err;
    const json doc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
    EXPECT_FALSE(doc["results"].empty()) << file;
    for (const json& row : doc["results"]) {
      EXPECT_TRUE(row["verdict"] == "unchanged" || row["verdict"] == "inconclusive")
          << file << row["benchmark"];
      EXPECT_DOUBLE_EQ(row["ratio"].get<double>(), 1.0);
    }
  }
  // Google Benchmark: every benchmark of the file is judged on real_time, in seconds.
  const CommandResult g = diff(samples + "gbench.json", samples + "gbench.json");
  const json gdoc = read_json(std::filesystem::path(out()) / "perf_comparison.json");
  EXPECT_EQ(gdoc["results"].size(), 3U) << g.out;
  for (const json& row : gdoc["results"]) {
    EXPECT_EQ(row["metric"], "real_time");
    EXPECT_EQ(row["unit"], "s");
  }
}

// check: each rule, one line naming the file, exit 1.
TEST_F(GateCli, CheckNamesEachBrokenRule) {
  const std::string base = write("base.json", hyperfine({{"sort", 0.1}}));
  ASSERT_EQ(diff(base, base).exit_code, 0);
  const std::filesystem::path comparison = std::filesystem::path(out()) / "perf_comparison.json";
  const std::filesystem::path summary = std::filesystem::path(out()) / "budget_summary.json";
  const json original = read_json(comparison);
  const auto rewrite = [&](const std::filesystem::path& file,
                           const std::function<void(json&)>& change) {
    json doc = read_json(file);
    change(doc);
    std::ofstream(file) << doc.dump();
  };

  rewrite(comparison, [](json& d) { d["generated_at"] = "2020-01-01T00:00:00Z"; });
  CommandResult r = perfguard({"check", out()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(comparison.string() +
                       ": fresh: generated_at 2020-01-01T00:00:00Z is older than --max-age 24h"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(summary.string() + ": same run: \"generated_at\" differs"),
            std::string::npos)
      << r.out;

  std::ofstream(comparison) << original.dump();
  rewrite(summary, [](json& d) { d["schema"] = "perfguard.budget_summary.v0"; });
  r = perfguard({"check", out()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(summary.string() + ": schema: is 'perfguard.budget_summary.v0', expected"),
            std::string::npos)
      << r.out;

  std::ofstream(summary) << "{ not json";
  r = perfguard({"check", out()});
  EXPECT_NE(r.out.find(summary.string() + ": parse: "), std::string::npos) << r.out;

  std::filesystem::remove(summary);
  r = perfguard({"check", out(), "--candidate", "abcdef1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(summary.string() + ": present: missing"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find(comparison.string() + ": commit: candidate commit is 'unknown', expected abcdef1"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(perfguard({"check", out(), "--max-age", "soon"}).exit_code, 2);
  EXPECT_EQ(perfguard({"check", out(), "--base", "xyz"}).exit_code, 2);
}

}  // namespace
}  // namespace perfguard::tests
