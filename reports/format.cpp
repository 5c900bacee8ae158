#include "reports/format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace perfguard::reports {

std::string change_text(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }

std::string change_interval_text(const stats::Interval& ratio_ci) {
  return fmt::format("{:+.1f}…{:+.1f}%", (ratio_ci.lo - 1.0) * 100.0, (ratio_ci.hi - 1.0) * 100.0);
}

std::string percent_text(double fraction) {
  return fmt::format("{:g}%", std::round(fraction * 1000.0) / 10.0);
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '|') {
      out += "\\|";
    } else if (ch == '\n') {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace perfguard::reports
