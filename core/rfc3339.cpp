#include "core/rfc3339.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace perfguard {

std::string format_rfc3339(std::chrono::sys_seconds time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss clock(time - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::string rfc3339_now() {
  return format_rfc3339(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

std::optional<std::chrono::sys_seconds> parse_rfc3339(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  // Exactly `width` decimal digits at `at` (from_chars alone would take a sign).
  const auto number = [&](std::size_t at, std::size_t width, auto& out) {
    if (at + width > text.size()) return false;
    for (std::size_t i = at; i < at + width; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return false;
    }
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + width, out);
    return ec == std::errc{} && end == text.data() + at + width;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':' ||
      !number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t digits = at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) ++at;
    if (at == digits) return std::nullopt;  // time-secfrac is "." 1*DIGIT
  }
  std::chrono::minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    unsigned offset_hours = 0, offset_minutes = 0;
    if (!number(at + 1, 2, offset_hours) || !number(at + 4, 2, offset_minutes) ||
        offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
    if (text[at] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) - offset;
}

}  // namespace perfguard
