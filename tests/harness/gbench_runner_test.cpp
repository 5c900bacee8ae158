// The Google Benchmark runner: what it makes of the output, its flags, and a real Google
// Benchmark 1.7 binary (helpers/gbench_helper). The JSON reading is tested in tests/inputs/.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "harness/gbench_runner.hpp"

namespace perfguard::harness {
namespace {

// Trimmed from the output of helpers/gbench_helper --benchmark_repetitions=2 (Google
// Benchmark 1.7.1): two repetitions, one aggregate row, one failing benchmark.
constexpr const char* kOutput = R"({
  "context": {"date": "2026-11-22T00:52:10+00:00", "num_cpus": 2, "library_build_type": "release"},
  "benchmarks": [
    {"name": "BM_ok/iterations:100", "run_name": "BM_ok/iterations:100", "run_type": "iteration",
     "repetitions": 2, "repetition_index": 0, "threads": 1, "iterations": 100,
     "real_time": 3.375e+01, "cpu_time": 2.153e+01, "time_unit": "ns"},
    {"name": "BM_ok/iterations:100", "run_name": "BM_ok/iterations:100", "run_type": "iteration",
     "repetitions": 2, "repetition_index": 1, "threads": 1, "iterations": 100,
     "real_time": 1.002e+01, "cpu_time": 8.91e+00, "time_unit": "ns"},
    {"name": "BM_ok/iterations:100_mean", "run_name": "BM_ok/iterations:100", "run_type": "aggregate",
     "repetitions": 2, "threads": 1, "aggregate_name": "mean", "aggregate_unit": "time", "iterations": 2,
     "real_time": 2.1885e+01, "cpu_time": 1.522e+01, "time_unit": "ns"},
    {"name": "BM_error", "run_name": "BM_error", "run_type": "iteration", "repetitions": 2,
     "repetition_index": 0, "threads": 1, "error_occurred": true, "error_message": "fixture missing",
     "iterations": 1, "real_time": 0.0, "cpu_time": 0.0, "time_unit": "ns"}
  ]
})";

// What the runner makes of the binary's output: the cases in seconds per iteration, each failed
// repetition a failure of its case. The reading itself is tested in tests/inputs/.
TEST(GBenchRunner, ReadsTheOutputInSeconds) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stdout_text = kOutput;
    return result;
  });
  GBenchRunner runner(process);
  GBenchOptions options;
  options.command.argv = {"./bench"};
  const GBenchReport report = runner.run(options);
  ASSERT_FALSE(report.failure.has_value()) << *report.failure;
  ASSERT_EQ(report.cases.size(), 2u);
  const inputs::GBenchCase& ok = report.cases[0];
  EXPECT_EQ(ok.name, "BM_ok/iterations:100");
  EXPECT_EQ(ok.time_unit, "s");
  ASSERT_EQ(ok.real_time.size(), 2u);
  EXPECT_DOUBLE_EQ(ok.real_time[0], 33.75e-9);
  EXPECT_DOUBLE_EQ(ok.real_time[1], 10.02e-9);
  EXPECT_DOUBLE_EQ(ok.cpu_time[1], 8.91e-9);
  EXPECT_TRUE(ok.failures.empty());
  const inputs::GBenchCase& error = report.cases[1];
  EXPECT_TRUE(error.real_time.empty());
  ASSERT_EQ(error.failures.size(), 1u);
  EXPECT_EQ(error.failures[0].reason, "fixture missing");
}

// Output that is not Google Benchmark JSON fails the run, with the reader's reason: this
// benchmark fails, not the whole gate.
TEST(GBenchRunner, OutputThatIsNotGoogleBenchmarkJsonFailsTheRun) {
  const auto run_with = [](std::string output) {
    FakeProcessRunner process([output](const ProcessSpec&, std::size_t) {
      RunResult result;
      result.stdout_text = output;
      return result;
    });
    GBenchRunner runner(process);
    GBenchOptions options;
    options.command.argv = {"./bench"};
    return runner.run(options);
  };
  EXPECT_EQ(*run_with(R"({"benchmarks": [{"name": "a", "real_time": 1e400}]})").failure,
            "Google Benchmark output: unreadable JSON: number overflow parsing '1e400'");
  EXPECT_EQ(*run_with("[1, 2]").failure, "Google Benchmark output: no \"benchmarks\" array");
  EXPECT_EQ(*run_with(R"({"benchmarks": [{"real_time": 1}]})").failure,
            "Google Benchmark output: benchmarks[0] has no name");
  const std::string whole = kOutput;
  EXPECT_TRUE(run_with(whole.substr(0, whole.size() / 2)).failure.has_value());
}

TEST(GBenchRunner, AsksForJsonRepetitionsAndFilter) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stdout_text = kOutput;
    return result;
  });
  GBenchRunner runner(process);
  GBenchOptions options;
  options.command.argv = {"./bench", "--benchmark_min_time=0.01"};
  options.filter = "BM_ok";
  options.repetitions = 5;
  const GBenchReport report = runner.run(options);
  EXPECT_FALSE(report.failure.has_value());
  ASSERT_EQ(process.calls().size(), 1u);
  const ProcessSpec& spec = process.calls()[0];
  EXPECT_EQ(spec.argv, (std::vector<std::string>{
                           "./bench", "--benchmark_min_time=0.01", "--benchmark_format=json",
                           "--benchmark_repetitions=5", "--benchmark_filter=BM_ok"}));
  EXPECT_EQ(spec.stdout_mode, OutputMode::capture);
  EXPECT_EQ(spec.stderr_mode, OutputMode::capture);
}

TEST(GBenchRunner, CrashOrExitIsAFailureWithStderr) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.exit_code = 1;
    result.stdout_text = R"({"context": {}, "benchmarks": [)";
    result.stderr_text = "error: unrecognized command-line flag\n";
    return result;
  });
  GBenchRunner runner(process);
  GBenchOptions options;
  options.command.argv = {"./bench"};
  EXPECT_EQ(*runner.run(options).failure, "exit 1 (error: unrecognized command-line flag)");
}

TEST(GBenchTrial, CasesBecomeObservationsAndFailures) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stdout_text = kOutput;
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench"};
  GBenchTrial trial(process, options);
  const Outcome outcome = trial.run();
  ASSERT_EQ(outcome.observations.size(), 4u);
  EXPECT_EQ(outcome.observations[0].case_name, "BM_ok/iterations:100");
  EXPECT_EQ(outcome.observations[0].metric, "real_time");
  EXPECT_EQ(outcome.observations[2].metric, "cpu_time");
  ASSERT_EQ(outcome.failures.size(), 1u);
  EXPECT_EQ(outcome.failures[0].case_name, "BM_error");
  EXPECT_EQ(outcome.failures[0].reason, "fixture missing");
}

TEST(GBenchTrial, FilterMatchingNothingIsAFailure) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stdout_text = R"({"context": {}, "benchmarks": []})";
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench"};
  options.filter = "BM_nothing";
  GBenchTrial trial(process, options);
  const Outcome outcome = trial.run();
  ASSERT_EQ(outcome.failures.size(), 1u);
  EXPECT_EQ(outcome.failures[0].reason, "no benchmark matches --benchmark_filter=BM_nothing");
}

// Newer Google Benchmark prints no JSON at all when the filter matches nothing.
TEST(GBenchTrial, FilterMatchingNothingWithNoOutputSaysSo) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stderr_text = "Failed to match any benchmarks against regex: ^BM_nothing$\n";
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench"};
  options.filter = "^BM_nothing$";
  GBenchTrial trial(process, options);
  const Outcome outcome = trial.run();
  ASSERT_EQ(outcome.failures.size(), 1u);
  EXPECT_EQ(outcome.failures[0].reason, "no benchmark matches --benchmark_filter=^BM_nothing$");
}

TEST(GBenchTrial, LabelsRideOnTheObservations) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.stdout_text = R"json({"benchmarks": [{"name": "BM_UFlat/0", "run_name": "BM_UFlat/0",
        "run_type": "iteration", "real_time": 5, "cpu_time": 4, "time_unit": "ns",
        "label": "html (22.31 %)"}]})json";
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench"};
  GBenchTrial trial(process, options);
  const Outcome outcome = trial.run();
  ASSERT_EQ(outcome.observations.size(), 2u);
  EXPECT_EQ(outcome.observations[0].label, "html (22.31 %)");
  EXPECT_EQ(outcome.observations[1].label, "html (22.31 %)");
  const std::vector<SampleSet> sets =
      collect_sample_sets(std::vector<RunRecord>{{"snappy", "base", 0, false, outcome}});
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].label, "html (22.31 %)");
}

TEST(GBenchTrial, ExactFilterEscapesEveryMetacharacter) {
  EXPECT_EQ(exact_filter("BM_UFlat/10"), "^BM_UFlat/10$");
  EXPECT_EQ(exact_filter("BM_x/iterations:100/real_time"), "^BM_x/iterations:100/real_time$");
  EXPECT_EQ(exact_filter("BM_t<int>(1.5)*[a]{2}|b+c?^$\\"),
            "^BM_t<int>\\(1\\.5\\)\\*\\[a\\]\\{2\\}\\|b\\+c\\?\\^\\$\\\\$");
}

// "isolate": one listing, then one process per case, each filtered to exactly that case; the
// listing and every run carry the benchmark's own arguments and the filter.
TEST(GBenchTrial, IsolateRunsEachCaseInAProcessOfItsOwn) {
  FakeProcessRunner process([](const ProcessSpec& spec, std::size_t) {
    RunResult result;
    if (spec.argv.at(2) == "--benchmark_list_tests=true") {
      result.stdout_text = "BM_a/1\nBM_a/10\n\n";
      return result;
    }
    const std::string name =
        spec.argv.back() == "--benchmark_filter=^BM_a/1$" ? "BM_a/1" : "BM_a/10";
    result.stdout_text = R"({"benchmarks": [{"name": ")" + name + R"(", "run_name": ")" + name +
                         R"(", "run_type": "iteration", "real_time": 5, "cpu_time": 4,
                         "time_unit": "ns"}]})";
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench", "--benchmark_min_time=0.01"};
  options.filter = "BM_a";
  options.isolate = true;
  GBenchTrial trial(process, options);
  trial.setup();
  const Outcome outcome = trial.run();
  ASSERT_EQ(process.calls().size(), 3u);
  EXPECT_EQ(process.calls()[0].argv,
            (std::vector<std::string>{"./bench", "--benchmark_min_time=0.01",
                                      "--benchmark_list_tests=true", "--benchmark_filter=BM_a"}));
  EXPECT_EQ(
      process.calls()[1].argv,
      (std::vector<std::string>{"./bench", "--benchmark_min_time=0.01", "--benchmark_format=json",
                                "--benchmark_repetitions=1", "--benchmark_filter=^BM_a/1$"}));
  EXPECT_EQ(process.calls()[2].argv.back(), "--benchmark_filter=^BM_a/10$");
  EXPECT_TRUE(outcome.failures.empty());
  ASSERT_EQ(outcome.observations.size(), 4u);
  EXPECT_EQ(outcome.observations[0].case_name, "BM_a/1");
  EXPECT_EQ(outcome.observations[2].case_name, "BM_a/10");
  EXPECT_DOUBLE_EQ(outcome.observations[0].value, 5e-9);
}

TEST(GBenchTrial, IsolateListingThatFailsIsAnExecutionError) {
  FakeProcessRunner process([](const ProcessSpec&, std::size_t) {
    RunResult result;
    result.exit_code = 2;
    result.stderr_text = "unknown flag\n";
    return result;
  });
  GBenchOptions options;
  options.command.argv = {"./bench"};
  options.isolate = true;
  GBenchTrial trial(process, options);
  try {
    trial.setup();
    FAIL() << "setup accepted a failing listing";
  } catch (const ExecutionError& e) {
    EXPECT_STREQ(e.what(), "./bench --benchmark_list_tests: exit 2 (unknown flag)");
  }
}

TEST(GBenchTrial, IsolateRunsARealBinaryCaseByCase) {
  SystemProcessRunner process;
  GBenchOptions options;
  options.command.argv = {GBENCH_HELPER_PATH};
  options.isolate = true;
  GBenchTrial trial(process, options);
  trial.setup();
  const Outcome outcome = trial.run();
  // BM_ok/iterations:100 (':' and '/' in the name) measured, BM_error's failure reported.
  ASSERT_EQ(outcome.observations.size(), 2u);
  EXPECT_EQ(outcome.observations[0].case_name, "BM_ok/iterations:100");
  ASSERT_EQ(outcome.failures.size(), 1u);
  EXPECT_EQ(outcome.failures[0].case_name, "BM_error");
  EXPECT_EQ(outcome.failures[0].reason, "fixture missing");
}

TEST(GBenchRunner, RunsARealGoogleBenchmarkBinary) {
  SystemProcessRunner process;
  GBenchRunner runner(process);
  GBenchOptions options;
  options.command.argv = {GBENCH_HELPER_PATH};
  options.repetitions = 3;
  const GBenchReport report = runner.run(options);
  ASSERT_FALSE(report.failure.has_value()) << *report.failure;
  ASSERT_EQ(report.cases.size(), 2u);
  EXPECT_EQ(report.cases[0].name, "BM_ok/iterations:100");
  EXPECT_EQ(report.cases[0].real_time.size(), 3u);
  EXPECT_EQ(report.cases[0].cpu_time.size(), 3u);
  for (const double t : report.cases[0].real_time) {
    EXPECT_GT(t, 0.0);
    EXPECT_LT(t, 1e-3);
  }
  ASSERT_EQ(report.cases[1].failures.size(), 3u);
  for (const inputs::GBenchFailure& failure : report.cases[1].failures)
    EXPECT_EQ(failure.reason, "fixture missing");

  options.filter = "BM_ok";
  const GBenchReport filtered = runner.run(options);
  ASSERT_EQ(filtered.cases.size(), 1u);
}

}  // namespace
}  // namespace perfguard::harness
