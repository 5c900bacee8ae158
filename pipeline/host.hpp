#pragma once
// The machine a comparison ran on (docs/design.md, "Artifacts": host), read from /proc and /sys,
// and what about it makes timings less stable.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "reports/artifacts.hpp"

namespace perfguard::pipeline {

// CPU model, logical CPUs, kernel, load average now (as load_before), cpufreq governor and
// ASLR where readable. `pinned` is recorded as given.
[[nodiscard]] reports::Host read_host(std::span<const int> pinned);

// The 1, 5 and 15 minute load averages; nullopt when /proc/loadavg is unreadable.
[[nodiscard]] std::optional<std::array<double, 3>> read_load_average();

// One line per condition that makes timings noisier: a busy machine (1-minute load above half
// the logical CPUs), a cpufreq governor other than "performance", turbo boost on, ASLR on.
// `runnable_after_build`: after perfguard's own build, the tasks runnable besides perfguard
// once it settled (pipeline/settle.hpp); then "busy" is judged from that instead, since the
// 1-minute load still counts the build.
[[nodiscard]] std::vector<std::string> noise_warnings(
    const reports::Host& host, std::optional<double> runnable_after_build = std::nullopt);

}  // namespace perfguard::pipeline
