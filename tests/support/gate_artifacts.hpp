#pragma once
// Reading what a gate wrote, for end-to-end tests of compare (and report, merge).
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"

namespace perfguard::tests {

// The perf_comparison.json in a gate's output folder.
[[nodiscard]] inline nlohmann::json read_comparison(const std::filesystem::path& out) {
  return nlohmann::json::parse(slurp(out / "perf_comparison.json"));
}

// The result row of `benchmark` (of `metric`, when given) in the perf_comparison.json in
// `out`; a test failure and {} when there is none.
[[nodiscard]] inline nlohmann::json result_row(const std::filesystem::path& out,
                                               const std::string& benchmark,
                                               const std::optional<std::string>& metric = {}) {
  const nlohmann::json doc = read_comparison(out);
  for (const nlohmann::json& row : doc["results"]) {
    if (row["benchmark"] == benchmark && (!metric || row["metric"] == *metric)) return row;
  }
  ADD_FAILURE() << "no row " << benchmark << (metric ? " " + *metric : "");
  return {};
}

}  // namespace perfguard::tests
