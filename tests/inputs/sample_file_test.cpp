#include "inputs/sample_file.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::inputs {
namespace {

// The error message of parse_samples, or "" when it did not throw.
std::string error_of(std::string_view text,
                     const std::optional<std::string>& benchmark = std::nullopt) {
  try {
    (void)parse_samples(text, "in.txt", benchmark);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  return "";
}

TEST(SampleInput, PlainNumbersWithBlankLinesAndComments) {
  const SampleInput in =
      parse_samples("# times in ms\n1.5\n\n  2.25 \r\n3e-1\n", "in.txt", std::nullopt);
  EXPECT_EQ(in.values, (std::vector<double>{1.5, 2.25, 0.3}));
  EXPECT_EQ(in.unit, "");
  EXPECT_EQ(in.label, "");
}

TEST(SampleInput, PlainErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("1\n2\nabc\n"), "in.txt:3: 'abc' is not a number");
  EXPECT_EQ(error_of("1\n12ms\n"), "in.txt:2: '12ms' is not a number");
  EXPECT_EQ(error_of("1\nnan\n"), "in.txt:2: 'nan' is not a finite number");
  EXPECT_EQ(error_of("inf\n"), "in.txt:1: 'inf' is not a finite number");
  EXPECT_EQ(error_of("1\n-2\n"), "in.txt:2: -2 is negative; times and sizes cannot be");
}

TEST(SampleInput, EmptyInputIsAnError) {
  EXPECT_EQ(error_of(""), "in.txt: no samples");
  EXPECT_EQ(error_of("\n# nothing\n\n"), "in.txt: no samples");
  EXPECT_EQ(error_of("[]"), "in.txt: no samples");
}

TEST(SampleInput, JsonArray) {
  EXPECT_EQ(parse_samples(" [1, 2.5, 0]", "a.json", std::nullopt).values,
            (std::vector<double>{1, 2.5, 0}));
  EXPECT_EQ(error_of("[1, \"2\"]"), "in.txt: [1] is not a number");
  EXPECT_EQ(error_of("[1, -2]"), "in.txt: [1]: -2 is negative; times and sizes cannot be");
  EXPECT_EQ(error_of("[1, null]"), "in.txt: [1] is not a number");
  EXPECT_EQ(error_of("[1, 1e31]"),
            "in.txt: [1]: 1e+31 is outside the range of samples perfguard accepts (0, or 1e-30 to "
            "1e+30)");
  EXPECT_EQ(error_of("[1e-31]"),
            "in.txt: [0]: 1e-31 is outside the range of samples perfguard accepts (0, or 1e-30 to "
            "1e+30)");
  EXPECT_EQ(parse_samples("[0, 1e-30, 1e30]", "a.json", std::nullopt).values,
            (std::vector<double>{0, 1e-30, 1e30}));
}

TEST(SampleInput, InvalidJsonNamesLineAndColumn) {
  const std::string message = error_of("[1,\n 2,\n x]");
  EXPECT_EQ(message.rfind("in.txt:3:2: invalid JSON", 0), 0U) << message;
  EXPECT_EQ(error_of("{\"something\": 1}").rfind("in.txt: a JSON object without \"results\"", 0),
            0U);
}

constexpr std::string_view kHyperfine = R"({"results": [
  {"command": "sleep 0.1", "mean": 0.1, "times": [0.101, 0.102, 0.1005]},
  {"command": "sleep 0.2", "mean": 0.2, "times": [0.201, 0.203]}]})";

TEST(SampleInput, HyperfineFirstResultByDefault) {
  const SampleInput in = parse_samples(kHyperfine, "h.json", std::nullopt);
  EXPECT_EQ(in.values, (std::vector<double>{0.101, 0.102, 0.1005}));
  EXPECT_EQ(in.unit, "s");
  EXPECT_EQ(in.label, "sleep 0.1");
}

TEST(SampleInput, HyperfineCommandChosenByName) {
  const SampleInput in = parse_samples(kHyperfine, "h.json", std::string("sleep 0.2"));
  EXPECT_EQ(in.values, (std::vector<double>{0.201, 0.203}));
  EXPECT_EQ(error_of(kHyperfine, std::string("sleep 9")),
            "in.txt: no hyperfine command 'sleep 9' (have: sleep 0.1, sleep 0.2)");
  EXPECT_EQ(error_of(R"({"results": [{"command": "x"}]})"),
            "in.txt: results[0] has no \"times\" (export with hyperfine --export-json)");
  EXPECT_EQ(error_of(R"({"results": [{"command": "x", "times": [0.1, "a"]}]})"),
            "in.txt: results[0].times[1] is not a number");
}

constexpr std::string_view kGbench = R"({"context": {}, "benchmarks": [
  {"name": "BM_a", "run_name": "BM_a", "run_type": "iteration", "repetitions": 2, "repetition_index": 0,
   "real_time": 10.5, "cpu_time": 10.0, "time_unit": "us"},
  {"name": "BM_a", "run_name": "BM_a", "run_type": "iteration", "repetitions": 2, "repetition_index": 1,
   "real_time": 11.5, "cpu_time": 11.0, "time_unit": "us"},
  {"name": "BM_a_mean", "run_name": "BM_a", "run_type": "aggregate", "aggregate_name": "mean",
   "real_time": 11.0, "cpu_time": 10.5, "time_unit": "us"},
  {"name": "BM_b", "run_name": "BM_b", "run_type": "iteration", "real_time": 3, "cpu_time": 3, "time_unit": "ms"}]})";

TEST(SampleInput, GoogleBenchmarkPerRepetitionRealTime) {
  const SampleInput in = parse_samples(kGbench, "g.json", std::string("BM_a"));
  EXPECT_EQ(in.values, (std::vector<double>{10.5, 11.5}));  // the aggregate row is not a sample
  EXPECT_EQ(in.unit, "us");
  EXPECT_EQ(in.label, "BM_a");
  EXPECT_EQ(parse_samples(kGbench, "g.json", std::string("BM_b")).unit, "ms");
}

TEST(SampleInput, GoogleBenchmarkNeedsAChoiceWhenSeveral) {
  EXPECT_EQ(error_of(kGbench),
            "in.txt: holds 2 benchmarks (BM_a, BM_b); choose one with --benchmark");
  EXPECT_EQ(error_of(kGbench, std::string("BM_c")),
            "in.txt: no benchmark 'BM_c' (have: BM_a, BM_b)");
}

TEST(SampleInput, GoogleBenchmarkErrorsAndAggregatesOnly) {
  EXPECT_EQ(
      error_of(R"({"benchmarks": [{"name": "BM_x", "run_type": "iteration", "error_occurred": true,
                         "error_message": "boom", "real_time": 0, "time_unit": "ns"}]})"),
      "in.txt: BM_x failed: repetition 0: boom");
  EXPECT_EQ(
      error_of(R"({"benchmarks": [{"name": "BM_x_mean", "run_name": "BM_x", "run_type": "aggregate",
                         "real_time": 1, "time_unit": "ns"}]})")
          .rfind("in.txt: no per-repetition benchmark runs", 0),
      0U);
  EXPECT_EQ(error_of(R"({"benchmarks": [{"name": "a", "real_time": 1, "cpu_time": 1, "time_unit": "ns"},
                                        {"name": "a", "real_time": 1, "cpu_time": 1, "time_unit": "ms"}]})"),
            "in.txt: a failed: repetition 1: benchmarks[1]: time_unit ms differs from the "
            "earlier ns");
}

TEST(SampleInput, BenchmarkFlagNeedsStructuredInput) {
  EXPECT_EQ(error_of("1\n2\n", std::string("BM_a")),
            "in.txt: --benchmark needs a Google Benchmark or hyperfine JSON file");
}

TEST(SampleInput, ReadsFilesAndReportsUnreadableOnes) {
  const tests::TempDir dir;
  EXPECT_EQ(read_samples(dir.write("s.txt", "4\n5\n").string(), std::nullopt).values,
            (std::vector<double>{4, 5}));
  const std::string missing = (dir.path() / "missing.txt").string();
  try {
    (void)read_samples(missing, std::nullopt);
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
  }
  EXPECT_THROW((void)read_samples(dir.path().string(), std::nullopt), UsageError);
}

// Real tool output committed under examples/samples (see its README for how each was made).
TEST(SampleInput, RealToolOutput) {
  const std::string samples = PERFGUARD_SOURCE_DIR "/examples/samples/";
  const SampleInput hyperfine = read_samples(samples + "hyperfine_sort.json", std::nullopt);
  EXPECT_EQ(hyperfine.unit, "s");
  EXPECT_GE(hyperfine.values.size(), 10U);
  const SampleInput plain = read_samples(samples + "base_ms.txt", std::nullopt);
  EXPECT_GE(plain.values.size(), 20U);
}

}  // namespace
}  // namespace perfguard::inputs
