#pragma once
// Quantities as users write them in perfguard.json and on the command line. Each parser
// returns the value in base units (seconds, bytes, a fraction) or nullopt when the text is
// not of its form; callers turn that into an error naming the file/line or the flag.
#include <optional>
#include <string>
#include <string_view>

namespace perfguard::budgets {

// "5%" -> 0.05. A number followed by '%'; finite and >= 0.
[[nodiscard]] std::optional<double> parse_percentage(std::string_view text) noexcept;

// "250ms" -> 0.25. A number and one of ns, us, ms, s, m (minutes), h; finite and >= 0.
[[nodiscard]] std::optional<double> parse_duration(std::string_view text) noexcept;

// "50MB" -> 5e7, "1KiB" -> 1024. A number and one of B, KB, MB, GB (powers of 1000) or KiB,
// MiB, GiB (powers of 1024); finite and >= 0.
[[nodiscard]] std::optional<double> parse_size(std::string_view text) noexcept;

// "2.5G" -> 2.5e9. A count: a number, alone or followed by k, M or G (powers of 1000); finite
// and >= 0. Instruction and cycle counts are written this way.
[[nodiscard]] std::optional<double> parse_count(std::string_view text) noexcept;

// A confidence level: "0.95" or "95%" -> 0.95; must lie strictly between 0 and 1.
[[nodiscard]] std::optional<double> parse_confidence(std::string_view text) noexcept;

}  // namespace perfguard::budgets

namespace perfguard::budgets {

// Quantities for people: the one formatter of times, sizes and counts that every report,
// reason and page uses. Units are spelled as perfguard.json spells them (parse_duration,
// parse_size, parse_count read them back): "us", not "µs"; "MB" is 10^6 bytes.

// The unit a quantity of this magnitude is shown in: the value divided by `factor`, then
// `name`. Seconds step through ns, us, ms, s; bytes through B, KB, MB, GB (powers of 1000,
// as the config's sizes); counts ("instructions", "cycles") through "k ", "M ", "G " before
// the unit ("G instructions"). Any other unit is shown as given (factor 1; "" for none).
// The largest step not above the magnitude wins; below the first step, the first.
struct DisplayUnit {
  double factor = 1.0;
  std::string name;
};
[[nodiscard]] DisplayUnit display_unit(double magnitude, std::string_view unit);

// One quantity in its own display unit: seconds and bytes with three significant digits
// ("850 us", "12.3 ms", "1.5 s", "48.2 MB"); counts and other units with four ("1.235 G
// instructions": a 0.1% change shows; "12.5 ns" stays as given).
[[nodiscard]] std::string format_quantity(double value, std::string_view unit);

// Four significant digits in the display unit: table cells and descriptions, where an
// interval "129.6 ms – 130.4 ms" must not read "130 ms – 130 ms".
[[nodiscard]] std::string format_quantity_precise(double value, std::string_view unit);

// `value` in a display unit chosen once for many values (an axis, a table column), with a
// fixed number of decimals, so that the numbers line up: format_fixed(0.0123, ms, 1) is
// "12.3 ms".
[[nodiscard]] std::string format_fixed(double value, const DisplayUnit& unit, int decimals);

}  // namespace perfguard::budgets
