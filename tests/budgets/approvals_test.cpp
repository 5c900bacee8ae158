#include "budgets/approvals.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::budgets {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr year_month_day kToday{year(2026), month(11), day(25)};

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kValidFields{{
    {"benchmark", R"("cli.startup")"},
    {"metric", R"("wall_time")"},
    {"max_ratio", "1.15"},
    {"reason", R"("new plugin loader")"},
    {"approver", R"("j.doe")"},
    {"ticket", R"("#482")"},
    {"created", R"("2026-11-20")"},
    {"expires", R"("2026-12-10")"},
}};

// One approval written a field per line, so a field's value starts at column len(name) + 5
// ("name": value). `changed` replaces fields' JSON text; "" drops the field; a name that is not
// a field is appended.
std::string entry(const std::vector<std::pair<std::string_view, std::string_view>>& changed = {}) {
  std::vector<std::pair<std::string_view, std::string_view>> fields(kValidFields.begin(),
                                                                    kValidFields.end());
  for (const auto& [name, value] : changed) {
    const auto found =
        std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
    if (found == fields.end()) {
      fields.emplace_back(name, value);
    } else {
      found->second = value;
    }
  }
  std::string text = "{";
  bool first = true;
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    text +=
        std::string(first ? "\n" : ",\n") + "\"" + std::string(name) + "\": " + std::string(value);
    first = false;
  }
  return text + "\n}";
}

// Line 1 holds the schema and opens "approvals"; the first entry starts on line 2, column 1.
// A complete entry spans 10 lines, so the second starts on line 12.
std::string file_of(const std::vector<std::string>& entries) {
  std::string text = R"({"schema": "perfguard.approvals.v1", "approvals": [)";
  for (std::size_t i = 0; i < entries.size(); ++i) text += (i == 0 ? "\n" : ",\n") + entries[i];
  return text + "\n]}\n";
}

Approvals parse(const std::vector<std::string>& entries, year_month_day today = kToday) {
  return parse_approvals(file_of(entries), "a.json", today);
}

// The one entry's rejection, as "reason @ line:column".
std::string rejection_of(const std::string& one_entry, year_month_day today = kToday) {
  const Approvals approvals = parse({one_entry}, today);
  EXPECT_TRUE(approvals.valid.empty());
  if (approvals.invalid.size() != 1) return "not exactly one invalid approval";
  const InvalidApproval& invalid = approvals.invalid.front();
  return invalid.reason + " @ " + std::to_string(invalid.location.line) + ":" +
         std::to_string(invalid.location.column);
}

std::string file_error(std::string_view text) {
  try {
    (void)parse_approvals(text, "a.json", kToday);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  return "";
}

TEST(Approvals, ValidApproval) {
  const Approvals approvals = parse({entry()});
  EXPECT_EQ(approvals.path, "a.json");
  EXPECT_TRUE(approvals.invalid.empty());
  ASSERT_EQ(approvals.valid.size(), 1U);
  const Approval& approval = approvals.valid.front();
  EXPECT_EQ(approval.benchmark, "cli.startup");
  EXPECT_EQ(approval.metric, "wall_time");
  EXPECT_DOUBLE_EQ(approval.max_ratio, 1.15);
  EXPECT_EQ(approval.reason, "new plugin loader");
  EXPECT_EQ(approval.approver, "j.doe");
  EXPECT_EQ(approval.ticket, "#482");
  EXPECT_EQ(approval.created, (year_month_day{year(2026), month(11), day(20)}));
  EXPECT_EQ(approval.expires, (year_month_day{year(2026), month(12), day(10)}));
  EXPECT_EQ(approval.location.to_string(), "a.json:2:1");
  EXPECT_EQ(days_left(approval, kToday), 15);
}

TEST(Approvals, DesignExample) {
  const Approvals approvals = parse_approvals(R"({"schema": "perfguard.approvals.v1", "approvals": [
  {"benchmark": "cli.startup", "metric": "wall_time", "max_ratio": 1.15,
   "reason": "new plugin loader", "approver": "j.doe", "ticket": "#482",
   "created": "2026-11-20", "expires": "2026-12-10"}]})",
                                              "perfguard-approvals.json", kToday);
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_EQ(approvals.valid.front().location.to_string(), "perfguard-approvals.json:2:3");
}

TEST(Approvals, ExpiringSoonIsStillValid) {
  const Approvals approvals = parse({entry({{"expires", R"("2026-11-27")"}})});
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_EQ(days_left(approvals.valid.front(), kToday), 2);
  EXPECT_LE(days_left(approvals.valid.front(), kToday), kExpiryWarningDays);
}

TEST(Approvals, LastDayIsValidWithZeroDaysLeft) {
  const Approvals approvals = parse({entry({{"expires", R"("2026-11-25")"}})});
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_EQ(days_left(approvals.valid.front(), kToday), 0);
}

TEST(Approvals, CreatedTodayIsValid) {
  EXPECT_EQ(
      parse({entry({{"created", R"("2026-11-25")"}, {"expires", R"("2026-11-25")"}})}).valid.size(),
      1U);
}

TEST(Approvals, Expired) {
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-11-01")"}, {"expires", R"("2026-11-24")"}})),
            "expired on 2026-11-24 @ 10:12");
}

TEST(Approvals, ThirtyDaysIsTheLongestSpan) {
  EXPECT_EQ(
      parse({entry({{"created", R"("2026-11-10")"}, {"expires", R"("2026-12-10")"}})}).valid.size(),
      1U);
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-11-10")"}, {"expires", R"("2026-12-11")"}})),
            "expires - created is 31 days, more than 30 @ 10:12");
}

TEST(Approvals, TooLong) {
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-11-01")"}, {"expires", R"("2026-12-16")"}})),
            "expires - created is 45 days, more than 30 @ 10:12");
}

TEST(Approvals, ExpiresBeforeCreated) {
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-11-20")"}, {"expires", R"("2026-11-19")"}})),
            "expires 2026-11-19 is before created 2026-11-20 @ 10:12");
}

TEST(Approvals, CreatedInTheFuture) {
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-12-01")"}, {"expires", R"("2026-12-10")"}})),
            "created 2026-12-01 is in the future @ 9:12");
}

TEST(Approvals, MissingField) {
  EXPECT_EQ(rejection_of(entry({{"ticket", ""}})), "missing field \"ticket\" @ 2:1");
  EXPECT_EQ(rejection_of(entry({{"benchmark", ""}})), "missing field \"benchmark\" @ 2:1");
}

TEST(Approvals, UnknownField) {
  // Appended after "expires", on line 11.
  EXPECT_EQ(rejection_of(entry({{"comment", R"("x")"}})),
            "unknown field \"comment\"; expected only: benchmark, metric, max_ratio, reason, "
            "approver, ticket, "
            "created, expires, removed @ 11:1");
}

// "removed": true stands in for max_ratio: it accepts that a benchmark is gone.
TEST(Approvals, RemovalApproval) {
  const Approvals approvals = parse({entry({{"max_ratio", ""}, {"removed", "true"}})});
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_TRUE(approvals.valid.front().removed);
  EXPECT_FALSE(parse({entry()}).valid.front().removed);
  EXPECT_FALSE(parse({entry({{"removed", "false"}})}).valid.front().removed);
}

TEST(Approvals, RemovalApprovalIsCheckedLikeAnyOther) {
  // Both max_ratio and removed: which one was meant? Pointed at max_ratio's key, line 5.
  EXPECT_EQ(rejection_of(entry({{"removed", "true"}})),
            "\"max_ratio\" with \"removed\": true; expected one of them (a removed benchmark "
            "has no ratio) @ 5:1");
  EXPECT_EQ(rejection_of(entry({{"removed", R"("yes")"}})),
            "\"removed\" is a string; expected true or false @ 11:12");
  EXPECT_EQ(rejection_of(entry({{"max_ratio", ""}, {"removed", "false"}})),
            "missing field \"max_ratio\" @ 2:1");
  EXPECT_EQ(
      rejection_of(entry({{"max_ratio", ""}, {"removed", "true"}, {"expires", R"("2026-11-21")"}})),
      "expired on 2026-11-21 @ 9:12");
}

TEST(Approvals, NotADate) {
  EXPECT_EQ(rejection_of(entry({{"created", R"("2026-13-01")"}})),
            "created 2026-13-01 is not a date (YYYY-MM-DD) @ 9:12");
  EXPECT_EQ(rejection_of(entry({{"expires", R"("2026-11-31")"}})),
            "expires 2026-11-31 is not a date (YYYY-MM-DD) @ 10:12");
  EXPECT_EQ(rejection_of(entry({{"expires", R"("2026-12-1")"}})),
            "expires 2026-12-1 is not a date (YYYY-MM-DD) @ 10:12");
  EXPECT_EQ(rejection_of(entry({{"created", "20261120"}})),
            "\"created\" is a number; expected a date (YYYY-MM-DD) @ 9:12");
}

TEST(Approvals, TextFieldsMustBeNonEmptyStrings) {
  EXPECT_EQ(rejection_of(entry({{"approver", R"("")"}})),
            "\"approver\" is empty; expected a non-empty string @ 7:13");
  EXPECT_EQ(rejection_of(entry({{"reason", "null"}})),
            "\"reason\" is null; expected a non-empty string @ 6:11");
  EXPECT_EQ(rejection_of(entry({{"ticket", "482"}})),
            "\"ticket\" is a number; expected a non-empty string @ 8:11");
}

TEST(Approvals, BenchmarkMustBeAnExactId) {
  EXPECT_EQ(rejection_of(entry({{"benchmark", R"("cli.*")"}})),
            "benchmark \"cli.*\" is a glob; expected the exact id of one benchmark @ 3:14");
}

TEST(Approvals, MaxRatioAboveOne) {
  EXPECT_EQ(rejection_of(entry({{"max_ratio", "1"}})),
            "max_ratio 1 is not above 1; expected the largest accepted candidate/base ratio, like "
            "1.15 @ 5:14");
  EXPECT_EQ(rejection_of(entry({{"max_ratio", "0.9"}})),
            "max_ratio 0.9 is not above 1; expected the largest accepted candidate/base ratio, "
            "like 1.15 @ 5:14");
  EXPECT_EQ(rejection_of(entry({{"max_ratio", R"("1.15")"}})),
            "\"max_ratio\" is a string; expected a number above 1, like 1.15 @ 5:14");
}

TEST(Approvals, InvalidEntriesDoNotHideValidOnes) {
  const Approvals approvals =
      parse({entry({{"expires", R"("2026-11-01")"}, {"created", R"("2026-10-20")"}}),
             entry({{"benchmark", "7"}}),
             entry({{"benchmark", R"("micro")"}, {"metric", R"("real_time")"}})});
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_EQ(approvals.valid.front().benchmark, "micro");
  EXPECT_EQ(approvals.valid.front().location.to_string(), "a.json:22:1");
  ASSERT_EQ(approvals.invalid.size(), 2U);
  EXPECT_EQ(approvals.invalid[0].index, 0U);
  EXPECT_EQ(approvals.invalid[0].benchmark, "cli.startup");
  EXPECT_EQ(approvals.invalid[0].reason, "expired on 2026-11-01");
  EXPECT_EQ(approvals.invalid[0].location.to_string(), "a.json:10:12");
  EXPECT_EQ(approvals.invalid[1].index, 1U);
  EXPECT_EQ(approvals.invalid[1].benchmark, "");  // not a string: cannot be named
  EXPECT_EQ(approvals.invalid[1].reason, "\"benchmark\" is a number; expected a non-empty string");
  EXPECT_EQ(approvals.invalid[1].location.to_string(), "a.json:13:14");
}

TEST(Approvals, EmptyListIsFine) {
  const Approvals approvals = parse({});
  EXPECT_TRUE(approvals.valid.empty());
  EXPECT_TRUE(approvals.invalid.empty());
}

// ---- whole-file problems ------------------------------------------------------------------

TEST(ApprovalsFile, InvalidJson) {
  EXPECT_EQ(file_error("{\"schema\": \"perfguard.approvals.v1\",\n \"approvals\": [,]}"),
            "a.json:2:16: invalid JSON: syntax error while parsing value - unexpected ','; "
            "expected '[', '{', or a "
            "literal");
}

TEST(ApprovalsFile, NotAnObject) {
  EXPECT_EQ(file_error("[]"),
            "a.json:1:1: the approvals file is an array; expected an object with \"schema\": "
            "\"perfguard.approvals.v1\"");
}

TEST(ApprovalsFile, WrongSchema) {
  EXPECT_EQ(file_error(R"({"schema": "perfguard.config.v1", "approvals": []})"),
            "a.json:1:12: \"schema\": \"perfguard.config.v1\" is not supported; expected "
            "\"perfguard.approvals.v1\"");
  EXPECT_EQ(file_error(R"({"approvals": []})"),
            "a.json:1:1: missing \"schema\"; expected \"schema\": \"perfguard.approvals.v1\"");
}

TEST(ApprovalsFile, UnknownTopLevelKey) {
  EXPECT_EQ(
      file_error("{\"schema\": \"perfguard.approvals.v1\", \"approvals\": [],\n \"notes\": \"x\"}"),
      "a.json:2:2: unknown key \"notes\"; expected one of: schema, approvals");
}

TEST(ApprovalsFile, MissingApprovals) {
  EXPECT_EQ(file_error(R"({"schema": "perfguard.approvals.v1"})"),
            "a.json:1:1: missing \"approvals\"; expected an array of approvals");
}

TEST(ApprovalsFile, ApprovalsNotAnArray) {
  EXPECT_EQ(file_error(R"({"schema": "perfguard.approvals.v1", "approvals": {}})"),
            "a.json:1:51: \"approvals\": {...} is an object; expected an array of approvals");
}

TEST(ApprovalsFile, EntryNotAnObject) {
  EXPECT_EQ(
      file_error("{\"schema\": \"perfguard.approvals.v1\", \"approvals\": [\n  \"cli.startup\"]}"),
      "a.json:2:3: approvals[0]: \"cli.startup\" is a string; expected an object with the fields "
      "benchmark, "
      "metric, max_ratio, reason, approver, ticket, created, expires");
}

TEST(ApprovalsFile, LoadReadsTheFile) {
  const tests::TempDir dir;
  const std::string path = dir.write("perfguard-approvals.json", file_of({entry()})).string();
  const Approvals approvals = load_approvals(path, kToday);
  EXPECT_EQ(approvals.path, path);
  ASSERT_EQ(approvals.valid.size(), 1U);
  EXPECT_EQ(approvals.valid.front().location.to_string(), path + ":2:1");
  const std::string missing = (dir.path() / "absent.json").string();
  try {
    (void)load_approvals(missing, kToday);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
  }
}

// ---- dates --------------------------------------------------------------------------------

TEST(Dates, ParseDate) {
  EXPECT_EQ(parse_date("2026-11-20"), (year_month_day{year(2026), month(11), day(20)}));
  EXPECT_EQ(parse_date("2028-02-29"),
            (year_month_day{year(2028), month(2), day(29)}));  // leap year
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-11-00", "2026-11-31",
                          "2026-1-05", "2026/11/20", "26-11-20", "2026-11-20T00:00", " 2026-11-20",
                          "", "abcd-ef-gh", "2026-+1-20"}) {
    EXPECT_EQ(parse_date(bad), std::nullopt) << bad;
  }
}

TEST(Dates, DaysLeftCountsCalendarDays) {
  Approval approval;
  approval.expires = year_month_day{year(2027), month(1), day(2)};
  EXPECT_EQ(days_left(approval, year_month_day{year(2026), month(12), day(31)}),
            2);  // across a year end
  EXPECT_EQ(days_left(approval, approval.expires), 0);
  EXPECT_EQ(days_left(approval, year_month_day{year(2027), month(1), day(5)}), -3);
}

TEST(Dates, TodayUtcAgreesWithGmtime) {
  // Independent of <chrono>: the C library's UTC calendar. Taken before and after, in case the
  // date changes between the two calls.
  const auto c_today = [] {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return year_month_day{year(utc.tm_year + 1900), month(static_cast<unsigned>(utc.tm_mon + 1)),
                          day(static_cast<unsigned>(utc.tm_mday))};
  };
  const year_month_day before = c_today();
  const year_month_day today = today_utc();
  const year_month_day after = c_today();
  EXPECT_TRUE(today == before || today == after);
  EXPECT_TRUE(today.ok());
}

}  // namespace
}  // namespace perfguard::budgets
