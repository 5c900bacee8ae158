#include "harness/gbench_runner.hpp"

#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "inputs/result_file.hpp"

namespace perfguard::harness {

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
  inputs::GBenchOutput output = inputs::parse_gbench(result.stdout_text);
  if (output.problem) return {{}, fmt::format("Google Benchmark output: {}", *output.problem)};
  inputs::to_seconds(output);
  return {std::move(output.cases), std::nullopt};
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
  for (const inputs::GBenchCase& bench_case : report.cases) {
    for (const double value : bench_case.real_time) {
      outcome.observations.push_back(
          {bench_case.name, std::string(kRealTime), seconds, value, bench_case.label});
    }
    for (const double value : bench_case.cpu_time) {
      outcome.observations.push_back(
          {bench_case.name, std::string(kCpuTime), seconds, value, bench_case.label});
    }
    for (const inputs::GBenchFailure& failure : bench_case.failures)
      outcome.failures.push_back({bench_case.name, failure.reason});
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
