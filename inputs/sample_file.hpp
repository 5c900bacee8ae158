#pragma once
// Reading timing samples from a file a user hands to `perfguard stats`.
// Formats, detected from the first non-blank character:
//   plain text   one number per line; blank lines and lines starting with '#' are skipped
//   [ ... ]      a JSON array of numbers
//   { "results": [...] }     hyperfine --export-json: a result's "times" (seconds),
//                            read by inputs/hyperfine_json.hpp
//   { "benchmarks": [...] }  Google Benchmark JSON: the per-repetition "real_time" of one
//                            benchmark in the file's time_unit, read by inputs/gbench_json.hpp
// Every value must be a finite, non-negative number. Bad input throws perfguard::UsageError
// naming the file and the line (text) or the JSON path at fault.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perfguard::inputs {

struct SampleInput {
  std::vector<double> values;
  std::string unit;   // as the file states it ("s", "ns", ...); "" for plain numbers
  std::string label;  // the benchmark or command chosen, "" when the file holds one anonymous set
};

// Parse `text`; `origin` names it in errors. `benchmark` selects a Google Benchmark run_name
// or a hyperfine command; without it, a Google Benchmark file must hold exactly one benchmark
// and a hyperfine file's first result is used.
[[nodiscard]] SampleInput parse_samples(std::string_view text, const std::string& origin,
                                        const std::optional<std::string>& benchmark);

// Read and parse a file; "-" reads standard input.
[[nodiscard]] SampleInput read_samples(const std::string& path,
                                       const std::optional<std::string>& benchmark);

}  // namespace perfguard::inputs
