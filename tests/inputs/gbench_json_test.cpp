// The one Google Benchmark JSON reader: per-repetition values, units, failures, and garbage.
// The harness reads a binary's output with parse_gbench (then to_seconds); diff and stats read a
// file through gbench_result_file. Where the two readers perfguard once had disagreed (skipped
// as a number, a missing cpu_time, when units are converted, rows without a name, failures as
// data or exceptions), a test below shows the one behaviour both now share.
#include "inputs/gbench_json.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/json_source.hpp"
#include "inputs/result_file.hpp"

namespace perfguard::inputs {
namespace {

// Trimmed from the output of tests/harness/helpers/gbench_helper --benchmark_repetitions=2
// (Google Benchmark 1.7.1): two repetitions, one aggregate row, one failing benchmark.
constexpr const char* kOutput = R"({
  "context": {"date": "2026-11-22T00:52:10+00:00", "host_name": "vm", "num_cpus": 2},
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

// The reading `diff` and `stats` make of a file, before diff's conversion to seconds.
ResultFile file_of(std::string_view text) {
  return gbench_result_file(read_gbench(JsonSource::parse(text, "g.json").document()), "g.json");
}

// The UsageError message of reading `text` as a file, or "" when it did not throw.
std::string file_error(std::string_view text) {
  try {
    (void)file_of(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// The reasons of a case's failures.
std::vector<std::string> reasons(const GBenchCase& bench_case) {
  std::vector<std::string> out;
  for (const GBenchFailure& failure : bench_case.failures) out.push_back(failure.reason);
  return out;
}

TEST(GBenchJson, ReadsEveryRepetitionAndSkipsAggregates) {
  const GBenchOutput output = parse_gbench(kOutput);
  ASSERT_FALSE(output.problem.has_value()) << *output.problem;
  EXPECT_EQ(output.host, "vm");
  ASSERT_EQ(output.cases.size(), 2u);
  const GBenchCase& ok = output.cases[0];
  EXPECT_EQ(ok.name, "BM_ok/iterations:100");
  EXPECT_EQ(ok.time_unit, "ns");
  EXPECT_EQ(ok.real_time, (std::vector<double>{33.75, 10.02}));
  EXPECT_EQ(ok.cpu_time, (std::vector<double>{21.53, 8.91}));
  EXPECT_TRUE(ok.failures.empty());
  const GBenchCase& error = output.cases[1];
  EXPECT_TRUE(error.real_time.empty());
  EXPECT_EQ(reasons(error), std::vector<std::string>{"fixture missing"});
}

TEST(GBenchJson, ResultFileHasRealTimePrimaryAndCpuTimeSecondary) {
  const ResultFile file = file_of(kOutput);
  EXPECT_EQ(file.format, "gbench");
  EXPECT_EQ(file.host, "vm");
  ASSERT_EQ(file.sets.size(), 4u);
  EXPECT_EQ(file.sets[0].metric, "real_time");
  EXPECT_TRUE(file.sets[0].primary);
  EXPECT_EQ(file.sets[0].unit, "ns");
  EXPECT_EQ(file.sets[0].values, (std::vector<double>{33.75, 10.02}));
  EXPECT_EQ(file.sets[1].metric, "cpu_time");
  EXPECT_FALSE(file.sets[1].primary);
  EXPECT_EQ(file.sets[2].benchmark, "BM_error");
  EXPECT_EQ(file.sets[2].failures, std::vector<std::string>{"repetition 0: fixture missing"});
  EXPECT_EQ(file.sets[3].failures, file.sets[2].failures);
}

TEST(GBenchJson, BothGatesConvertToTheSameSeconds) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "a", "real_time": 2, "cpu_time": 1, "time_unit": "ns"},
      {"name": "b", "real_time": 2, "cpu_time": 1, "time_unit": "us"},
      {"name": "c", "real_time": 2, "cpu_time": 1, "time_unit": "ms"},
      {"name": "d", "real_time": 2, "cpu_time": 1, "time_unit": "s"}]})";
  GBenchOutput output = parse_gbench(text);
  to_seconds(output);
  ResultFile file = file_of(text);
  to_seconds(file);
  ASSERT_EQ(output.cases.size(), 4u);
  const std::vector<double> expected_real{2e-9, 2e-6, 2e-3, 2.0};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(output.cases[i].time_unit, "s");
    EXPECT_DOUBLE_EQ(output.cases[i].real_time[0], expected_real[i]);
    EXPECT_EQ(file.sets[2 * i].unit, "s");
    EXPECT_EQ(file.sets[2 * i].values, output.cases[i].real_time);
    EXPECT_EQ(file.sets[2 * i + 1].values, output.cases[i].cpu_time);
  }
}

// Disagreement: `"skipped": 0`. Google Benchmark writes "skipped" only as true (1.8+); a number
// is its Skipped enum, whose 0 is NotSkipped. The file reader counted 0 as skipped.
TEST(GBenchJson, SkippedZeroOrFalseIsAMeasuredRow) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "zero", "skipped": 0, "real_time": 5, "cpu_time": 4, "time_unit": "ns"},
      {"name": "false", "skipped": false, "error_occurred": false, "real_time": 5, "cpu_time": 4},
      {"name": "true", "skipped": true, "skip_message": "needs root", "real_time": 0, "cpu_time": 0},
      {"name": "two", "skipped": 2, "real_time": 0, "cpu_time": 0},
      {"name": "text", "skipped": "no", "real_time": 5, "cpu_time": 4}]})";
  const GBenchOutput output = parse_gbench(text);
  ASSERT_EQ(output.cases.size(), 5u);
  EXPECT_EQ(output.cases[0].real_time, std::vector<double>{5});
  EXPECT_TRUE(output.cases[0].failures.empty());
  EXPECT_EQ(output.cases[1].real_time, std::vector<double>{5});
  EXPECT_EQ(reasons(output.cases[2]), std::vector<std::string>{"needs root"});
  EXPECT_EQ(reasons(output.cases[3]), std::vector<std::string>{"skipped without a message"});
  EXPECT_EQ(reasons(output.cases[4]),
            std::vector<std::string>{"benchmarks[4].skipped is a string; expected true or false"});
  const ResultFile file = file_of(text);
  EXPECT_EQ(file.sets[0].values, std::vector<double>{5});
  EXPECT_TRUE(file.sets[0].failures.empty());
  EXPECT_EQ(file.sets[4].failures, std::vector<std::string>{"repetition 0: needs root"});
}

// Disagreement: cpu_time optional (file reader) or required (harness). Google Benchmark writes
// real_time and cpu_time in every per-repetition row; a secondary metric judged on fewer
// repetitions than its primary would be judged on other data. Required, as a failed row.
TEST(GBenchJson, CpuTimeIsRequiredAndItsAbsenceFailsTheRow) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "a", "real_time": 5, "cpu_time": 4, "time_unit": "ns"},
      {"name": "a", "real_time": 6, "time_unit": "ns"},
      {"name": "b", "cpu_time": 6, "time_unit": "ns"}]})";
  const GBenchOutput output = parse_gbench(text);
  ASSERT_EQ(output.cases.size(), 2u);
  EXPECT_EQ(output.cases[0].real_time, std::vector<double>{5});
  EXPECT_EQ(output.cases[0].cpu_time, std::vector<double>{4});
  ASSERT_EQ(output.cases[0].failures.size(), 1u);
  EXPECT_EQ(output.cases[0].failures[0].repetition, 1u);
  EXPECT_EQ(output.cases[0].failures[0].reason, "benchmarks[1].cpu_time is missing");
  EXPECT_EQ(reasons(output.cases[1]), std::vector<std::string>{"benchmarks[2].real_time is missing"});
  const ResultFile file = file_of(text);
  EXPECT_EQ(file.sets[0].values, std::vector<double>{5});
  EXPECT_EQ(file.sets[1].values, std::vector<double>{4});
  EXPECT_EQ(file.sets[1].failures,
            std::vector<std::string>{"repetition 1: benchmarks[1].cpu_time is missing"});
}

// Disagreement: when units are converted. The harness checked the range before converting to
// seconds, the file reader kept units and diff converted later: either way a value in range
// as written could leave it in seconds (1e-25 ns is 1e-34 s) and reach the statistics. Now
// every value is checked as written and in seconds; a case keeps one unit, as Google Benchmark
// writes one per benchmark (the harness used to mix them silently).
TEST(GBenchJson, ValuesMustBeInRangeAsWrittenAndInSeconds) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "tiny", "real_time": 1e-25, "cpu_time": 1e-25, "time_unit": "ns"},
      {"name": "huge", "real_time": 1.7e308, "cpu_time": 1, "time_unit": "ns"},
      {"name": "mixed", "real_time": 1, "cpu_time": 1, "time_unit": "ns"},
      {"name": "mixed", "real_time": 1, "cpu_time": 1, "time_unit": "ms"},
      {"name": "fine", "real_time": 1e-20, "cpu_time": 1e-20, "time_unit": "s"}]})";
  const GBenchOutput output = parse_gbench(text);
  ASSERT_EQ(output.cases.size(), 4u);
  EXPECT_EQ(reasons(output.cases[0]),
            std::vector<std::string>{
                "benchmarks[0].real_time: 1e-25 ns (1e-34 s) is outside the range of samples "
                "perfguard accepts (0, or 1e-30 to 1e+30)"});
  EXPECT_EQ(reasons(output.cases[1]),
            std::vector<std::string>{
                "benchmarks[1].real_time: 1.7e+308 is outside the range of samples perfguard "
                "accepts (0, or 1e-30 to 1e+30)"});
  EXPECT_EQ(output.cases[2].real_time, std::vector<double>{1});
  EXPECT_EQ(reasons(output.cases[2]),
            std::vector<std::string>{"benchmarks[3]: time_unit ms differs from the earlier ns"});
  EXPECT_EQ(output.cases[3].real_time, std::vector<double>{1e-20});
  // The file reader fails the same rows instead of refusing the file.
  const ResultFile file = file_of(text);
  EXPECT_EQ(file.sets[4].failures,
            std::vector<std::string>{
                "repetition 1: benchmarks[3]: time_unit ms differs from the earlier ns"});
}

// Disagreement: a row without a name. The file reader named it "benchmarks[N]" and judged it,
// so rows of two files were matched by their index; the harness refused the output. Google
// Benchmark always writes a name: a row without one is not its output.
TEST(GBenchJson, ARowWithoutANameIsNotGoogleBenchmarkOutput) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "a", "real_time": 5, "cpu_time": 4},
      {"real_time": 5, "cpu_time": 4}]})";
  const GBenchOutput output = parse_gbench(text);
  EXPECT_EQ(output.problem, "benchmarks[1] has no name");
  EXPECT_TRUE(output.cases.empty());
  EXPECT_EQ(file_error(text), "g.json: benchmarks[1] has no name");
  EXPECT_EQ(parse_gbench(R"({"benchmarks": [{"name": "", "run_name": ""}]})").problem,
            "benchmarks[0] has no name");
  EXPECT_EQ(parse_gbench(R"({"benchmarks": [{"name": 7}]})").problem,
            "benchmarks[0].name is a number; expected a string");
  // Output from before run_name existed is named by "name".
  EXPECT_EQ(parse_gbench(R"({"benchmarks": [{"name": "old", "real_time": 1, "cpu_time": 1}]})")
                .cases[0]
                .name,
            "old");
}

// Disagreement: failures as data or exceptions. The file reader threw on any bad member, so
// one broken row stopped `diff` from judging the rest, while `compare` failed only that case.
// Now anything wrong with a named row fails that row, with the reason, in both.
TEST(GBenchJson, BadRowsAreFailuresOfTheirCaseNotExceptions) {
  const std::string_view text = R"({"benchmarks": [
      {"name": "a", "real_time": "fast", "cpu_time": 1, "time_unit": "ns"},
      {"name": "b", "real_time": 1, "cpu_time": -1, "time_unit": "ns"},
      {"name": "c", "real_time": 1, "cpu_time": 1, "time_unit": "fortnights"},
      {"name": "d", "run_type": 5, "real_time": 1, "cpu_time": 1},
      {"name": "e", "label": ["x"], "real_time": 1, "cpu_time": 1},
      {"name": "f", "real_time": 1, "cpu_time": 1, "time_unit": "us"}]})";
  const GBenchOutput output = parse_gbench(text);
  ASSERT_FALSE(output.problem.has_value());
  ASSERT_EQ(output.cases.size(), 6u);
  EXPECT_EQ(reasons(output.cases[0]),
            std::vector<std::string>{"benchmarks[0].real_time is not a number"});
  EXPECT_EQ(reasons(output.cases[1]),
            std::vector<std::string>{
                "benchmarks[1].cpu_time: -1 is negative; times and sizes cannot be"});
  EXPECT_EQ(reasons(output.cases[2]),
            std::vector<std::string>{"benchmarks[2]: time_unit 'fortnights' is not ns, us, ms or s"});
  EXPECT_EQ(reasons(output.cases[3]),
            std::vector<std::string>{"benchmarks[3].run_type is a number; expected a string"});
  EXPECT_EQ(reasons(output.cases[4]),
            std::vector<std::string>{"benchmarks[4].label is an array; expected a string"});
  EXPECT_EQ(output.cases[5].real_time, std::vector<double>{1});
  EXPECT_EQ(file_error(text), "");
  const ResultFile file = file_of(text);
  EXPECT_EQ(file.sets[0].failures,
            std::vector<std::string>{"repetition 0: benchmarks[0].real_time is not a number"});
  EXPECT_EQ(file.sets[10].values, std::vector<double>{1});
}

// Only a document that is not Google Benchmark output at all is a problem: data for the
// harness (the run fails), a UsageError naming the file and JSON path for a file.
TEST(GBenchJson, ADocumentThatIsNotGoogleBenchmarkOutputIsAProblem) {
  EXPECT_EQ(parse_gbench("").problem,
            "unreadable JSON: parse error at line 1, column 1: syntax error while parsing value - "
            "unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(parse_gbench(R"({"benchmarks": [{"name": "a", "real_time": 1e400}]})").problem,
            "unreadable JSON: number overflow parsing '1e400'");
  EXPECT_EQ(parse_gbench("[1, 2]").problem, "no \"benchmarks\" array");
  EXPECT_EQ(parse_gbench(R"({"benchmarks": {}})").problem, "\"benchmarks\" is not an array");
  EXPECT_EQ(parse_gbench(R"({"benchmarks": [42]})").problem, "benchmarks[0] is not an object");
  EXPECT_EQ(file_error(R"({"benchmarks": {}})"), "g.json: \"benchmarks\" is not an array");
  EXPECT_EQ(file_error(R"({"benchmarks": [1]})"), "g.json: benchmarks[0] is not an object");
  EXPECT_EQ(file_error(R"({"benchmarks": []})").rfind("g.json: no per-repetition benchmark runs", 0),
            0u);
  // Aggregates only: no case, for the harness as for a file.
  const std::string_view aggregates = R"({"benchmarks": [
      {"name": "a_mean", "run_name": "a", "run_type": "aggregate", "real_time": 1, "cpu_time": 1}]})";
  EXPECT_TRUE(parse_gbench(aggregates).cases.empty());
  EXPECT_EQ(file_error(aggregates).rfind("g.json: no per-repetition benchmark runs", 0), 0u);
}

TEST(GBenchJson, EveryTruncationIsAProblemNotACrash) {
  const std::string whole = kOutput;
  for (std::size_t length = 0; length + 1 < whole.size(); ++length) {
    const GBenchOutput output = parse_gbench(std::string_view(whole).substr(0, length));
    ASSERT_TRUE(output.problem.has_value()) << "accepted a cut at " << length;
    EXPECT_TRUE(output.cases.empty());
  }
}

TEST(GBenchJson, LabelsAreKept) {
  const GBenchOutput output = parse_gbench(R"js({"benchmarks": [
      {"name": "a", "label": "html (22.31 %)", "real_time": 1, "cpu_time": 1}]})js");
  EXPECT_EQ(output.cases[0].label, "html (22.31 %)");
  EXPECT_EQ(file_of(R"({"benchmarks": [{"name": "a", "label": "x", "real_time": 1, "cpu_time": 1}]})")
                .sets[1]
                .label,
            "x");
}

// Real tool output committed under examples/samples (its README says how it was made).
TEST(GBenchJson, RealToolOutput) {
  const ResultFile file =
      read_result_file(PERFGUARD_SOURCE_DIR "/examples/samples/gbench.json");
  EXPECT_EQ(file.host, "vm");
  ASSERT_EQ(file.sets.size(), 6u);  // three benchmarks, real_time and cpu_time
  for (const ResultSet& set : file.sets) {
    EXPECT_EQ(set.unit, "s");
    EXPECT_EQ(set.values.size(), 20u) << set.benchmark;
    EXPECT_TRUE(set.failures.empty());
  }
}

}  // namespace
}  // namespace perfguard::inputs
