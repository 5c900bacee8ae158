#include "budgets/units.hpp"

#include <gtest/gtest.h>

namespace perfguard::budgets {
namespace {

// Expected values are the units' definitions (SI prefixes; IEC binary prefixes).
TEST(Units, Percentages) {
  EXPECT_DOUBLE_EQ(*parse_percentage("5%"), 0.05);
  EXPECT_DOUBLE_EQ(*parse_percentage("0.5%"), 0.005);
  EXPECT_DOUBLE_EQ(*parse_percentage("150%"), 1.5);
  for (const char* bad : {"5", "%", "-5%", "5 %", "five%", "5%%", "nan%", "inf%", "+5%", ""}) {
    EXPECT_FALSE(parse_percentage(bad)) << bad;
  }
}

TEST(Units, Durations) {
  EXPECT_DOUBLE_EQ(*parse_duration("250ms"), 0.25);
  EXPECT_DOUBLE_EQ(*parse_duration("1s"), 1.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1.5us"), 1.5e-6);
  EXPECT_DOUBLE_EQ(*parse_duration("20ns"), 20e-9);
  EXPECT_DOUBLE_EQ(*parse_duration("2m"), 120.0);
  EXPECT_DOUBLE_EQ(*parse_duration("1h"), 3600.0);
  for (const char* bad : {"1", "s", "1 s", "1sec", "-1s", "1min", "ms", "1MS"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Units, Sizes) {
  EXPECT_DOUBLE_EQ(*parse_size("50MB"), 50e6);
  EXPECT_DOUBLE_EQ(*parse_size("1KiB"), 1024.0);
  EXPECT_DOUBLE_EQ(*parse_size("2MiB"), 2.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*parse_size("1GiB"), 1024.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*parse_size("3GB"), 3e9);
  EXPECT_DOUBLE_EQ(*parse_size("10B"), 10.0);
  EXPECT_DOUBLE_EQ(*parse_size("1.5KB"), 1500.0);
  for (const char* bad : {"50", "MB", "50mb", "50 MB", "-1B", "1TB", "1KIB"}) {
    EXPECT_FALSE(parse_size(bad)) << bad;
  }
}

TEST(Units, Confidence) {
  EXPECT_DOUBLE_EQ(*parse_confidence("0.95"), 0.95);
  EXPECT_DOUBLE_EQ(*parse_confidence("99%"), 0.99);
  for (const char* bad : {"0", "1", "100%", "0%", "1.5", "-0.5", "abc", "95"}) {
    EXPECT_FALSE(parse_confidence(bad)) << bad;
  }
}

}  // namespace
}  // namespace perfguard::budgets
