#pragma once
// The names of everything perfguard measures, as they appear in configs, flags, artifacts and
// samples.jsonl. Which benchmark kind measures which, and in what unit, is budgets/config.cpp's
// table; the names themselves are spelled here only.
#include <string_view>

namespace perfguard::metric {

// A whole process ("command" benchmarks, `perfguard time`).
inline constexpr std::string_view kWallTime = "wall_time";  // seconds, steady clock
inline constexpr std::string_view kUserTime = "user_time";  // seconds of user CPU
inline constexpr std::string_view kSysTime = "sys_time";    // seconds of system CPU
inline constexpr std::string_view kMaxRss = "max_rss";      // bytes
// user_time + sys_time of one run (`perfguard time --metric cpu_time`).
inline constexpr std::string_view kCpuTime = "cpu_time";
// One Google Benchmark repetition, seconds per iteration (cpu_time as above, per iteration).
inline constexpr std::string_view kRealTime = "real_time";
// A built file ("file_size" benchmarks), bytes.
inline constexpr std::string_view kFileSize = "file_size";
// Counted under Callgrind rather than timed.
inline constexpr std::string_view kInstructions = "instructions";
inline constexpr std::string_view kEstimatedCycles = "estimated_cycles";

}  // namespace perfguard::metric
