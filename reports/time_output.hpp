#pragma once
// `perfguard time` results: each command's statistics and warnings, each command compared with
// the first, and their renderings -- the terminal text (hyperfine's layout), --export-json
// (hyperfine's field names where the meaning is the same; docs/time.md) and --export-markdown.
// pipeline/time_report.hpp builds the results from the schedule's runs; writers take
// std::ostream&, and guard/cmd_time.cpp decides where output goes.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "budgets/verdict.hpp"
#include "core/json.hpp"
#include "harness/schedule.hpp"
#include "stats/compare.hpp"

namespace perfguard::reports {

inline constexpr const char* kTimeSchema = "perfguard.time.v1";

// What the comparisons judge. Wall time is what a user waits for; CPU time (user + system of
// the command and of the processes it started and waited for, as wait4 reports) is what a
// CPU-bound command costs, and barely moves when other programs compete for the CPUs
// (bench/detection/README.md).
enum class TimeMetric { wall_time, cpu_time };

[[nodiscard]] std::string_view to_string(TimeMetric metric) noexcept;
// "wall_time" or "cpu_time"; nullopt otherwise.
[[nodiscard]] std::optional<TimeMetric> parse_time_metric(std::string_view text) noexcept;

// What shaped the runs and the verdicts; exported beside them.
struct TimeSettings {
  TimeMetric metric = TimeMetric::wall_time;
  double threshold = budgets::kDefaultThreshold;
  double alpha = 1.0 - budgets::kDefaultConfidence;  // overall two-sided, spent across the looks
  std::uint64_t seed = harness::kDefaultScheduleSeed;
  std::size_t warmup = 0;
  std::size_t min_runs = 0;
  std::optional<std::size_t> max_runs;
  std::optional<double> max_time;    // seconds
  std::optional<double> timeout;     // seconds
  std::optional<std::string> shell;  // nullopt: -N, no shell
  std::vector<int> cpus;             // the CPUs the commands ran on
  bool pinned = false;               // whether --cpu chose them
  // --ratio-method: how each comparison's ratio and interval are reached (the rounds pair
  // every command's run i), and what the stop rule settles by.
  stats::RatioMethod ratio_method = budgets::kDefaultRatioMethod;
};

struct TimedCommand {
  std::string command;  // as the user wrote it
  // Per measured run, in order; run i of every vector is the same run.
  std::vector<double> times;    // wall seconds
  std::vector<double> user;     // seconds
  std::vector<double> system;   // seconds
  std::vector<double> max_rss;  // bytes
  std::vector<int> exit_codes;
  std::optional<stats::Summary> summary;  // of times; nullopt without runs

  std::vector<std::string> warnings;
};

struct TimedComparison {
  std::size_t command = 0;  // index into TimeReport::commands; compared with commands[0]
  stats::Comparison comparison;
  budgets::Judgement judgement;
};

struct TimeReport {
  std::vector<TimedCommand> commands;
  std::vector<TimedComparison> comparisons;  // one per command after the first
  // The level the final intervals use: the last look's, from the alpha spending.
  double confidence = budgets::kDefaultConfidence;
  std::size_t runs = 0;          // measured runs per command
  std::size_t planned_runs = 0;  // N of the schedule
  std::size_t looks = 0;
  harness::StopReason stop_reason = harness::StopReason::planned_runs;
  TimeSettings settings;
};

void write_time_text(std::ostream& out, const TimeReport& report);
[[nodiscard]] Json time_json(const TimeReport& report, const std::string& generated_at);
void write_time_markdown(std::ostream& out, const TimeReport& report);

// The "settings" block of a --export-json document, timed or counted; `metric` is what the
// comparisons judged ("wall_time", "instructions", ...).
[[nodiscard]] Json time_settings_json(const TimeSettings& settings, std::string_view metric);

// A duration as the time output shows it alone: "12.3 ms", "1.500 s", "850.0 µs".
[[nodiscard]] std::string format_seconds(double seconds);

}  // namespace perfguard::reports
