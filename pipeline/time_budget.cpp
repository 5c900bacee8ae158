#include "pipeline/time_budget.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/duration.hpp"

namespace perfguard::pipeline {
namespace {

using std::chrono::nanoseconds;

nanoseconds rounds_of(const harness::Pace& pace, std::size_t runs) {
  const std::size_t left = runs > pace.rounds_done ? runs - pace.rounds_done : 0;
  return pace.per_round * static_cast<nanoseconds::rep>(left);
}

}  // namespace

std::vector<std::string> estimate_lines(const harness::Pace& pace, const RunLimits& limits) {
  std::vector<std::string> lines;
  const nanoseconds least = rounds_of(pace, limits.min_runs);
  const std::size_t planned = limits.max_runs.value_or(pace.planned_runs);
  const nanoseconds most = rounds_of(pace, planned);
  const std::string source = pace.from_warmups ? "the warmups' pace" : "the first round's pace";
  std::string note = fmt::format(
      "perfguard: note: {}measuring takes about {} for {} runs per side, up to {} for {} ({} a "
      "round at {})",
      limits.max_runs
          ? ""
          : fmt::format("planning up to {} runs per side from the time budget; ", planned),
      harness::format_duration(least), limits.min_runs, harness::format_duration(most), planned,
      harness::format_duration(pace.per_round), source);
  if (!limits.max_time) {
    lines.push_back(std::move(note));
    return lines;
  }
  const nanoseconds left = std::max(*limits.max_time - pace.elapsed, nanoseconds{0});
  note += fmt::format("; the time budget has {} left", harness::format_duration(left));
  lines.push_back(std::move(note));
  if (least > left) {
    lines.push_back(fmt::format(
        "perfguard: warning: {} runs per side need about {}, more than the {} left of the time "
        "budget: benchmarks short of {} runs when it runs out will be inconclusive. To fit, "
        "measure fewer (--only GLOB, or --shard I/N across hosts), give Google Benchmark a "
        "shorter --benchmark_min_time in the config's \"args\", or allow more time (--max-time)",
        limits.min_runs, harness::format_duration(least), harness::format_duration(left),
        limits.min_runs));
  }
  return lines;
}

void EstimateNotes::on_pace(const harness::Pace& pace) {
  if (before_printing_) before_printing_();
  for (const std::string& line : estimate_lines(pace, limits_)) notes_ << line << '\n';
  notes_.flush();
}

}  // namespace perfguard::pipeline
