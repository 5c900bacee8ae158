#pragma once
// Small text helpers every module uses: one home, so that lists read the same in every
// message and page.
#include <ranges>
#include <string>
#include <string_view>

namespace perfguard {

// The items with `separator` between each pair: {"a", "b", "c"} -> "a, b, c"; "" when empty.
// Items are anything a std::string_view can be made from (std::string, const char*, ...).
template <std::ranges::input_range Range>
[[nodiscard]] std::string join(const Range& items, std::string_view separator = ", ") {
  std::string joined;
  bool first = true;
  for (const auto& item : items) {
    if (!first) joined += separator;
    joined += std::string_view(item);
    first = false;
  }
  return joined;
}

}  // namespace perfguard
