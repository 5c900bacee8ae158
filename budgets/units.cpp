#include "budgets/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>

#include <fmt/format.h>

namespace perfguard::budgets {
namespace {

struct Unit {
  std::string_view suffix;
  double scale;
};

// The whole text must be a finite, non-negative number.
std::optional<double> parse_number(std::string_view text) noexcept {
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || value < 0.0) return std::nullopt;
  return value;
}

// A number followed by one of the units. Longer suffixes are listed first ("ms" before "s").
template <std::size_t N>
std::optional<double> parse_with_unit(std::string_view text,
                                      const std::array<Unit, N>& units) noexcept {
  for (const Unit& unit : units) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      const std::optional<double> number =
          parse_number(text.substr(0, text.size() - unit.suffix.size()));
      if (number) return *number * unit.scale;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

constexpr std::array<Unit, 6> kDurationUnits{
    {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}}};

constexpr std::array<Unit, 7> kSizeUnits{{{"KiB", 1024.0},
                                          {"MiB", 1024.0 * 1024.0},
                                          {"GiB", 1024.0 * 1024.0 * 1024.0},
                                          {"KB", 1e3},
                                          {"MB", 1e6},
                                          {"GB", 1e9},
                                          {"B", 1.0}}};

}  // namespace

std::optional<double> parse_percentage(std::string_view text) noexcept {
  constexpr std::array<Unit, 1> kPercent{{{"%", 0.01}}};
  return parse_with_unit(text, kPercent);
}

std::optional<double> parse_duration(std::string_view text) noexcept {
  return parse_with_unit(text, kDurationUnits);
}

std::optional<double> parse_size(std::string_view text) noexcept {
  return parse_with_unit(text, kSizeUnits);
}

std::optional<double> parse_count(std::string_view text) noexcept {
  constexpr std::array<Unit, 3> kCountUnits{{{"k", 1e3}, {"M", 1e6}, {"G", 1e9}}};
  if (const std::optional<double> plain = parse_number(text)) return plain;
  return parse_with_unit(text, kCountUnits);
}

std::optional<double> parse_confidence(std::string_view text) noexcept {
  std::optional<double> value = text.ends_with('%') ? parse_percentage(text) : parse_number(text);
  if (!value || *value <= 0.0 || *value >= 1.0) return std::nullopt;
  return value;
}

}  // namespace perfguard::budgets

namespace perfguard::budgets {

DisplayUnit display_unit(double magnitude, std::string_view unit) {
  struct Step {
    double factor;
    const char* name;
  };
  const auto pick = [magnitude](std::initializer_list<Step> steps) {
    const Step* chosen = steps.begin();
    for (const Step& step : steps) {
      if (magnitude >= step.factor) chosen = &step;
    }
    return DisplayUnit{chosen->factor, chosen->name};
  };
  if (unit == "s") return pick({{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}, {1.0, "s"}});
  if (unit == "bytes") return pick({{1.0, "B"}, {1e3, "KB"}, {1e6, "MB"}, {1e9, "GB"}});
  if (unit == "instructions" || unit == "cycles") {
    DisplayUnit counted = pick({{1.0, ""}, {1e3, "k "}, {1e6, "M "}, {1e9, "G "}});
    counted.name += unit;
    return counted;
  }
  return DisplayUnit{1.0, std::string(unit)};
}

namespace {

std::string significant(double value, std::string_view unit, int digits) {
  const DisplayUnit shown_in = display_unit(std::fabs(value), unit);
  return fmt::format("{:.{}g}{}{}", value / shown_in.factor, digits,
                     shown_in.name.empty() ? "" : " ", shown_in.name);
}

}  // namespace

std::string format_quantity(double value, std::string_view unit) {
  // Counts are exact; four significant digits show a 0.1% change.
  return significant(value, unit, unit == "s" || unit == "bytes" ? 3 : 4);
}

std::string format_quantity_precise(double value, std::string_view unit) {
  return significant(value, unit, 4);
}

std::string format_fixed(double value, const DisplayUnit& unit, int decimals) {
  return fmt::format("{:.{}f}{}{}", value / unit.factor, decimals, unit.name.empty() ? "" : " ",
                     unit.name);
}

}  // namespace perfguard::budgets
