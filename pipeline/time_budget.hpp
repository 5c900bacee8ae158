#pragma once
// What `perfguard compare` says once the pace of a round is known (docs/gate.md, "A time
// budget"): how long measuring will take, and -- when a whole-phase --max-time cannot hold the
// minimum runs -- a warning naming what would make the suite fit.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "harness/schedule.hpp"

namespace perfguard::pipeline {

struct RunLimits {
  std::size_t min_runs = 10;
  // N; nullopt when the time budget plans it from the pace (Pace::planned_runs).
  std::optional<std::size_t> max_runs = 60;
  std::optional<std::chrono::nanoseconds> max_time;  // the whole measuring phase's budget
};

// The estimate, one line, and a warning line when min_runs rounds at this pace need more time
// than the budget has left. Each line starts "perfguard: note: " or "perfguard: warning: ".
// When the budget planned N, the note begins by saying so ("planning up to 120 runs per side
// from the time budget; ...").
[[nodiscard]] std::vector<std::string> estimate_lines(const harness::Pace& pace,
                                                      const RunLimits& limits);

// Prints estimate_lines to `notes` when the schedule tells the pace, after `before_printing`
// (which clears a live progress line).
class EstimateNotes : public harness::ScheduleListener {
 public:
  EstimateNotes(std::ostream& notes, RunLimits limits, std::function<void()> before_printing = {})
      : notes_(notes), limits_(limits), before_printing_(std::move(before_printing)) {}
  void on_run(const harness::RunRecord& /*record*/) override {}
  void on_pace(const harness::Pace& pace) override;

 private:
  std::ostream& notes_;
  RunLimits limits_;
  std::function<void()> before_printing_;
};

}  // namespace perfguard::pipeline
