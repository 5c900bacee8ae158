#include "inputs/sample_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_source.hpp"
#include "inputs/result_file.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::inputs {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

void check_sample(double value, const std::string& where, std::string_view shown) {
  if (!std::isfinite(value))
    throw UsageError(fmt::format("{}: '{}' is not a finite number", where, shown));
  if (value < 0.0)
    throw UsageError(fmt::format("{}: {} is negative; times and sizes cannot be", where, shown));
  if (!stats::in_sample_range(value)) throw UsageError(out_of_range_message(where, shown));
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
std::vector<double> numbers_of(const json& array, const std::string& origin,
                               const std::string& path) {
  if (!array.is_array())
    throw UsageError(fmt::format("{}: {} is not an array of numbers", origin, path));
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

// One primary set of a Google Benchmark or hyperfine file. Without a choice, hyperfine's first
// command is taken and Google Benchmark must hold a single benchmark.
SampleInput choose(const ResultFile& file, const std::string& origin,
                   const std::optional<std::string>& benchmark) {
  std::vector<const ResultSet*> primary;
  std::vector<std::string_view> names;
  for (const ResultSet& set : file.sets) {
    if (!set.primary) continue;
    primary.push_back(&set);
    names.push_back(set.benchmark);
  }
  const ResultSet* chosen = primary.front();
  if (benchmark) {
    const auto found = std::find(names.begin(), names.end(), *benchmark);
    if (found == names.end()) {
      throw UsageError(fmt::format("{}: no {} '{}' (have: {})", origin,
                                   file.format == "hyperfine" ? "hyperfine command" : "benchmark",
                                   *benchmark, join(names)));
    }
    chosen = primary[static_cast<std::size_t>(found - names.begin())];
  } else if (file.format == "gbench" && primary.size() > 1) {
    throw UsageError(fmt::format("{}: holds {} benchmarks ({}); choose one with --benchmark",
                                 origin, primary.size(), join(names)));
  }
  // `perfguard stats` describes samples; a failed run has none to describe.
  if (!chosen->failures.empty()) {
    throw UsageError(
        fmt::format("{}: {} failed: {}", origin, chosen->benchmark, chosen->failures.front()));
  }
  return {chosen->values, chosen->unit, chosen->benchmark};
}

}  // namespace

SampleInput parse_samples(std::string_view text, const std::string& origin,
                          const std::optional<std::string>& benchmark) {
  const auto start = text.find_first_not_of(" \t\r\n");
  const char first = start == std::string_view::npos ? '\0' : text[start];
  SampleInput input;
  if (first == '[' || first == '{') {
    const json document = JsonSource::parse(text, origin).document();
    if (document.is_array()) {
      input.values = numbers_of(document, origin, "");
    } else {
      input = choose(parse_result_document(document, origin), origin, benchmark);
    }
  } else {
    input = parse_plain(text, origin);
  }
  if (benchmark && input.label.empty()) {
    throw UsageError(
        fmt::format("{}: --benchmark needs a Google Benchmark or hyperfine JSON file", origin));
  }
  if (input.values.empty()) throw UsageError(fmt::format("{}: no samples", origin));
  return input;
}

SampleInput read_samples(const std::string& path, const std::optional<std::string>& benchmark) {
  return parse_samples(read_text_file(path), path == "-" ? "<stdin>" : path, benchmark);
}

}  // namespace perfguard::inputs
