// The JSON helpers every writer and renderer in reports/ shares; expected values are the
// contracts in reports/json_helpers.hpp and reports/format.hpp.
#include "reports/json_helpers.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "reports/format.hpp"

namespace perfguard::reports {
namespace {

TEST(JsonHelpers, WritingNumbersAndNulls) {
  EXPECT_EQ(json_number(1.5), Json(1.5));
  EXPECT_EQ(json_number(std::optional<double>()), Json(nullptr));
  EXPECT_EQ(json_number(std::optional<double>(2.0)), Json(2.0));
  EXPECT_EQ(json_interval(stats::Interval{0.9, 1.1}), Json::array({0.9, 1.1}));
  EXPECT_EQ(json_interval(std::nullopt), Json(nullptr));
  EXPECT_EQ(json_text_or_null(""), Json(nullptr));
  EXPECT_EQ(json_text_or_null("P1"), Json("P1"));
}

TEST(JsonHelpersDeathTest, NonFiniteNeverReachesADocument) {
  EXPECT_DEATH((void)json_number(std::numeric_limits<double>::quiet_NaN()),
               "internal check failed");
}

TEST(JsonHelpers, ReadingToleratesEditedDocuments) {
  const Json row = Json::parse(R"({"ratio": 1.2, "name": "a", "ci": [0.9, 1.1],
                                   "bad_ci": [1.1, 0.9], "short": [1], "text_ci": ["a", 1]})");
  EXPECT_EQ(text_of(field(row, "name")), "a");
  EXPECT_EQ(text_of(field(row, "ratio")), "");
  EXPECT_TRUE(field(row, "absent").is_null());
  EXPECT_TRUE(field(Json::array({1}), "name").is_null());
  EXPECT_EQ(number_of(field(row, "ratio")), 1.2);
  EXPECT_FALSE(number_of(field(row, "name")));
  ASSERT_TRUE(interval_of(field(row, "ci")));
  EXPECT_DOUBLE_EQ(interval_of(field(row, "ci"))->hi, 1.1);
  EXPECT_FALSE(interval_of(field(row, "bad_ci")));  // lo > hi
  EXPECT_FALSE(interval_of(field(row, "short")));
  EXPECT_FALSE(interval_of(field(row, "text_ci")));
}

// Renderers take "passes" from the row; a row that does not say, or says it in another
// type, fails (the gate fails closed).
TEST(JsonHelpers, PassesIsTheRowsOwnWord) {
  EXPECT_TRUE(passes_of(Json::parse(R"({"verdict": "regressed", "passes": true})")));
  EXPECT_FALSE(passes_of(Json::parse(R"({"verdict": "unchanged", "passes": false})")));
  EXPECT_FALSE(passes_of(Json::parse(R"({"verdict": "unchanged"})")));
  EXPECT_FALSE(passes_of(Json::parse(R"({"verdict": "unchanged", "passes": "true"})")));
}

TEST(Format, ChangesAndPercentages) {
  EXPECT_EQ(change_text(1.3), "+30.0%");
  EXPECT_EQ(change_text(0.9), "-10.0%");
  EXPECT_EQ(change_text(1.0), "+0.0%");
  EXPECT_EQ(change_interval_text({0.98, 1.05}), "-2.0…+5.0%");
  EXPECT_EQ(percent_text(0.05), "5%");
  EXPECT_EQ(percent_text(0.993), "99.3%");
  EXPECT_EQ(percent_text(0.12345), "12.3%");
  EXPECT_EQ(markdown_cell("a|b\nc"), "a\\|b c");
}

}  // namespace
}  // namespace perfguard::reports
