#include "inputs/hyperfine_json.hpp"

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::inputs {
namespace {

using nlohmann::json;

double sample_value(const json& value, const std::string& where) {
  if (!value.is_number()) throw UsageError(fmt::format("{} is not a number", where));
  const double v = value.get<double>();
  if (v < 0.0)
    throw UsageError(
        fmt::format("{}: {} is negative; times and sizes cannot be", where, value.dump()));
  if (!stats::in_sample_range(v)) throw UsageError(out_of_range_message(where, value.dump()));
  return v;
}

// hyperfine's "exit_codes": one integer per run, null for a run killed by a signal (hyperfine
// writes None then). Absent: hyperfine before 1.11, which kept only successful runs. Anything
// else -- not an array, a code that is not an integer -- is not a file perfguard can trust.
std::vector<std::optional<long long>> hyperfine_exit_codes(const json& result,
                                                          const std::string& where) {
  std::vector<std::optional<long long>> codes;
  if (!result.contains("exit_codes")) return codes;
  const json& list = result["exit_codes"];
  if (!list.is_array())
    throw UsageError(fmt::format("{}.exit_codes is not an array of integers", where));
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (list[k].is_null()) {
      codes.emplace_back(std::nullopt);
    } else if (list[k].is_number_integer()) {
      codes.emplace_back(list[k].get<long long>());
    } else {
      throw UsageError(
          fmt::format("{}.exit_codes[{}]: {} is not an integer exit code", where, k,
                      list[k].dump()));
    }
  }
  return codes;
}

}  // namespace

ResultFile read_hyperfine(const json& document, const std::string& origin) {
  ResultFile file;
  file.path = origin;
  file.format = "hyperfine";
  const json& results = document.at("results");
  if (!results.is_array() || results.empty()) {
    throw UsageError(fmt::format("{}: \"results\" holds no hyperfine results", origin));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    const json& result = results[i];
    const std::string where = fmt::format("{}: results[{}]", origin, i);
    if (!result.is_object() || !result.contains("times")) {
      throw UsageError(
          fmt::format("{} has no \"times\" (export with hyperfine --export-json)", where));
    }
    const json& command = result.value("command", json());
    ResultSet& set = file.sets[set_for(
        file, command.is_string() ? command.get<std::string>() : fmt::format("results[{}]", i),
        "wall_time", true)];
    set.unit = "s";
    const json& times = result["times"];
    if (!times.is_array())
      throw UsageError(fmt::format("{}.times is not an array of numbers", where));
    const std::vector<std::optional<long long>> exit_codes = hyperfine_exit_codes(result, where);
    if (!exit_codes.empty() && exit_codes.size() != times.size()) {
      throw UsageError(fmt::format("{}: {} exit_codes for {} times; each run needs one", where,
                                   exit_codes.size(), times.size()));
    }
    for (std::size_t k = 0; k < times.size(); ++k) {
      const std::optional<long long> code = exit_codes.empty() ? 0 : exit_codes[k];
      if (code != 0) {
        set.failures.push_back(code ? fmt::format("run {}: exit {}", k, *code)
                                    : fmt::format("run {}: no exit code (killed by a signal)", k));
      } else {
        set.values.push_back(sample_value(times[k], fmt::format("{}.times[{}]", where, k)));
      }
    }
  }
  return file;
}

}  // namespace perfguard::inputs
