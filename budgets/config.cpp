#include "budgets/config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_source.hpp"
#include "core/metric_names.hpp"
#include "budgets/units.hpp"
#include "core/error.hpp"
#include "stats/compare.hpp"

namespace perfguard::budgets {
namespace {

using nlohmann::json;
using Pointer = JsonSource::Pointer;

constexpr std::array<std::string_view, 7> kTopLevelKeys{
    "schema", "build", "benchmarks", "budgets", "approvals", "max_time", "ratio_method"};
constexpr std::array<std::string_view, 14> kBenchmarkKeys{
    "id",     "command", "gbench",  "filter",  "file_size", "args",   "env",
    "cwd",    "isolate", "warmup",  "timeout", "measure",   "family", "project_to"};
constexpr std::array<std::string_view, 3> kKindKeys{"command", "gbench", "file_size"};
constexpr std::array<std::string_view, 6> kBudgetKeys{"benchmark", "metric",         "statistic",
                                                      "max",       "max_regression", "complexity"};
constexpr std::array<std::string_view, 2> kLimitKeys{"max", "max_regression"};

constexpr std::string_view kDurationUnits = "(ns, us, ms, s, m, h)";
constexpr std::string_view kSizeUnits = "(B, KB, MB, GB, KiB, MiB, GiB)";
constexpr std::string_view kCountUnits = "(a number, or with k, M, G: \"2.5G\")";
constexpr std::string_view kIdRule = "letters, digits, '.', '_' and '-' only";

enum class Dimension { time, size, count };

struct Metric {
  std::string_view name;
  BenchmarkKind kind;  // the one kind of benchmark that measures it
  Dimension dimension;
};

constexpr std::array<Metric, 9> kMetrics{{
    {metric::kWallTime, BenchmarkKind::command, Dimension::time},
    {metric::kUserTime, BenchmarkKind::command, Dimension::time},
    {metric::kSysTime, BenchmarkKind::command, Dimension::time},
    {metric::kMaxRss, BenchmarkKind::command, Dimension::size},
    {metric::kRealTime, BenchmarkKind::gbench, Dimension::time},
    {metric::kCpuTime, BenchmarkKind::gbench, Dimension::time},
    {metric::kFileSize, BenchmarkKind::file_size, Dimension::size},
    {metric::kInstructions, BenchmarkKind::command, Dimension::count},
    {metric::kEstimatedCycles, BenchmarkKind::command, Dimension::count},
}};

// What a benchmark measures when "measure" does not say: its kind's metrics, primary first.
constexpr std::array<std::string_view, 4> kNativeCommandMetrics{metric::kWallTime, metric::kUserTime,
                                                                metric::kSysTime, metric::kMaxRss};
constexpr std::array<std::string_view, 2> kGbenchMetrics{metric::kRealTime, metric::kCpuTime};
constexpr std::array<std::string_view, 2> kCallgrindMetrics{metric::kInstructions, metric::kEstimatedCycles};

bool is_callgrind_metric(std::string_view name) noexcept {
  return std::find(kCallgrindMetrics.begin(), kCallgrindMetrics.end(), name) !=
         kCallgrindMetrics.end();
}

constexpr std::array<Statistic, 6> kStatistics{Statistic::median, Statistic::mean, Statistic::p90,
                                               Statistic::p95,    Statistic::p99,  Statistic::max};

std::string_view kind_name(BenchmarkKind kind) noexcept {
  switch (kind) {
    case BenchmarkKind::command:
      return "command";
    case BenchmarkKind::gbench:
      return "gbench";
    case BenchmarkKind::file_size:
      return "file_size";
  }
  return "command";
}

const Metric* find_metric(std::string_view name) noexcept {
  const auto found = std::find_if(kMetrics.begin(), kMetrics.end(),
                                  [&](const Metric& metric) { return metric.name == name; });
  return found == kMetrics.end() ? nullptr : &*found;
}

std::vector<std::string_view> metric_names() {
  std::vector<std::string_view> names;
  for (const Metric& metric : kMetrics) names.push_back(metric.name);
  return names;
}

std::string_view dimension_name(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::time:
      return "a duration";
    case Dimension::size:
      return "a size";
    case Dimension::count:
      return "a count";
  }
  return "a duration";
}

// What a metric of the dimension is: "metric \"wall_time\" is a time".
std::string_view quantity_name(Dimension dimension) noexcept {
  return dimension == Dimension::time ? "a time" : dimension_name(dimension);
}

// What a benchmark of the dimension measures: "file_size benchmark \"x\" measures bytes".
std::string_view measured_word(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::time:
      return "times";
    case Dimension::size:
      return "bytes";
    case Dimension::count:
      return "counts";
  }
  return "times";
}

std::string_view units_of(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::time:
      return kDurationUnits;
    case Dimension::size:
      return kSizeUnits;
    case Dimension::count:
      return kCountUnits;
  }
  return kDurationUnits;
}

std::vector<std::string_view> statistic_names() {
  std::vector<std::string_view> names;
  names.reserve(kStatistics.size());
  for (const Statistic statistic : kStatistics) names.push_back(to_string(statistic));
  return names;
}

bool is_valid_id(std::string_view id) noexcept {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string in_quotes(std::string_view text) { return fmt::format("\"{}\"", text); }

// What a budget decides for one benchmark: relative rules (no statistic) and absolute rules
// (per statistic) are separate, so "p95 <= 1s" and "median <= 500ms" may both apply.
using RuleTarget =
    std::tuple<std::size_t /*benchmark*/, std::string /*metric*/, int /*statistic or -1*/>;

class ConfigReader {
 public:
  ConfigReader(const JsonSource& source, ConfigUse use)
      : source_(source), document_(source.document()), use_(use) {}

  Config read() {
    source_.require_schema(kConfigSchema, "the config");
    if (const auto unknown = source_.first_unknown_key(Pointer(), kTopLevelKeys)) {
      throw source_.error_at_key(
          Pointer("/" + *unknown),
          fmt::format("unknown key \"{}\"; expected one of: {}", *unknown, join(kTopLevelKeys)));
    }
    Config config;
    config.path = source_.origin();
    if (document_.contains("build")) config.build = read_build();
    // diff without "benchmarks": budgets name what the result files hold.
    unbound_ = use_ == ConfigUse::diff && !document_.contains("benchmarks");
    if (!unbound_) config.benchmarks = read_benchmarks();
    if (document_.contains("budgets")) config.budgets = read_budgets(config.benchmarks);
    if (document_.contains("approvals")) config.approvals = read_approvals_path();
    if (document_.contains("max_time"))
      config.max_time_seconds = read_duration(Pointer("/max_time"), "max_time");
    if (document_.contains("ratio_method")) config.ratio_method = read_ratio_method();
    return config;
  }

 private:
  [[nodiscard]] const json& at(const Pointer& pointer) const { return document_.at(pointer); }

  // "<label>: <value> is <type>; expected <expected>".
  [[noreturn]] void fail_type(const Pointer& pointer, std::string_view label,
                              std::string_view expected) const {
    const json& value = at(pointer);
    throw source_.error_at(pointer,
                           fmt::format("{}: {} is {}; expected {}", label, json_shown(value),
                                       json_type_name(value), expected));
  }

  // A string handed to the operating system (a program, an argument, a path) ends at its first
  // NUL byte there, so "tr\u0000ue" would silently run "tr": refused instead.
  void refuse_nul(const Pointer& pointer, std::string_view label, std::string_view value) const {
    if (value.find('\0') == std::string_view::npos) return;
    throw source_.error_at(
        pointer, fmt::format("{} holds a NUL character (\\u0000) at offset {}; the operating "
                             "system would cut it there; expected text without NUL",
                             label, value.find('\0')));
  }

  // A string member that must not be empty.
  [[nodiscard]] std::string read_nonempty_string(const Pointer& pointer,
                                                 std::string_view expected) const {
    const std::string label = in_quotes(pointer.back());
    if (!at(pointer).is_string()) fail_type(pointer, label, expected);
    std::string value = at(pointer).get<std::string>();
    if (value.empty()) {
      throw source_.error_at(pointer, fmt::format("{} is empty; expected {}", label, expected));
    }
    refuse_nul(pointer, label, value);
    return value;
  }

  // An argv: a non-empty array of strings whose first (the program) is not empty. `label`
  // names the array ("build[0]", "\"command\""), `path` its elements ("build[0]", "command").
  [[nodiscard]] std::vector<std::string> read_argv(const Pointer& pointer, std::string_view label,
                                                   std::string_view path) const {
    constexpr std::string_view kArgv =
        R"(an array of strings (the program and its arguments), like ["make", "-j2"])";
    const json& value = at(pointer);
    if (!value.is_array()) fail_type(pointer, label, kArgv);
    if (value.empty()) {
      throw source_.error_at(pointer, fmt::format("{} is empty; expected {}", label, kArgv));
    }
    std::vector<std::string> argv;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string element = fmt::format("{}[{}]", path, i);
      if (!value[i].is_string()) fail_type(pointer / i, element, "a string");
      argv.push_back(value[i].get<std::string>());
      refuse_nul(pointer / i, element, argv.back());
    }
    if (argv.front().empty()) {
      throw source_.error_at(pointer / 0,
                             fmt::format("{}[0] is empty; expected the program to run", path));
    }
    return argv;
  }

  [[nodiscard]] std::vector<std::vector<std::string>> read_build() const {
    const Pointer pointer("/build");
    if (!at(pointer).is_array()) {
      fail_type(pointer, "\"build\"", "an array of commands, each an array of strings");
    }
    std::vector<std::vector<std::string>> steps;
    for (std::size_t i = 0; i < at(pointer).size(); ++i) {
      const std::string step = fmt::format("build[{}]", i);
      steps.push_back(read_argv(pointer / i, step, step));
    }
    return steps;
  }

  [[nodiscard]] std::vector<BenchmarkSpec> read_benchmarks() const {
    const Pointer pointer("/benchmarks");
    if (!document_.contains("benchmarks")) {
      throw source_.error_at(Pointer(), "missing \"benchmarks\"; expected an array of benchmarks");
    }
    if (!at(pointer).is_array()) fail_type(pointer, "\"benchmarks\"", "an array of benchmarks");
    if (at(pointer).empty()) {
      throw source_.error_at(pointer, "\"benchmarks\" is empty; expected at least one benchmark");
    }
    std::vector<BenchmarkSpec> benchmarks;
    std::map<std::string, std::size_t, std::less<>> first_line;
    for (std::size_t i = 0; i < at(pointer).size(); ++i) {
      BenchmarkSpec spec = read_benchmark(pointer / i, i);
      if (const auto seen = first_line.find(spec.id); seen != first_line.end()) {
        throw source_.error_at(
            pointer / i / "id",
            fmt::format("duplicate benchmark id \"{}\" (first at line {}); expected each id once",
                        spec.id, seen->second));
      }
      first_line.emplace(spec.id, source_.location(pointer / i / "id").line);
      benchmarks.push_back(std::move(spec));
    }
    return benchmarks;
  }

  [[nodiscard]] BenchmarkSpec read_benchmark(const Pointer& pointer, std::size_t index) const {
    const json& entry = at(pointer);
    if (!entry.is_object()) {
      fail_type(pointer, fmt::format("benchmarks[{}]", index),
                R"(an object with "id" and one of "command", "gbench", "file_size")");
    }
    BenchmarkSpec spec;
    spec.location = source_.location(pointer);

    // The id first: every later message names the benchmark by it.
    if (!entry.contains("id")) {
      throw source_.error_at(
          pointer, fmt::format("missing \"id\" in benchmarks[{}]; expected a unique id of {}",
                               index, kIdRule));
    }
    if (!entry["id"].is_string()) {
      fail_type(pointer / "id", "\"id\"", fmt::format("a string of {}", kIdRule));
    }
    spec.id = entry["id"].get<std::string>();
    if (!is_valid_id(spec.id)) {
      throw source_.error_at(pointer / "id",
                             fmt::format("\"id\": {} is not a valid id; expected {}",
                                         json_shown(entry["id"]), kIdRule));
    }
    const std::string context = fmt::format("benchmark \"{}\"", spec.id);

    if (const auto unknown = source_.first_unknown_key(pointer, kBenchmarkKeys)) {
      throw source_.error_at_key(
          pointer / *unknown, fmt::format("unknown key \"{}\" in {}; expected one of: {}", *unknown,
                                          context, join(kBenchmarkKeys)));
    }

    const std::vector<std::string_view> kinds = source_.present_in_order(pointer, kKindKeys);
    if (kinds.empty()) {
      throw source_.error_at(pointer,
                             fmt::format("{} has none of \"command\", \"gbench\", \"file_size\"; "
                                         "expected exactly one",
                                         context));
    }
    if (kinds.size() > 1) {
      throw source_.error_at_key(
          pointer / std::string(kinds[1]),
          fmt::format("{} has both \"{}\" and \"{}\"; expected exactly one of \"command\", "
                      "\"gbench\", \"file_size\"",
                      context, kinds[0], kinds[1]));
    }
    if (kinds.front() == "command") {
      spec.kind = BenchmarkKind::command;
      spec.command = read_argv(pointer / "command", "\"command\"", "command");
    } else if (kinds.front() == "gbench") {
      spec.kind = BenchmarkKind::gbench;
      spec.path = read_nonempty_string(
          pointer / "gbench",
          "the path of a Google Benchmark binary, like \"{build}/bench/micro\"");
    } else {
      spec.kind = BenchmarkKind::file_size;
      spec.path = read_nonempty_string(pointer / "file_size",
                                       "the path of a built file, like \"{build}/tool\"");
    }

    for (const std::string_view key : {"filter", "isolate"}) {
      if (entry.contains(key) && spec.kind != BenchmarkKind::gbench) {
        throw source_.error_at_key(
            pointer / std::string(key),
            fmt::format("\"{}\" in {} applies only to gbench benchmarks; expected it "
                        "next to \"gbench\"",
                        key, context));
      }
    }
    if (entry.contains("filter")) {
      spec.filter =
          read_nonempty_string(pointer / "filter", "a regular expression for --benchmark_filter");
    }
    if (entry.contains("isolate")) {
      if (!at(pointer / "isolate").is_boolean()) {
        fail_type(pointer / "isolate", "\"isolate\"", "true or false");
      }
      spec.isolate = at(pointer / "isolate").get<bool>();
    }
    for (const std::string_view key : {"args", "env", "cwd", "warmup", "timeout"}) {
      if (entry.contains(key) && spec.kind == BenchmarkKind::file_size) {
        throw source_.error_at_key(
            pointer / std::string(key),
            fmt::format("\"{}\" in {} does not apply to a file_size benchmark, which runs "
                        "nothing; expected it only with \"command\" or \"gbench\"",
                        key, context));
      }
    }
    if (entry.contains("args")) spec.args = read_args(pointer / "args");
    if (entry.contains("env")) spec.env = read_env(pointer / "env");
    if (entry.contains("cwd")) {
      spec.cwd = read_nonempty_string(
          pointer / "cwd", "a folder, relative to the worktree, like \"data\" or \"{build}\"");
    }
    if (entry.contains("warmup")) spec.warmup = read_warmup(pointer / "warmup");
    if (entry.contains("timeout"))
      spec.timeout_seconds = read_duration(pointer / "timeout", "timeout");
    if (entry.contains("measure")) spec.measure = read_measure(pointer / "measure", spec, context);
    read_family_keys(pointer, context, spec);
    return spec;
  }

  // "measure": a metric name or a non-empty list of them, the first the primary metric. A
  // command either runs natively (wall_time, user_time, sys_time, max_rss) or under Callgrind
  // (instructions, estimated_cycles): one run cannot give both, since Callgrind's slowdown
  // makes its times meaningless.
  [[nodiscard]] std::vector<std::string> read_measure(const Pointer& pointer,
                                                      const BenchmarkSpec& spec,
                                                      const std::string& context) const {
    constexpr std::string_view kExpected =
        R"(a metric name or a list of them, like "instructions" or ["instructions", "estimated_cycles"])";
    if (spec.kind == BenchmarkKind::file_size) {
      throw source_.error_at_key(
          pointer, fmt::format("\"measure\" in {} does not apply to a file_size benchmark, which "
                               "measures only file_size; expected it only with \"command\" or "
                               "\"gbench\"",
                               context));
    }
    const json& value = at(pointer);
    std::vector<std::pair<std::string, Pointer>> names;
    if (value.is_string()) {
      names.emplace_back(value.get<std::string>(), pointer);
    } else if (value.is_array() && !value.empty()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) fail_type(pointer / i, fmt::format("measure[{}]", i), kExpected);
        names.emplace_back(value[i].get<std::string>(), pointer / i);
      }
    } else if (value.is_array()) {
      throw source_.error_at(pointer, fmt::format("\"measure\" is empty; expected {}", kExpected));
    } else {
      fail_type(pointer, "\"measure\"", kExpected);
    }

    const std::vector<std::string_view> allowed =
        spec.kind == BenchmarkKind::gbench
            ? std::vector<std::string_view>(kGbenchMetrics.begin(), kGbenchMetrics.end())
            : std::vector<std::string_view>{"wall_time", "user_time",    "sys_time",
                                            "max_rss",   "instructions", "estimated_cycles"};
    std::vector<std::string> measure;
    for (const auto& [name, at_name] : names) {
      if (spec.kind == BenchmarkKind::gbench && is_callgrind_metric(name)) {
        throw source_.error_at(
            at_name,
            fmt::format("metric \"{}\" cannot be measured on gbench benchmark \"{}\": Google "
                        "Benchmark 1.7 picks its iteration counts from timings, so a count "
                        "under Callgrind is not per iteration (docs/config.md); expected one of: "
                        "{} -- or wrap a fixed amount of work in a \"command\" benchmark",
                        name, spec.id, join(kGbenchMetrics)));
      }
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        throw source_.error_at(at_name,
                               fmt::format("\"measure\": unknown metric \"{}\" for {} {}; "
                                           "expected one of: {}",
                                           name, kind_name(spec.kind), context, join(allowed)));
      }
      if (std::find(measure.begin(), measure.end(), name) != measure.end()) {
        throw source_.error_at(
            at_name,
            fmt::format("\"measure\" names \"{}\" twice; expected each metric once", name));
      }
      if (!measure.empty() && is_callgrind_metric(name) != is_callgrind_metric(measure.front())) {
        throw source_.error_at(
            at_name, fmt::format("\"measure\" mixes \"{}\" and \"{}\": counts come from runs under "
                                 "Callgrind, times from native runs; expected one kind (write two "
                                 "benchmarks with the same command to have both)",
                                 measure.front(), name));
      }
      measure.push_back(name);
    }
    return measure;
  }

  // "family" and "project_to" (docs/complexity.md): gbench benchmarks only.
  void read_family_keys(const Pointer& pointer, const std::string& context,
                        BenchmarkSpec& spec) const {
    const json& entry = at(pointer);
    for (const std::string_view key : {"family", "project_to"}) {
      if (entry.contains(key) && spec.kind != BenchmarkKind::gbench) {
        throw source_.error_at_key(
            pointer / std::string(key),
            fmt::format("\"{}\" in {} applies only to gbench benchmarks, whose cases form "
                        "families; expected it next to \"gbench\"",
                        key, context));
      }
    }
    if (entry.contains("family")) {
      if (!at(pointer / "family").is_boolean())
        fail_type(pointer / "family", "\"family\"", "true or false");
      spec.family = at(pointer / "family").get<bool>();
    }
    if (entry.contains("project_to")) {
      const json& value = at(pointer / "project_to");
      if (!value.is_number())
        fail_type(pointer / "project_to", "\"project_to\"", "an input size >= 1, like 1000000");
      const double size = value.get<double>();
      if (!std::isfinite(size) || size < 1.0) {
        throw source_.error_at(pointer / "project_to",
                               fmt::format("\"project_to\": {} is below 1; expected an input size "
                                           ">= 1, like 1000000",
                                           json_shown(value)));
      }
      if (!spec.family) {
        throw source_.error_at_key(
            pointer / "project_to",
            fmt::format("\"project_to\" in {} has no effect with \"family\": false; expected "
                        "one of them",
                        context));
      }
      spec.project_to = size;
    }
  }

  // "args": an array of strings, possibly empty; an argument may be "".
  [[nodiscard]] std::vector<std::string> read_args(const Pointer& pointer) const {
    constexpr std::string_view kExpected =
        R"(an array of strings, like ["--benchmark_min_time=0.05"])";
    const json& value = at(pointer);
    if (!value.is_array()) fail_type(pointer, "\"args\"", kExpected);
    std::vector<std::string> args;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) fail_type(pointer / i, fmt::format("args[{}]", i), "a string");
      args.push_back(value[i].get<std::string>());
      refuse_nul(pointer / i, fmt::format("args[{}]", i), args.back());
    }
    return args;
  }

  // "env": an object of strings; a name is non-empty and has no '=' (setenv refuses both).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> read_env(
      const Pointer& pointer) const {
    const json& value = at(pointer);
    if (!value.is_object()) {
      fail_type(pointer, "\"env\"", R"(an object of variables, like {"LC_ALL": "C"})");
    }
    std::vector<std::pair<std::string, std::string>> env;
    for (const auto& [name, setting] : value.items()) {
      if (name.empty() || name.find('=') != std::string::npos) {
        throw source_.error_at_key(
            pointer / name,
            fmt::format("\"env\": \"{}\" is not a variable name; expected a non-empty name "
                        "without '='",
                        name));
      }
      if (!setting.is_string()) {
        fail_type(pointer / name, fmt::format("env.{}", name), "a string");
      }
      refuse_nul(pointer / name, fmt::format("env.{}", name), name);
      refuse_nul(pointer / name, fmt::format("env.{}", name), setting.get<std::string>());
      env.emplace_back(name, setting.get<std::string>());
    }
    return env;
  }

  [[nodiscard]] std::size_t read_warmup(const Pointer& pointer) const {
    constexpr std::string_view kExpected = "a non-negative integer";
    const json& value = at(pointer);
    if (!value.is_number()) fail_type(pointer, "\"warmup\"", kExpected);
    if (value.is_number_float()) {
      throw source_.error_at(pointer, fmt::format("\"warmup\": {} is not an integer; expected {}",
                                                  json_shown(value), kExpected));
    }
    if (value.is_number_integer() && !value.is_number_unsigned()) {
      throw source_.error_at(pointer, fmt::format("\"warmup\": {} is negative; expected {}",
                                                  json_shown(value), kExpected));
    }
    return value.get<std::size_t>();
  }

  // A positive duration, like "30s"; `key` names it in errors.
  [[nodiscard]] double read_duration(const Pointer& pointer, std::string_view key) const {
    const json& value = at(pointer);
    const std::string label = fmt::format("\"{}\"", key);
    if (!value.is_string()) {
      fail_type(pointer, label, fmt::format("a duration {}, like \"30s\"", kDurationUnits));
    }
    const std::optional<double> seconds = parse_duration(value.get<std::string>());
    if (!seconds) {
      throw source_.error_at(pointer, fmt::format("{}: {} is not a duration {}", label,
                                                  json_shown(value), kDurationUnits));
    }
    if (*seconds <= 0.0) {
      throw source_.error_at(pointer, fmt::format("{}: {} is zero; expected a positive duration",
                                                  label, json_shown(value)));
    }
    return *seconds;
  }

  [[nodiscard]] std::vector<BudgetRule> read_budgets(
      const std::vector<BenchmarkSpec>& benchmarks) const {
    const Pointer pointer("/budgets");
    if (!at(pointer).is_array()) fail_type(pointer, "\"budgets\"", "an array of budgets");
    std::vector<BudgetRule> rules;
    // Each (benchmark, metric, statistic) the rules decide, with the rule deciding it.
    std::map<RuleTarget, std::size_t> decided_by;
    for (std::size_t i = 0; i < at(pointer).size(); ++i) {
      std::vector<std::size_t> matched;
      rules.push_back(read_budget(pointer / i, i, benchmarks, matched));
      if (unbound_) {
        check_not_repeated(rules, i);
      } else {
        check_not_ambiguous(rules, i, benchmarks, matched, decided_by);
      }
    }
    return rules;
  }

  [[nodiscard]] BudgetRule read_budget(const Pointer& pointer, std::size_t index,
                                       const std::vector<BenchmarkSpec>& benchmarks,
                                       std::vector<std::size_t>& matched) const {
    const json& entry = at(pointer);
    const std::string context = fmt::format("budgets[{}]", index);
    if (!entry.is_object()) {
      fail_type(pointer, context, R"(an object with "benchmark" and "max" or "max_regression")");
    }
    if (const auto unknown = source_.first_unknown_key(pointer, kBudgetKeys)) {
      throw source_.error_at_key(
          pointer / *unknown, fmt::format("unknown key \"{}\" in {}; expected one of: {}", *unknown,
                                          context, join(kBudgetKeys)));
    }
    BudgetRule rule;
    rule.location = source_.location(pointer);

    if (!entry.contains("benchmark")) {
      throw source_.error_at(
          pointer, fmt::format("missing \"benchmark\" in {}; expected a benchmark id or a glob "
                               "('*' any characters, '?' one)",
                               context));
    }
    rule.benchmark = read_nonempty_string(pointer / "benchmark",
                                          "a benchmark id or a glob ('*' any characters, '?' one)");
    if (entry.contains("complexity")) {
      read_complexity_budget(pointer, context, benchmarks, rule);
      return rule;
    }
    for (std::size_t b = 0; b < benchmarks.size(); ++b) {
      if (glob_match(rule.benchmark, benchmarks[b].id)) matched.push_back(b);
    }
    if (matched.empty() && !unbound_) {
      std::vector<std::string_view> ids;
      ids.reserve(benchmarks.size());
      for (const BenchmarkSpec& spec : benchmarks) ids.push_back(spec.id);
      throw source_.error_at(
          pointer / "benchmark",
          fmt::format("\"benchmark\": \"{}\" matches no benchmark; expected an id or a glob "
                      "matching one of: {}",
                      rule.benchmark, join(ids)));
    }

    const std::vector<std::string_view> limits = source_.present_in_order(pointer, kLimitKeys);
    if (limits.empty()) {
      throw source_.error_at(
          pointer, fmt::format(R"({} has neither "max" nor "max_regression"; expected exactly one)",
                               context));
    }
    if (limits.size() > 1) {
      throw source_.error_at_key(pointer / std::string(limits[1]),
                                 fmt::format(R"({} has both "{}" and "{}"; expected exactly one)",
                                             context, limits[0], limits[1]));
    }

    const Metric* metric = nullptr;
    if (entry.contains("metric")) {
      metric = &read_metric(pointer / "metric", rule.benchmark, benchmarks, matched);
    }

    if (entry.contains("max")) {
      rule.statistic =
          entry.contains("statistic") ? read_statistic(pointer / "statistic") : Statistic::median;
      const auto [limit, dimension] = read_limit(pointer / "max", metric);
      rule.max = limit;
      if (unbound_ && metric == nullptr && dimension == Dimension::size) {
        throw source_.error_at(
            pointer / "max",
            fmt::format("\"max\": {} is a size, but result files measure times; expected a "
                        "duration {}",
                        json_shown(at(pointer / "max")), kDurationUnits));
      }
      rule.metric = metric != nullptr ? std::optional<std::string>(metric->name)
                    : unbound_
                        ? std::nullopt
                        : infer_absolute_metric(pointer / "max", dimension, benchmarks, matched);
    } else {
      if (entry.contains("statistic")) {
        throw source_.error_at_key(
            pointer / "statistic",
            fmt::format("\"statistic\" in {} has no effect with \"max_regression\", which "
                        "compares medians; expected it only with \"max\"",
                        context));
      }
      rule.max_regression = read_regression(pointer / "max_regression");
      rule.metric = metric != nullptr ? std::optional<std::string>(metric->name)
                    : unbound_        ? std::nullopt
                                      : common_primary_metric(benchmarks, matched);
    }
    return rule;
  }

  // {"benchmark": "micro/BM_Sort", "complexity": "n log n"}: the benchmark is a family id,
  // a gbench benchmark's id (or a glob of ids) then the family's name (or a glob of names).
  void read_complexity_budget(const Pointer& pointer, const std::string& context,
                              const std::vector<BenchmarkSpec>& benchmarks,
                              BudgetRule& rule) const {
    for (const std::string_view key : {"max", "max_regression", "metric", "statistic"}) {
      if (at(pointer).contains(key)) {
        throw source_.error_at_key(
            pointer / std::string(key),
            fmt::format("{} has both \"complexity\" and \"{}\"; expected a complexity budget "
                        "to stand alone",
                        context, key));
      }
    }
    const std::size_t slash = rule.benchmark.find('/');
    const std::string spec_glob = rule.benchmark.substr(0, slash);
    const bool names_family = slash != std::string::npos && slash + 1 < rule.benchmark.size();
    const bool matches_gbench =
        std::any_of(benchmarks.begin(), benchmarks.end(), [&](const BenchmarkSpec& spec) {
          return spec.kind == BenchmarkKind::gbench && spec.family &&
                 glob_match(spec_glob, spec.id);
        });
    if (!names_family || !matches_gbench) {
      throw source_.error_at(
          pointer / "benchmark",
          fmt::format("\"benchmark\": \"{}\" is not a family of a gbench benchmark; expected "
                      "\"ID/NAME\", like \"micro/BM_Sort\", with ID a gbench benchmark whose "
                      "\"family\" is not false",
                      rule.benchmark));
    }
    const json& value = at(pointer / "complexity");
    constexpr std::string_view kClasses = "\"1\", \"lg n\", \"n\", \"n log n\", \"n^2\", \"n^3\"";
    if (!value.is_string())
      fail_type(pointer / "complexity", "\"complexity\"", fmt::format("one of: {}", kClasses));
    const std::optional<stats::Complexity> complexity =
        stats::parse_complexity(value.get<std::string>());
    if (!complexity) {
      throw source_.error_at(pointer / "complexity",
                             fmt::format("\"complexity\": {} is not a complexity class; expected "
                                         "one of: {}",
                                         json_shown(value), kClasses));
    }
    rule.complexity = complexity;
  }

  // A named metric must be one that every benchmark the rule covers measures: a rule that
  // silently skipped some of them would let those pass unjudged.
  [[nodiscard]] const Metric& read_metric(const Pointer& pointer, std::string_view glob,
                                          const std::vector<BenchmarkSpec>& benchmarks,
                                          const std::vector<std::size_t>& matched) const {
    const std::string known = join(metric_names());
    if (!at(pointer).is_string()) {
      fail_type(pointer, "\"metric\"", fmt::format("one of: {}", known));
    }
    const std::string name = at(pointer).get<std::string>();
    const Metric* metric = find_metric(name);
    if (metric == nullptr) {
      throw source_.error_at(
          pointer, fmt::format("unknown metric \"{}\"; expected one of: {}", name, known));
    }
    for (const std::size_t b : matched) {
      const BenchmarkSpec& spec = benchmarks[b];
      if (measures(spec, name)) continue;
      const std::string via = spec.id == glob ? "" : fmt::format(" (matched by \"{}\")", glob);
      throw source_.error_at(
          pointer,
          fmt::format("metric \"{}\" is not measured by {} benchmark \"{}\"{}; expected "
                      "one of: {}",
                      name, kind_name(spec.kind), spec.id, via, join(measured_metrics(spec))));
    }
    return *metric;
  }

  [[nodiscard]] Statistic read_statistic(const Pointer& pointer) const {
    const std::string known = join(statistic_names());
    if (!at(pointer).is_string()) {
      fail_type(pointer, "\"statistic\"", fmt::format("one of: {}", known));
    }
    const std::string name = at(pointer).get<std::string>();
    for (const Statistic statistic : kStatistics) {
      if (to_string(statistic) == name) return statistic;
    }
    throw source_.error_at(
        pointer, fmt::format("unknown statistic \"{}\"; expected one of: {}", name, known));
  }

  // The limit in base units and whether it was a duration, a size or a count. With a metric,
  // the unit must fit it; without one, the unit is what the metric is inferred from.
  [[nodiscard]] std::pair<double, Dimension> read_limit(const Pointer& pointer,
                                                        const Metric* metric) const {
    const json& value = at(pointer);
    if (!value.is_string()) {
      fail_type(pointer, "\"max\"", R"(a string with a unit, like "250ms", "50MB" or "2.5G")");
    }
    const std::string text = value.get<std::string>();
    const std::string shown = json_shown(value);
    std::optional<std::pair<double, Dimension>> parsed;
    if (const auto duration = parse_duration(text)) {
      parsed = {*duration, Dimension::time};
    } else if (const auto size = parse_size(text)) {
      parsed = {*size, Dimension::size};
    } else if (const auto count = parse_count(text)) {
      parsed = {*count, Dimension::count};
    }
    if (metric == nullptr && !parsed) {
      throw source_.error_at(
          pointer, fmt::format("\"max\": {} is not a duration {}, a size {} or a count {}", shown,
                               kDurationUnits, kSizeUnits, kCountUnits));
    }
    if (metric != nullptr && (!parsed || parsed->second != metric->dimension)) {
      const std::string_view wanted = dimension_name(metric->dimension);
      if (!parsed) {
        throw source_.error_at(pointer, fmt::format("\"max\": {} is not {} {}", shown, wanted,
                                                    units_of(metric->dimension)));
      }
      throw source_.error_at(
          pointer,
          fmt::format("\"max\": {} is {}, but metric \"{}\" is {}; expected {} {}", shown,
                      dimension_name(parsed->second), metric->name,
                      quantity_name(metric->dimension), wanted, units_of(metric->dimension)));
    }
    if (parsed->first <= 0.0) {
      throw source_.error_at(pointer,
                             fmt::format("\"max\": {} is zero; expected a positive limit", shown));
    }
    return *parsed;
  }

  // An absolute budget without "metric": a duration or a count limits each benchmark's primary
  // metric, which must be of that dimension; a size limits max_rss of a command and the size
  // of a file_size benchmark.
  [[nodiscard]] std::optional<std::string> infer_absolute_metric(
      const Pointer& pointer, Dimension dimension, const std::vector<BenchmarkSpec>& benchmarks,
      const std::vector<std::size_t>& matched) const {
    const std::string shown = json_shown(at(pointer));
    if (dimension != Dimension::size) {
      for (const std::size_t b : matched) {
        const Dimension measured = find_metric(primary_metric(benchmarks[b]))->dimension;
        if (measured == dimension) continue;
        throw source_.error_at(
            pointer, fmt::format("\"max\": {} is {}, but {} benchmark \"{}\" measures {}; "
                                 "expected {} {}",
                                 shown, dimension_name(dimension), kind_name(benchmarks[b].kind),
                                 benchmarks[b].id, measured_word(measured),
                                 dimension_name(measured), units_of(measured)));
      }
      return common_primary_metric(benchmarks, matched);
    }
    const BenchmarkSpec* command = nullptr;
    const BenchmarkSpec* file = nullptr;
    for (const std::size_t b : matched) {
      const BenchmarkSpec& spec = benchmarks[b];
      if (spec.kind != BenchmarkKind::file_size && !measures(spec, "max_rss")) {
        const Dimension measured = find_metric(primary_metric(spec))->dimension;
        throw source_.error_at(
            pointer, fmt::format("\"max\": {} is a size, but {} benchmark \"{}\" measures "
                                 "only {}; expected {} {}",
                                 shown, kind_name(spec.kind), spec.id, measured_word(measured),
                                 dimension_name(measured), units_of(measured)));
      }
      const BenchmarkSpec*& first_of_kind = spec.kind == BenchmarkKind::command ? command : file;
      if (first_of_kind == nullptr) first_of_kind = &spec;
    }
    if (command != nullptr && file != nullptr) {
      throw source_.error_at(pointer,
                             fmt::format("\"max\": {} is a size, which is max_rss for \"{}\" but "
                                         "file_size for \"{}\"; expected a \"metric\" to say which",
                                         shown, command->id, file->id));
    }
    return std::string(command != nullptr ? "max_rss" : "file_size");
  }

  // The primary metric when every matched benchmark has the same one; nullopt ("each
  // benchmark's own primary metric") otherwise.
  [[nodiscard]] static std::optional<std::string> common_primary_metric(
      const std::vector<BenchmarkSpec>& benchmarks, const std::vector<std::size_t>& matched) {
    const std::string_view primary = primary_metric(benchmarks[matched.front()]);
    const bool one_metric = std::all_of(matched.begin(), matched.end(), [&](std::size_t b) {
      return primary_metric(benchmarks[b]) == primary;
    });
    if (!one_metric) return std::nullopt;
    return std::string(primary);
  }

  [[nodiscard]] double read_regression(const Pointer& pointer) const {
    const json& value = at(pointer);
    if (!value.is_string()) fail_type(pointer, "\"max_regression\"", "a percentage, like \"5%\"");
    const std::optional<double> fraction = parse_percentage(value.get<std::string>());
    if (!fraction) {
      throw source_.error_at(
          pointer, fmt::format("\"max_regression\": {} is not a percentage; expected a number "
                               "followed by %, like \"5%\"",
                               json_shown(value)));
    }
    if (*fraction <= 0.0) {
      throw source_.error_at(
          pointer, fmt::format("\"max_regression\": {} is zero; expected a positive percentage, "
                               "like \"5%\"",
                               json_shown(value)));
    }
    return *fraction;
  }

  // "The most specific rule wins" needs a winner: two rules of equal specificity deciding the
  // same benchmark, metric and statistic would leave the verdict to file order, so refuse them.
  void check_not_ambiguous(const std::vector<BudgetRule>& rules, std::size_t index,
                           const std::vector<BenchmarkSpec>& benchmarks,
                           const std::vector<std::size_t>& matched,
                           std::map<RuleTarget, std::size_t>& decided_by) const {
    const BudgetRule& rule = rules[index];
    const int statistic = rule.statistic ? static_cast<int>(*rule.statistic) : -1;
    const std::size_t specificity = glob_specificity(rule.benchmark);
    for (const std::size_t b : matched) {
      const std::string metric(rule.metric ? std::string_view(*rule.metric)
                                           : primary_metric(benchmarks[b]));
      const auto [slot, inserted] = decided_by.emplace(RuleTarget{b, metric, statistic}, index);
      if (inserted) continue;
      const BudgetRule& other = rules[slot->second];
      if (glob_specificity(other.benchmark) != specificity) {
        if (glob_specificity(other.benchmark) < specificity) slot->second = index;
        continue;
      }
      const std::string what = rule.max_regression
                                   ? std::string("max_regression")
                                   : fmt::format("a {} \"max\"", to_string(*rule.statistic));
      const Pointer pointer = Pointer("/budgets") / index / "benchmark";
      if (other.benchmark == rule.benchmark) {
        throw source_.error_at(
            pointer, fmt::format("the budget at line {} already sets {} for \"{}\" {}; expected "
                                 "one rule per benchmark and metric",
                                 other.location.line, what, benchmarks[b].id, metric));
      }
      throw source_.error_at(
          pointer,
          fmt::format("\"{}\" and \"{}\" (line {}) are equally specific and both set {} for "
                      "\"{}\" {}; expected one of them to be more specific",
                      rule.benchmark, other.benchmark, other.location.line, what, benchmarks[b].id,
                      metric));
    }
  }

  // Without benchmarks to match, only a rule written twice (same glob, metric, statistic) is
  // known to tie.
  void check_not_repeated(const std::vector<BudgetRule>& rules, std::size_t index) const {
    const BudgetRule& rule = rules[index];
    for (std::size_t other = 0; other < index; ++other) {
      const BudgetRule& earlier = rules[other];
      if (earlier.benchmark != rule.benchmark || earlier.metric != rule.metric ||
          earlier.statistic != rule.statistic ||
          earlier.max_regression.has_value() != rule.max_regression.has_value())
        continue;
      const std::string what = rule.max_regression
                                   ? std::string("max_regression")
                                   : fmt::format("a {} \"max\"", to_string(*rule.statistic));
      throw source_.error_at(
          Pointer("/budgets") / index / "benchmark",
          fmt::format("the budget at line {} already sets {} for \"{}\"{}; expected one rule "
                      "per benchmark and metric",
                      earlier.location.line, what, rule.benchmark,
                      rule.metric ? " " + *rule.metric : std::string()));
    }
  }

  [[nodiscard]] stats::RatioMethod read_ratio_method() const {
    const Pointer pointer("/ratio_method");
    const std::string expected = fmt::format("one of: {}", stats::ratio_method_names());
    if (!at(pointer).is_string()) fail_type(pointer, "\"ratio_method\"", expected);
    const std::optional<stats::RatioMethod> method =
        stats::parse_ratio_method(at(pointer).get<std::string>());
    if (!method) {
      throw source_.error_at(pointer, fmt::format("\"ratio_method\": {} is not a ratio method; "
                                                  "expected {}",
                                                  json_shown(at(pointer)), expected));
    }
    return *method;
  }

  [[nodiscard]] std::string read_approvals_path() const {
    return read_nonempty_string(
        Pointer("/approvals"), "the path of the approvals file, like \"perfguard-approvals.json\"");
  }

  const JsonSource& source_;
  const json& document_;
  ConfigUse use_;
  bool unbound_ = false;  // budgets without benchmarks to match (diff)
};

}  // namespace

Config parse_config(std::string_view text, const std::string& origin, ConfigUse use) {
  const JsonSource source = JsonSource::parse(text, origin);
  return ConfigReader(source, use).read();
}

Config load_config(const std::string& path, ConfigUse use) {
  return parse_config(read_text_file(path), path, use);
}

bool glob_match(std::string_view glob, std::string_view id) noexcept {
  // Iterative matching with one backtrack point (the last '*'), linear in practice and free of
  // the exponential blow-up of naive recursion on patterns like "*a*a*a*b".
  std::size_t g = 0;
  std::size_t i = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_i = 0;
  while (i < id.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      star_i = i;
    } else if (g < glob.size() && (glob[g] == '?' || glob[g] == id[i])) {
      ++g;
      ++i;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      i = ++star_i;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::size_t glob_specificity(std::string_view glob) noexcept {
  const auto wildcards = static_cast<std::size_t>(
      std::count_if(glob.begin(), glob.end(), [](char c) { return c == '*' || c == '?'; }));
  if (wildcards == 0) return std::numeric_limits<std::size_t>::max();
  return glob.size() - wildcards;
}

std::string_view primary_metric(BenchmarkKind kind) noexcept {
  switch (kind) {
    case BenchmarkKind::command:
      return "wall_time";
    case BenchmarkKind::gbench:
      return "real_time";
    case BenchmarkKind::file_size:
      return "file_size";
  }
  return "wall_time";
}

std::string_view primary_metric(const BenchmarkSpec& spec) noexcept {
  return spec.measure.empty() ? primary_metric(spec.kind) : std::string_view(spec.measure.front());
}

bool uses_callgrind(const BenchmarkSpec& spec) noexcept {
  return spec.kind == BenchmarkKind::command && !spec.measure.empty() &&
         is_callgrind_metric(spec.measure.front());
}

std::vector<std::string> measured_metrics(const BenchmarkSpec& spec) {
  std::vector<std::string> metrics(spec.measure.begin(), spec.measure.end());
  const auto add = [&metrics](std::string_view name) {
    if (std::find(metrics.begin(), metrics.end(), name) == metrics.end())
      metrics.emplace_back(name);
  };
  switch (spec.kind) {
    case BenchmarkKind::command:
      if (uses_callgrind(spec)) {
        add("instructions");  // Callgrind counts them in every run
      } else {
        for (const std::string_view name : kNativeCommandMetrics) add(name);
      }
      break;
    case BenchmarkKind::gbench:
      for (const std::string_view name : kGbenchMetrics) add(name);
      break;
    case BenchmarkKind::file_size:
      add("file_size");
      break;
  }
  return metrics;
}

bool measures(const BenchmarkSpec& spec, std::string_view metric) {
  const std::vector<std::string> measured = measured_metrics(spec);
  return std::find(measured.begin(), measured.end(), metric) != measured.end();
}

bool is_count_metric(std::string_view metric) noexcept { return is_callgrind_metric(metric); }

std::string_view to_string(Statistic statistic) noexcept {
  switch (statistic) {
    case Statistic::median:
      return "median";
    case Statistic::mean:
      return "mean";
    case Statistic::p90:
      return "p90";
    case Statistic::p95:
      return "p95";
    case Statistic::p99:
      return "p99";
    case Statistic::max:
      return "max";
  }
  return "median";
}

std::optional<double> quantile_of(Statistic statistic) noexcept {
  switch (statistic) {
    case Statistic::median:
      return 0.5;
    case Statistic::p90:
      return 0.90;
    case Statistic::p95:
      return 0.95;
    case Statistic::p99:
      return 0.99;
    case Statistic::mean:
    case Statistic::max:
      break;
  }
  return std::nullopt;
}

}  // namespace perfguard::budgets
