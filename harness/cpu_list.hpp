#pragma once
// CPU lists as taskset(1) and /sys/devices/system/cpu write them: "0-3,6".
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace perfguard::harness {

// "0-3,6" -> {0, 1, 2, 3, 6}: comma-separated CPUs and inclusive ranges, sorted and without
// duplicates. nullopt when malformed, empty, a range is reversed, or a CPU is beyond what
// cpu_set_t can hold (CPU_SETSIZE); the caller names the flag or file in its error.
[[nodiscard]] std::optional<std::vector<int>> parse_cpu_list(std::string_view text);

// The inverse: sorted CPUs -> "0-3,6".
[[nodiscard]] std::string format_cpu_list(std::span<const int> cpus);

// The CPUs perfguard itself may run on (sched_getaffinity), sorted: what an unpinned child
// inherits, and what a --cpu list must stay within.
[[nodiscard]] std::vector<int> allowed_cpus();

}  // namespace perfguard::harness
