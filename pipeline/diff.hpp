#pragma once
// `perfguard diff` without its command line: budgets and approvals, the measurements read from
// two result files (inputs/result_file.hpp) and matched by benchmark and metric, verdicts,
// artifacts.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "core/json.hpp"

namespace perfguard::pipeline {

// What two result files hold, matched by benchmark and metric.
struct DiffInputs {
  std::vector<budgets::Measurement> measurements;
  std::vector<std::string> skipped;      // benchmarks --only left out
  std::string hostname;                  // where they were measured, when the files say
  Json extra_settings = Json::object();  // recorded in the artifacts' settings (formats, ...)
};

struct DiffRequest {
  std::optional<std::filesystem::path> config;     // budgets (and approvals); none: no budgets
  std::optional<std::filesystem::path> approvals;  // default: the config's "approvals"
  std::filesystem::path out = "perfguard-reports";
  std::optional<std::string> only;
  budgets::GateSettings gate;
  std::string base;  // the result files, as named
  std::string candidate;
  bool allow_cross_host = false;  // files that name different machines are refused otherwise
  std::ostream* notes = &std::cerr;  // warnings and notes for the user (pairing by position, ...)
  std::string replay_prefix;
  // Where the run is recorded (docs/history.md, "Recording a run"): a SQLite path or a
  // postgresql:// URL; none: not recorded.
  std::optional<std::string> history;
};

// Judges the inputs and writes the artifacts into request.out. What --out held before goes
// first; an error other than a usage error (exit 2) leaves a failing gate saying why, then is
// rethrown. Then the run goes into request.history, if any (pipeline/record_history.hpp).
[[nodiscard]] budgets::GateResult diff(const DiffRequest& request);

}  // namespace perfguard::pipeline
