#pragma once
// The few helpers every artifact writer and renderer in reports/ shares, one copy each.
//
// Writing: a number that reaches a document is finite (a NaN is a bug upstream: PG_CHECK), an
// absent value is null, an interval is [lo, hi].
// Reading: the renderers may be handed an artifact someone edited, so a missing or mistyped
// field reads as "absent" (empty text, nullopt); it never throws or aborts.
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports {

// ---- Writing --------------------------------------------------------------------------------

// The value as a JSON number; aborts on a non-finite value.
[[nodiscard]] Json json_number(double value);
// The value, or null when absent.
[[nodiscard]] Json json_number(const std::optional<double>& value);
// [lo, hi], or null when absent.
[[nodiscard]] Json json_interval(const std::optional<stats::Interval>& interval);
// The text, or null when it is empty.
[[nodiscard]] Json json_text_or_null(std::string_view text);

// ---- Reading --------------------------------------------------------------------------------

// object[key], or null when `object` is not an object or has no such key.
[[nodiscard]] const Json& field(const Json& object, const char* key);
// The string, or "" for anything else.
[[nodiscard]] std::string text_of(const Json& value);
// The number when it is one and finite.
[[nodiscard]] std::optional<double> number_of(const Json& value);
// A [lo, hi] pair of finite numbers with lo <= hi.
[[nodiscard]] std::optional<stats::Interval> interval_of(const Json& value);
// true only for the boolean true.
[[nodiscard]] bool is_true(const Json& value);
// Whether an artifact row (a result, budget or family) lets the gate pass: its own "passes"
// (docs/report.md). Renderers read this, never verdict names; a row that does not say fails.
[[nodiscard]] bool passes_of(const Json& row);

}  // namespace perfguard::reports
