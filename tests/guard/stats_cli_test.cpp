// End to end: the real perfguard binary on files made here.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

CommandResult perfguard(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), PERFGUARD_BINARY);
  return run_command(args, stdin_text);
}

// n values spread evenly around `center` (±5%), in a shuffled order: deterministic
// data with a known median (the center, for odd n).
std::string spread(double center, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const int k = (i * 7) % n;  // 7 is coprime with the n used here: a permutation
    text += std::to_string(center * (0.95 + 0.1 * k / (n - 1))) + "\n";
  }
  return text;
}

TEST(StatsCli, OneSampleTable) {
  const TempDir dir;
  const auto file = dir.write("a.txt", spread(10.0, 41));
  const CommandResult r = perfguard({"stats", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("median"), std::string::npos);
  EXPECT_NE(r.out.find("p99              insufficient (needs 100)"), std::string::npos) << r.out;
}

TEST(StatsCli, OneSampleJsonHasTheStableKeys) {
  const TempDir dir;
  const auto file = dir.write("a.txt", spread(10.0, 41));
  const CommandResult r = perfguard({"stats", file.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  for (const char* key : {"n", "mean", "stddev", "median", "mad", "min", "max", "p5", "p25", "p75",
                          "p90", "p95", "p99", "cv", "median_ci", "outliers"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["n"], 41);
  EXPECT_NEAR(doc["median"].get<double>(), 10.0,
              1e-5);  // the center of the spread, by construction
  EXPECT_TRUE(doc["p99"].is_null());
  EXPECT_EQ(doc["insufficient"]["p99"], "needs at least 100 samples, have 41");
  EXPECT_TRUE(doc["p95"].is_number());
}

TEST(StatsCli, ComparisonFindsAPlantedRegression) {
  const TempDir dir;
  const auto base = dir.write("base.txt", spread(10.0, 41));
  const auto slower = dir.write("slower.txt", spread(12.5, 41));
  const CommandResult r = perfguard({"stats", "--base", base.string(), slower.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_NEAR(doc["ratio"].get<double>(), 1.25, 1e-6);
  EXPECT_EQ(doc["verdict"], "regressed");
  EXPECT_NE(doc["reason"].get<std::string>().find("+25.0%"), std::string::npos);
  for (const char* key :
       {"base", "candidate", "ratio_ci", "mann_whitney_p", "welch_p", "hodges_lehmann"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_LT(doc["ratio_ci"][0].get<double>(), 1.25);
  EXPECT_GT(doc["ratio_ci"][1].get<double>(), 1.25);
}

TEST(StatsCli, IdenticalSamplesAreUnchanged) {
  const TempDir dir;
  const auto base = dir.write("base.txt", spread(10.0, 41));
  const CommandResult r = perfguard({"stats", "--base", base.string(), base.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verdict                unchanged"), std::string::npos) << r.out;
}

TEST(StatsCli, ReadsStandardInput) {
  const CommandResult r = perfguard({"stats", "-", "--json"}, "1\n2\n3\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["median"], 2.0);
}

struct BadInput {
  std::vector<std::string> args;
  std::string content;
  std::string error;  // the expected first line on stderr, FILE replaced by the file's path
};

TEST(StatsCli, BadInputExitsTwoWithOneClearLine) {
  const std::vector<BadInput> cases = {
      {{}, "", "error: FILE: no samples"},
      {{}, "1\nx\n", "error: FILE:2: 'x' is not a number"},
      {{}, "1\nnan\n", "error: FILE:2: 'nan' is not a finite number"},
      {{}, "1\n-1\n", "error: FILE:2: -1 is negative; times and sizes cannot be"},
      // Near the largest double the exact bootstrap once crashed, and ~1e200 overflowed Welch's
      // t: values beyond the documented range are refused where they enter.
      {{},
       "1\n1.7976931348623157e308\n2\n",
       "error: FILE:2: 1.7976931348623157e308 is outside the range of samples perfguard "
       "accepts (0, or 1e-30 to 1e+30)"},
      {{},
       "1e200\n2e200\n",
       "error: FILE:1: 1e200 is outside the range of samples perfguard accepts (0, or 1e-30 "
       "to 1e+30)"},
      {{"--threshold", "5"},
       "1\n",
       "error: --threshold 5: expected a positive percentage such as 5%"},
      {{"--confidence", "2"},
       "1\n",
       "error: --confidence 2: expected a level between 0 and 1 such as 0.95 or 95%"},
      {{"--ci-method", "magic"},
       "1\n",
       "error: --ci-method magic: expected exact, percentile or bca"},
      {{"--resamples", "0"}, "1\n", "error: --resamples 0: needs at least 1 resample"},
  };
  for (const BadInput& c : cases) {
    const TempDir dir;
    const std::string file = dir.write("in.txt", c.content).string();
    std::vector<std::string> args = {"stats", file};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const CommandResult r = perfguard(args);
    std::string expected = c.error;
    if (const auto at = expected.find("FILE"); at != std::string::npos)
      expected.replace(at, 4, file);
    EXPECT_EQ(r.exit_code, 2) << expected;
    EXPECT_EQ(r.err, expected + "\n");
    EXPECT_EQ(r.out, "");
  }
}

TEST(StatsCli, MismatchedUnitsAreRefused) {
  const TempDir dir;
  const auto plain = dir.write("plain.txt", "1\n2\n");
  const auto hyperfine = dir.write("h.json", R"({"results": [{"command": "x", "times": [1, 2]}]})");
  const CommandResult r = perfguard({"stats", "--base", plain.string(), hyperfine.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is in no unit but"), std::string::npos) << r.err;
}

TEST(StatsCli, UsageErrorsExitTwoAndHelpExitsZero) {
  EXPECT_EQ(perfguard({}).exit_code, 2);
  EXPECT_EQ(perfguard({"stats"}).exit_code, 2);
  EXPECT_EQ(perfguard({"stats", "--no-such-flag", "x"}).exit_code, 2);
  EXPECT_EQ(perfguard({"stats", "/nonexistent/file"}).exit_code, 2);
  const CommandResult help = perfguard({"stats", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--base"), std::string::npos);
  EXPECT_EQ(perfguard({"--version"}).exit_code, 0);
}

}  // namespace
}  // namespace perfguard::tests
