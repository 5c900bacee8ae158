#pragma once
// hyperfine-style progress on a terminal: one line on stderr, redrawn in place at most ten
// times a second, erased at the end. Only attached when stderr is a TTY. From the second
// round on it shows the time left at most (time_left()).
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/schedule.hpp"

namespace perfguard::pipeline {

class ProgressLine final : public harness::ScheduleListener {
 public:
  // `subject`: what runs, e.g. "2 commands interleaved".
  explicit ProgressLine(std::string subject) : subject_(std::move(subject)) {}
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Remembers the last run; for variants named "base" and "candidate" also the primary
  // times (wall_time, real_time), to show the current ratio of medians.
  void on_run(const harness::RunRecord& record) override;
  void on_progress(const harness::Progress& progress) override;
  // Erases the line, so that what is printed next starts on a clean line.
  void clear();

 private:
  std::string subject_;
  std::string last_run_;
  std::map<std::string, std::map<std::string, std::vector<double>>>
      times_;  // benchmark -> side -> values
  std::string last_benchmark_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_draw_;
};

// The time the rest of the schedule takes at most, at the pace of the rounds so far: the
// rounds left to the planned count times the mean round. Adaptive stopping may end sooner.
// nullopt before a measured round has completed, or while the planned count is unknown.
[[nodiscard]] std::optional<std::chrono::nanoseconds> time_left(const harness::Progress& progress);

// "45 s", "3 min 05 s", "1 h 02 min".
[[nodiscard]] std::string format_time_left(std::chrono::nanoseconds left);

}  // namespace perfguard::pipeline
