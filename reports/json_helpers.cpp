#include "reports/json_helpers.hpp"

#include <cmath>

#include "core/check.hpp"

namespace perfguard::reports {

Json json_number(double value) {
  PG_CHECK(std::isfinite(value));  // non-finite numbers never reach JSON
  return value;
}

Json json_number(const std::optional<double>& value) {
  return value ? json_number(*value) : Json(nullptr);
}

Json json_interval(const std::optional<stats::Interval>& interval) {
  if (!interval) return nullptr;
  return Json::array({json_number(interval->lo), json_number(interval->hi)});
}

Json json_text_or_null(std::string_view text) {
  return text.empty() ? Json(nullptr) : Json(std::string(text));
}

const Json& field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text_of(const Json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<double> number_of(const Json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  return std::isfinite(v) ? std::optional(v) : std::nullopt;
}

std::optional<stats::Interval> interval_of(const Json& value) {
  if (!value.is_array() || value.size() != 2) return std::nullopt;
  const auto lo = number_of(value[0]);
  const auto hi = number_of(value[1]);
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return stats::Interval{*lo, *hi};
}

bool is_true(const Json& value) { return value.is_boolean() && value.get<bool>(); }

bool passes_of(const Json& row) { return is_true(field(row, "passes")); }

}  // namespace perfguard::reports
