#pragma once
// `perfguard time --metric instructions|estimated_cycles`: commands measured under Callgrind
// (harness/callgrind.hpp) instead of timed. Counts that agree run for run are compared
// exactly; counts that vary are compared like timings, with a note (budgets/verdict.hpp).
// The renderings follow time_report.hpp's: terminal text, --export-json, --export-markdown.
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "budgets/verdict.hpp"
#include "guard/time_report.hpp"
#include "harness/schedule.hpp"
#include "reports/stats_report.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::guard {

// "instructions" or "estimated_cycles": the metrics `time --metric` counts rather than times.
[[nodiscard]] bool is_count_metric_name(std::string_view metric) noexcept;

struct CountedCommand {
  std::string command;
  std::vector<double> counts;  // per measured run, in order
  std::vector<int> exit_codes;
  std::optional<stats::Summary> summary;  // of counts; nullopt without runs
  bool constant = false;                  // at least 2 runs, all the same count
};

struct CountComparison {
  std::size_t command = 0;  // index into CountReport::commands; compared with commands[0]
  budgets::Row row;         // the verdict engine's row: exact, ratio, verdict, reason
};

struct CountReport {
  std::string metric;  // instructions or estimated_cycles
  std::string unit;    // instructions or cycles
  std::vector<CountedCommand> commands;
  std::vector<CountComparison> comparisons;
  double confidence = budgets::kDefaultConfidence;
  std::size_t runs = 0;
  std::size_t planned_runs = 0;
  std::size_t looks = 0;
  harness::StopReason stop_reason = harness::StopReason::planned_runs;
  TimeSettings settings;  // all but `metric`, which is the field above
};

[[nodiscard]] CountReport make_count_report(const harness::ScheduleResult& result,
                                            const std::vector<std::string>& commands,
                                            const std::vector<std::string>& variants,
                                            std::string_view metric, const TimeSettings& settings);

// Whether a comparison's verdict makes --fail-if-slower exit 1.
[[nodiscard]] bool is_slower(const CountComparison& comparison) noexcept;

void write_count_text(std::ostream& out, const CountReport& report);
[[nodiscard]] reports::Json count_json(const CountReport& report, const std::string& generated_at);
void write_count_markdown(std::ostream& out, const CountReport& report);

}  // namespace perfguard::guard
