#pragma once
// hyperfine --export-json: each result's "times" (seconds), one set per command, "wall_time".
// A run whose "exit_codes" entry is non-zero, or null (killed by a signal), is a failure in the
// data; hyperfine before 1.11 wrote no exit codes and kept only successful runs. Anything that
// is not of this shape throws UsageError naming the file and the JSON path.
#include <string>

#include <nlohmann/json.hpp>

#include "inputs/result_file.hpp"

namespace perfguard::inputs {

// Reads a document known to have "results"; `origin` names it in errors.
[[nodiscard]] ResultFile read_hyperfine(const nlohmann::json& document, const std::string& origin);

}  // namespace perfguard::inputs
