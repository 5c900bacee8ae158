// "measure" and the Callgrind counts in perfguard.json: which metrics a benchmark measures,
// its primary metric, and budgets written as counts ("2.5G").
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "budgets/config.hpp"
#include "budgets/units.hpp"
#include "core/error.hpp"

namespace perfguard::budgets {
namespace {

std::string error_of(std::string_view text) {
  try {
    (void)parse_config(text, "c.json");
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  return "";
}

// Line 1 the schema, line 2 opens "benchmarks", one benchmark per line from line 3, "],", a
// line opening "budgets", one budget per line, "]}".
std::string layout(const std::vector<std::string_view>& benchmarks,
                   const std::vector<std::string_view>& budgets = {}) {
  std::string text = "{\"schema\": \"perfguard.config.v1\",\n\"benchmarks\": [\n";
  for (std::size_t i = 0; i < benchmarks.size(); ++i) {
    text += std::string(benchmarks[i]) + (i + 1 < benchmarks.size() ? ",\n" : "\n");
  }
  text += "],\n\"budgets\": [\n";
  for (std::size_t i = 0; i < budgets.size(); ++i) {
    text += std::string(budgets[i]) + (i + 1 < budgets.size() ? ",\n" : "\n");
  }
  return text + "]}\n";
}

constexpr std::string_view kCounted =
    R"({"id": "parse", "command": ["tool"], "measure": "instructions"})";
constexpr std::string_view kCycles =
    R"({"id": "cycles", "command": ["tool"], "measure": ["estimated_cycles", "instructions"]})";
constexpr std::string_view kTimed = R"({"id": "timed", "command": ["tool"]})";
constexpr std::string_view kMicro = R"({"id": "micro", "gbench": "bench/micro"})";

TEST(MeasureConfig, OneNameIsThePrimaryMetricAndRunsUnderCallgrind) {
  const Config config = parse_config(layout({kCounted, kTimed}), "c.json");
  const BenchmarkSpec& counted = config.benchmarks[0];
  EXPECT_EQ(counted.measure, std::vector<std::string>{"instructions"});
  EXPECT_EQ(primary_metric(counted), "instructions");
  EXPECT_TRUE(uses_callgrind(counted));
  EXPECT_EQ(measured_metrics(counted), std::vector<std::string>{"instructions"});
  EXPECT_FALSE(measures(counted, "estimated_cycles"));
  EXPECT_FALSE(measures(counted, "wall_time"));

  const BenchmarkSpec& timed = config.benchmarks[1];
  EXPECT_EQ(primary_metric(timed), "wall_time");
  EXPECT_FALSE(uses_callgrind(timed));
  EXPECT_EQ(measured_metrics(timed),
            (std::vector<std::string>{"wall_time", "user_time", "sys_time", "max_rss"}));
}

TEST(MeasureConfig, AListKeepsItsOrderFirstIsPrimary) {
  const Config config = parse_config(layout({kCycles}), "c.json");
  EXPECT_EQ(primary_metric(config.benchmarks[0]), "estimated_cycles");
  EXPECT_EQ(measured_metrics(config.benchmarks[0]),
            (std::vector<std::string>{"estimated_cycles", "instructions"}));
}

TEST(MeasureConfig, NativeMetricsChooseThePrimaryAndKeepTheRest) {
  const Config config = parse_config(
      layout({R"({"id": "t", "command": ["tool"], "measure": "user_time"})"}), "c.json");
  EXPECT_EQ(primary_metric(config.benchmarks[0]), "user_time");
  EXPECT_FALSE(uses_callgrind(config.benchmarks[0]));
  EXPECT_EQ(measured_metrics(config.benchmarks[0]),
            (std::vector<std::string>{"user_time", "wall_time", "sys_time", "max_rss"}));
}

TEST(MeasureConfig, GbenchMayChooseCpuTime) {
  const Config config = parse_config(
      layout({R"({"id": "m", "gbench": "bench/micro", "measure": "cpu_time"})"}), "c.json");
  EXPECT_EQ(primary_metric(config.benchmarks[0]), "cpu_time");
}

TEST(MeasureConfig, GbenchCountsAreRefusedWithTheReason) {
  const std::string error =
      error_of(layout({R"({"id": "m", "gbench": "bench/micro", "measure": "instructions"})"}));
  EXPECT_EQ(error.rfind("c.json:3:49: metric \"instructions\" cannot be measured on gbench "
                        "benchmark \"m\": Google Benchmark 1.7 picks its iteration counts from "
                        "timings",
                        0),
            0U)
      << error;
  EXPECT_NE(error.find("docs/config.md"), std::string::npos) << error;
}

TEST(MeasureConfig, MixingCountsAndTimesIsRefused) {
  EXPECT_EQ(error_of(layout(
                {R"({"id": "t", "command": ["tool"], "measure": ["instructions", "wall_time"]})"})),
            "c.json:3:62: \"measure\" mixes \"instructions\" and \"wall_time\": counts come from "
            "runs under Callgrind, times from native runs; expected one kind (write two "
            "benchmarks with the same command to have both)");
}

TEST(MeasureConfig, UnknownDuplicateEmptyAndWrongType) {
  EXPECT_EQ(error_of(layout({R"({"id": "t", "command": ["tool"], "measure": "instr"})"})),
            "c.json:3:45: \"measure\": unknown metric \"instr\" for command benchmark \"t\"; "
            "expected one of: wall_time, user_time, sys_time, max_rss, instructions, "
            "estimated_cycles");
  EXPECT_EQ(
      error_of(layout(
          {R"({"id": "t", "command": ["tool"], "measure": ["instructions", "instructions"]})"})),
      "c.json:3:62: \"measure\" names \"instructions\" twice; expected each metric once");
  EXPECT_EQ(error_of(layout({R"({"id": "t", "command": ["tool"], "measure": []})"})),
            "c.json:3:45: \"measure\" is empty; expected a metric name or a list of them, like "
            "\"instructions\" or [\"instructions\", \"estimated_cycles\"]");
  EXPECT_EQ(error_of(layout({R"({"id": "t", "command": ["tool"], "measure": 3})"})),
            "c.json:3:45: \"measure\": 3 is a number; expected a metric name or a list of them, "
            "like \"instructions\" or [\"instructions\", \"estimated_cycles\"]");
}

TEST(MeasureConfig, RefusedOnFileSize) {
  EXPECT_EQ(error_of(layout({R"({"id": "s", "file_size": "tool", "measure": "file_size"})"})),
            "c.json:3:34: \"measure\" in benchmark \"s\" does not apply to a file_size "
            "benchmark, which measures only file_size; expected it only with \"command\" or "
            "\"gbench\"");
}

TEST(MeasureConfig, CountBudgetInfersTheCountedPrimaryMetric) {
  const Config config =
      parse_config(layout({kCounted}, {R"({"benchmark": "parse", "max": "2.5G"})",
                                       R"({"benchmark": "parse", "max_regression": "0.5%"})"}),
                   "c.json");
  ASSERT_EQ(config.budgets.size(), 2U);
  EXPECT_EQ(config.budgets[0].metric, "instructions");
  EXPECT_DOUBLE_EQ(*config.budgets[0].max, 2.5e9);
  EXPECT_EQ(config.budgets[1].metric, "instructions");
  EXPECT_DOUBLE_EQ(*config.budgets[1].max_regression, 0.005);
}

TEST(MeasureConfig, NamedCountMetricTakesACount) {
  const Config config = parse_config(
      layout({kCycles}, {R"({"benchmark": "cycles", "metric": "instructions", "max": "750k"})"}),
      "c.json");
  EXPECT_EQ(config.budgets[0].metric, "instructions");
  EXPECT_DOUBLE_EQ(*config.budgets[0].max, 750e3);
  EXPECT_EQ(error_of(layout({kCycles},
                            {R"({"benchmark": "cycles", "metric": "instructions", "max": "1s"})"})),
            "c.json:6:58: \"max\": \"1s\" is a duration, but metric \"instructions\" is a count; "
            "expected a count (a number, or with k, M, G: \"2.5G\")");
  EXPECT_EQ(
      error_of(layout({kCycles},
                      {R"({"benchmark": "cycles", "metric": "instructions", "max": "2.5 G"})"})),
      "c.json:6:58: \"max\": \"2.5 G\" is not a count (a number, or with k, M, G: \"2.5G\")");
}

TEST(MeasureConfig, CountOnATimedBenchmarkAndTimeOnACountedOneAreRefused) {
  EXPECT_EQ(error_of(layout({kTimed}, {R"({"benchmark": "timed", "max": "2G"})"})),
            "c.json:6:31: \"max\": \"2G\" is a count, but command benchmark \"timed\" measures "
            "times; expected a duration (ns, us, ms, s, m, h)");
  EXPECT_EQ(error_of(layout({kCounted}, {R"({"benchmark": "parse", "max": "1s"})"})),
            "c.json:6:31: \"max\": \"1s\" is a duration, but command benchmark \"parse\" measures "
            "counts; expected a count (a number, or with k, M, G: \"2.5G\")");
  EXPECT_EQ(error_of(layout({kCounted}, {R"({"benchmark": "parse", "max": "50MB"})"})),
            "c.json:6:31: \"max\": \"50MB\" is a size, but command benchmark \"parse\" measures "
            "only counts; expected a count (a number, or with k, M, G: \"2.5G\")");
}

TEST(MeasureConfig, BudgetOnAMetricTheBenchmarkDoesNotMeasure) {
  EXPECT_EQ(error_of(layout(
                {kCounted},
                {R"({"benchmark": "parse", "metric": "wall_time", "max_regression": "5%"})"})),
            "c.json:6:34: metric \"wall_time\" is not measured by command benchmark \"parse\"; "
            "expected one of: instructions");
  EXPECT_EQ(error_of(layout({kTimed},
                            {R"({"benchmark": "timed", "metric": "instructions", "max": "1G"})"})),
            "c.json:6:34: metric \"instructions\" is not measured by command benchmark \"timed\"; "
            "expected one of: wall_time, user_time, sys_time, max_rss");
}

TEST(MeasureConfig, GlobOverDifferentPrimariesJudgesEachOnItsOwn) {
  const Config config = parse_config(
      layout({kCounted, kTimed, kMicro}, {R"({"benchmark": "*", "max_regression": "1%"})"}),
      "c.json");
  EXPECT_FALSE(config.budgets[0].metric.has_value());
}

TEST(Units, CountsWithSuffixes) {
  EXPECT_DOUBLE_EQ(*parse_count("2.5G"), 2.5e9);
  EXPECT_DOUBLE_EQ(*parse_count("750k"), 750e3);
  EXPECT_DOUBLE_EQ(*parse_count("12M"), 12e6);
  EXPECT_DOUBLE_EQ(*parse_count("1234"), 1234.0);
  EXPECT_FALSE(parse_count("2.5 G"));
  EXPECT_FALSE(parse_count("2.5g"));
  EXPECT_FALSE(parse_count("2K"));
  EXPECT_FALSE(parse_count("G"));
  EXPECT_FALSE(parse_count("-1k"));
  EXPECT_FALSE(parse_count("1s"));
}

TEST(Units, CountsAreShownWithTheirUnit) {
  EXPECT_EQ(format_quantity(1234567890.0, "instructions"), "1.235 G instructions");
  EXPECT_EQ(format_quantity(10100000.0, "instructions"), "10.1 M instructions");
  EXPECT_EQ(format_quantity(2500.0, "cycles"), "2.5 k cycles");
  EXPECT_EQ(format_quantity(999.0, "instructions"), "999 instructions");
}

}  // namespace
}  // namespace perfguard::budgets
