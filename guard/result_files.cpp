#include "guard/result_files.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/json_source.hpp"
#include "core/error.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::guard {
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

// A string member of a result row, `fallback` when absent; UsageError naming it when it is
// present but not a string (nlohmann's value() would throw a raw type_error).
std::string string_member(const json& row, const char* key, const std::string& fallback,
                          const std::string& where) {
  const auto found = row.find(key);
  if (found == row.end()) return fallback;
  if (!found->is_string()) {
    throw UsageError(
        fmt::format("{}.{} is {}; expected a string", where, key, json_type_name(*found)));
  }
  return found->get<std::string>();
}

// The index of the (benchmark, metric) set, added at the end when new. An index, not a
// reference: adding a set may move the others.
std::size_t set_for(ResultFile& file, const std::string& benchmark, const std::string& metric,
                    bool primary) {
  const auto found = std::find_if(file.sets.begin(), file.sets.end(), [&](const ResultSet& s) {
    return s.benchmark == benchmark && s.metric == metric;
  });
  if (found != file.sets.end()) return static_cast<std::size_t>(found - file.sets.begin());
  file.sets.push_back({benchmark, metric, "", primary, {}, {}, ""});
  return file.sets.size() - 1;
}

// Google Benchmark: per-repetition rows only; aggregate rows (mean, median, ...) are not samples.
void parse_gbench(const json& document, const std::string& origin, ResultFile& file) {
  file.format = "gbench";
  const json& runs = document.at("benchmarks");
  if (!runs.is_array()) throw UsageError(fmt::format("{}: \"benchmarks\" is not an array", origin));
  if (document.contains("context") && document["context"].is_object()) {
    const json& host = document["context"].value("host_name", json());
    if (host.is_string()) file.host = host.get<std::string>();
  }
  bool any_run = false;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const json& run = runs[i];
    const std::string where = fmt::format("{}: benchmarks[{}]", origin, i);
    if (!run.is_object() || string_member(run, "run_type", "iteration", where) != "iteration")
      continue;
    any_run = true;
    const std::string name =
        string_member(run, "run_name",
                      string_member(run, "name", fmt::format("benchmarks[{}]", i), where), where);
    const std::size_t real_index = set_for(file, name, "real_time", true);
    const std::size_t cpu_index = set_for(file, name, "cpu_time", false);
    ResultSet& real = file.sets[real_index];
    ResultSet& cpu = file.sets[cpu_index];
    if (run.contains("label") && run["label"].is_string() &&
        !run["label"].get<std::string>().empty())
      real.label = cpu.label = run["label"].get<std::string>();
    // Versions up to 1.7 say error_occurred; later ones skipped, with a message either way.
    const bool error_occurred = run.contains("error_occurred") && run["error_occurred"] != false;
    if (error_occurred || (run.contains("skipped") && run["skipped"] != false)) {
      const std::string message = string_member(
          run, "error_message", string_member(run, "skip_message", "no message", where), where);
      const std::string failure =
          fmt::format("repetition {}: {}", real.values.size() + real.failures.size(), message);
      real.failures.push_back(failure);
      cpu.failures.push_back(failure);
      continue;
    }
    const std::string unit = string_member(run, "time_unit", "ns", where);
    if (!seconds_per(unit))
      throw UsageError(fmt::format("{}: time_unit '{}' is not ns, us, ms or s", where, unit));
    for (ResultSet* set : {&real, &cpu}) {
      if (!set->unit.empty() && set->unit != unit) {
        throw UsageError(
            fmt::format("{}: time_unit {} differs from the earlier {}", where, unit, set->unit));
      }
      set->unit = unit;
    }
    if (!run.contains("real_time"))
      throw UsageError(fmt::format("{}: real_time is missing", where));
    real.values.push_back(sample_value(run["real_time"], where + ".real_time"));
    // cpu_time is secondary: judged only when a budget names it, so a file without it is fine.
    if (run.contains("cpu_time"))
      cpu.values.push_back(sample_value(run["cpu_time"], where + ".cpu_time"));
  }
  if (!any_run) {
    throw UsageError(fmt::format(
        "{}: no per-repetition benchmark runs (only aggregates?); run the benchmark with "
        "--benchmark_repetitions=N and without --benchmark_report_aggregates_only",
        origin));
  }
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

// hyperfine --export-json: each result's "times" in seconds; non-zero "exit_codes" are failures.
void parse_hyperfine(const json& document, const std::string& origin, ResultFile& file) {
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
}

// Google Benchmark or hyperfine, by the members the document has.
void parse_result_members(const json& document, const std::string& origin, ResultFile& file) {
  if (document.is_object() && document.contains("benchmarks")) {
    parse_gbench(document, origin, file);
  } else if (document.is_object() && document.contains("results")) {
    parse_hyperfine(document, origin, file);
  } else {
    throw UsageError(
        fmt::format("{}: a JSON object without \"results\" (hyperfine --export-json) or "
                    "\"benchmarks\" (Google Benchmark --benchmark_format=json)",
                    origin));
  }
}

}  // namespace

std::string out_of_range_message(std::string_view where, std::string_view shown) {
  return fmt::format(
      "{}: {} is outside the range of samples perfguard accepts (0, or {:g} to {:g})", where, shown,
      stats::kSmallestSample, stats::kLargestSample);
}

std::optional<double> seconds_per(const std::string& unit) noexcept {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "s") return 1.0;
  return std::nullopt;
}

ResultFile parse_result_document(const json& document, const std::string& origin) {
  ResultFile file;
  file.path = origin;
  try {
    parse_result_members(document, origin, file);
  } catch (const json::exception& e) {
    // A shape the readers above did not foresee: still one line naming the file, exit 2.
    const std::string_view what = e.what();
    const std::size_t tag_end = what.find("] ");
    throw UsageError(
        fmt::format("{}: unexpected content: {}", origin,
                    tag_end == std::string_view::npos ? what : what.substr(tag_end + 2)));
  }
  return file;
}

json parse_json_text(std::string_view text, const std::string& origin) {
  return JsonSource::parse(text, origin).document();
}

}  // namespace perfguard::guard
