#pragma once
// Google Benchmark JSON (--benchmark_format=json, --benchmark_out): the one reader, used by the
// harness for a binary's standard output (`compare`) and by `diff` and `stats` for files, so
// the same output is judged the same way everywhere.
//
// What Google Benchmark writes (src/json_reporter.cc, 1.7 to 1.9): a "benchmarks" array of
// rows, each with "name", "run_name" and "run_type" ("iteration" for one repetition,
// "aggregate" for mean/median/stddev/cv and complexity fits), "real_time", "cpu_time" and
// "time_unit" (ns, us, ms, s; one per benchmark). A failed repetition has
// "error_occurred": true and "error_message"; from 1.8 a skipped one "skipped": true and
// "skip_message". Both flags are written only when set.
//
// How perfguard reads it:
//   - Aggregate rows are not samples and are skipped.
//   - A row is identified by run_name (name for output before run_name existed). A row with
//     neither is not Google Benchmark output: the document has a problem.
//   - error_occurred or skipped true (or a non-zero number: the library's Skipped enum) fail
//     the row with the library's message; false, 0 or absent mean a measured row.
//   - real_time and cpu_time are both required: Google Benchmark always writes both, and a
//     secondary metric judged on part of the repetitions would be judged on other data than
//     its primary.
//   - Values stay in the row's time_unit; every row of a case must state the same one. Each
//     value must be a non-negative number that stats/ accepts both as given and in seconds,
//     so `stats` (units as given) and the gates (seconds) never see one out of range.
//   - Anything wrong with a row that has a name fails that row, with the reason: the other
//     cases are still judged, and the failed one fails the gate. Only a document that is not
//     Google Benchmark output at all -- not an object, no "benchmarks" array, a row that is
//     not an object or has no name -- is a problem of the whole document.
// Nothing here throws a JSON library exception.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "inputs/result_file.hpp"

namespace perfguard::inputs {

// Why one repetition has no values: Google Benchmark's error or skip message, or what
// perfguard found wrong with the row ("benchmarks[3].cpu_time is missing").
struct GBenchFailure {
  std::size_t repetition = 0;  // 0-based, counting the case's per-repetition rows
  std::string reason;
};

// One benchmark (run_name): one value per measured repetition, in `time_unit`.
struct GBenchCase {
  std::string name;
  std::string time_unit;  // as the rows state it ("ns" when they do not); "" if none measured
  std::vector<double> real_time;
  std::vector<double> cpu_time;
  std::vector<GBenchFailure> failures;
  std::string label;  // the case's "label" (benchmark::State::SetLabel), or ""
};

struct GBenchOutput {
  std::vector<GBenchCase> cases;    // in the document's order
  std::optional<std::string> host;  // context.host_name, when a string
  // Why the document is not Google Benchmark output ("benchmarks[3] has no name"); cases is
  // empty then.
  std::optional<std::string> problem;
};

// Reads a parsed document.
[[nodiscard]] GBenchOutput read_gbench(const nlohmann::json& document);

// Parses a binary's standard output: JSON as the library prints it (no comments). Text that is
// not JSON is a problem "unreadable JSON: <the parser's message>".
[[nodiscard]] GBenchOutput parse_gbench(std::string_view text);

// Converts every case's times to seconds (time_unit becomes "s"), as the gates judge them;
// the same conversion as to_seconds(ResultFile&).
void to_seconds(GBenchOutput& output);

// The output as a result file (format "gbench"): per case a primary real_time set and a
// secondary cpu_time set, each failure as "repetition K: REASON" in both. A problem, or a
// document without a single per-repetition row, throws UsageError naming `origin`.
[[nodiscard]] ResultFile gbench_result_file(const GBenchOutput& output, const std::string& origin);

}  // namespace perfguard::inputs
