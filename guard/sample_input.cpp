#include "guard/sample_input.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace perfguard::guard {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

void check_sample(double value, const std::string& where, std::string_view shown) {
  if (!std::isfinite(value)) throw UsageError(fmt::format("{}: '{}' is not a finite number", where, shown));
  if (value < 0.0) throw UsageError(fmt::format("{}: {} is negative; times and sizes cannot be", where, shown));
}

SampleInput parse_plain(std::string_view text, const std::string& origin) {
  SampleInput input;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = fmt::format("{}:{}", origin, line_number);
    double value = 0.0;
    const auto [stop, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
    if (ec != std::errc{} || stop != line.data() + line.size()) {
      throw UsageError(fmt::format("{}: '{}' is not a number", where, line));
    }
    check_sample(value, where, line);
    input.values.push_back(value);
  }
  return input;
}

// The values of a JSON array of numbers; `path` names it in errors ("times", "[3]").
std::vector<double> numbers_of(const json& array, const std::string& origin, const std::string& path) {
  if (!array.is_array()) throw UsageError(fmt::format("{}: {} is not an array of numbers", origin, path));
  std::vector<double> values;
  values.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string where = fmt::format("{}: {}[{}]", origin, path, i);
    if (!array[i].is_number()) throw UsageError(fmt::format("{} is not a number", where));
    const double value = array[i].get<double>();
    check_sample(value, where, array[i].dump());
    values.push_back(value);
  }
  return values;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

SampleInput parse_hyperfine(const json& document, const std::string& origin,
                            const std::optional<std::string>& benchmark) {
  const json& results = document.at("results");
  if (!results.is_array() || results.empty()) {
    throw UsageError(fmt::format("{}: \"results\" holds no hyperfine results", origin));
  }
  std::vector<std::string> commands;
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const json& command = results[i].is_object() ? results[i].value("command", json()) : json();
    commands.push_back(command.is_string() ? command.get<std::string>() : fmt::format("results[{}]", i));
    if (benchmark && commands.back() == *benchmark) chosen = i;
  }
  if (benchmark && commands[chosen] != *benchmark) {
    throw UsageError(fmt::format("{}: no hyperfine command '{}' (have: {})", origin, *benchmark, joined(commands)));
  }
  const json& result = results[chosen];
  if (!result.is_object() || !result.contains("times")) {
    throw UsageError(fmt::format("{}: results[{}] has no \"times\" (export with hyperfine --export-json)", origin, chosen));
  }
  SampleInput input;
  input.values = numbers_of(result["times"], origin, fmt::format("results[{}].times", chosen));
  input.unit = "s";
  input.label = commands[chosen];
  return input;
}

SampleInput parse_gbench(const json& document, const std::string& origin, const std::optional<std::string>& benchmark) {
  const json& runs = document.at("benchmarks");
  if (!runs.is_array()) throw UsageError(fmt::format("{}: \"benchmarks\" is not an array", origin));
  // Per-repetition rows only; aggregates (mean, median, stddev, cv) are not samples.
  std::vector<std::string> names;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const json& run = runs[i];
    if (!run.is_object() || run.value("run_type", "iteration") != "iteration") continue;
    const std::string name = run.value("run_name", run.value("name", fmt::format("benchmarks[{}]", i)));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    if (!benchmark || name == *benchmark) rows.push_back(i);
  }
  if (names.empty()) {
    throw UsageError(fmt::format("{}: no per-repetition benchmark runs (only aggregates?); run the benchmark with "
                                 "--benchmark_repetitions=N and without --benchmark_report_aggregates_only",
                                 origin));
  }
  if (benchmark && rows.empty()) {
    throw UsageError(fmt::format("{}: no benchmark '{}' (have: {})", origin, *benchmark, joined(names)));
  }
  if (!benchmark && names.size() > 1) {
    throw UsageError(fmt::format("{}: holds {} benchmarks ({}); choose one with --benchmark", origin, names.size(),
                                 joined(names)));
  }
  SampleInput input;
  input.label = benchmark ? *benchmark : names.front();
  for (const std::size_t i : rows) {
    const json& run = runs[i];
    const std::string where = fmt::format("{}: benchmarks[{}]", origin, i);
    if (run.value("error_occurred", false)) {
      throw UsageError(fmt::format("{} ({}) reported an error: {}", where, input.label, run.value("error_message", "")));
    }
    const std::string unit = run.value("time_unit", "ns");
    if (!input.unit.empty() && unit != input.unit) {
      throw UsageError(fmt::format("{}: time_unit {} differs from the earlier {}", where, unit, input.unit));
    }
    input.unit = unit;
    if (!run.contains("real_time") || !run["real_time"].is_number()) {
      throw UsageError(fmt::format("{}: real_time is missing or not a number", where));
    }
    const double value = run["real_time"].get<double>();
    check_sample(value, where + ".real_time", run["real_time"].dump());
    input.values.push_back(value);
  }
  return input;
}

json parse_json(std::string_view text, const std::string& origin) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // Position from the byte offset nlohmann reports; its own message follows the last ": ".
    const std::size_t byte = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::string_view before = text.substr(0, byte);
    const std::size_t line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
    const std::size_t line_start = before.rfind('\n');
    const std::size_t column = byte - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    const std::string what = e.what();
    const auto detail = what.rfind(": ");
    throw UsageError(fmt::format("{}:{}:{}: invalid JSON: {}", origin, line, column,
                                 detail == std::string::npos ? what : what.substr(detail + 2)));
  }
}

}  // namespace

SampleInput parse_samples(std::string_view text, const std::string& origin,
                          const std::optional<std::string>& benchmark) {
  const auto start = text.find_first_not_of(" \t\r\n");
  const char first = start == std::string_view::npos ? '\0' : text[start];
  SampleInput input;
  if (first == '[' || first == '{') {
    const json document = parse_json(text, origin);
    if (document.is_array()) {
      input.values = numbers_of(document, origin, "");
    } else if (document.contains("results")) {
      input = parse_hyperfine(document, origin, benchmark);
    } else if (document.contains("benchmarks")) {
      input = parse_gbench(document, origin, benchmark);
    } else {
      throw UsageError(fmt::format("{}: a JSON object without \"results\" (hyperfine --export-json) or "
                                   "\"benchmarks\" (Google Benchmark --benchmark_format=json)",
                                   origin));
    }
  } else {
    input = parse_plain(text, origin);
  }
  if (benchmark && input.label.empty()) {
    throw UsageError(fmt::format("{}: --benchmark needs a Google Benchmark or hyperfine JSON file", origin));
  }
  if (input.values.empty()) throw UsageError(fmt::format("{}: no samples", origin));
  return input;
}

SampleInput read_samples(const std::string& path, const std::optional<std::string>& benchmark) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return parse_samples(text, "<stdin>", benchmark);
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(fmt::format("cannot read {}: is a directory", path));
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return parse_samples(buffer.str(), path, benchmark);
}

}  // namespace perfguard::guard
