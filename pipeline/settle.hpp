#pragma once
// Letting the machine settle after perfguard's own build. The 1-minute load average still
// counts the compiler for a minute or more after it exits (it decays with a 60 s time
// constant), so judging "is the machine busy?" from it right after a build blames the machine
// for perfguard's own work. What remains is better seen in the number of tasks runnable right
// now (/proc/loadavg's fourth field), sampled over a short window.
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace perfguard::pipeline {

// The runnable tasks of a /proc/loadavg line ("0.50 0.40 0.30 3/250 12345" -> 3), minus the
// one reading it; nullopt when the line has no such field.
[[nodiscard]] std::optional<double> runnable_besides_reader(std::string_view loadavg_line);

// The mean of runnable_besides_reader() over a short window; nullopt when unreadable.
using RunnableSampler = std::function<std::optional<double>()>;
[[nodiscard]] std::optional<double> sample_runnable();

// CPU seconds of perfguard's waited-for children so far (getrusage RUSAGE_CHILDREN): the
// difference across the builds is what they cost.
[[nodiscard]] double children_cpu_seconds();

// A build that cost less than this raised the 1-minute load by well under 0.1: not worth
// waiting for.
inline constexpr double kBuildCpuWorthSettling = 5.0;

// The compiler's processes end with the build; what still runs after a few seconds is someone
// else's, and waiting longer would only delay the gate.
inline constexpr std::chrono::seconds kSettleLimit{10};
inline constexpr std::chrono::seconds kSettleStep{2};

struct Settled {
  std::optional<double> runnable;  // the last sample: tasks runnable besides perfguard
  std::chrono::seconds waited{0};
};

// Samples until fewer than half of `cpus` tasks are runnable besides perfguard, sleeping
// `step` between samples, for at most `limit`: a machine still busy then is busy for reasons
// of its own. Returns the last sample and how long it waited.
[[nodiscard]] Settled settle(unsigned cpus, const RunnableSampler& sample,
                             const std::function<void(std::chrono::seconds)>& sleep,
                             std::chrono::seconds limit = kSettleLimit,
                             std::chrono::seconds step = kSettleStep);

}  // namespace perfguard::pipeline
