#include "pipeline/progress_line.hpp"

#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

#include "harness/sample_set.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::pipeline {

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::clear() {
  if (!shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

std::optional<std::chrono::nanoseconds> time_left(const harness::Progress& progress) {
  if (progress.warmup || progress.round < 2 || progress.planned_runs == 0) return std::nullopt;
  const std::size_t done = progress.round - 1;
  const std::size_t left = progress.planned_runs >= done ? progress.planned_runs - done : 0;
  return progress.elapsed / static_cast<std::int64_t>(done) * static_cast<std::int64_t>(left);
}

std::string format_time_left(std::chrono::nanoseconds left) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left).count();
  if (seconds < 60) return fmt::format("{} s", seconds);
  if (seconds < 3600) return fmt::format("{} min {:02} s", seconds / 60, seconds % 60);
  return fmt::format("{} h {:02} min", seconds / 3600, (seconds % 3600) / 60);
}

void ProgressLine::on_run(const harness::RunRecord& record) {
  last_run_ = fmt::format("{} {} #{}", record.benchmark, record.variant, record.run + 1);
  if (record.warmup || (record.variant != "base" && record.variant != "candidate")) return;
  for (const harness::Observation& o : record.outcome.observations) {
    if (o.metric != harness::kWallTime && o.metric != harness::kRealTime) continue;
    last_benchmark_ = harness::sample_set_id(record.benchmark, o.case_name);
    times_[last_benchmark_][record.variant].push_back(o.value);
  }
}

void ProgressLine::on_progress(const harness::Progress& progress) {
  // Redrawing costs a write to the terminal: fast commands must not pay it every run.
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  shown_ = true;
  const std::string what =
      progress.warmup ? fmt::format("Warmup {}", progress.round)
      : progress.planned_runs > 0
          ? fmt::format("Round {} of at most {}", progress.round, progress.planned_runs)
          : fmt::format("Round {}", progress.round);
  std::string ratio;
  if (const auto found = times_.find(last_benchmark_); found != times_.end()) {
    const auto& sides = found->second;
    if (sides.contains("base") && sides.contains("candidate")) {
      const double base = *stats::median(sides.at("base"));
      if (base > 0.0)
        ratio = fmt::format(" · {} ratio {:.3f}", last_benchmark_,
                            *stats::median(sides.at("candidate")) / base);
    }
  }
  const std::optional<std::chrono::nanoseconds> left = time_left(progress);
  fmt::print(stderr, "\r\x1b[K{} · {} · {:.1f} s{} · {}{}", what, subject_,
             std::chrono::duration<double>(progress.elapsed).count(),
             left ? " (≤ " + format_time_left(*left) + " left)" : std::string(), last_run_, ratio);
  std::fflush(stderr);
}

}  // namespace perfguard::pipeline
