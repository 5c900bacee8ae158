#pragma once
// `perfguard time`'s results built from the schedule's runs: each command's statistics and
// warnings, each command judged against the first, and the stop rules that end the runs
// (docs/time.md). reports/time_output.hpp and reports/count_output.hpp define the results and
// render them.
#include <string>
#include <string_view>
#include <vector>

#include "harness/schedule.hpp"
#include "reports/count_output.hpp"
#include "reports/time_output.hpp"

namespace perfguard::pipeline {

// A command whose runs vary more than this (stddev / mean) gets a noise warning.
inline constexpr double kNoisyCv = 0.10;

// Builds the report from the schedule's result for its one benchmark, whose variants are the
// commands in order (variants[i] measured commands[i]).
[[nodiscard]] reports::TimeReport make_time_report(const harness::ScheduleResult& result,
                                                   const std::vector<std::string>& commands,
                                                   const std::vector<std::string>& variants,
                                                   const reports::TimeSettings& settings);

// Whether a comparison's verdict makes --fail-if-slower exit 1.
[[nodiscard]] bool is_slower(const reports::TimedComparison& comparison) noexcept;

// "instructions" or "estimated_cycles": the metrics `time --metric` counts rather than times.
[[nodiscard]] bool is_count_metric_name(std::string_view metric) noexcept;

// The same for counts measured under Callgrind (harness/callgrind.hpp): counts that agree run
// for run are compared exactly; counts that vary are compared like timings, with a note
// (budgets/verdict.hpp).
[[nodiscard]] reports::CountReport make_count_report(const harness::ScheduleResult& result,
                                                     const std::vector<std::string>& commands,
                                                     const std::vector<std::string>& variants,
                                                     std::string_view metric,
                                                     const reports::TimeSettings& settings);

// Whether a comparison's verdict makes --fail-if-slower exit 1.
[[nodiscard]] bool is_slower(const reports::CountComparison& comparison) noexcept;

}  // namespace perfguard::pipeline
