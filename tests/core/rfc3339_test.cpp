// RFC 3339 timestamps (core/rfc3339.hpp). Expected seconds since the epoch come from python3:
// int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()); the leap second, which
// datetime refuses, by hand (one second after 23:59:59).
#include "core/rfc3339.hpp"

#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace perfguard {
namespace {

std::optional<long long> epoch(const std::string& text) {
  const std::optional<std::chrono::sys_seconds> time = parse_rfc3339(text);
  if (!time) return std::nullopt;
  return time->time_since_epoch().count();
}

TEST(Rfc3339Parse, Utc) {
  EXPECT_EQ(epoch("2026-11-22T01:02:03Z"), 1795309323);
  EXPECT_EQ(epoch("1970-01-01T00:00:00Z"), 0);
}

TEST(Rfc3339Parse, LowerCaseSeparators) { EXPECT_EQ(epoch("2026-11-22t01:02:03z"), 1795309323); }

TEST(Rfc3339Parse, FractionalSecondsAreDropped) {
  EXPECT_EQ(epoch("2026-11-22T01:02:03.123456Z"), 1795309323);
  EXPECT_EQ(epoch("2026-11-22T01:02:03.9+00:00"), 1795309323);
}

TEST(Rfc3339Parse, Offsets) {
  EXPECT_EQ(epoch("2026-11-22T03:32:03+02:30"), 1795309323);
  EXPECT_EQ(epoch("2026-11-21T20:02:03-05:00"), 1795309323);
  EXPECT_EQ(epoch("2026-12-31T23:59:59+00:00"), 1798761599);
  EXPECT_EQ(epoch("2026-12-31T23:59:59-00:00"), 1798761599);
  // Across a year boundary: half past midnight in UTC+1 is the old year in UTC.
  EXPECT_EQ(epoch("2027-01-01T00:30:00+01:00"), 1798759800);
}

TEST(Rfc3339Parse, LeapDays) {
  EXPECT_EQ(epoch("2024-02-29T12:00:00Z"), 1709208000);
  EXPECT_EQ(epoch("2000-02-29T00:00:00Z"), 951782400);  // divisible by 400: a leap year
  EXPECT_EQ(epoch("2023-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(epoch("1900-02-29T00:00:00Z"), std::nullopt);  // divisible by 100 only: not
}

TEST(Rfc3339Parse, LeapSecondIsTheNextMinutesFirst) {
  EXPECT_EQ(epoch("2016-12-31T23:59:60Z"), 1483228799 + 1);
}

TEST(Rfc3339Parse, ImpossibleDatesAndTimes) {
  for (const char* text :
       {"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60"}) {
    EXPECT_EQ(epoch(text), std::nullopt) << text;
  }
}

TEST(Rfc3339Parse, MalformedText) {
  for (const char* text :
       {"", "2026-11-22", "2026-11-22T01:02:03", "2026-11-22 01:02:03Z", "2026/11/22T01:02:03Z",
        "2026-11-22T01:02:03ZZ", "2026-11-22T01:02:03Z ", " 2026-11-22T01:02:03Z",
        "2026-11-22T01:02:03.Z", "2026-11-22T01:02:03+0200", "2026-11-22T01:02:03+02",
        "2026-11-22T1:02:03Z", "-026-11-22T01:02:03Z", "2026-+1-22T01:02:03Z",
        "2026-11-22T01:02:03+-1:00", "yesterday", "1795309323"}) {
    EXPECT_EQ(epoch(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(Rfc3339Format, WholeSecondsInUtc) {
  EXPECT_EQ(format_rfc3339(std::chrono::sys_seconds(std::chrono::seconds(1795309323))),
            "2026-11-22T01:02:03Z");
  EXPECT_EQ(format_rfc3339(std::chrono::sys_seconds(std::chrono::seconds(951782400))),
            "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_rfc3339(std::chrono::sys_seconds(std::chrono::seconds(0))),
            "1970-01-01T00:00:00Z");
}

TEST(Rfc3339Format, NowReadsBack) {
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::optional<std::chrono::sys_seconds> now = parse_rfc3339(rfc3339_now());
  const auto after = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ASSERT_TRUE(now.has_value());
  EXPECT_LE(before, *now);
  EXPECT_LE(*now, after);
}

}  // namespace
}  // namespace perfguard
