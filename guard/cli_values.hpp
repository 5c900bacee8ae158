#pragma once
// Command-line quantities: the budgets/units parsers, with errors that name the flag.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "stats/compare.hpp"

namespace perfguard::guard {

// "--threshold 5%" -> 0.05; throws UsageError naming the flag otherwise. Must be > 0.
[[nodiscard]] double threshold_flag(const std::string& flag, const std::string& text);

// "--confidence 0.95" or "95%" -> 0.95, strictly between 0 and 1.
[[nodiscard]] double confidence_flag(const std::string& flag, const std::string& text);

// "--timeout 5s" -> 5.0 seconds (ns, us, ms, s, m, h).
[[nodiscard]] double duration_flag(const std::string& flag, const std::string& text);

// The same, and longer than 0, as the config requires of "timeout".
[[nodiscard]] double positive_duration_flag(const std::string& flag, const std::string& text);

// The largest count a flag takes (runs, warmups): far beyond any real run, and far from a wrap.
inline constexpr std::uint64_t kMaxCount = 1'000'000'000;

// A CLI11 check on a count's text before it is converted: decimal digits only (no sign, no
// exponent, no "+"), from `minimum` to `maximum`. CLI11 alone would wrap "-1" and 2^64 into
// huge unsigned values. The error names the option as typed.
[[nodiscard]] CLI::Validator whole_number(std::uint64_t minimum, std::uint64_t maximum = kMaxCount);

// For a replay command: " --threshold T --confidence C", each only when it is not the default,
// shell-quoted, so that the replay judges as the run it repeats did.
[[nodiscard]] std::string judgement_flags(const std::string& threshold,
                                          const std::string& confidence);

// "--ratio-method paired_sign" -> stats::RatioMethod::paired_sign (stats::parse_ratio_method);
// any other name is a UsageError naming the flag and the valid names.
[[nodiscard]] stats::RatioMethod ratio_method_flag(const std::string& flag,
                                                   const std::string& text);

// "--cpu 0-3,6" -> {0, 1, 2, 3, 6}; every CPU must be one perfguard may run on.
[[nodiscard]] std::vector<int> cpu_flag(const std::string& flag, const std::string& text);

}  // namespace perfguard::guard
