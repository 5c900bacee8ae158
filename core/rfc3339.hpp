#pragma once
// RFC 3339 timestamps, the form of every "generated_at" and "time" perfguard writes, and the
// form `perfguard check` reads back.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace perfguard {

// "2026-11-22T01:02:03Z": whole seconds, UTC.
[[nodiscard]] std::string format_rfc3339(std::chrono::sys_seconds time);

// format_rfc3339 of the current time.
[[nodiscard]] std::string rfc3339_now();

// RFC 3339 section 5.6's date-time: "YYYY-MM-DDTHH:MM:SS", optional fractional seconds
// (dropped: the result is whole seconds), then "Z" or a "+hh:mm" / "-hh:mm" offset; 't' and 'z'
// may be lower case. The point in time it names, or nullopt when the text is not of that form
// or names no real date and time (February 30th, hour 24, an offset beyond 23:59). A leap
// second (:60) is accepted, as the RFC allows, and counts as the first second of the next
// minute.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_rfc3339(std::string_view text);

}  // namespace perfguard
