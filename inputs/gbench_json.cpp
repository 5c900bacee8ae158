#include "inputs/gbench_json.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_source.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::inputs {
namespace {

using nlohmann::json;

// What is wrong with one row of a case: fails that repetition, not the document.
struct BadRow {
  std::string reason;
};

// What makes the document not Google Benchmark output.
struct BadDocument {
  std::string problem;
};

// A string member of a row, `fallback` when absent; BadRow naming it when of another type.
std::string string_member(const json& row, const char* key, const std::string& fallback,
                          const std::string& where) {
  const auto found = row.find(key);
  if (found == row.end()) return fallback;
  if (!found->is_string()) {
    throw BadRow{
        fmt::format("{}.{} is {}; expected a string", where, key, json_type_name(*found))};
  }
  return found->get<std::string>();
}

// The case a row belongs to: run_name, or name for output older than run_name.
std::string row_name(const json& row, const std::string& where) {
  for (const char* key : {"run_name", "name"}) {
    const auto found = row.find(key);
    if (found == row.end()) continue;
    if (!found->is_string()) {
      throw BadDocument{
          fmt::format("{}.{} is {}; expected a string", where, key, json_type_name(*found))};
    }
    if (!found->get_ref<const std::string&>().empty()) return found->get<std::string>();
  }
  throw BadDocument{fmt::format("{} has no name", where)};
}

// error_occurred (all versions) and skipped (1.8+) are written as true when set; a number is
// the library's Skipped enum, whose 0 is NotSkipped.
bool flag_member(const json& row, const char* key, const std::string& where) {
  const auto found = row.find(key);
  if (found == row.end()) return false;
  if (found->is_boolean()) return found->get<bool>();
  if (found->is_number()) return found->get<double>() != 0.0;
  throw BadRow{
      fmt::format("{}.{} is {}; expected true or false", where, key, json_type_name(*found))};
}

// Google Benchmark's message for a failed or skipped row.
std::string skip_reason(const json& row, const std::string& where) {
  for (const char* key : {"error_message", "skip_message"}) {
    std::string message = string_member(row, key, "", where);
    if (!message.empty()) return message;
  }
  return "skipped without a message";
}

// A time of a row, in `unit`: present, a number, non-negative, and in the range stats/ accepts
// both as given and in seconds.
double time_member(const json& row, const char* key, const std::string& unit, double scale,
                   const std::string& where) {
  const std::string path = fmt::format("{}.{}", where, key);
  const auto found = row.find(key);
  if (found == row.end()) throw BadRow{fmt::format("{} is missing", path)};
  if (!found->is_number()) throw BadRow{fmt::format("{} is not a number", path)};
  const double value = found->get<double>();
  if (value < 0.0) {
    throw BadRow{
        fmt::format("{}: {} is negative; times and sizes cannot be", path, found->dump())};
  }
  if (!stats::in_sample_range(value)) throw BadRow{out_of_range_message(path, found->dump())};
  if (!stats::in_sample_range(value * scale)) {
    throw BadRow{out_of_range_message(
        path, fmt::format("{} {} ({:g} s)", found->dump(), unit, value * scale))};
  }
  return value;
}

GBenchCase& case_named(GBenchOutput& output, const std::string& name) {
  const auto found = std::find_if(output.cases.begin(), output.cases.end(),
                                  [&](const GBenchCase& c) { return c.name == name; });
  if (found != output.cases.end()) return *found;
  output.cases.push_back({name, "", {}, {}, {}, ""});
  return output.cases.back();
}

// One per-repetition row into its case: values, or a failure with the reason.
void read_row(const json& row, const std::string& where, GBenchCase& bench_case) {
  if (std::string label = string_member(row, "label", "", where); !label.empty())
    bench_case.label = std::move(label);
  if (flag_member(row, "error_occurred", where) || flag_member(row, "skipped", where))
    throw BadRow{skip_reason(row, where)};
  const std::string unit = string_member(row, "time_unit", "ns", where);
  const std::optional<double> scale = seconds_per(unit);
  if (!scale)
    throw BadRow{fmt::format("{}: time_unit '{}' is not ns, us, ms or s", where, unit)};
  if (!bench_case.time_unit.empty() && bench_case.time_unit != unit) {
    throw BadRow{fmt::format("{}: time_unit {} differs from the earlier {}", where, unit,
                             bench_case.time_unit)};
  }
  const double real_time = time_member(row, "real_time", unit, *scale, where);
  const double cpu_time = time_member(row, "cpu_time", unit, *scale, where);
  bench_case.time_unit = unit;
  bench_case.real_time.push_back(real_time);
  bench_case.cpu_time.push_back(cpu_time);
}

void read_rows(const json& document, GBenchOutput& output) {
  const auto benchmarks = document.is_object() ? document.find("benchmarks") : document.end();
  if (!document.is_object() || benchmarks == document.end())
    throw BadDocument{"no \"benchmarks\" array"};
  if (!benchmarks->is_array()) throw BadDocument{"\"benchmarks\" is not an array"};
  if (const auto context = document.find("context");
      context != document.end() && context->is_object()) {
    const auto host = context->find("host_name");
    if (host != context->end() && host->is_string()) output.host = host->get<std::string>();
  }
  for (std::size_t index = 0; index < benchmarks->size(); ++index) {
    const json& row = (*benchmarks)[index];
    const std::string where = fmt::format("benchmarks[{}]", index);
    if (!row.is_object()) throw BadDocument{fmt::format("{} is not an object", where)};
    const std::string name = row_name(row, where);
    std::optional<BadRow> bad;
    try {
      // Aggregates are not samples.
      if (string_member(row, "run_type", "iteration", where) == "aggregate") continue;
    } catch (const BadRow& wrong_type) {
      bad = wrong_type;
    }
    GBenchCase& bench_case = case_named(output, name);
    const std::size_t repetition = bench_case.real_time.size() + bench_case.failures.size();
    try {
      if (bad) throw *bad;
      read_row(row, where, bench_case);
    } catch (const BadRow& failed) {
      bench_case.failures.push_back({repetition, failed.reason});
    }
  }
}

}  // namespace

GBenchOutput read_gbench(const json& document) {
  GBenchOutput output;
  try {
    read_rows(document, output);
  } catch (const BadDocument& bad) {
    return {{}, std::nullopt, bad.problem};
  }
  return output;
}

GBenchOutput parse_gbench(std::string_view text) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    // A syntax error, or a number beyond a double (1e400). nlohmann's message starts with
    // "[json.exception.parse_error.101] ", noise to a user.
    const std::string_view message = e.what();
    const std::size_t tag_end = message.find("] ");
    return {{},
            std::nullopt,
            fmt::format("unreadable JSON: {}",
                        tag_end == std::string_view::npos ? message : message.substr(tag_end + 2))};
  }
  return read_gbench(document);
}

void to_seconds(GBenchOutput& output) {
  for (GBenchCase& bench_case : output.cases) {
    const std::optional<double> scale = seconds_per(bench_case.time_unit);
    if (!scale) continue;  // no repetition measured: nothing to convert
    for (double& v : bench_case.real_time) v *= *scale;
    for (double& v : bench_case.cpu_time) v *= *scale;
    bench_case.time_unit = "s";
  }
}

ResultFile gbench_result_file(const GBenchOutput& output, const std::string& origin) {
  if (output.problem) throw UsageError(fmt::format("{}: {}", origin, *output.problem));
  if (output.cases.empty()) {
    throw UsageError(fmt::format(
        "{}: no per-repetition benchmark runs (only aggregates?); run the benchmark with "
        "--benchmark_repetitions=N and without --benchmark_report_aggregates_only",
        origin));
  }
  ResultFile file;
  file.path = origin;
  file.format = "gbench";
  file.host = output.host;
  for (const GBenchCase& bench_case : output.cases) {
    std::vector<std::string> failures;
    for (const GBenchFailure& failure : bench_case.failures)
      failures.push_back(fmt::format("repetition {}: {}", failure.repetition, failure.reason));
    const std::string unit = bench_case.time_unit.empty() ? "ns" : bench_case.time_unit;
    file.sets.push_back(
        {bench_case.name, "real_time", unit, true, bench_case.real_time, failures,
         bench_case.label});
    file.sets.push_back(
        {bench_case.name, "cpu_time", unit, false, bench_case.cpu_time, failures,
         bench_case.label});
  }
  return file;
}

}  // namespace perfguard::inputs
