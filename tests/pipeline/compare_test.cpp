// The compare pipeline end to end without git or processes: a FakeVcs holds the revisions, a
// harness::FakeProcessRunner answers the builds and the benchmark's runs (hyperfine's
// MockExecutor is the model). The verdicts, the journal and the artifacts are the real ones.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "harness/process_runner.hpp"
#include "pipeline/compare.hpp"
#include "pipeline/vcs.hpp"
#include "stats/compare.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::pipeline {
namespace {

const std::string kBaseSha(40, 'a');
// The wall-time row: a command benchmark measures user_time, sys_time and max_rss too.
const budgets::Row& wall_row(const budgets::GateResult& gate) {
  for (const budgets::Row& row : gate.rows) {
    if (row.benchmark == "tool.run" && row.metric == "wall_time") return row;
  }
  ADD_FAILURE() << "no wall_time row";
  static const budgets::Row none;
  return none;
}

const std::string kCandidateSha(40, 'b');

constexpr const char* kConfig = R"({
  "schema": "perfguard.config.v1",
  "build": [["make", "-j2"]],
  "benchmarks": [{"id": "tool.run", "command": ["{build}/tool"], "warmup": 1}]
})";

std::vector<nlohmann::json> json_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

class ComparePipeline : public ::testing::Test {
 protected:
  ComparePipeline() : vcs_(dir_.path() / "repo") {
    std::filesystem::create_directories(dir_.path() / "repo");
    std::ofstream(dir_.path() / "repo" / "perfguard.json") << kConfig;
    vcs_.add_commit(kBaseSha, {{"tool.c", "fast"}}, {"v1.0.0"});
    vcs_.add_commit(kCandidateSha, {{"tool.c", "changed"}}, {"HEAD"});
  }

  // The tool's runs: the base takes about 1 s, the candidate `slowdown` times that; a little
  // spread (0.1% steps) so the statistics have something to work with. `crash_first`: the
  // candidate's first run (its warmup) is killed by SIGSEGV.
  harness::FakeProcessRunner runner(double slowdown, bool crash_first = false) {
    return harness::FakeProcessRunner([this, slowdown, crash_first](
                                          const harness::ProcessSpec& spec, std::size_t) {
      harness::RunResult result;
      const std::string& program = spec.argv.front();
      if (program.size() < 5 || program.substr(program.size() - 5) != "/tool") return result;
      const bool candidate = program.find(kCandidateSha) != std::string::npos;
      const std::size_t n = candidate ? candidate_runs_++ : base_runs_++;
      if (candidate && crash_first && n == 0) {
        result.termination = harness::Termination::signaled;
        result.signal = 11;
        return result;
      }
      result.wall_time = (candidate ? slowdown : 1.0) * (1.0 + 0.001 * static_cast<double>(n % 5));
      return result;
    });
  }

  // A candidate that never settles: its runs alternate between 1.5 and 1/1.5 times the base's,
  // so the per-round ratios' median has an interval from about 0.67 to 1.5 however many
  // rounds there are.
  harness::FakeProcessRunner unsettled_runner() {
    return harness::FakeProcessRunner([this](const harness::ProcessSpec& spec, std::size_t) {
      harness::RunResult result;
      const std::string& program = spec.argv.front();
      if (program.size() < 5 || program.substr(program.size() - 5) != "/tool") return result;
      const bool candidate = program.find(kCandidateSha) != std::string::npos;
      const std::size_t n = candidate ? candidate_runs_++ : base_runs_++;
      result.wall_time = candidate ? (n % 2 == 0 ? 1.5 : 1.0 / 1.5) : 1.0;
      return result;
    });
  }

  [[nodiscard]] CompareRequest request() const {
    CompareRequest r;
    r.base = "v1.0.0";
    r.candidate = "HEAD";
    r.out = dir_.path() / "out";
    r.schedule.min_runs = 10;
    r.schedule.max_runs = 20;
    r.schedule.alpha = 0.02;
    r.gate.interval.confidence = 0.98;
    r.gate.today = budgets::today_utc();
    r.plan.cpus = {0};
    r.replay_prefix = [](const std::filesystem::path&, const std::string& base,
                         const std::string& candidate) {
      return "perfguard compare --base " + base.substr(0, 12) + " --candidate " +
             candidate.substr(0, 12);
    };
    return r;
  }

  [[nodiscard]] CompareIo io(harness::ProcessRunner& runner) {
    CompareIo io;
    io.runner = &runner;
    io.vcs = &vcs_;
    io.cleanup_vcs = &vcs_;
    io.notes = &notes_;
    return io;
  }

  [[nodiscard]] std::filesystem::path out() const { return dir_.path() / "out"; }

  tests::TempDir dir_;
  FakeVcs vcs_;
  std::ostringstream notes_;
  std::size_t base_runs_ = 0;
  std::size_t candidate_runs_ = 0;
};

TEST_F(ComparePipeline, CatchesARegressionAndWritesEveryArtifact) {
  harness::FakeProcessRunner fake = runner(1.5);
  const budgets::GateResult gate = compare(request(), io(fake));

  EXPECT_EQ(gate.exit_code, 1);
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::regressed) << wall_row(gate).reason;

  // Both revisions were built (one `make` each) in their own build folders, and each worktree
  // holds its commit and is gone afterwards.
  std::size_t builds = 0;
  for (const harness::ProcessSpec& spec : fake.calls()) builds += spec.argv.front() == "make";
  EXPECT_EQ(builds, 2u);
  EXPECT_TRUE(vcs_.worktrees().empty());
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "repo" / ".perfguard" / "builds" / kBaseSha /
                                      "build.log"));

  for (const char* name : {"perf_comparison.json", "budget_summary.json", "perf_comparison.md",
                           "junit.xml", "index.html", "events.jsonl", "samples.jsonl"}) {
    EXPECT_TRUE(std::filesystem::exists(out() / name)) << name;
  }
  nlohmann::json comparison;
  std::ifstream(out() / "perf_comparison.json") >> comparison;
  EXPECT_EQ(comparison["settings"]["command"], "compare");
  EXPECT_EQ(comparison["settings"]["spending"], "pocock");
  EXPECT_EQ(comparison["base"]["commit"], kBaseSha);
  EXPECT_EQ(comparison["candidate"]["commit"], kCandidateSha);

  // The journal holds the warmups (one per side, flagged) before the measured runs.
  const std::vector<nlohmann::json> runs = json_lines(out() / "samples.jsonl");
  std::size_t warmups = 0;
  std::size_t measured = 0;
  for (const nlohmann::json& run : runs) {
    if (run["warmup"].get<bool>()) {
      ++warmups;
      EXPECT_EQ(measured, 0u) << "a warmup after a measured run";
    } else {
      ++measured;
    }
  }
  EXPECT_EQ(warmups, 2u);
  EXPECT_GE(base_runs_, 1u + 10u);  // the warmup, then at least min_runs
  EXPECT_EQ(measured, 2 * (base_runs_ - 1));
}

TEST_F(ComparePipeline, IdenticalTimingsPass) {
  harness::FakeProcessRunner fake = runner(1.0);
  const budgets::GateResult gate = compare(request(), io(fake));
  EXPECT_EQ(gate.exit_code, 0);
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::unchanged) << wall_row(gate).reason;
}

// A crash in a warmup fails the benchmark, naming the warmup, and the journal has it: the
// warmup is the run that crashed, not a run hidden before the measuring began.
TEST_F(ComparePipeline, ACrashInAWarmupFailsTheGate) {
  harness::FakeProcessRunner fake = runner(1.0, /*crash_first=*/true);
  const budgets::GateResult gate = compare(request(), io(fake));
  EXPECT_EQ(gate.exit_code, 3);
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::error);
  EXPECT_NE(wall_row(gate).reason.find("candidate: warmup 0: killed by SIGSEGV"), std::string::npos)
      << wall_row(gate).reason;
  bool journaled = false;
  for (const nlohmann::json& run : json_lines(out() / "samples.jsonl")) {
    if (run["variant"] == "candidate" && run["warmup"].get<bool>() && !run["failures"].empty()) {
      journaled = run["failures"][0]["reason"] == "killed by SIGSEGV";
    }
  }
  EXPECT_TRUE(journaled);
}

TEST_F(ComparePipeline, AnUnknownRefIsAUsageErrorBeforeAnythingRuns) {
  harness::FakeProcessRunner fake = runner(1.0);
  CompareRequest r = request();
  r.base = "v9";
  try {
    (void)compare(r, io(fake));
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--base v9: no such commit"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(fake.calls().empty());
  EXPECT_TRUE(vcs_.worktrees().empty());
}

TEST_F(ComparePipeline, UncommittedChangesToTheConfigAreNamed) {
  vcs_.set_uncommitted_changes({"perfguard.json"});
  harness::FakeProcessRunner fake = runner(1.0);
  (void)compare(request(), io(fake));
  EXPECT_NE(notes_.str().find("but the uncommitted perfguard.json is the config of both sides"),
            std::string::npos)
      << notes_.str();
}

// A time budget without max_runs plans N from the warmups' pace: fake runs take microseconds,
// so ten minutes hold far more rounds than the cap, and a benchmark that never settles runs
// kDefaultMaxRuns rounds; run.json keeps the planned N for a --resume. (The bounds of a
// budget-planned N: Schedule.BudgetPlansNBetweenItsBounds, with a scripted clock.)
TEST_F(ComparePipeline, ABudgetPlansUpToTheCapForAnUnsettledBenchmark) {
  harness::FakeProcessRunner fake = unsettled_runner();
  CompareRequest r = request();
  r.schedule.max_runs.reset();
  r.schedule.max_time = std::chrono::minutes(10);
  const budgets::GateResult gate = compare(r, io(fake));
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::inconclusive) << wall_row(gate).reason;
  EXPECT_EQ(base_runs_, 1u + kDefaultMaxRuns);  // the warmup, then N rounds
  EXPECT_EQ(candidate_runs_, 1u + kDefaultMaxRuns);
  nlohmann::json comparison;
  std::ifstream(out() / "perf_comparison.json") >> comparison;
  EXPECT_EQ(comparison["settings"]["planned_runs"], kDefaultMaxRuns);
  EXPECT_TRUE(comparison["settings"]["max_runs"].is_null());
  nlohmann::json run;
  std::ifstream(out() / "run.json") >> run;
  EXPECT_EQ(run["planned_runs"], kDefaultMaxRuns);  // for a --resume
  EXPECT_TRUE(run["settings"]["max_runs"].is_null());
  EXPECT_NE(notes_.str().find("perfguard: note: planning up to 120 runs per side from the time "
                              "budget; measuring takes about"),
            std::string::npos)
      << notes_.str();
}

// An explicit max_runs is N, budget or not.
TEST_F(ComparePipeline, AnExplicitMaxRunsCapsABudget) {
  harness::FakeProcessRunner fake = unsettled_runner();
  CompareRequest r = request();  // max_runs 20
  r.schedule.max_time = std::chrono::minutes(10);
  const budgets::GateResult gate = compare(r, io(fake));
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::inconclusive) << wall_row(gate).reason;
  EXPECT_EQ(base_runs_, 1u + 20u);
  nlohmann::json comparison;
  std::ifstream(out() / "perf_comparison.json") >> comparison;
  EXPECT_EQ(comparison["settings"]["planned_runs"], 20);
  EXPECT_EQ(comparison["settings"]["max_runs"], 20);
  EXPECT_EQ(notes_.str().find("planning up to"), std::string::npos) << notes_.str();
}

// Without a budget nothing is planned from time: N is kDefaultMaxRuns.
TEST_F(ComparePipeline, WithoutABudgetNIsTheDefault) {
  harness::FakeProcessRunner fake = unsettled_runner();
  CompareRequest r = request();
  r.schedule.max_runs.reset();
  const budgets::GateResult gate = compare(r, io(fake));
  EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::inconclusive) << wall_row(gate).reason;
  EXPECT_EQ(base_runs_, 1u + kDefaultMaxRuns);
  nlohmann::json comparison;
  std::ifstream(out() / "perf_comparison.json") >> comparison;
  EXPECT_EQ(comparison["settings"]["planned_runs"], kDefaultMaxRuns);
  EXPECT_EQ(comparison["settings"]["max_runs"], kDefaultMaxRuns);
}

// Runs whose noise every round shares: run n of either side takes 1.0 or 1.5 s by the parity
// of n, the candidate 3% longer. Paired, the per-round ratio is 1.03 in every round, settled at
// the first look; the ratio of medians cannot tell 3% from 5% in that spread.
harness::FakeProcessRunner shared_noise_runner(std::size_t& base_runs,
                                               std::size_t& candidate_runs) {
  return harness::FakeProcessRunner(
      [&base_runs, &candidate_runs](const harness::ProcessSpec& spec, std::size_t) {
        harness::RunResult result;
        const std::string& program = spec.argv.front();
        if (program.size() < 5 || program.substr(program.size() - 5) != "/tool") return result;
        const bool candidate = program.find(kCandidateSha) != std::string::npos;
        const std::size_t n = candidate ? candidate_runs++ : base_runs++;
        result.wall_time = (candidate ? 1.03 : 1.0) * (n % 2 == 0 ? 1.0 : 1.5);
        return result;
      });
}

// The gate's ratio method (the request's, else the config's, else the default) judges the rows
// and settles the stop rule, and run.json records it.
TEST_F(ComparePipeline, TheRatioMethodJudgesAndStops) {
  const auto method_in_run_json = [&] {
    nlohmann::json run;
    std::ifstream(out() / "run.json") >> run;
    return run["settings"]["ratio_method"].get<std::string>();
  };
  {
    harness::FakeProcessRunner fake = shared_noise_runner(base_runs_, candidate_runs_);
    const budgets::GateResult gate = compare(request(), io(fake));
    ASSERT_TRUE(wall_row(gate).comparison.has_value());
    EXPECT_EQ(wall_row(gate).comparison->method, budgets::kDefaultRatioMethod);
    EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::unchanged) << wall_row(gate).reason;
    EXPECT_EQ(base_runs_, 1u + 10u);  // the warmup, then settled at the first look
    EXPECT_EQ(method_in_run_json(), stats::to_string(budgets::kDefaultRatioMethod));
  }
  for (const bool from_config : {false, true}) {
    base_runs_ = candidate_runs_ = 0;
    CompareRequest r = request();
    if (from_config) {
      std::string config = kConfig;
      config.insert(config.find("\"build\""), "\"ratio_method\": \"median_ratio\",\n  ");
      std::ofstream(dir_.path() / "repo" / "perfguard.json") << config;
    } else {
      r.ratio_method = stats::RatioMethod::median_ratio;
    }
    harness::FakeProcessRunner fake = shared_noise_runner(base_runs_, candidate_runs_);
    const budgets::GateResult gate = compare(r, io(fake));
    ASSERT_TRUE(wall_row(gate).comparison.has_value());
    EXPECT_EQ(wall_row(gate).comparison->method, stats::RatioMethod::median_ratio);
    EXPECT_EQ(wall_row(gate).verdict, budgets::Verdict::inconclusive) << wall_row(gate).reason;
    EXPECT_EQ(base_runs_, 1u + 20u) << "sampled to max_runs";
    EXPECT_EQ(method_in_run_json(), "median_ratio");
  }
  // The request's method wins over the config's.
  base_runs_ = candidate_runs_ = 0;
  CompareRequest r = request();
  r.ratio_method = stats::RatioMethod::paired_sign;
  harness::FakeProcessRunner fake = shared_noise_runner(base_runs_, candidate_runs_);
  const budgets::GateResult gate = compare(r, io(fake));
  EXPECT_EQ(wall_row(gate).comparison->method, stats::RatioMethod::paired_sign);
  EXPECT_EQ(base_runs_, 1u + 10u);
}

}  // namespace
}  // namespace perfguard::pipeline
