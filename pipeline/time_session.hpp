#pragma once
// `perfguard time`'s session: one trial per command (the command as a process, or under
// Callgrind for a counted metric), run interleaved by the harness's schedule until the stop
// rule or the run limits end them, then the results built from the runs (docs/time.md).
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "harness/schedule.hpp"
#include "reports/count_output.hpp"
#include "reports/time_output.hpp"

namespace perfguard::pipeline {

// What to time, every flag already read and checked (guard/cmd_time.cpp).
struct TimeRequest {
  std::vector<std::string> commands;
  // "instructions" or "estimated_cycles": counted under Callgrind; nullopt: timed, and
  // settings.metric judges.
  std::optional<std::string> count_metric;
  // The runs as the schedule makes them: warmup, min_runs, max_runs, max_time, timeout, the
  // CPUs when pinned, the seed; and what the verdicts use: metric, threshold, alpha.
  reports::TimeSettings settings;
  // The shell's argv the commands run through ("-c" and the command follow); nullopt runs
  // each command split into words like sh does (-N).
  std::optional<std::vector<std::string>> shell;
  std::optional<std::string> prepare;  // before every run, untimed
  std::optional<std::string> setup;    // once before each command's first run
  bool ignore_failure = false;         // a non-zero exit is measured, not a failure
  std::optional<std::string> journal;  // samples.jsonl written as runs complete
};

using TimeResults = std::variant<reports::TimeReport, reports::CountReport>;

// Variant names key the samples journal: the commands themselves, numbered if one repeats
// (an A/A run times the same command twice).
[[nodiscard]] std::vector<std::string> variant_names(const std::vector<std::string>& commands);

// Runs the session; `listeners` (a progress line) see every run and must outlive the call.
// Throws UsageError for a command that -N cannot split ("CMD 'a \"b': unbalanced quotes..."),
// and ExecutionError (exit 3) naming the first failed run, or a journal that cannot be written.
[[nodiscard]] TimeResults run_time_session(
    const TimeRequest& request, std::span<harness::ScheduleListener* const> listeners = {});

}  // namespace perfguard::pipeline
