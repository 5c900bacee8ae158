#include "harness/gbench_runner.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::harness {
namespace {

using nlohmann::json;

std::optional<double> seconds_per_unit(const std::string& unit) {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "s") return 1.0;
  return std::nullopt;
}

GBenchCase& case_named(GBenchReport& report, const std::string& name) {
  const auto found = std::find_if(report.cases.begin(), report.cases.end(),
                                  [&](const GBenchCase& c) { return c.name == name; });
  if (found != report.cases.end()) return *found;
  report.cases.push_back({name, {}, {}, {}, {}});
  return report.cases.back();
}

std::string string_field(const json& row, const char* key) {
  const auto found = row.find(key);
  return found != row.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// error_occurred (1.7) and skipped (1.8+, a bool or an enum) both mean "no measurement".
std::optional<std::string> skipped_reason(const json& row) {
  const auto flag = [&](const char* key) {
    const auto found = row.find(key);
    if (found == row.end()) return false;
    if (found->is_boolean()) return found->get<bool>();
    if (found->is_number()) return found->get<double>() != 0.0;
    if (found->is_string()) return !found->get<std::string>().empty();
    return false;
  };
  if (!flag("error_occurred") && !flag("skipped")) return std::nullopt;
  for (const char* key : {"error_message", "skip_message"}) {
    std::string message = string_field(row, key);
    if (!message.empty()) return message;
  }
  return std::string("skipped without a message");
}

std::optional<double> time_field(const json& row, const char* key, double scale) {
  const auto found = row.find(key);
  if (found == row.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  if (!std::isfinite(value) || value < 0.0 || !stats::in_sample_range(value)) return std::nullopt;
  return value * scale;
}

}  // namespace

GBenchReport parse_gbench_json(std::string_view text) {
  GBenchReport report;
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    // A syntax error, or a number beyond a double (1e400): either way this binary's output is
    // unusable, which fails this benchmark and not the whole gate. nlohmann's message starts
    // with "[json.exception.parse_error.101] ", noise to a user.
    const std::string_view message = e.what();
    const std::size_t tag_end = message.find("] ");
    report.failure =
        fmt::format("unreadable Google Benchmark JSON: {}",
                    tag_end == std::string_view::npos ? message : message.substr(tag_end + 2));
    return report;
  }
  const auto benchmarks = document.is_object() ? document.find("benchmarks") : document.end();
  if (!document.is_object() || benchmarks == document.end() || !benchmarks->is_array()) {
    report.failure = "Google Benchmark JSON without a \"benchmarks\" array";
    return report;
  }
  for (std::size_t index = 0; index < benchmarks->size(); ++index) {
    const json& row = (*benchmarks)[index];
    if (!row.is_object()) {
      report.failure = fmt::format("Google Benchmark JSON: benchmarks[{}] is not an object", index);
      return report;
    }
    if (string_field(row, "run_type") == "aggregate") continue;
    std::string name = string_field(row, "run_name");
    if (name.empty()) name = string_field(row, "name");
    if (name.empty()) {
      report.failure = fmt::format("Google Benchmark JSON: benchmarks[{}] has no name", index);
      return report;
    }
    GBenchCase& bench_case = case_named(report, name);
    if (std::string label = string_field(row, "label"); !label.empty())
      bench_case.label = std::move(label);
    if (std::optional<std::string> reason = skipped_reason(row)) {
      bench_case.errors.push_back(std::move(*reason));
      continue;
    }
    const std::string unit = string_field(row, "time_unit");
    const std::optional<double> scale = seconds_per_unit(unit.empty() ? "ns" : unit);
    if (!scale) {
      bench_case.errors.push_back(
          fmt::format("benchmarks[{}]: unknown time_unit '{}'", index, unit));
      continue;
    }
    const std::optional<double> real_time = time_field(row, "real_time", *scale);
    const std::optional<double> cpu_time = time_field(row, "cpu_time", *scale);
    if (!real_time || !cpu_time) {
      bench_case.errors.push_back(fmt::format(
          "benchmarks[{}]: {} is missing or not a number from 0 or {:g} to {:g}", index,
          real_time ? "cpu_time" : "real_time", stats::kSmallestSample, stats::kLargestSample));
      continue;
    }
    bench_case.real_time.push_back(*real_time);
    bench_case.cpu_time.push_back(*cpu_time);
  }
  return report;
}

GBenchReport GBenchRunner::run(const GBenchOptions& options) {
  ProcessSpec spec = options.command;
  spec.argv.emplace_back("--benchmark_format=json");
  spec.argv.push_back(fmt::format("--benchmark_repetitions={}", options.repetitions));
  if (!options.filter.empty()) spec.argv.push_back("--benchmark_filter=" + options.filter);
  spec.stdout_mode = OutputMode::capture;
  spec.stderr_mode = OutputMode::capture;
  spec.capture_limit = kGBenchOutputLimit;
  const RunResult result = runner_.run(spec);
  if (!result.succeeded()) return {{}, describe_failure(result)};
  if (result.stdout_truncated) {
    return {{}, fmt::format("Google Benchmark output exceeds {} MiB", kGBenchOutputLimit >> 20)};
  }
  // A filter that matches nothing: Google Benchmark says so on standard error and prints no
  // JSON at all (exit 0 or 1 by version), which is not "unreadable JSON".
  if (result.stdout_text.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (!options.filter.empty())
      return {{}, fmt::format("no benchmark matches --benchmark_filter={}", options.filter)};
    return {{}, "the binary printed no Google Benchmark JSON on standard output"};
  }
  return parse_gbench_json(result.stdout_text);
}

std::vector<std::string> GBenchRunner::list(const GBenchOptions& options) {
  ProcessSpec spec = options.command;
  spec.argv.emplace_back("--benchmark_list_tests=true");
  if (!options.filter.empty()) spec.argv.push_back("--benchmark_filter=" + options.filter);
  spec.stdout_mode = OutputMode::capture;
  spec.stderr_mode = OutputMode::capture;
  spec.capture_limit = kGBenchOutputLimit;
  const RunResult result = runner_.run(spec);
  if (!result.succeeded() || result.stdout_truncated) {
    throw ExecutionError(
        fmt::format("{} --benchmark_list_tests: {}", spec.argv.front(),
                    result.stdout_truncated ? "output too long" : describe_failure(result)));
  }
  std::vector<std::string> names;
  std::size_t start = 0;
  const std::string& text = result.stdout_text;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) names.emplace_back(line);
    start = end + 1;
  }
  return names;
}

std::string exact_filter(std::string_view name) {
  std::string pattern = "^";
  for (const char c : name) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  return pattern + "$";
}

void GBenchTrial::setup() {
  if (options_.isolate) cases_ = runner_.list(options_);
}

namespace {

// Adds one report's cases to an outcome.
void add_report(const GBenchReport& report, Outcome& outcome) {
  const std::string seconds(kSeconds);
  for (const GBenchCase& bench_case : report.cases) {
    for (const double value : bench_case.real_time) {
      outcome.observations.push_back(
          {bench_case.name, std::string(kRealTime), seconds, value, bench_case.label});
    }
    for (const double value : bench_case.cpu_time) {
      outcome.observations.push_back(
          {bench_case.name, std::string(kCpuTime), seconds, value, bench_case.label});
    }
    for (const std::string& error : bench_case.errors)
      outcome.failures.push_back({bench_case.name, error});
  }
}

}  // namespace

Outcome GBenchTrial::run() {
  if (options_.isolate) {
    Outcome outcome;
    if (cases_.empty()) {
      outcome.failures.push_back(
          {"", options_.filter.empty()
                   ? std::string("the binary lists no benchmarks")
                   : fmt::format("no benchmark matches --benchmark_filter={}", options_.filter)});
      return outcome;
    }
    for (const std::string& name : cases_) {
      GBenchOptions one = options_;
      one.filter = exact_filter(name);
      const GBenchReport report = runner_.run(one);
      if (report.failure) {
        outcome.failures.push_back({name, *report.failure});
      } else if (report.cases.empty()) {
        outcome.failures.push_back(
            {name, fmt::format("--benchmark_filter={} ran nothing", one.filter)});
      } else {
        add_report(report, outcome);
      }
    }
    return outcome;
  }
  const GBenchReport report = runner_.run(options_);
  Outcome outcome;
  if (report.failure) {
    outcome.failures.push_back({"", *report.failure});
    return outcome;
  }
  if (report.cases.empty()) {
    outcome.failures.push_back(
        {"", options_.filter.empty()
                 ? std::string("the binary ran no benchmarks")
                 : fmt::format("no benchmark matches --benchmark_filter={}", options_.filter)});
    return outcome;
  }
  add_report(report, outcome);
  return outcome;
}

}  // namespace perfguard::harness
