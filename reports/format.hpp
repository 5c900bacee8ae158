#pragma once
// Ratios and fractions as every renderer prints them (HTML, Markdown): one spelling each.
// Quantities with units (times, sizes, counts): budgets/units.hpp, format_quantity.
#include <string>
#include <string_view>

#include "stats/descriptive.hpp"

namespace perfguard::reports {

// A ratio as a change: 1.3 -> "+30.0%", 0.9 -> "-10.0%".
[[nodiscard]] std::string change_text(double ratio);

// A ratio interval as changes: [0.98, 1.05] -> "-2.0…+5.0%".
[[nodiscard]] std::string change_interval_text(const stats::Interval& ratio_ci);

// A fraction as a percentage to one decimal, without trailing zeros: 0.05 -> "5%",
// 0.993 -> "99.3%", 0.12345 -> "12.3%".
[[nodiscard]] std::string percent_text(double fraction);

// Text for one Markdown table cell: '|' is escaped and newlines become spaces, which would
// otherwise end the cell or the table.
[[nodiscard]] std::string markdown_cell(std::string_view text);

}  // namespace perfguard::reports
