#pragma once
// Existing result files as `perfguard diff` compares them, and as `perfguard stats` picks one
// sample set from: Google Benchmark JSON (inputs/gbench_json.hpp: every benchmark's
// per-repetition real_time and cpu_time) and hyperfine --export-json (inputs/hyperfine_json.hpp:
// every command's times). Values are kept in the unit the file gives; errors of the tool (a
// benchmark's error_occurred, a non-zero exit code) and values perfguard cannot use are failures
// in the data, not exceptions. A file that is not of its format throws UsageError naming the
// file and the JSON path.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfguard::inputs {

struct ResultSet {
  std::string benchmark;  // Google Benchmark run_name, or hyperfine command
  std::string metric;     // real_time, cpu_time, wall_time
  std::string unit;       // "ns", "us", "ms", "s"
  bool primary = true;    // the metric the benchmark is judged on by default
  std::vector<double> values;
  std::vector<std::string> failures;  // one line per failed run
  std::string label;                  // Google Benchmark's "label" of the case, or ""
};

struct ResultFile {
  std::string path;
  std::string format;               // "gbench" or "hyperfine"
  std::optional<std::string> host;  // the machine, when the file says (gbench context.host_name)
  std::vector<ResultSet> sets;      // in file order
};

// Parses a JSON document already known to be Google Benchmark ("benchmarks") or hyperfine
// ("results") output; `origin` names it in errors.
[[nodiscard]] ResultFile parse_result_document(const nlohmann::json& document,
                                               const std::string& origin);

// Reads a Google Benchmark or hyperfine JSON file (comments allowed; errors as
// "FILE:LINE:COL: invalid JSON: ..."), every time unit converted to seconds (to_seconds).
[[nodiscard]] ResultFile read_result_file(const std::string& path);

// Converts every set in a time unit (ns, us, ms, s) to seconds, so budgets in the config
// ("1s", "200us") compare directly. The gates (compare's harness and diff) both convert this
// way, right after reading.
void to_seconds(ResultFile& file);

// Seconds per unit of a time unit (ns, us, ms, s); nullopt for anything else.
[[nodiscard]] std::optional<double> seconds_per(std::string_view unit) noexcept;

// "WHERE: SHOWN is outside the range of samples perfguard accepts (0, or 1e-30 to 1e+30)":
// the message for a value that stats::in_sample_range() refuses.
[[nodiscard]] std::string out_of_range_message(std::string_view where, std::string_view shown);

// The index of the (benchmark, metric) set of `file`, added at the end when new. An index, not
// a reference: adding a set may move the others.
[[nodiscard]] std::size_t set_for(ResultFile& file, const std::string& benchmark,
                                  const std::string& metric, bool primary);

}  // namespace perfguard::inputs
