#pragma once
// What the harness measures, in the shape stats/ and budgets/ consume (docs/design.md: one struct
// per stage boundary). A run either yields values or a failure; both are data, never
// exceptions: a crashed benchmark must show up in the verdict, not abort the comparison.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/metric_names.hpp"

namespace perfguard::harness {

// Metrics of one process run, and of one Google Benchmark repetition.
using metric::kCpuTime;
using metric::kMaxRss;
using metric::kRealTime;
using metric::kSysTime;
using metric::kUserTime;
using metric::kWallTime;

inline constexpr std::string_view kSeconds = "s";
inline constexpr std::string_view kBytes = "bytes";

// Why a run yielded no values: "exit 3", "killed by SIGSEGV", "timeout after 5s", or a
// Google Benchmark error_message.
struct Failure {
  std::size_t run = 0;  // 0-based index among the variant's measured runs (or warmups)
  std::string reason;
  bool warmup = false;  // a warmup failed: its benchmark stopped before (or between) runs
};

// Every value of one metric of one benchmark on one side (variant), in run order. Failures are
// per run, so each metric's set of a (benchmark, variant) carries all of them; a benchmark that
// failed before it measured anything has a single set with an empty metric holding them.
struct SampleSet {
  std::string benchmark;
  std::string variant;
  std::string metric;
  std::string unit;
  std::vector<double> values;
  std::vector<Failure> failures;
  std::string label;  // a Google Benchmark case's label ("html (22.31 %)"), the last one seen
};

// One value a run produced. `case_name` is empty for the benchmark itself, or names a case
// inside it (a Google Benchmark run_name); the case's SampleSet has the id "benchmark/case".
struct Observation {
  std::string case_name;
  std::string metric;
  std::string unit;
  double value = 0.0;
  std::string label;  // what a Google Benchmark case calls itself (SetLabel), or ""
};

// A failure of the benchmark itself (empty case_name) or of one of its cases.
struct CaseFailure {
  std::string case_name;
  std::string reason;
};

// Everything one run of one variant produced. A run with failures yielded no usable values
// for the failed cases.
struct Outcome {
  std::vector<Observation> observations;
  std::vector<CaseFailure> failures;
  std::optional<int> exit_code;  // when the run was one process that exited
  [[nodiscard]] bool failed() const noexcept { return !failures.empty(); }
};

// One run as the schedule saw it: the unit of the samples.jsonl journal.
struct RunRecord {
  std::string benchmark;
  std::string variant;
  std::size_t run = 0;  // 0-based, counted separately for warmups and measured runs
  bool warmup = false;  // journaled; a warmup's values never enter a SampleSet, its failures do
  Outcome outcome;
};

// "benchmark" or "benchmark/case".
[[nodiscard]] std::string sample_set_id(std::string_view benchmark, std::string_view case_name);

// The SampleSets of a sequence of runs: one per (id, variant, metric) in order of first
// appearance, values in run order, warmups' values skipped, failures (a failed warmup's too)
// attached as described above.
[[nodiscard]] std::vector<SampleSet> collect_sample_sets(std::span<const RunRecord> runs);

// The set of (benchmark, variant, metric), or nullptr.
[[nodiscard]] const SampleSet* find_sample_set(std::span<const SampleSet> sets,
                                               std::string_view benchmark, std::string_view variant,
                                               std::string_view metric) noexcept;

}  // namespace perfguard::harness
