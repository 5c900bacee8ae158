#include "guard/cli_values.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "harness/cpu_list.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::guard {

std::string judgement_flags(const std::string& threshold, const std::string& confidence) {
  std::string flags;
  if (threshold != kDefaultThresholdText) flags += " --threshold " + reports::shell_quote(threshold);
  if (confidence != budgets::kDefaultConfidenceText)
    flags += " --confidence " + reports::shell_quote(confidence);
  return flags;
}

stats::RatioMethod ratio_method_flag(const std::string& flag, const std::string& text) {
  const std::optional<stats::RatioMethod> method = stats::parse_ratio_method(text);
  if (!method) {
    throw UsageError(fmt::format("{} {}: expected one of {}", flag, printable(text),
                                 stats::ratio_method_names()));
  }
  return *method;
}

double threshold_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_percentage(text);
  if (!value || *value <= 0.0) {
    throw UsageError(fmt::format("{} {}: expected a positive percentage such as 5%", flag, text));
  }
  return *value;
}

double confidence_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_confidence(text);
  if (!value)
    throw UsageError(
        fmt::format("{} {}: expected a level between 0 and 1 such as 0.95 or 95%", flag, text));
  return *value;
}

double duration_flag(const std::string& flag, const std::string& text) {
  const std::optional<double> value = budgets::parse_duration(text);
  if (!value)
    throw UsageError(
        fmt::format("{} {}: expected a duration such as 500ms, 10s or 2m", flag, text));
  return *value;
}

double positive_duration_flag(const std::string& flag, const std::string& text) {
  const double seconds = duration_flag(flag, text);
  if (seconds <= 0.0)
    throw UsageError(fmt::format("{} {}: expected a positive duration such as 10s", flag, text));
  return seconds;
}

CLI::Validator whole_number(std::uint64_t minimum, std::uint64_t maximum) {
  return CLI::Validator(
      [minimum, maximum](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const bool digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        const auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (!digits || ec != std::errc{} || stop != end || value < minimum || value > maximum) {
          return fmt::format("{}: expected a whole number from {} to {}", text, minimum, maximum);
        }
        return "";
      },
      fmt::format("INT in [{} - {}]", minimum, maximum), "whole number");
}

std::vector<int> cpu_flag(const std::string& flag, const std::string& text) {
  const std::optional<std::vector<int>> cpus = harness::parse_cpu_list(text);
  if (!cpus)
    throw UsageError(fmt::format("{} {}: expected a CPU list such as 0 or 0-3,6", flag, text));
  const std::vector<int> allowed = harness::allowed_cpus();
  for (const int cpu : *cpus) {
    if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end()) {
      throw UsageError(fmt::format("{} {}: CPU {} is not available (perfguard may use {})", flag,
                                   text, cpu, harness::format_cpu_list(allowed)));
    }
  }
  return *cpus;
}

}  // namespace perfguard::guard
