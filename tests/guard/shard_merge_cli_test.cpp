// End to end: `perfguard compare --shard I/N` and `perfguard merge` on a throwaway git
// repository made here (docs/scale-out.md). Its benchmarks are shell scripts that sleep, which
// keeps the runs short and their timings steady; the planted regression is 10x against a 200%
// threshold, so that no verdict flips on a busy machine (at 50%, a loaded machine made an
// unchanged benchmark inconclusive now and then).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Four timed benchmarks, a file size and an absolute budget; build copies the scripts.
constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["sh", "-c", "cp {worktree}/*.sh {build}/ && chmod +x {build}/*.sh"]],
  "benchmarks": [{"id": "alpha", "command": ["{build}/alpha.sh"], "warmup": 1, "timeout": "5s"},
                 {"id": "beta", "command": ["{build}/beta.sh"], "warmup": 1, "timeout": "5s"},
                 {"id": "gamma", "command": ["{build}/gamma.sh"], "warmup": 1, "timeout": "5s"},
                 {"id": "delta", "command": ["{build}/delta.sh"], "warmup": 1, "timeout": "5s"},
                 {"id": "size", "file_size": "{build}/alpha.sh"}],
  "budgets": [{"benchmark": "*", "max_regression": "200%"},
              {"benchmark": "beta", "max": "2s"}]
})";

// The repository (v1.0.0, then a candidate where gamma is 10x slower) and the runs every test
// reads, made once: the whole gate and its three shards.
class ShardMergeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    git_ = std::make_unique<GitRepo>(dir_->path() / "repo");
    write("perfguard.json", kConfig);
    for (const char* name : {"alpha", "beta", "gamma", "delta"})
      write(std::string(name) + ".sh", "#!/bin/sh\nsleep 0.02\n");
    commit("v1");
    git_->git({"tag", "v1.0.0"});
    write("gamma.sh", "#!/bin/sh\nsleep 0.2\n");
    commit("gamma 10x slower");
    whole_ = compare("whole");
    for (int i = 1; i <= 3; ++i) shards_.push_back(compare("shard" + std::to_string(i), i, 3));
  }

  static void TearDownTestSuite() {
    git_.reset();
    dir_.reset();
  }

  static void write(const std::string& name, const std::string& content) {
    git_->write(name, content);
  }

  static void commit(const std::string& message) { git_->commit(message); }

  static fs::path repo() { return git_->path(); }
  static fs::path folder(const std::string& name) { return dir_->path() / name; }

  static CommandResult compare(const std::string& out, int index = 0, int count = 0,
                               const std::string& candidate = "HEAD") {
    std::vector<std::string> args = {
        PERFGUARD_BINARY, "compare",     "--repo",      repo().string(), "--base",
        "v1.0.0",         "--candidate", candidate,     "--out",         folder(out).string(),
        "--runs",         "8",           "--no-history"};
    if (count > 0) {
      args.push_back("--shard");
      args.push_back(std::to_string(index) + "/" + std::to_string(count));
    }
    return run_command(args);
  }

  static CommandResult merge(const std::vector<std::string>& shards, const std::string& out) {
    std::vector<std::string> args = {PERFGUARD_BINARY, "merge"};
    for (const std::string& shard : shards) args.push_back(folder(shard).string());
    for (const std::string& arg : {std::string("--out"), folder(out).string(),
                                   std::string("--config"), (repo() / "perfguard.json").string()}) {
      args.push_back(arg);
    }
    return run_command(args);
  }

  static CommandResult check(const std::string& out) {
    return run_command({PERFGUARD_BINARY, "check", folder(out).string()});
  }

  static json comparison(const std::string& out) {
    return json::parse(slurp(folder(out) / "perf_comparison.json"));
  }

  // benchmark/metric -> verdict: what must not change when the gate is sharded.
  static std::map<std::string, std::string> verdicts(const std::string& out) {
    std::map<std::string, std::string> kinds;
    const json doc = comparison(out);
    for (const json& row : doc["results"])
      kinds[row["benchmark"].get<std::string>() + "/" + row["metric"].get<std::string>()] =
          row["verdict"];
    return kinds;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<GitRepo> git_;
  static inline CommandResult whole_;
  static inline std::vector<CommandResult> shards_;
};

TEST_F(ShardMergeCli, EachShardMeasuresItsPartAndRecordsIt) {
  ASSERT_EQ(whole_.exit_code, 1) << whole_.out << whole_.err;
  std::multiset<std::string> measured;
  for (int i = 1; i <= 3; ++i) {
    const CommandResult& r = shards_[static_cast<std::size_t>(i - 1)];
    ASSERT_NE(r.exit_code, 2) << r.out << r.err;
    const json doc = comparison("shard" + std::to_string(i));
    const json& shard = doc["settings"]["shard"];
    EXPECT_EQ(shard["index"], i);
    EXPECT_EQ(shard["count"], 3);
    EXPECT_EQ(shard["balanced_by"], "count");
    for (const json& id : shard["benchmarks"]) measured.insert(id.get<std::string>());
    // Its rows are its benchmarks' and no other's.
    for (const json& row : doc["results"]) {
      EXPECT_NE(std::find(shard["benchmarks"].begin(), shard["benchmarks"].end(), row["spec"]),
                shard["benchmarks"].end())
          << row["spec"];
    }
    // A shard is not a whole gate, whatever its own verdict.
    const CommandResult checked = check("shard" + std::to_string(i));
    EXPECT_EQ(checked.exit_code, 1);
    EXPECT_NE(checked.out.find("complete: a single shard (" + std::to_string(i) + "/3)"),
              std::string::npos)
        << checked.out;
  }
  // By count, names sorted: alpha beta delta gamma size -> 1 2 3 1 2.
  EXPECT_EQ(measured, (std::multiset<std::string>{"alpha", "beta", "delta", "gamma", "size"}));
  EXPECT_EQ(comparison("shard1")["settings"]["shard"]["benchmarks"], (json{"alpha", "gamma"}));
}

TEST_F(ShardMergeCli, MergedShardsGiveTheVerdictsOfTheWholeRun) {
  const CommandResult r = merge({"shard3", "shard1", "shard2"}, "merged");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(verdicts("merged"), verdicts("whole"));
  EXPECT_EQ(verdicts("merged").at("gamma/wall_time"), "regressed");
  const json doc = comparison("merged");
  EXPECT_FALSE(doc["settings"].contains("shard"));
  ASSERT_EQ(doc["settings"]["merged_shards"].size(), 3U);
  EXPECT_EQ(doc["settings"]["merged_shards"][0]["index"], 1);
  // Budgets are judged over the merged rows: the absolute budget of beta, and "*" of every one.
  ASSERT_EQ(doc["budgets"].size(), comparison("whole")["budgets"].size());
  EXPECT_EQ(doc["budgets"][0]["benchmark"], "beta");
  // Each row keeps the host of the shard that measured it.
  for (const json& row : doc["results"]) {
    ASSERT_TRUE(row.contains("host")) << row["benchmark"];
    for (const json& shard : doc["settings"]["merged_shards"]) {
      const json& ids = shard["benchmarks"];
      if (std::find(ids.begin(), ids.end(), row["spec"]) != ids.end()) {
        EXPECT_EQ(row["host"], shard["host"]) << row["benchmark"];
      }
    }
  }
  // The same reports as compare's, and the joined runs.
  for (const char* file :
       {"perf_comparison.md", "junit.xml", "index.html", "budget_summary.json", "samples.jsonl"})
    EXPECT_TRUE(fs::exists(folder("merged") / file)) << file;
  std::size_t lines = 0;
  for (int i = 1; i <= 3; ++i) {
    const std::string text = slurp(folder("shard" + std::to_string(i)) / "samples.jsonl");
    lines += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  const std::string joined = slurp(folder("merged") / "samples.jsonl");
  EXPECT_EQ(static_cast<std::size_t>(std::count(joined.begin(), joined.end(), '\n')), lines);
  EXPECT_NE(slurp(folder("merged") / "perf_comparison.md").find("gamma"), std::string::npos);
  // Complete: check fails it for its verdict only, not as a part.
  const CommandResult checked = check("merged");
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_EQ(checked.out.find("complete:"), std::string::npos) << checked.out;
  EXPECT_NE(checked.out.find("verdict:"), std::string::npos) << checked.out;
  // report renders the merged folder like any other.
  const CommandResult md =
      run_command({PERFGUARD_BINARY, "report", folder("merged").string(), "--format", "md"});
  EXPECT_EQ(md.exit_code, 0) << md.err;
}

// A missing shard fails closed: exit 2 naming it, and no earlier gate left in --out.
TEST_F(ShardMergeCli, AMissingShardFailsTheMerge) {
  ASSERT_EQ(merge({"shard1", "shard2", "shard3"}, "partly").exit_code, 1);
  ASSERT_TRUE(fs::exists(folder("partly") / "perf_comparison.json"));
  const CommandResult r = merge({"shard1", "shard3"}, "partly");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: shard 2/3 is missing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(folder("partly") / "perf_comparison.json"));
  EXPECT_EQ(check("partly").exit_code, 1);
}

TEST_F(ShardMergeCli, ADuplicateShardFailsTheMerge) {
  fs::copy(folder("shard2"), folder("shard2-again"), fs::copy_options::recursive);
  const CommandResult r = merge({"shard1", "shard2", "shard2-again", "shard3"}, "twice");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(folder("shard2-again").string() + ": shard 2/3 is given twice (also " +
                       folder("shard2").string()),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(folder("twice") / "perf_comparison.json"));
}

// A shard of another candidate is refused, naming its folder.
TEST_F(ShardMergeCli, MismatchedCommitsAreRefused) {
  const CommandResult other = compare("shard3-other", 3, 3, "v1.0.0");
  ASSERT_NE(other.exit_code, 2) << other.err;
  const CommandResult r = merge({"shard1", "shard2", "shard3-other"}, "mixed");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: " + folder("shard3-other").string() + ": the candidate commit "),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

// Shards split differently (one job had another previous run in its --out): a benchmark that no
// shard measured is a hole, refused, never a gate without it.
TEST_F(ShardMergeCli, ABenchmarkNoShardMeasuredIsRefused) {
  fs::copy(folder("shard1"), folder("shard1-other-split"), fs::copy_options::recursive);
  json doc = comparison("shard1-other-split");
  doc["settings"]["shard"]["benchmarks"] = json{"alpha"};
  std::ofstream(folder("shard1-other-split") / "perf_comparison.json") << doc.dump(2);
  const CommandResult r = merge({"shard1-other-split", "shard2", "shard3"}, "hole");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: benchmark gamma of the selection was measured by no shard"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(folder("hole") / "perf_comparison.json"));
}

// A shard whose run did not finish (interrupted here) fails the merged gate, saying which.
TEST_F(ShardMergeCli, AnUnfinishedShardFailsTheMergedGate) {
  fs::copy(folder("shard3"), folder("shard3-interrupted"), fs::copy_options::recursive);
  json doc = comparison("shard3-interrupted");
  doc["gate"]["passed"] = false;
  doc["gate"]["verdict"] = "fail";
  doc["gate"]["exit_code"] = 130;
  doc["gate"]["failures"] =
      json{"the run did not finish: interrupted by SIGINT before the gate was judged"};
  std::ofstream(folder("shard3-interrupted") / "perf_comparison.json") << doc.dump(2);
  const CommandResult r = merge({"shard1", "shard2", "shard3-interrupted"}, "unfinished");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL shard 3/3 (" + folder("shard3-interrupted").string() +
                       "): the run did not finish: interrupted by SIGINT"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(check("unfinished").exit_code, 1);
}

// merge re-judges the shards' runs with the method they recorded, and refuses shards that
// recorded different ones.
TEST_F(ShardMergeCli, TheShardsRatioMethodJudgesTheMergedGate) {
  // Copies of the three shards, settings.ratio_method set to `method` in those listed.
  const auto judged_by = [](const std::string& prefix, const std::string& method,
                            const std::vector<int>& which) {
    std::vector<std::string> names;
    for (int i = 1; i <= 3; ++i) {
      const std::string name = prefix + std::to_string(i);
      fs::copy(folder("shard" + std::to_string(i)), folder(name), fs::copy_options::recursive);
      if (std::find(which.begin(), which.end(), i) != which.end()) {
        json doc = comparison(name);
        doc["settings"]["ratio_method"] = method;
        std::ofstream(folder(name) / "perf_comparison.json") << doc.dump(2);
      }
      names.push_back(name);
    }
    return names;
  };
  EXPECT_EQ(comparison("shard1")["settings"]["ratio_method"], "paired_sign");
  const CommandResult as_measured = merge({"shard1", "shard2", "shard3"}, "merged-default");
  EXPECT_EQ(as_measured.exit_code, 1) << as_measured.out << as_measured.err;
  EXPECT_EQ(comparison("merged-default")["settings"]["ratio_method"], "paired_sign");

  const CommandResult r =
      merge(judged_by("by-medians", "median_ratio", {1, 2, 3}), "merged-medians");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json doc = comparison("merged-medians");
  EXPECT_EQ(doc["settings"]["ratio_method"], "median_ratio");
  std::size_t timed = 0;
  for (const json& row : doc["results"]) {
    if (row["method"].is_null()) continue;  // the file size: exact
    EXPECT_EQ(row["method"], "median_ratio") << row.dump();
    ++timed;
  }
  EXPECT_GT(timed, 0u);
  EXPECT_EQ(verdicts("merged-medians"), verdicts("whole"));

  const std::vector<std::string> mixed = judged_by("mixed", "median_ratio", {2});
  const CommandResult refused = merge(mixed, "merged-mixed");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "error: " + folder("mixed2").string() +
                             ": settings.ratio_method median_ratio differs from paired_sign in " +
                             folder("mixed1").string() + ": the shards are not of one gate\n");
  EXPECT_FALSE(fs::exists(folder("merged-mixed") / "perf_comparison.json"));
}

TEST_F(ShardMergeCli, AnotherConfigIsRefused) {
  dir_->write("other.json", std::string(kConfig) + "\n");
  const CommandResult r =
      run_command({PERFGUARD_BINARY, "merge", folder("shard1").string(), folder("shard2").string(),
                   folder("shard3").string(), "--out", folder("other-config").string(), "--config",
                   folder("other.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--config " + folder("other.json").string() +
                       ": not the config the shards were measured with"),
            std::string::npos)
      << r.err;
}

TEST_F(ShardMergeCli, UnreadableOrForeignFoldersAreNamed) {
  const CommandResult absent = merge({"shard1", "nowhere"}, "bad");
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_NE(absent.err.find((folder("nowhere") / "perf_comparison.json").string()),
            std::string::npos)
      << absent.err;
  fs::create_directories(folder("broken"));
  dir_->write("broken/perf_comparison.json", "{\"schema\": ");
  const CommandResult broken = merge({"broken"}, "bad");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find((folder("broken") / "perf_comparison.json").string() + ": parse"),
            std::string::npos)
      << broken.err;
  const CommandResult whole = merge({"whole"}, "bad");
  EXPECT_EQ(whole.exit_code, 2);
  EXPECT_NE(whole.err.find("not a shard (no settings.shard)"), std::string::npos) << whole.err;
  fs::copy(folder("shard1"), folder("no-runs"), fs::copy_options::recursive);
  fs::remove(folder("no-runs") / "samples.jsonl");
  const CommandResult runs = merge({"no-runs", "shard2", "shard3"}, "bad");
  EXPECT_EQ(runs.exit_code, 2);
  EXPECT_NE(runs.err.find((folder("no-runs") / "samples.jsonl").string()), std::string::npos)
      << runs.err;
}

// One Google Benchmark binary as the whole suite: the shards split its cases, a complexity
// family's sizes together, and the merge gives the whole run's verdicts, the family's too. A
// case runs for 10 ms in one process, where a preemption weighs more than in a whole process
// run: the threshold is 400% and the planted regression 10x.
constexpr const char* kGBenchConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["c++", "-O1", "-std=c++17", "{worktree}/bench.cpp", "-o", "{build}/bench",
             "-lbenchmark", "-lpthread"]],
  "benchmarks": [{"id": "suite", "gbench": "{build}/bench", "args": ["--benchmark_min_time=0.01"]}],
  "budgets": [{"benchmark": "*", "max_regression": "400%"}]
})";

std::string gbench_source(int b_work) {
  return R"(#include <benchmark/benchmark.h>
static void spin(long n) { for (long i = 0; i < n; ++i) benchmark::DoNotOptimize(i); }
static void BM_a(benchmark::State& state) { for (auto _ : state) spin(20000); }
static void BM_b(benchmark::State& state) { for (auto _ : state) spin()" +
         std::to_string(b_work) + R"(); }
static void BM_c(benchmark::State& state) { for (auto _ : state) spin(30000); }
static void BM_Grow(benchmark::State& state) { for (auto _ : state) spin(state.range(0)); }
BENCHMARK(BM_a);
BENCHMARK(BM_b);
BENCHMARK(BM_c);
BENCHMARK(BM_Grow)->Arg(1000)->Arg(4000)->Arg(16000)->Arg(64000);
BENCHMARK_MAIN();
)";
}

class GBenchShardCli : public ShardMergeCli {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    git_ = std::make_unique<GitRepo>(dir_->path() / "repo");
    write("perfguard.json", kGBenchConfig);
    write("bench.cpp", gbench_source(20000));
    commit("v1");
    git_->git({"tag", "v1.0.0"});
    write("bench.cpp", gbench_source(200000));
    commit("BM_b 10x slower");
    whole_ = compare("whole");
    shards_.clear();
    for (int i = 1; i <= 2; ++i) shards_.push_back(compare("shard" + std::to_string(i), i, 2));
  }

  static std::map<std::string, std::string> family_verdicts(const std::string& out) {
    std::map<std::string, std::string> kinds;
    const json doc = comparison(out);
    for (const json& family : doc["families"])
      kinds[family["family"].get<std::string>() + "/" + family["metric"].get<std::string>()] =
          family["verdict"];
    return kinds;
  }
};

TEST_F(GBenchShardCli, CasesAreShardedAndMergedIntoTheWholeRunsVerdicts) {
  ASSERT_EQ(whole_.exit_code, 1) << whole_.out << whole_.err;
  std::vector<std::string> cases;
  for (int i = 1; i <= 2; ++i) {
    const CommandResult& r = shards_[static_cast<std::size_t>(i - 1)];
    ASSERT_NE(r.exit_code, 2) << r.err;
    const json shard = comparison("shard" + std::to_string(i))["settings"]["shard"];
    for (const json& id : shard["benchmarks"]) cases.push_back(id.get<std::string>());
  }
  std::sort(cases.begin(), cases.end());
  // By count: groups suite/BM_Grow (4 sizes), suite/BM_a, suite/BM_b, suite/BM_c -> 1 2 1 2.
  EXPECT_EQ(cases, (std::vector<std::string>{"suite/BM_Grow/1000", "suite/BM_Grow/16000",
                                             "suite/BM_Grow/4000", "suite/BM_Grow/64000",
                                             "suite/BM_a", "suite/BM_b", "suite/BM_c"}));
  EXPECT_EQ(comparison("shard2")["settings"]["shard"]["benchmarks"],
            (json{"suite/BM_a", "suite/BM_c"}));
  const CommandResult r = merge({"shard2", "shard1"}, "merged");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(verdicts("merged"), verdicts("whole"));
  EXPECT_EQ(verdicts("merged").at("suite/BM_b/real_time"), "regressed");
  EXPECT_EQ(family_verdicts("merged"), family_verdicts("whole"));
  EXPECT_FALSE(family_verdicts("merged").empty());
}

// Bad --shard values: one line naming the flag, exit 2, before anything starts.
TEST(ShardFlag, BadValuesAreRefused) {
  for (const char* value : {"0/3", "4/3", "a/b", "1/0", "3"}) {
    const CommandResult r = run_command(
        {PERFGUARD_BINARY, "compare", "--base", "v1", "--repo", "/nonexistent", "--shard", value});
    EXPECT_EQ(r.exit_code, 2) << value;
    EXPECT_EQ(r.err.rfind(std::string("error: --shard ") + value + ": ", 0), 0U) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
}

TEST(MergeCommand, HelpNamesItsFlags) {
  const CommandResult r = run_command({PERFGUARD_BINARY, "merge", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--out"), std::string::npos);
  EXPECT_NE(r.out.find("--config"), std::string::npos);
  const CommandResult none = run_command({PERFGUARD_BINARY, "merge", "--out", "x"});
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
}  // namespace perfguard::tests
