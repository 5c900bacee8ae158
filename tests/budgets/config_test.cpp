#include "budgets/config.hpp"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::budgets {
namespace {

// The message of the UsageError parse_config throws, or "" when the config is accepted.
std::string error_of(std::string_view text) {
  try {
    (void)parse_config(text, "c.json");
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  return "";
}

// A config laid out so that tests can count positions: line 1 the schema, line 2 opens
// "benchmarks", then one benchmark per line from line 3, then "],", a line opening "budgets",
// one budget per line, and "]}". Each benchmark and budget starts at column 1.
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

constexpr std::string_view kCli = R"({"id": "cli.startup", "command": ["tool", "--version"]})";
constexpr std::string_view kCliRun = R"({"id": "cli.run", "command": ["tool", "run"]})";
constexpr std::string_view kMicro = R"({"id": "micro", "gbench": "bench/micro"})";
constexpr std::string_view kSize = R"({"id": "binary.size", "file_size": "tool"})";

// With kCli, kMicro, kSize: the first budget is on line 8.
std::string budget_error(std::string_view budget) {
  return error_of(layout({kCli, kMicro, kSize}, {budget}));
}

// The one rule of a config with kCli, kCliRun, kMicro, kSize and `budget`.
BudgetRule rule_of(std::string_view budget) {
  const Config parsed = parse_config(layout({kCli, kCliRun, kMicro, kSize}, {budget}), "c.json");
  EXPECT_EQ(parsed.budgets.size(), 1U);
  return parsed.budgets.at(0);
}

// docs/config.md's example, with comments of both kinds.
constexpr std::string_view kDesignExample = R"(// perfguard.json of the sample project
{
  "schema": "perfguard.config.v1",
  /* Built once per worktree, cached by commit. */
  "build": [["cmake", "-S", ".", "-B", "{build}", "-DCMAKE_BUILD_TYPE=Release"],
            ["cmake", "--build", "{build}", "-j2"]],
  "benchmarks": [
    {"id": "cli.startup", "command": ["{build}/tool", "--version"], "warmup": 3},
    {"id": "micro", "gbench": "{build}/bench/micro", "filter": "BM_parse.*"},
    {"id": "binary.size", "file_size": "{build}/tool"}
  ],
  "budgets": [
    {"benchmark": "cli.startup", "metric": "wall_time", "statistic": "p95", "max": "1s"},
    {"benchmark": "*", "max_regression": "5%"},  // each benchmark's primary metric
    {"benchmark": "binary.size", "max": "50MB"}
  ],
  "approvals": "perfguard-approvals.json"
}
)";

TEST(Config, DesignExampleParses) {
  const Config config = parse_config(kDesignExample, "perfguard.json");
  EXPECT_EQ(config.path, "perfguard.json");
  EXPECT_EQ(config.build, (std::vector<std::vector<std::string>>{
                              {"cmake", "-S", ".", "-B", "{build}", "-DCMAKE_BUILD_TYPE=Release"},
                              {"cmake", "--build", "{build}", "-j2"}}));
  ASSERT_EQ(config.benchmarks.size(), 3U);

  const BenchmarkSpec& cli = config.benchmarks[0];
  EXPECT_EQ(cli.id, "cli.startup");
  EXPECT_EQ(cli.kind, BenchmarkKind::command);
  EXPECT_EQ(cli.command, (std::vector<std::string>{"{build}/tool", "--version"}));
  EXPECT_EQ(cli.path, "");
  EXPECT_EQ(cli.warmup, 3U);
  EXPECT_EQ(cli.timeout_seconds, std::nullopt);
  EXPECT_EQ(cli.location.to_string(), "perfguard.json:8:5");

  const BenchmarkSpec& micro = config.benchmarks[1];
  EXPECT_EQ(micro.id, "micro");
  EXPECT_EQ(micro.kind, BenchmarkKind::gbench);
  EXPECT_TRUE(micro.command.empty());
  EXPECT_EQ(micro.path, "{build}/bench/micro");
  EXPECT_EQ(micro.filter, "BM_parse.*");
  EXPECT_EQ(micro.warmup, std::nullopt);
  EXPECT_EQ(micro.location.to_string(), "perfguard.json:9:5");

  const BenchmarkSpec& size = config.benchmarks[2];
  EXPECT_EQ(size.id, "binary.size");
  EXPECT_EQ(size.kind, BenchmarkKind::file_size);
  EXPECT_EQ(size.path, "{build}/tool");
  EXPECT_EQ(size.filter, "");
  EXPECT_EQ(size.location.to_string(), "perfguard.json:10:5");

  ASSERT_EQ(config.budgets.size(), 3U);
  const BudgetRule& p95 = config.budgets[0];
  EXPECT_EQ(p95.benchmark, "cli.startup");
  EXPECT_EQ(p95.metric, "wall_time");
  EXPECT_EQ(p95.statistic, Statistic::p95);
  EXPECT_EQ(p95.max, 1.0);
  EXPECT_EQ(p95.max_regression, std::nullopt);
  EXPECT_EQ(p95.location.to_string(), "perfguard.json:13:5");

  const BudgetRule& all = config.budgets[1];
  EXPECT_EQ(all.benchmark, "*");
  EXPECT_EQ(all.metric, std::nullopt);  // spans command, gbench and file_size benchmarks
  EXPECT_EQ(all.statistic, std::nullopt);
  EXPECT_EQ(all.max, std::nullopt);
  EXPECT_DOUBLE_EQ(*all.max_regression, 0.05);
  EXPECT_EQ(all.location.to_string(), "perfguard.json:14:5");

  const BudgetRule& bytes = config.budgets[2];
  EXPECT_EQ(bytes.benchmark, "binary.size");
  EXPECT_EQ(bytes.metric, "file_size");
  EXPECT_EQ(bytes.statistic, Statistic::median);
  EXPECT_EQ(bytes.max, 50e6);
  EXPECT_EQ(bytes.location.to_string(), "perfguard.json:15:5");

  EXPECT_EQ(config.approvals, "perfguard-approvals.json");
}

TEST(Config, OptionalSectionsMayBeOmitted) {
  const Config config = parse_config(R"({"schema": "perfguard.config.v1", "benchmarks": [
      {"id": "a", "command": ["true"], "warmup": 0, "timeout": "250ms"}]})",
                                     "c.json");
  EXPECT_TRUE(config.build.empty());
  EXPECT_TRUE(config.budgets.empty());
  EXPECT_EQ(config.approvals, std::nullopt);
  EXPECT_EQ(config.benchmarks.at(0).warmup, 0U);
  EXPECT_DOUBLE_EQ(*config.benchmarks.at(0).timeout_seconds, 0.25);
  EXPECT_TRUE(parse_config(R"({"schema": "perfguard.config.v1", "build": [], "benchmarks": [
      {"id": "a", "command": ["true"]}], "budgets": []})",
                           "c.json")
                  .build.empty());
}

TEST(Config, EmptyArgumentsAfterTheProgramAreKept) {
  const Config config =
      parse_config(layout({R"({"id": "a", "command": ["printf", ""]})"}), "c.json");
  EXPECT_EQ(config.benchmarks.at(0).command, (std::vector<std::string>{"printf", ""}));
}

// ---- the whole file ----------------------------------------------------------------------

TEST(Config, InvalidJson) {
  EXPECT_EQ(error_of("{\"schema\": \"perfguard.config.v1\",\n  \"benchmarks\": [}"),
            "c.json:2:18: invalid JSON: syntax error while parsing value - unexpected '}'; "
            "expected '[', '{', "
            "or a literal");
}

TEST(Config, NotAnObject) {
  EXPECT_EQ(error_of("  [1]"),
            "c.json:1:3: the config is an array; expected an object with \"schema\": "
            "\"perfguard.config.v1\"");
}

TEST(Config, MissingSchema) {
  EXPECT_EQ(error_of(R"({"benchmarks": []})"),
            "c.json:1:1: missing \"schema\"; expected \"schema\": \"perfguard.config.v1\"");
}

TEST(Config, WrongSchema) {
  EXPECT_EQ(error_of(R"({"schema": "perfguard.config.v2", "benchmarks": []})"),
            "c.json:1:12: \"schema\": \"perfguard.config.v2\" is not supported; expected "
            "\"perfguard.config.v1\"");
}

TEST(Config, UnknownTopLevelKey) {
  EXPECT_EQ(error_of("{\"schema\": \"perfguard.config.v1\",\n  \"benchmark\": []}"),
            "c.json:2:3: unknown key \"benchmark\"; expected one of: schema, build, benchmarks, "
            "budgets, approvals, max_time, ratio_method");
}

TEST(Config, MissingBenchmarks) {
  EXPECT_EQ(error_of(R"({"schema": "perfguard.config.v1"})"),
            "c.json:1:1: missing \"benchmarks\"; expected an array of benchmarks");
}

TEST(Config, BenchmarksNotAnArray) {
  EXPECT_EQ(error_of(R"({"schema": "perfguard.config.v1", "benchmarks": {"id": "a"}})"),
            "c.json:1:49: \"benchmarks\": {...} is an object; expected an array of benchmarks");
}

TEST(Config, NoBenchmarks) {
  EXPECT_EQ(error_of(layout({})),
            "c.json:2:15: \"benchmarks\" is empty; expected at least one benchmark");
}

TEST(Config, ApprovalsNotAPath) {
  EXPECT_EQ(
      error_of(
          R"({"schema": "perfguard.config.v1", "approvals": 1, "benchmarks": [{"id": "a", "command": ["x"]}]})"),
      "c.json:1:48: \"approvals\": 1 is a number; expected the path of the approvals file, like "
      "\"perfguard-approvals.json\"");
  EXPECT_EQ(
      error_of(
          R"({"schema": "perfguard.config.v1", "approvals": "", "benchmarks": [{"id": "a", "command": ["x"]}]})"),
      "c.json:1:48: \"approvals\" is empty; expected the path of the approvals file, like "
      "\"perfguard-approvals.json\"");
}

// ---- build --------------------------------------------------------------------------------

std::string build_error(std::string_view build) {
  return error_of(std::string("{\"schema\": \"perfguard.config.v1\",\n\"build\": ") +
                  std::string(build) +
                  ",\n\"benchmarks\": [{\"id\": \"a\", \"command\": [\"x\"]}]}");
}

TEST(Config, BuildNotAnArray) {
  EXPECT_EQ(build_error(R"("make")"),
            "c.json:2:10: \"build\": \"make\" is a string; expected an array of commands, each an "
            "array of strings");
}

TEST(Config, BuildStepNotAnArray) {
  EXPECT_EQ(build_error(R"([["make"], "make -j2"])"),
            "c.json:2:21: build[1]: \"make -j2\" is a string; expected an array of strings (the "
            "program and its "
            "arguments), like [\"make\", \"-j2\"]");
}

TEST(Config, BuildStepEmpty) {
  EXPECT_EQ(build_error(R"([[]])"),
            "c.json:2:11: build[0] is empty; expected an array of strings (the program and its "
            "arguments), like "
            "[\"make\", \"-j2\"]");
}

TEST(Config, BuildArgumentNotAString) {
  EXPECT_EQ(build_error(R"([["make", 2]])"),
            "c.json:2:20: build[0][1]: 2 is a number; expected a string");
}

TEST(Config, BuildProgramEmpty) {
  EXPECT_EQ(build_error(R"([["", "x"]])"),
            "c.json:2:12: build[0][0] is empty; expected the program to run");
}

// The system cuts a string at its first NUL: "tr\u0000ue" would run tr, so it is refused
// wherever a string reaches the system (program, argument, path, filter).
TEST(Config, NulInsideAnArgumentIsRefused) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["tr\u0000ue", "x"]})"})),
            "c.json:3:25: command[0] holds a NUL character (\\u0000) at offset 2; the operating "
            "system would cut it there; expected text without NUL");
  EXPECT_EQ(build_error(R"([["make", "-j\u00002"]])"),
            "c.json:2:20: build[0][1] holds a NUL character (\\u0000) at offset 2; the operating "
            "system would cut it there; expected text without NUL");
  EXPECT_EQ(error_of(layout({R"({"id": "m", "gbench": "bench/mi\u0000cro"})"})),
            "c.json:3:23: \"gbench\" holds a NUL character (\\u0000) at offset 8; the operating "
            "system would cut it there; expected text without NUL");
}

// ---- benchmarks ---------------------------------------------------------------------------

TEST(Config, BenchmarkNotAnObject) {
  EXPECT_EQ(
      error_of(layout({kCli, R"("micro")"})),
      "c.json:4:1: benchmarks[1]: \"micro\" is a string; expected an object with \"id\" and one of "
      "\"command\", \"gbench\", \"file_size\"");
}

TEST(Config, MissingId) {
  EXPECT_EQ(error_of(layout({kCli, R"({"command": ["x"]})"})),
            "c.json:4:1: missing \"id\" in benchmarks[1]; expected a unique id of letters, digits, "
            "'.', '_' and "
            "'-' only");
}

TEST(Config, IdNotAString) {
  EXPECT_EQ(error_of(layout({R"({"id": 7, "command": ["x"]})"})),
            "c.json:3:8: \"id\": 7 is a number; expected a string of letters, digits, '.', '_' and "
            "'-' only");
}

TEST(Config, MalformedId) {
  EXPECT_EQ(error_of(layout({R"({"id": "cli startup", "command": ["x"]})"})),
            "c.json:3:8: \"id\": \"cli startup\" is not a valid id; expected letters, digits, '.', "
            "'_' and '-' only");
  EXPECT_EQ(error_of(layout({R"({"id": "", "command": ["x"]})"})),
            "c.json:3:8: \"id\": \"\" is not a valid id; expected letters, digits, '.', '_' and "
            "'-' only");
  EXPECT_EQ(error_of(layout({R"({"id": "cli.*", "command": ["x"]})"})),
            "c.json:3:8: \"id\": \"cli.*\" is not a valid id; expected letters, digits, '.', '_' "
            "and '-' only");
}

TEST(Config, DuplicateIdNamesTheFirstLine) {
  EXPECT_EQ(error_of(layout({kCli, kMicro, R"({"id": "cli.startup", "gbench": "b"})"})),
            "c.json:5:8: duplicate benchmark id \"cli.startup\" (first at line 3); expected each "
            "id once");
}

TEST(Config, UnknownBenchmarkKey) {
  EXPECT_EQ(error_of(layout({R"({"id": "cli.startup", "comand": ["tool"]})"})),
            "c.json:3:23: unknown key \"comand\" in benchmark \"cli.startup\"; expected one of: "
            "id, command, gbench, filter, file_size, args, env, cwd, isolate, warmup, timeout, "
            "measure, family, project_to");
}

TEST(Config, BenchmarkWithoutKind) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "warmup": 1})"})),
            "c.json:3:1: benchmark \"a\" has none of \"command\", \"gbench\", \"file_size\"; "
            "expected exactly one");
}

TEST(Config, BenchmarkWithTwoKinds) {
  // Named in the order they are written, at the second.
  EXPECT_EQ(error_of(layout({R"({"id": "a", "gbench": "b", "command": ["x"]})"})),
            "c.json:3:28: benchmark \"a\" has both \"gbench\" and \"command\"; expected exactly "
            "one of \"command\", "
            "\"gbench\", \"file_size\"");
}

TEST(Config, EmptyCommand) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": []})"})),
            "c.json:3:24: \"command\" is empty; expected an array of strings (the program and its "
            "arguments), like "
            "[\"make\", \"-j2\"]");
}

TEST(Config, CommandAsShellString) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": "tool --version"})"})),
            "c.json:3:24: \"command\": \"tool --version\" is a string; expected an array of "
            "strings (the program "
            "and its arguments), like [\"make\", \"-j2\"]");
}

TEST(Config, CommandArgumentNotAString) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x", true]})"})),
            "c.json:3:30: command[1]: true is a boolean; expected a string");
}

TEST(Config, GbenchPathNotAString) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "gbench": ["b"]})"})),
            "c.json:3:23: \"gbench\": [...] is an array; expected the path of a Google Benchmark "
            "binary, like "
            "\"{build}/bench/micro\"");
}

TEST(Config, FileSizePathEmpty) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "file_size": ""})"})),
            "c.json:3:26: \"file_size\" is empty; expected the path of a built file, like "
            "\"{build}/tool\"");
}

TEST(Config, FilterOnlyWithGbench) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "filter": "BM_.*"})"})),
            "c.json:3:31: \"filter\" in benchmark \"a\" applies only to gbench benchmarks; "
            "expected it next to "
            "\"gbench\"");
}

TEST(Config, FilterEmpty) {
  EXPECT_EQ(
      error_of(layout({R"({"id": "a", "gbench": "b", "filter": ""})"})),
      "c.json:3:38: \"filter\" is empty; expected a regular expression for --benchmark_filter");
}

TEST(Config, WarmupNegative) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "warmup": -1})"})),
            "c.json:3:41: \"warmup\": -1 is negative; expected a non-negative integer");
}

TEST(Config, WarmupNotAnInteger) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "warmup": 2.5})"})),
            "c.json:3:41: \"warmup\": 2.5 is not an integer; expected a non-negative integer");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "warmup": "3"})"})),
            "c.json:3:41: \"warmup\": \"3\" is a string; expected a non-negative integer");
}

TEST(Config, WarmupAndTimeoutDoNotApplyToFileSize) {
  EXPECT_EQ(error_of(layout({R"({"id": "s", "file_size": "f", "warmup": 1})"})),
            "c.json:3:31: \"warmup\" in benchmark \"s\" does not apply to a file_size benchmark, "
            "which runs "
            "nothing; expected it only with \"command\" or \"gbench\"");
  EXPECT_EQ(error_of(layout({R"({"id": "s", "file_size": "f", "timeout": "1s"})"})),
            "c.json:3:31: \"timeout\" in benchmark \"s\" does not apply to a file_size benchmark, "
            "which runs "
            "nothing; expected it only with \"command\" or \"gbench\"");
}

// ---- args, env, cwd, isolate -----------------------------------------------------------------

TEST(Config, ArgsEnvCwdAndIsolateAreRead) {
  const Config config = parse_config(
      layout({
          R"({"id": "suite", "gbench": "{build}/bench", "args": ["--benchmark_min_time=0.05", ""],
          "env": {"LC_ALL": "C", "DATA": "{worktree}/testdata"}, "cwd": "{build}",
          "isolate": true})",
          R"({"id": "cli", "command": ["{build}/tool"], "args": ["run", "x"], "cwd": "data"})"}),
      "c.json");
  const BenchmarkSpec& suite = config.benchmarks.at(0);
  EXPECT_EQ(suite.args, (std::vector<std::string>{"--benchmark_min_time=0.05", ""}));
  EXPECT_EQ(suite.env, (std::vector<std::pair<std::string, std::string>>{
                           {"DATA", "{worktree}/testdata"}, {"LC_ALL", "C"}}));
  EXPECT_EQ(suite.cwd, "{build}");
  EXPECT_TRUE(suite.isolate);
  const BenchmarkSpec& cli = config.benchmarks.at(1);
  EXPECT_EQ(cli.args, (std::vector<std::string>{"run", "x"}));
  EXPECT_TRUE(cli.env.empty());
  EXPECT_EQ(cli.cwd, "data");
  EXPECT_FALSE(cli.isolate);
}

TEST(Config, ArgsMustBeAnArrayOfStrings) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "gbench": "b", "args": "--x"})"})),
            "c.json:3:36: \"args\": \"--x\" is a string; expected an array of strings, like "
            "[\"--benchmark_min_time=0.05\"]");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "gbench": "b", "args": ["--x", 3]})"})),
            "c.json:3:44: args[1]: 3 is a number; expected a string");
}

TEST(Config, EnvMustBeAnObjectOfStrings) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "env": ["A=1"]})"})),
            "c.json:3:38: \"env\": [...] is an array; expected an object of variables, like "
            "{\"LC_ALL\": \"C\"}");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "env": {"A=B": "1"}})"})),
            "c.json:3:39: \"env\": \"A=B\" is not a variable name; expected a non-empty name "
            "without '='");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "env": {"A": 1}})"})),
            "c.json:3:44: env.A: 1 is a number; expected a string");
}

TEST(Config, CwdNotEmpty) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "cwd": ""})"})),
            "c.json:3:38: \"cwd\" is empty; expected a folder, relative to the worktree, like "
            "\"data\" or \"{build}\"");
}

TEST(Config, IsolateOnlyWithGbenchAndABoolean) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "isolate": true})"})),
            "c.json:3:31: \"isolate\" in benchmark \"a\" applies only to gbench benchmarks; "
            "expected it next to \"gbench\"");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "gbench": "b", "isolate": "yes"})"})),
            "c.json:3:39: \"isolate\": \"yes\" is a string; expected true or false");
}

TEST(Config, ArgsEnvAndCwdDoNotApplyToFileSize) {
  EXPECT_EQ(error_of(layout({R"({"id": "s", "file_size": "f", "args": []})"})),
            "c.json:3:31: \"args\" in benchmark \"s\" does not apply to a file_size benchmark, "
            "which runs nothing; expected it only with \"command\" or \"gbench\"");
}

// ---- diff: a config without benchmarks ---------------------------------------------------

TEST(Config, DiffConfigNeedsNoBenchmarks) {
  const Config config = parse_config(R"({"schema": "perfguard.config.v1", "budgets": [
      {"benchmark": "./tool run", "max_regression": "10%"},
      {"benchmark": "BM_UFlat/*", "metric": "cpu_time", "max_regression": "3%"},
      {"benchmark": "*", "statistic": "p95", "max": "2s"}]})",
                                     "c.json", ConfigUse::diff);
  EXPECT_TRUE(config.benchmarks.empty());
  ASSERT_EQ(config.budgets.size(), 3U);
  EXPECT_EQ(config.budgets[0].benchmark, "./tool run");
  EXPECT_EQ(config.budgets[0].metric, std::nullopt);  // each benchmark's primary metric
  EXPECT_EQ(config.budgets[1].metric, "cpu_time");
  EXPECT_EQ(config.budgets[2].metric, std::nullopt);
  EXPECT_DOUBLE_EQ(*config.budgets[2].max, 2.0);
  // compare still needs them.
  EXPECT_EQ(error_of(R"({"schema": "perfguard.config.v1", "budgets": []})"),
            "c.json:1:1: missing \"benchmarks\"; expected an array of benchmarks");
}

TEST(Config, DiffConfigWithoutBenchmarksRefusesSizesAndRepeats) {
  const auto diff_error = [](std::string_view budgets) {
    try {
      (void)parse_config(std::string(R"({"schema": "perfguard.config.v1", "budgets": [)") +
                             std::string(budgets) + "]}",
                         "c.json", ConfigUse::diff);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(diff_error(R"({"benchmark": "x", "max": "5MB"})"),
            "c.json:1:73: \"max\": \"5MB\" is a size, but result files measure times; "
            "expected a duration (ns, us, ms, s, m, h)");
  EXPECT_EQ(diff_error(R"({"benchmark": "x", "max_regression": "5%"}, )"
                       R"({"benchmark": "x", "max_regression": "8%"})"),
            "c.json:1:105: the budget at line 1 already sets max_regression for \"x\"; expected "
            "one rule per benchmark and metric");
  EXPECT_EQ(diff_error(R"({"benchmark": "x", "metric": "walltime", "max_regression": "5%"})"),
            "c.json:1:76: unknown metric \"walltime\"; expected one of: wall_time, user_time, "
            "sys_time, max_rss, real_time, cpu_time, file_size, instructions, estimated_cycles");
}

TEST(Config, TimeoutNotADuration) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "timeout": "30 s"})"})),
            "c.json:3:42: \"timeout\": \"30 s\" is not a duration (ns, us, ms, s, m, h)");
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "timeout": 30})"})),
            "c.json:3:42: \"timeout\": 30 is a number; expected a duration (ns, us, ms, s, m, h), "
            "like \"30s\"");
}

TEST(Config, MaxTimeIsTheSuiteBudget) {
  const Config config = parse_config(R"({"schema": "perfguard.config.v1", "max_time": "2m",
      "benchmarks": [{"id": "a", "command": ["true"]}]})",
                                     "c.json");
  EXPECT_DOUBLE_EQ(*config.max_time_seconds, 120.0);
  EXPECT_EQ(parse_config(R"({"schema": "perfguard.config.v1",
      "benchmarks": [{"id": "a", "command": ["true"]}]})",
                         "c.json")
                .max_time_seconds,
            std::nullopt);
}

TEST(Config, MaxTimeNotAPositiveDuration) {
  const auto with = [](const std::string& value) {
    return error_of(R"({"schema": "perfguard.config.v1", "max_time": )" + value +
                    R"(, "benchmarks": [{"id": "a", "command": ["true"]}]})");
  };
  EXPECT_EQ(with(R"("2 min")"),
            "c.json:1:47: \"max_time\": \"2 min\" is not a duration (ns, us, ms, s, m, h)");
  EXPECT_EQ(with(R"("0s")"),
            "c.json:1:47: \"max_time\": \"0s\" is zero; expected a positive duration");
  EXPECT_EQ(with("30"),
            "c.json:1:47: \"max_time\": 30 is a number; expected a duration (ns, us, ms, s, m, "
            "h), like \"30s\"");
}

TEST(Config, RatioMethodByName) {
  const auto method = [](const std::string& name, ConfigUse use) {
    return parse_config(R"({"schema": "perfguard.config.v1", "ratio_method": ")" + name +
                            R"(", "benchmarks": [{"id": "a", "command": ["true"]}]})",
                        "c.json", use)
        .ratio_method;
  };
  EXPECT_EQ(method("median_ratio", ConfigUse::compare), stats::RatioMethod::median_ratio);
  EXPECT_EQ(method("paired_sign", ConfigUse::compare), stats::RatioMethod::paired_sign);
  EXPECT_EQ(method("paired_signed_rank", ConfigUse::compare),
            stats::RatioMethod::paired_signed_rank);
  // diff reads a paired method without complaint: it does not apply to result files.
  EXPECT_EQ(method("paired_sign", ConfigUse::diff), stats::RatioMethod::paired_sign);
  EXPECT_EQ(parse_config(R"({"schema": "perfguard.config.v1",
      "benchmarks": [{"id": "a", "command": ["true"]}]})",
                         "c.json")
                .ratio_method,
            std::nullopt);
}

TEST(Config, RatioMethodUnknown) {
  const auto with = [](const std::string& value) {
    return error_of("{\"schema\": \"perfguard.config.v1\",\n  \"ratio_method\": " + value +
                    R"(, "benchmarks": [{"id": "a", "command": ["true"]}]})");
  };
  EXPECT_EQ(with(R"("wilcoxon")"),
            "c.json:2:19: \"ratio_method\": \"wilcoxon\" is not a ratio method; expected one of: "
            "median_ratio, paired_sign, paired_signed_rank");
  EXPECT_EQ(with("1"),
            "c.json:2:19: \"ratio_method\": 1 is a number; expected one of: median_ratio, "
            "paired_sign, paired_signed_rank");
}

TEST(Config, TimeoutZero) {
  EXPECT_EQ(error_of(layout({R"({"id": "a", "command": ["x"], "timeout": "0s"})"})),
            "c.json:3:42: \"timeout\": \"0s\" is zero; expected a positive duration");
}

// ---- budgets ------------------------------------------------------------------------------

TEST(Config, BudgetsNotAnArray) {
  EXPECT_EQ(
      error_of(
          R"({"schema": "perfguard.config.v1", "benchmarks": [{"id": "a", "command": ["x"]}], "budgets": {}})"),
      "c.json:1:93: \"budgets\": {...} is an object; expected an array of budgets");
}

TEST(Config, BudgetNotAnObject) {
  EXPECT_EQ(budget_error(R"("5%")"),
            "c.json:8:1: budgets[0]: \"5%\" is a string; expected an object with \"benchmark\" and "
            "\"max\" or "
            "\"max_regression\"");
}

TEST(Config, UnknownBudgetKey) {
  EXPECT_EQ(budget_error(R"({"benchmark": "*", "maximum": "1s"})"),
            "c.json:8:20: unknown key \"maximum\" in budgets[0]; expected one of: benchmark, "
            "metric, statistic, max, "
            "max_regression, complexity");
}

TEST(Config, BudgetWithoutBenchmark) {
  EXPECT_EQ(budget_error(R"({"max_regression": "5%"})"),
            "c.json:8:1: missing \"benchmark\" in budgets[0]; expected a benchmark id or a glob "
            "('*' any characters, "
            "'?' one)");
}

TEST(Config, GlobMatchingNoBenchmark) {
  EXPECT_EQ(budget_error(R"({"benchmark": "clu.*", "max_regression": "5%"})"),
            "c.json:8:15: \"benchmark\": \"clu.*\" matches no benchmark; expected an id or a glob "
            "matching one of: "
            "cli.startup, micro, binary.size");
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startp", "max_regression": "5%"})"),
            "c.json:8:15: \"benchmark\": \"cli.startp\" matches no benchmark; expected an id or a "
            "glob matching one "
            "of: cli.startup, micro, binary.size");
}

TEST(Config, BudgetWithNeitherLimit) {
  EXPECT_EQ(
      budget_error(R"({"benchmark": "cli.startup", "metric": "wall_time"})"),
      "c.json:8:1: budgets[0] has neither \"max\" nor \"max_regression\"; expected exactly one");
}

TEST(Config, BudgetWithBothLimits) {
  EXPECT_EQ(
      budget_error(R"({"benchmark": "cli.startup", "max_regression": "5%", "max": "1s"})"),
      "c.json:8:54: budgets[0] has both \"max_regression\" and \"max\"; expected exactly one");
}

TEST(Config, UnknownMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "metric": "walltime", "max": "1s"})"),
            "c.json:8:40: unknown metric \"walltime\"; expected one of: wall_time, user_time, "
            "sys_time, max_rss, "
            "real_time, cpu_time, file_size, instructions, estimated_cycles");
}

TEST(Config, MetricNotMeasuredByAMatchedBenchmark) {
  EXPECT_EQ(budget_error(R"({"benchmark": "*", "metric": "wall_time", "max_regression": "5%"})"),
            "c.json:8:30: metric \"wall_time\" is not measured by gbench benchmark \"micro\" "
            "(matched by \"*\"); "
            "expected one of: real_time, cpu_time");
  EXPECT_EQ(budget_error(R"({"benchmark": "binary.size", "metric": "max_rss", "max": "1MB"})"),
            "c.json:8:40: metric \"max_rss\" is not measured by file_size benchmark "
            "\"binary.size\"; expected one "
            "of: file_size");
}

TEST(Config, UnknownStatistic) {
  EXPECT_EQ(
      budget_error(R"({"benchmark": "cli.startup", "statistic": "p50", "max": "1s"})"),
      "c.json:8:43: unknown statistic \"p50\"; expected one of: median, mean, p90, p95, p99, max");
}

TEST(Config, StatisticOnlyWithMax) {
  EXPECT_EQ(
      budget_error(R"({"benchmark": "cli.startup", "statistic": "p95", "max_regression": "5%"})"),
      "c.json:8:30: \"statistic\" in budgets[0] has no effect with \"max_regression\", which "
      "compares "
      "medians; expected it only with \"max\"");
}

TEST(Config, MaxNotAString) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "max": 1})"),
            "c.json:8:37: \"max\": 1 is a number; expected a string with a unit, like \"250ms\", "
            "\"50MB\" or \"2.5G\"");
}

TEST(Config, MaxNotADurationForATimeMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "metric": "wall_time", "max": "1 s"})"),
            "c.json:8:60: \"max\": \"1 s\" is not a duration (ns, us, ms, s, m, h)");
}

TEST(Config, MaxSizeForATimeMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "micro", "metric": "cpu_time", "max": "50MB"})"),
            "c.json:8:53: \"max\": \"50MB\" is a size, but metric \"cpu_time\" is a time; expected "
            "a duration (ns, "
            "us, ms, s, m, h)");
}

TEST(Config, MaxDurationForASizeMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "metric": "max_rss", "max": "1s"})"),
            "c.json:8:58: \"max\": \"1s\" is a duration, but metric \"max_rss\" is a size; "
            "expected a size (B, KB, "
            "MB, GB, KiB, MiB, GiB)");
}

TEST(Config, MaxNotASizeForASizeMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "binary.size", "metric": "file_size", "max": "50 MB"})"),
            "c.json:8:60: \"max\": \"50 MB\" is not a size (B, KB, MB, GB, KiB, MiB, GiB)");
}

TEST(Config, MaxWithoutUnitAndMetric) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "max": "fast"})"),
            "c.json:8:37: \"max\": \"fast\" is not a duration (ns, us, ms, s, m, h), a size (B, "
            "KB, MB, GB, KiB, MiB, GiB) or a count (a number, or with k, M, G: \"2.5G\")");
}

TEST(Config, MaxZero) {
  EXPECT_EQ(budget_error(R"({"benchmark": "cli.startup", "max": "0ms"})"),
            "c.json:8:37: \"max\": \"0ms\" is zero; expected a positive limit");
}

TEST(Config, SizeLimitOnGbenchBenchmark) {
  EXPECT_EQ(budget_error(R"({"benchmark": "micro", "max": "50MB"})"),
            "c.json:8:31: \"max\": \"50MB\" is a size, but gbench benchmark \"micro\" measures "
            "only times; expected "
            "a duration (ns, us, ms, s, m, h)");
}

TEST(Config, DurationLimitOnFileSizeBenchmark) {
  EXPECT_EQ(budget_error(R"({"benchmark": "*", "max": "1s"})"),
            "c.json:8:27: \"max\": \"1s\" is a duration, but file_size benchmark \"binary.size\" "
            "measures bytes; "
            "expected a size (B, KB, MB, GB, KiB, MiB, GiB)");
}

TEST(Config, SizeLimitAcrossCommandAndFileSizeNeedsAMetric) {
  EXPECT_EQ(error_of(layout({kCli, kSize}, {R"({"benchmark": "*", "max": "50MB"})"})),
            "c.json:7:27: \"max\": \"50MB\" is a size, which is max_rss for \"cli.startup\" but "
            "file_size for "
            "\"binary.size\"; expected a \"metric\" to say which");
}

TEST(Config, RegressionNotAPercentage) {
  EXPECT_EQ(budget_error(R"({"benchmark": "*", "max_regression": "5"})"),
            "c.json:8:38: \"max_regression\": \"5\" is not a percentage; expected a number "
            "followed by %, like "
            "\"5%\"");
  EXPECT_EQ(
      budget_error(R"({"benchmark": "*", "max_regression": 0.05})"),
      "c.json:8:38: \"max_regression\": 0.05 is a number; expected a percentage, like \"5%\"");
}

TEST(Config, RegressionZero) {
  EXPECT_EQ(budget_error(R"({"benchmark": "*", "max_regression": "0%"})"),
            "c.json:8:38: \"max_regression\": \"0%\" is zero; expected a positive percentage, like "
            "\"5%\"");
}

TEST(Config, RepeatedRuleIsRefused) {
  EXPECT_EQ(error_of(layout({kCli, kMicro, kSize},
                            {R"({"benchmark": "cli.startup", "max_regression": "5%"})",
                             R"({"benchmark": "cli.startup", "max_regression": "9%"})"})),
            "c.json:9:15: the budget at line 8 already sets max_regression for \"cli.startup\" "
            "wall_time; expected "
            "one rule per benchmark and metric");
}

TEST(Config, EquallySpecificGlobsForOneBenchmarkAreRefused) {
  EXPECT_EQ(error_of(layout({kCli, kMicro, kSize},
                            {R"({"benchmark": "cli.*", "statistic": "p95", "max": "1s"})",
                             R"({"benchmark": "*.startup", "max": "2s"})",
                             R"({"benchmark": "*rtup", "statistic": "p95", "max": "2s"})"})),
            "c.json:10:15: \"*rtup\" and \"cli.*\" (line 8) are equally specific and both set a "
            "p95 \"max\" for "
            "\"cli.startup\" wall_time; expected one of them to be more specific");
}

// ---- what is accepted, and how a missing metric is resolved ----------------------------

TEST(Config, MoreSpecificRulesOverrideLessSpecificOnes) {
  const Config config = parse_config(
      layout({kCli, kCliRun, kMicro, kSize},
             {R"({"benchmark": "*", "max_regression": "5%"})",
              R"({"benchmark": "cli.*", "max_regression": "8%"})",
              R"({"benchmark": "cli.startup", "max_regression": "10%"})",
              R"({"benchmark": "cli.startup", "statistic": "p95", "max": "1s"})",
              R"({"benchmark": "cli.startup", "max": "500ms"})",
              R"({"benchmark": "cli.startup", "metric": "user_time", "max_regression": "5%"})"}),
      "c.json");
  EXPECT_EQ(config.budgets.size(), 6U);
}

TEST(Config, RelativeBudgetResolvesThePrimaryMetric) {
  EXPECT_EQ(rule_of(R"({"benchmark": "cli.*", "max_regression": "5%"})").metric, "wall_time");
  EXPECT_EQ(rule_of(R"({"benchmark": "micro", "max_regression": "5%"})").metric, "real_time");
  EXPECT_EQ(rule_of(R"({"benchmark": "binary.size", "max_regression": "1%"})").metric, "file_size");
  // A glob spanning kinds: each benchmark's own primary metric.
  EXPECT_EQ(rule_of(R"({"benchmark": "*", "max_regression": "5%"})").metric, std::nullopt);
  EXPECT_EQ(
      rule_of(R"({"benchmark": "cli.*", "metric": "sys_time", "max_regression": "5%"})").metric,
      "sys_time");
  EXPECT_EQ(rule_of(R"({"benchmark": "*", "max_regression": "5%"})").statistic, std::nullopt);
}

TEST(Config, AbsoluteBudgetInfersTheMetricFromTheUnit) {
  EXPECT_EQ(rule_of(R"({"benchmark": "cli.startup", "max": "1s"})").metric, "wall_time");
  EXPECT_EQ(rule_of(R"({"benchmark": "cli.*", "max": "64MiB"})").metric, "max_rss");
  EXPECT_EQ(rule_of(R"({"benchmark": "micro", "max": "20us"})").metric, "real_time");
  EXPECT_EQ(rule_of(R"({"benchmark": "binary.size", "max": "50MB"})").metric, "file_size");
  // Times across command and gbench benchmarks: wall_time for one, real_time for the other.
  EXPECT_EQ(rule_of(R"({"benchmark": "*c*", "max": "1s"})").metric, std::nullopt);

  const BudgetRule rss = rule_of(R"({"benchmark": "cli.*", "max": "64MiB"})");
  EXPECT_DOUBLE_EQ(*rss.max, 64.0 * 1024 * 1024);
  EXPECT_EQ(rss.statistic, Statistic::median);  // the default, stored resolved
  EXPECT_EQ(rss.max_regression, std::nullopt);
  EXPECT_EQ(rule_of(R"({"benchmark": "micro", "statistic": "p99", "max": "20us"})").statistic,
            Statistic::p99);
}

TEST(Config, LoadConfigReadsTheFile) {
  const tests::TempDir dir;
  const std::string path = dir.write("perfguard.json", kDesignExample).string();
  const Config config = load_config(path);
  EXPECT_EQ(config.path, path);
  EXPECT_EQ(config.benchmarks.at(2).location.to_string(), path + ":10:5");
  const std::string missing = (dir.path() / "absent.json").string();
  try {
    (void)load_config(missing);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
  }
}

// ---- globs and names ----------------------------------------------------------------------

TEST(Glob, Matches) {
  EXPECT_TRUE(glob_match("cli.startup", "cli.startup"));
  EXPECT_FALSE(glob_match("cli.startup", "cli.startup2"));
  EXPECT_FALSE(glob_match("cli.startup", "cli.start"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("cli.*", "cli."));
  EXPECT_TRUE(glob_match("cli.*", "cli.startup"));
  EXPECT_FALSE(glob_match("cli.*", "cli"));
  EXPECT_TRUE(glob_match("*.size", "binary.size"));
  EXPECT_FALSE(glob_match("*.size", "binary.sizes"));
  EXPECT_TRUE(glob_match("a*b*c", "abc"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyybzc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyyb"));
  EXPECT_TRUE(glob_match("*a*b", "xaxb"));  // needs backtracking past the first 'a'
  EXPECT_TRUE(glob_match("a**", "a"));
  EXPECT_TRUE(glob_match("v?", "v1"));
  EXPECT_FALSE(glob_match("v?", "v"));
  EXPECT_FALSE(glob_match("v?", "v12"));
  EXPECT_TRUE(glob_match("?*", "x"));
  EXPECT_FALSE(glob_match("?*", ""));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_FALSE(glob_match("CLI.*", "cli.startup"));  // case matters
  // A pathological pattern stays fast.
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST(Glob, Specificity) {
  constexpr std::size_t kExact = std::numeric_limits<std::size_t>::max();
  EXPECT_EQ(glob_specificity("cli.startup"), kExact);
  EXPECT_EQ(glob_specificity("a"), kExact);
  EXPECT_EQ(glob_specificity("*"), 0U);
  EXPECT_EQ(glob_specificity("cli.*"), 4U);
  EXPECT_EQ(glob_specificity("cli.?tartup"), 10U);
  EXPECT_EQ(glob_specificity("*.*"), 1U);
  // An exact id beats any glob, however long; among globs, more literal characters win.
  EXPECT_GT(glob_specificity("x"), glob_specificity("a-very-long-prefix.*"));
  EXPECT_GT(glob_specificity("cli.start*"), glob_specificity("cli.*"));
  EXPECT_GT(glob_specificity("cli.*"), glob_specificity("*"));
}

TEST(Names, PrimaryMetricsAndStatistics) {
  EXPECT_EQ(primary_metric(BenchmarkKind::command), "wall_time");
  EXPECT_EQ(primary_metric(BenchmarkKind::gbench), "real_time");
  EXPECT_EQ(primary_metric(BenchmarkKind::file_size), "file_size");
  EXPECT_EQ(to_string(Statistic::median), "median");
  EXPECT_EQ(to_string(Statistic::mean), "mean");
  EXPECT_EQ(to_string(Statistic::p90), "p90");
  EXPECT_EQ(to_string(Statistic::p95), "p95");
  EXPECT_EQ(to_string(Statistic::p99), "p99");
  EXPECT_EQ(to_string(Statistic::max), "max");
}

TEST(Names, SourceLocation) {
  EXPECT_EQ((SourceLocation{"perfguard.json", 12, 5}.to_string()), "perfguard.json:12:5");
  EXPECT_EQ((SourceLocation{"perfguard.json", 0, 0}.to_string()), "perfguard.json");
}

}  // namespace
}  // namespace perfguard::budgets
