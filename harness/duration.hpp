#pragma once
// Short human-readable durations for failure reasons and messages: "5s", "250ms", "1.5s".
#include <chrono>
#include <string>

namespace perfguard::harness {

// Whole seconds from 100 s, seconds at 1 s and above, milliseconds down to 1 ms, microseconds
// below; at most 3 significant digits, trailing zeros dropped.
[[nodiscard]] std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace perfguard::harness
