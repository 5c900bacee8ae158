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

// The one quantity formatter (reports, reasons and pages all call it). Expected strings are the
// definitions in budgets/units.hpp applied by hand: the largest step not above the value,
// then three (seconds, bytes) or four (counts, others) significant digits.
TEST(FormatQuantity, StepsThroughTheUnitsOfEachKind) {
  EXPECT_EQ(format_quantity(12.5e-9, "s"), "12.5 ns");
  EXPECT_EQ(format_quantity(0.0123, "s"), "12.3 ms");
  EXPECT_EQ(format_quantity(1.5, "s"), "1.5 s");
  EXPECT_EQ(format_quantity(90.0, "s"), "90 s");  // no minutes: seconds stay seconds
  EXPECT_EQ(format_quantity(512.0, "bytes"), "512 B");
  EXPECT_EQ(format_quantity(1e9, "bytes"), "1 GB");
  EXPECT_EQ(format_quantity(0.5, "bytes"), "0.5 B");  // below the first step: the first
  EXPECT_EQ(format_quantity(12.5, "ns"), "12.5 ns");  // a unit with no steps stays as given
  EXPECT_EQ(format_quantity(12.3456, ""), "12.35");
  EXPECT_EQ(format_quantity(-0.0123, "s"), "-12.3 ms");  // the magnitude picks the step
}

// The time command's report kept its own copy that wrote microseconds as "µs" and memory in
// powers of 1024 ("46 MiB" for 48.2e6 bytes), so one run read differently in `time` and in
// `compare`. The one formatter spells every unit as perfguard.json does, so a number can be
// pasted back into a budget.
TEST(FormatQuantity, UnitsAreTheOnesTheConfigReads) {
  EXPECT_EQ(format_quantity(850e-6, "s"), "850 us");
  EXPECT_DOUBLE_EQ(*parse_duration("850us"), 850e-6);
  EXPECT_EQ(format_quantity(48.2e6, "bytes"), "48.2 MB");
  EXPECT_DOUBLE_EQ(*parse_size("48.2MB"), 48.2e6);
  EXPECT_EQ(format_quantity(2.5e9, "instructions"), "2.5 G instructions");
  EXPECT_DOUBLE_EQ(*parse_count("2.5G"), 2.5e9);
}

TEST(FormatQuantity, PreciseKeepsFourDigits) {
  // An interval 129.6 ms .. 130.4 ms must not read "130 ms .. 130 ms".
  EXPECT_EQ(format_quantity(0.1296, "s"), "130 ms");
  EXPECT_EQ(format_quantity_precise(0.1296, "s"), "129.6 ms");
  EXPECT_EQ(format_quantity_precise(48.25e6, "bytes"), "48.25 MB");
  EXPECT_EQ(format_quantity_precise(7.0, ""), "7");
}

TEST(FormatQuantity, FixedDecimalsInAUnitChosenOnce) {
  const DisplayUnit ms = display_unit(0.020, "s");
  EXPECT_DOUBLE_EQ(ms.factor, 1e-3);
  EXPECT_EQ(ms.name, "ms");
  // One unit for a whole column: 0.9 ms stays in ms, not "900 us".
  EXPECT_EQ(format_fixed(0.0009, ms, 2), "0.90 ms");
  EXPECT_EQ(format_fixed(0.0123, ms, 1), "12.3 ms");
  const DisplayUnit none = display_unit(3.0, "");
  EXPECT_EQ(format_fixed(3.0, none, 0), "3");
  const DisplayUnit counts = display_unit(2.5e6, "cycles");
  EXPECT_DOUBLE_EQ(counts.factor, 1e6);
  EXPECT_EQ(counts.name, "M cycles");
  EXPECT_EQ(display_unit(12.0, "cycles").name, "cycles");
}

}  // namespace
}  // namespace perfguard::budgets
