#pragma once
// The defaults every judging command shares (docs/design.md, "Decisions"), as numbers and as the
// text a flag shows in --help and a replay command leaves out when it is the default.
#include <string_view>

namespace perfguard {

// A change smaller than this is `unchanged` however certain it is.
inline constexpr double kDefaultThreshold = 0.05;
inline constexpr std::string_view kDefaultThresholdText = "5%";

// The gates' default confidence (time, diff, compare). `regressed` needs the interval's lower
// end above 1, a one-sided error of at most (1 - confidence) / 2 -- 1% per benchmark on
// identical code, however noisy the machine (bench/detection/README.md). `perfguard stats`
// describes rather than gates and keeps the customary 0.95.
inline constexpr double kDefaultConfidence = 0.98;
inline constexpr std::string_view kDefaultConfidenceText = "0.98";

}  // namespace perfguard
