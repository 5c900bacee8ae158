// Choosing a backend by the location's form, and reading values back.
#include <memory>
#include <string>
#include <string_view>

#include "history/database.hpp"

namespace perfguard::history {

bool is_postgresql_url(std::string_view location) noexcept {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Database> open_database(const std::string& location, const OpenOptions& options) {
  if (is_postgresql_url(location)) return open_postgresql(location);
  return open_sqlite(location, options);
}

std::optional<double> as_double(const Value& value) {
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  return std::nullopt;
}

std::optional<std::int64_t> as_int(const Value& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  return std::nullopt;
}

std::optional<std::string> as_text(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return std::nullopt;
}

}  // namespace perfguard::history
