#include "guard/cli_values.hpp"

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/error.hpp"

namespace perfguard::guard {

double threshold_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_percentage(text);
  if (!value || *value <= 0.0) {
    throw UsageError(fmt::format("{} {}: expected a positive percentage such as 5%", flag, text));
  }
  return *value;
}

double confidence_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_confidence(text);
  if (!value) throw UsageError(fmt::format("{} {}: expected a level between 0 and 1 such as 0.95 or 95%", flag, text));
  return *value;
}

double duration_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_duration(text);
  if (!value) throw UsageError(fmt::format("{} {}: expected a duration such as 500ms, 10s or 2m", flag, text));
  return *value;
}

}  // namespace perfguard::guard
