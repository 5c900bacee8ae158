#pragma once
// Reading samples.jsonl, the journal of every run (docs/samples-jsonl.md is the format;
// harness/journal.hpp writes it). The runs come back as plain structs of this module; the
// harness's RunRecord and SampleSets are made from them by whoever needs them
// (pipeline/sample_series.cpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perfguard::inputs {

inline constexpr std::string_view kSamplesSchema = "perfguard.samples.v1";

// One entry of a line's "samples".
struct JournalSample {
  std::string case_name;  // "case", or "" for the benchmark itself
  std::string metric;
  std::string unit;
  double value = 0.0;  // finite
  std::string label;   // "label", or ""
};

// One entry of a line's "failures".
struct JournalFailure {
  std::string case_name;  // "case", or ""
  std::string reason;
};

// One line: one run of one variant of one benchmark.
struct JournalRun {
  std::string benchmark;
  std::string variant;
  std::size_t run = 0;
  bool warmup = false;
  std::optional<int> exit_code;
  std::vector<JournalSample> samples;
  std::vector<JournalFailure> failures;
};

// Reads a journal's text. Blank lines are skipped; so is a last line without its newline that
// does not parse (a write the interruption cut short). Anything else malformed throws
// perfguard::UsageError "ORIGIN:LINE: reason".
[[nodiscard]] std::vector<JournalRun> read_journal(std::string_view text, const std::string& origin);

// read_journal of a file; UsageError naming it when it cannot be read.
[[nodiscard]] std::vector<JournalRun> read_journal_file(const std::string& path);

}  // namespace perfguard::inputs
