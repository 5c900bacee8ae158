// End to end: a complexity family through perfguard compare, on a throwaway git repository
// holding a real Google Benchmark program (built here with the system's libbenchmark). The
// base sorts with std::sort, O(N lg N); the candidate's insertion sort is O(N^2) but costs the
// same at N = 16, where std::sort itself falls back to insertion sort -- a per-case gate sees
// nothing there, and a slowdown only at the larger sizes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/gate_artifacts.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["c++", "-O2", "-std=c++17", "{worktree}/sort_bench.cpp", "-o", "{build}/sort_bench",
             "-lbenchmark", "-lpthread"]],
  "benchmarks": [{"id": "sort", "gbench": "{build}/sort_bench", "project_to": 1000000}],
  "budgets": [{"benchmark": "*", "max_regression": "THRESHOLD"},
              {"benchmark": "sort/BM_Sort", "complexity": "n log n"}]
})";

// Each run executes the binary once: every size for 10 ms (a short --benchmark_min_time is put
// in front of the command line, so the case names carry no suffix).
constexpr const char* kBench = R"(#include <benchmark/benchmark.h>
#include <cstdint>
#include <string>
#include <vector>
#include "sort.hpp"

static void BM_Sort(benchmark::State& state) {
  std::vector<int> input(static_cast<std::size_t>(state.range(0)));
  std::uint32_t x = 12345;
  for (int& v : input) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<int>(x >> 8);
  }
  std::vector<int> work;
  for (auto _ : state) {
    work = input;
    sort_values(work);
    benchmark::DoNotOptimize(work.data());
  }
}
BENCHMARK(BM_Sort)->RangeMultiplier(2)->Range(16, 1024);

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string min_time = "--benchmark_min_time=0.01";
  args.insert(args.begin() + 1, min_time.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  benchmark::RunSpecifiedBenchmarks();
}
)";

constexpr const char* kStdSort = R"(#include <algorithm>
#include <vector>
inline void sort_values(std::vector<int>& v) { std::sort(v.begin(), v.end()); }
)";

constexpr const char* kInsertionSort = R"(#include <cstddef>
#include <vector>
inline void sort_values(std::vector<int>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    const int key = v[i];
    std::size_t j = i;
    for (; j > 0 && v[j - 1] > key; --j) v[j] = v[j - 1];
    v[j] = key;
  }
}
)";

class ComplexityCli : public ::testing::Test {
 protected:
  void SetUp() override {
    set_threshold("5%");
    git_.write("sort_bench.cpp", kBench);
    commit_sort(kStdSort, "std::sort");
    git_.git({"tag", "v1.0.0"});
  }

  void set_threshold(const std::string& threshold) const {
    std::string config = kConfig;
    config.replace(config.find("THRESHOLD"), 9, threshold);
    git_.write("perfguard.json", config);
  }

  void commit_sort(const char* sort, const std::string& message) const {
    git_.write("sort.hpp", sort);
    git_.commit(message);
  }

  [[nodiscard]] fs::path repo() const { return git_.path(); }
  [[nodiscard]] fs::path out() const { return dir_.path() / "reports"; }

  CommandResult compare(std::vector<std::string> runs) const {
    std::vector<std::string> args = {PERFGUARD_BINARY, "compare", "--repo", repo().string(),
                                     "--base",         "v1.0.0",  "--out",  out().string()};
    args.insert(args.end(), runs.begin(), runs.end());
    return run_command(args);
  }

  [[nodiscard]] json family() const {
    const json doc = json::parse(slurp(out() / "perf_comparison.json"));
    EXPECT_EQ(doc["families"].size(), 1U) << doc["families"].dump();
    return doc["families"].empty() ? json::object() : doc["families"][0];
  }

  [[nodiscard]] json row(const std::string& benchmark) const {
    return result_row(out(), benchmark);
  }

  TempDir dir_;
  GitRepo git_{dir_.path() / "repo"};
};

TEST_F(ComplexityCli, QuadraticSortIsComplexityRegressed) {
  commit_sort(kInsertionSort, "insertion sort");
  const CommandResult r = compare({"--runs", "10"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json f = family();
  EXPECT_EQ(f["family"], "sort/BM_Sort");
  EXPECT_EQ(f["verdict"], "complexity_regressed") << f["reason"];
  // std::sort is O(N lg N); over sizes 16…1024 timed on a busy machine O(N) can fit it as well
  // (the two differ by a factor of lg N, 4 to 10 here), so either is the base's class.
  const std::string base = f["base"]["complexity"];
  EXPECT_TRUE(base == "O(N lg N)" || base == "O(N)") << f.dump();
  EXPECT_EQ(f["candidate"]["complexity"], "O(N^2)") << f.dump();
  EXPECT_EQ(f["projection"]["n"], 1e6);
  ASSERT_TRUE(f["projection"]["ratio_ci"].is_array()) << f.dump();
  EXPECT_GT(f["projection"]["ratio_ci"][0].get<double>(), 10.0);
  EXPECT_EQ(f["complexity_budget"]["status"], "over_budget");
  const std::string replay = f["replay"];
  EXPECT_TRUE(replay.ends_with(" --only sort")) << replay;
  // At the smallest size the two sorts run the same code (std::sort sorts 16 elements by
  // insertion), so only the larger sizes show the change; on a busy machine the smallest
  // size's own verdict is left to noise, and is not asserted.
  EXPECT_EQ(row("sort/BM_Sort/1024")["verdict"], "regressed");
  EXPECT_NE(r.out.find("sort/BM_Sort real_time (family): complexity_regressed"), std::string::npos)
      << r.out;
  const std::string md = slurp(out() / "perf_comparison.md");
  EXPECT_NE(md.find("| sort/BM_Sort | real_time | **complexity_regressed** | 7 (16…1024) | " +
                    base + " | O(N^2) |"),
            std::string::npos)
      << md;
  const std::string html = slurp(out() / "index.html");
  EXPECT_NE(html.find("sort/BM_Sort: time per iteration against input size, log-log; base " +
                      base + " and candidate O(N^2)"),
            std::string::npos);
  EXPECT_NE(slurp(out() / "junit.xml").find("<failure type=\"complexity_regressed\""),
            std::string::npos);
}

// Identical code: the same class on both sides, the family unchanged, the gate passing. The
// per-case rows are real time of 10 ms measurements on two cores shared with other test
// suites: the schedule may take up to 40 runs and the threshold is 10% (as in
// compare_cli_test.cpp), and on a machine too busy even for that a per-case row or the
// family's projection stays `inconclusive` -- then the gate must fail closed, and nothing
// may be called regressed.
TEST_F(ComplexityCli, IdenticalCodeKeepsItsClassAndPasses) {
  set_threshold("10%");
  git_.write("NOTES.txt", "same code");
  git_.commit("notes");
  const CommandResult r = compare({"--min-runs", "10", "--max-runs", "40"});
  const json doc = json::parse(slurp(out() / "perf_comparison.json"));
  bool too_noisy = false;
  for (const json& row : doc["results"]) {
    EXPECT_NE(row["verdict"], "regressed") << row.dump();
    too_noisy = too_noisy || row["verdict"] == "inconclusive";
  }
  const json f = family();
  EXPECT_EQ(f["base"]["complexity"], f["candidate"]["complexity"]) << f.dump();
  EXPECT_EQ(f["complexity_budget"]["status"], "pass");
  ASSERT_TRUE(f["projection"]["ratio_ci"].is_array()) << f.dump();
  const double ratio = f["projection"]["ratio"];
  EXPECT_LE(f["projection"]["ratio_ci"][0].get<double>(), ratio);
  EXPECT_GE(f["projection"]["ratio_ci"][1].get<double>(), ratio);
  EXPECT_TRUE(f["verdict"] == "unchanged" || f["verdict"] == "inconclusive") << f["reason"];
  too_noisy = too_noisy || f["verdict"] == "inconclusive";
  EXPECT_EQ(r.exit_code, too_noisy ? 1 : 0) << r.out << r.err;
}

// A Google Benchmark binary the base does not build (the candidate adds it, and the config,
// read from the working tree for both sides, already names it): its cases are new and pass.
TEST_F(ComplexityCli, BinaryOnlyTheCandidateBuildsIsNew) {
  std::string config = kConfig;
  config.replace(config.find("THRESHOLD"), 9, "10%");
  config.replace(config.find("\"benchmarks\": ["),
                 std::string("\"benchmarks\": [").size(),
                 "\"benchmarks\": [{\"id\": \"extra\", \"gbench\": \"{build}/sort_bench2\"}, ");
  config.replace(config.find("\"-lpthread\"]]"), std::string("\"-lpthread\"]]").size(),
                 "\"-lpthread\"], [\"sh\", \"-c\", \"if [ -f {worktree}/NEW ]; "
                 "then cp {build}/sort_bench {build}/sort_bench2; fi\"]]");
  git_.write("perfguard.json", config);
  git_.write("NEW", "the candidate builds a second binary");
  git_.commit("a second benchmark binary");
  const CommandResult r = compare({"--min-runs", "10", "--max-runs", "10", "--only", "extra"});
  EXPECT_NE(r.exit_code, 3) << r.out << r.err;
  const json doc = json::parse(slurp(out() / "perf_comparison.json"));
  ASSERT_FALSE(doc["results"].empty()) << doc.dump();
  for (const json& row : doc["results"]) {
    EXPECT_EQ(row["verdict"], "new") << row.dump();
    EXPECT_EQ(row["passes"], true);
  }
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// perfguard diff forms families from Google Benchmark JSON too, suffixes included; check
// refuses the failing gate and report re-renders the family row from the JSON alone.
std::string gbench_family(double (*curve)(double)) {
  json runs = json::array();
  for (double n = 16; n <= 4096; n *= 2) {
    for (int i = 0; i < 21; ++i) {
      const double t = curve(n) * (0.99 + 0.02 * ((i * 7) % 21) / 20.0);
      const std::string name = "BM_Sort/" + std::to_string(static_cast<int>(n)) + "/real_time";
      runs.push_back({{"name", name},
                      {"run_name", name},
                      {"run_type", "iteration"},
                      {"real_time", t},
                      {"cpu_time", t},
                      {"time_unit", "ns"}});
    }
  }
  return json{{"context", {{"host_name", "h"}}}, {"benchmarks", runs}}.dump();
}

double n_log_n(double n) { return 2.0 * n * std::log2(n) + 500.0; }
double n_squared(double n) { return 0.57 * n * n + 500.0; }

TEST(ComplexityDiff, FamilyFromGoogleBenchmarkFiles) {
  const TempDir dir;
  const std::string base = dir.write("base.json", gbench_family(n_log_n)).string();
  const std::string candidate = dir.write("candidate.json", gbench_family(n_squared)).string();
  const std::string out = (dir.path() / "reports").string();
  const CommandResult r = run_command({PERFGUARD_BINARY, "diff", base, candidate, "--out", out});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json doc = json::parse(slurp(dir.path() / "reports" / "perf_comparison.json"));
  ASSERT_EQ(doc["families"].size(), 1U);
  const json& f = doc["families"][0];
  EXPECT_EQ(f["family"], "BM_Sort/real_time");
  EXPECT_EQ(f["verdict"], "complexity_regressed");
  EXPECT_EQ(f["replay"],
            "perfguard diff " + base + " " + candidate + " --only 'BM_Sort/*/real_time'");

  const CommandResult check = run_command({PERFGUARD_BINARY, "check", out});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  const CommandResult md = run_command({PERFGUARD_BINARY, "report", out, "--format", "md"});
  EXPECT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("| BM_Sort/real_time | real_time | **complexity_regressed** | 9 (16…4096) "
                        "| O(N lg N) | O(N^2) |"),
            std::string::npos)
      << md.out;
}

}  // namespace
}  // namespace perfguard::tests
