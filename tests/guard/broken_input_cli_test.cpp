// End to end: broken or hostile input files never crash perfguard nor show a library's raw
// exception; each is one "error: ..." line naming the file, exit 2 (check: a failed rule, exit 1).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::tests {
namespace {

using nlohmann::json;

CommandResult perfguard(std::vector<std::string> args) {
  args.insert(args.begin(), PERFGUARD_BINARY);
  return run_command(args);
}

std::size_t lines_of(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

const std::string kSamples = PERFGUARD_SOURCE_DIR "/examples/samples/";

// A real gate's artifacts (the committed Google Benchmark file against itself), then `change`
// applied to perf_comparison.json.
class BrokenArtifact : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandResult made = perfguard(
        {"diff", kSamples + "gbench.json", kSamples + "gbench.json", "--out", out_.string()});
    ASSERT_LE(made.exit_code, 1) << made.err;  // a gate that passed or failed: artifacts either way
    original_ = json::parse(slurp(comparison()));
  }
  [[nodiscard]] std::filesystem::path comparison() const { return out_ / "perf_comparison.json"; }
  void rewrite(const std::function<void(json&)>& change) const {
    json doc = original_;
    change(doc);
    std::ofstream(comparison()) << doc.dump();
  }

  TempDir dir_;
  std::filesystem::path out_ = dir_.path() / "reports";
  json original_;
};

// Each of these once reached a renderer: a missing "gate" was undefined behaviour (const
// operator[] on an absent key), the others exited 3 with nlohmann's raw text.
TEST_F(BrokenArtifact, ReportRefusesEachWithOneLineNamingWhere) {
  struct Case {
    std::function<void(json&)> change;
    std::string says;  // the message after "FILE:LINE:COL: "
  };
  const std::string suffix = "; not a valid perfguard.perf_comparison.v1 artifact";
  const std::vector<Case> cases = {
      {[](json& d) { d.erase("gate"); }, "the document lacks \"gate\""},
      {[](json& d) { d["gate"]["passed"] = "yes"; },
       "gate.passed is \"yes\" (a string); expected a boolean"},
      {[](json& d) { d["results"] = 7; }, "results is 7 (a number); expected an array"},
      {[](json& d) { d["results"][0].erase("metric"); }, "results[0] lacks \"metric\""},
      {[](json& d) { d["results"][1]["verdict"] = "fine"; },
       "results[1].verdict is \"fine\" (a string); expected one of \"unchanged\", \"improved\", "
       "\"approved\", \"new\", \"regressed\", \"inconclusive\", \"over_budget\", \"insufficient\", "
       "\"missing\", \"error\""},
      {[](json& d) { d["results"][0]["base"]["median"] = nullptr; },
       "results[0].base.median is null (null); expected a number"},
      {[](json& d) { d["host"] = json::array(); }, "host is an array; expected an object"},
      {[](json& d) { d["gate"]["warnings"] = {1}; },
       "gate.warnings[0] is 1 (a number); expected a string"},
  };
  for (const Case& c : cases) {
    rewrite(c.change);
    for (const char* format : {"md", "junit", "html"}) {
      const CommandResult r = perfguard({"report", out_.string(), "--format", format});
      EXPECT_EQ(r.exit_code, 2) << c.says << "\n" << r.err;
      EXPECT_EQ(r.out, "");
      EXPECT_EQ(lines_of(r.err), 1U) << r.err;
      EXPECT_EQ(r.err.rfind("error: " + comparison().string() + ":1:", 0), 0U) << r.err;
      EXPECT_NE(r.err.find(": " + c.says + suffix + "\n"), std::string::npos) << r.err;
    }
  }
}

// check judged such files with nlohmann's value(), which throws on a wrong type: exit 3 and
// raw text. A document that breaks its schema is now a failed rule.
TEST_F(BrokenArtifact, CheckFailsTheSchemaRuleInsteadOfThrowing) {
  rewrite([](json& d) { d["gate"]["passed"] = "yes"; });
  CommandResult r = perfguard({"check", out_.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find(comparison().string() + ": schema: at line 1, column "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(": gate.passed is \"yes\" (a string); expected a boolean\n"),
            std::string::npos)
      << r.out;

  rewrite([](json& d) { d["schema"] = 3; });
  r = perfguard({"check", out_.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find(comparison().string() +
                       ": schema: is '3', expected 'perfguard.perf_comparison.v1'"),
            std::string::npos)
      << r.out;
}

// Google Benchmark members of the wrong type: nlohmann's value() threw type_error.302 (exit 3).
// Now the row fails with the reason, as the same output fails its case in `compare`
// (tests/inputs/gbench_json_test.cpp): stats has no samples to describe, diff fails the gate
// with an `error` row.
TEST(BrokenResults, WrongTypesInGoogleBenchmarkJsonAreOneLine) {
  const TempDir dir;
  json doc = json::parse(slurp(kSamples + "gbench.json"));
  doc["benchmarks"][2]["run_type"] = 5;
  const std::string file = dir.write("g.json", doc.dump()).string();
  const std::string reason = "benchmarks[2].run_type is a number; expected a string";
  CommandResult r = perfguard({"stats", file, "--benchmark", "BM_StdSort/4096"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + file + ": BM_StdSort/4096 failed: repetition 2: " + reason + "\n");
  const std::filesystem::path out = dir.path() / "o";
  r = perfguard({"diff", kSamples + "gbench.json", file, "--out", out.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;  // an `error` row, as for a benchmark that failed
  EXPECT_NE(slurp((out / "perf_comparison.json").string()).find(reason), std::string::npos);

  doc = json::parse(slurp(kSamples + "gbench.json"));
  doc["benchmarks"][0]["time_unit"] = json::array();
  const std::string unit = dir.write("u.json", doc.dump()).string();
  r = perfguard({"stats", unit, "--benchmark", "BM_StdSort/4096"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + unit +
                       ": BM_StdSort/4096 failed: repetition 0: benchmarks[0].time_unit is an "
                       "array; expected a string\n");
}

// Numbers beyond a double and nesting past the cap are located input errors, not crashes.
TEST(BrokenResults, HugeNumbersAndDeepNestingAreOneLine) {
  const TempDir dir;
  const std::string huge = dir.write("h.json", "[1, 1e400]").string();
  CommandResult r = perfguard({"stats", huge});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + huge + ":1:9: invalid JSON: number overflow parsing '1e400'\n");

  const std::string deep =
      dir.write("d.json", std::string(20000, '[') + std::string(20000, ']')).string();
  r = perfguard({"stats", deep});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + deep +
                       ":1:257: nesting deeper than 256 levels of arrays and objects; expected a "
                       "flatter document\n");
  const std::filesystem::path artifacts = dir.path() / "a";
  std::filesystem::create_directories(artifacts);
  std::filesystem::copy_file(deep, artifacts / "perf_comparison.json");
  std::filesystem::copy_file(deep, artifacts / "budget_summary.json");
  r = perfguard({"check", artifacts.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(": parse: " + (artifacts / "perf_comparison.json").string() +
                       ":1:257: nesting deeper than 256"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace perfguard::tests
