// End to end: perfguard time --metric instructions|estimated_cycles, on pg_helper's fixed loop.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/sanitizer.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;

std::string helper(const std::string& args) { return std::string(PG_HELPER_PATH) + " " + args; }

CommandResult perfguard_time(std::vector<std::string> args) {
  args.insert(args.begin(), {PERFGUARD_BINARY, "time", "-N"});
  return run_command(args);
}

TEST(TimeCounts, OnePercentMoreWorkIsRegressedExactlyAfterTwoRuns) {
  if (kUnderAddressSanitizer) GTEST_SKIP() << kValgrindCannotRunSanitized;
  const TempDir dir;
  const std::string exported = (dir.path() / "counts.json").string();
  const CommandResult r =
      perfguard_time({"--metric", "instructions", "--threshold", "0.5%", "--fail-if-slower",
                      "--export-json", exported, helper("work 1000000"), helper("work 1010000")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("the same in all 2 runs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" M instructions"), std::string::npos) << r.out;
  std::ifstream in(exported);
  const json doc = json::parse(in);
  EXPECT_EQ(doc["settings"]["metric"], "instructions");
  EXPECT_EQ(doc["runs"], 2);
  const json& c = doc["comparisons"][0];
  EXPECT_EQ(c["verdict"], "regressed");
  EXPECT_EQ(c["exact"], true);
  const double base = doc["results"][0]["counts"][0];
  const double candidate = doc["results"][1]["counts"][0];
  EXPECT_EQ(doc["results"][0]["counts"][1], base);
  EXPECT_EQ(c["ratio"].get<double>(), candidate / base);
  EXPECT_EQ(c["ratio_ci"], json::array({c["ratio"], c["ratio"]}));
}

TEST(TimeCounts, SameCommandTwiceIsUnchangedWithRatioOne) {
  if (kUnderAddressSanitizer) GTEST_SKIP() << kValgrindCannotRunSanitized;
  const CommandResult r = perfguard_time({"--metric", "estimated_cycles", "--fail-if-slower",
                                          helper("work 300000"), helper("work 300000")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1.0000× exactly  unchanged: exactly +0.0%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" cycles"), std::string::npos) << r.out;
}

TEST(TimeCounts, FlagsThatDoNotApplyAreUsageErrors) {
  const CommandResult r =
      perfguard_time({"--metric", "instructions", "--prepare", "true", helper("work 10")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--prepare does not apply with --metric instructions"), std::string::npos)
      << r.err;
  const CommandResult unknown = perfguard_time({"--metric", "instr", helper("work 10")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find(
                "--metric 'instr': expected wall_time, cpu_time, instructions or estimated_cycles"),
            std::string::npos)
      << unknown.err;
}

TEST(TimeCounts, FailingCommandIsExitThree) {
  const CommandResult r = perfguard_time({"--metric", "instructions", helper("exit 4")});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("exit 4"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace perfguard::tests
