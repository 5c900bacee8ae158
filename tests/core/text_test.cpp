#include "core/text.hpp"

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace perfguard {
namespace {

TEST(Join, PutsTheSeparatorBetweenEachPair) {
  constexpr std::array<std::string_view, 3> kItems{"a", "b", "c"};
  EXPECT_EQ(join(kItems), "a, b, c");
  EXPECT_EQ(join(kItems, " · "), "a · b · c");
  EXPECT_EQ(join(std::vector<std::string>{"x", "y"}, ""), "xy");
}

TEST(Join, EmptyAndSingle) {
  EXPECT_EQ(join(std::span<const std::string_view>()), "");
  EXPECT_EQ(join(std::vector<std::string>{"only"}, ","), "only");
}

// The copies this replaced tested "is the output still empty" to decide on a separator, so
// leading empty items lost theirs: {"", "b"} gave "b". Every pair gets one.
TEST(Join, EmptyItemsKeepTheirSeparators) {
  EXPECT_EQ(join(std::vector<std::string>{"", "b"}, ","), ",b");
  EXPECT_EQ(join(std::vector<std::string>{"", "", ""}, "|"), "||");
}

}  // namespace
}  // namespace perfguard
