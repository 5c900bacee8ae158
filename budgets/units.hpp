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

// A quantity for people, scaled to a readable unit: seconds as "850 us", "12.3 ms", "1.50 s";
// bytes as "512 B", "48.2 MB" (powers of 1000, as the config's sizes); counts
// ("instructions", "cycles") as "1.234 G instructions", with the k, M, G of the config's
// counts; any other unit as the number and the unit ("12.5 ns" stays as given).
[[nodiscard]] std::string format_quantity(double value, std::string_view unit);

}  // namespace perfguard::budgets
