// split_words: POSIX shell quoting without a shell (the expected splits are what sh makes of
// the same strings).
#include <gtest/gtest.h>

#include "harness/command_line.hpp"

namespace perfguard::harness {
namespace {

using Words = std::vector<std::string>;

TEST(SplitWords, SplitsOnUnquotedBlanks) {
  EXPECT_EQ(split_words("sleep 0.1"), (Words{"sleep", "0.1"}));
  EXPECT_EQ(split_words("  a \t b\n c  "), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_words(""), Words{});
  EXPECT_EQ(split_words("   "), Words{});
}

TEST(SplitWords, QuotesKeepBlanksAndJoinWords) {
  EXPECT_EQ(split_words("grep 'a b' \"c d\""), (Words{"grep", "a b", "c d"}));
  EXPECT_EQ(split_words("x'y'\"z\""), (Words{"xyz"}));
  EXPECT_EQ(split_words("''"), (Words{""}));
  EXPECT_EQ(split_words("'$HOME \\n'"), (Words{"$HOME \\n"}));
}

TEST(SplitWords, BackslashesFollowShellRules) {
  EXPECT_EQ(split_words("a\\ b"), (Words{"a b"}));
  EXPECT_EQ(split_words(R"("a \"b\" \\ \$ \x")"), (Words{R"(a "b" \ $ \x)"}));
  EXPECT_EQ(split_words("a\\\nb"), (Words{"ab"}));
}

TEST(SplitWords, UnterminatedQuotingIsAnError) {
  EXPECT_EQ(split_words("echo 'oops"), std::nullopt);
  EXPECT_EQ(split_words("echo \"oops"), std::nullopt);
  EXPECT_EQ(split_words("echo oops\\"), std::nullopt);
}

}  // namespace
}  // namespace perfguard::harness
