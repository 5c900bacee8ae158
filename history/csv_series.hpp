#pragma once
// Series kept elsewhere, in Otava's CSV layout (docs/history.md, "CSV input"): a header
// `time,commit,METRIC...`, then one row per measurement in the order measured. Each metric
// column is one series; an empty cell is a night without that metric.
#include <string>
#include <vector>

#include "history/store.hpp"

namespace perfguard::history {

// The series of the CSV file at `path` (benchmark: the file's name without its extension).
// Throws UsageError naming file:line (and the column) for a missing header column, a row of the
// wrong width, or a cell that is not a finite number.
[[nodiscard]] std::vector<Series> read_csv_series(const std::string& path);

// The same over text already read; `name` is used in messages and as the benchmark.
[[nodiscard]] std::vector<Series> parse_csv_series(const std::string& text, const std::string& name,
                                                   const std::string& benchmark);

}  // namespace perfguard::history
