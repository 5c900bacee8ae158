// `perfguard check`'s rules as functions (reports/check.hpp), over the golden artifacts and
// hand-made variations of them. The golden artifacts record a failing gate generated at
// 2026-11-22T01:02:03Z.
#include "reports/check.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rfc3339.hpp"
#include "reports/artifact_schema.hpp"
#include "reports/artifacts.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using nlohmann::json;

const std::string kGolden = std::string(PERFGUARD_SOURCE_DIR) + "/tests/golden/";

std::chrono::sys_seconds at(const char* text) { return *parse_rfc3339(text); }

const std::chrono::sys_seconds kGenerated = at("2026-11-22T01:02:03Z");

std::vector<std::string> texts(const std::vector<Finding>& findings) {
  std::vector<std::string> lines;
  for (const Finding& finding : findings) lines.push_back(finding.text());
  return lines;
}

Artifact golden_comparison() {
  std::vector<Finding> findings;
  std::optional<Artifact> artifact =
      load_artifact(kGolden + "perf_comparison.json", kPerfComparisonSchema, findings);
  EXPECT_TRUE(findings.empty());
  return *artifact;
}

// The golden comparison as a passing gate.
Artifact passing() {
  Artifact artifact = golden_comparison();
  artifact.document["gate"]["passed"] = true;
  artifact.document["gate"]["verdict"] = "pass";
  artifact.document["gate"]["failures"] = json::array();
  return artifact;
}

TEST(CheckLoad, GoldenArtifactsConform) {
  std::vector<Finding> findings;
  const std::optional<Artifact> comparison =
      load_artifact(kGolden + "perf_comparison.json", kPerfComparisonSchema, findings);
  const std::optional<Artifact> summary =
      load_artifact(kGolden + "budget_summary.json", kBudgetSummarySchema, findings);
  ASSERT_TRUE(comparison && summary);
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(comparison->violation, std::nullopt);
  EXPECT_EQ(summary->violation, std::nullopt);
}

TEST(CheckLoad, MissingFileIsNotPresent) {
  const tests::TempDir dir;
  const std::string file = (dir.path() / "perf_comparison.json").string();
  std::vector<Finding> findings;
  EXPECT_EQ(load_artifact(file, kPerfComparisonSchema, findings), std::nullopt);
  EXPECT_EQ(texts(findings), std::vector<std::string>{file + ": present: missing"});
}

TEST(CheckLoad, InvalidJsonIsAParseFinding) {
  const tests::TempDir dir;
  const std::string file = dir.write("perf_comparison.json", "{\"schema\": ").string();
  std::vector<Finding> findings;
  EXPECT_EQ(load_artifact(file, kPerfComparisonSchema, findings), std::nullopt);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "parse");
  EXPECT_NE(findings[0].why.find(file + ":1:"), std::string::npos) << findings[0].why;
}

TEST(CheckLoad, SchemaViolationNamesLineAndColumn) {
  const tests::TempDir dir;
  const std::string file =
      dir.write("budget_summary.json", "{\n  \"schema\": \"perfguard.budget_summary.v1\"\n}")
          .string();
  std::vector<Finding> findings;
  const std::optional<Artifact> artifact = load_artifact(file, kBudgetSummarySchema, findings);
  ASSERT_TRUE(artifact.has_value());
  ASSERT_TRUE(artifact->violation.has_value());
  EXPECT_EQ(artifact->violation->rfind("at line 1, column 1: ", 0), 0u) << *artifact->violation;
  const std::vector<Finding> found = check_schema(*artifact);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, "schema");
}

TEST(CheckSchema, NotAnObject) {
  Artifact artifact{"a.json", kPerfComparisonSchema, json::array(), std::nullopt};
  EXPECT_EQ(texts(check_schema(artifact)),
            std::vector<std::string>{"a.json: parse: not a JSON object"});
}

TEST(CheckSchema, WrongId) {
  Artifact artifact{"a.json", kPerfComparisonSchema, {{"schema", "perfguard.time.v1"}}, {}};
  EXPECT_EQ(texts(check_schema(artifact)),
            std::vector<std::string>{"a.json: schema: is 'perfguard.time.v1', expected "
                                     "'perfguard.perf_comparison.v1'"});
  artifact.document["schema"] = 3;
  EXPECT_EQ(
      texts(check_schema(artifact)),
      std::vector<std::string>{"a.json: schema: is '3', expected 'perfguard.perf_comparison.v1'"});
}

TEST(CheckFresh, WithinMaxAge) {
  const CheckRules rules;  // 24h
  EXPECT_TRUE(check_fresh(passing(), rules, kGenerated).empty());
  EXPECT_TRUE(check_fresh(passing(), rules, kGenerated + std::chrono::hours(24)).empty());
}

TEST(CheckFresh, OlderThanMaxAge) {
  const CheckRules rules;
  const std::vector<Finding> found =
      check_fresh(passing(), rules, kGenerated + std::chrono::hours(24) + std::chrono::seconds(1));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].why, "generated_at 2026-11-22T01:02:03Z is older than --max-age 24h");
}

TEST(CheckFresh, FutureBeyondClockSkew) {
  const CheckRules rules;
  EXPECT_TRUE(check_fresh(passing(), rules, kGenerated - kClockSkew).empty());
  const std::vector<Finding> found =
      check_fresh(passing(), rules, kGenerated - kClockSkew - std::chrono::seconds(1));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].why, "generated_at 2026-11-22T01:02:03Z is in the future");
}

TEST(CheckFresh, NotRfc3339) {
  Artifact artifact = passing();
  artifact.document["generated_at"] = "2026-02-30T00:00:00Z";
  const std::vector<Finding> found = check_fresh(artifact, CheckRules{}, kGenerated);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].why, "generated_at '2026-02-30T00:00:00Z' is not an RFC 3339 time");
}

TEST(CheckComplete, PartialRunNeedsAllowPartial) {
  Artifact artifact = passing();
  artifact.document["settings"]["partial"] = true;
  artifact.document["settings"]["only"] = "parse/*";
  artifact.document["settings"]["skipped_benchmarks"] = json::array({"a", "b"});
  artifact.document["settings"]["skipped_budgets"] = json::array({"c"});
  CheckRules rules;
  EXPECT_EQ(texts(check_complete(artifact, rules)),
            std::vector<std::string>{artifact.file +
                                     ": complete: a partial run (--only parse/*: 2 benchmarks and "
                                     "1 budgets left out); --allow-partial accepts it"});
  rules.allow_partial = true;
  EXPECT_TRUE(check_complete(artifact, rules).empty());
}

TEST(CheckComplete, MissingPartialFails) {
  Artifact artifact = passing();
  artifact.document["settings"].erase("partial");
  CheckRules rules;
  rules.allow_partial = true;  // cannot accept what it cannot tell
  ASSERT_EQ(check_complete(artifact, rules).size(), 1u);
}

// One shard of several judged only its own benchmarks: refused, and --allow-partial does not
// accept it. A run of "1/1" is the whole selection.
TEST(CheckComplete, ASingleShardIsNotAWholeGate) {
  Artifact artifact = passing();
  artifact.document["settings"]["shard"] = {{"index", 2},
                                            {"count", 3},
                                            {"benchmarks", json::array({"a"})},
                                            {"selection", json::array({"a", "b", "c"})},
                                            {"skipped_budgets", json::array()},
                                            {"balanced_by", "count"},
                                            {"config_digest", "cbf29ce484222325"},
                                            {"replay", "perfguard compare --base a --candidate b"}};
  // The record conforms to the committed schema.
  EXPECT_FALSE(schema_violation(artifact.document, kPerfComparisonSchema).has_value());
  CheckRules rules;
  rules.allow_partial = true;
  EXPECT_EQ(texts(check_complete(artifact, rules)),
            std::vector<std::string>{artifact.file +
                                     ": complete: a single shard (2/3) is not a whole gate: join "
                                     "every shard's folder with perfguard merge"});
  artifact.document["settings"]["shard"]["index"] = 1;
  artifact.document["settings"]["shard"]["count"] = 1;
  EXPECT_TRUE(check_complete(artifact, rules).empty());
}

TEST(CheckCommit, PrefixOfAtLeastSevenMatches) {
  const Artifact artifact = passing();
  EXPECT_TRUE(check_commit(artifact, "base", std::nullopt).empty());
  EXPECT_TRUE(check_commit(artifact, "base", "1111111").empty());
  EXPECT_TRUE(check_commit(artifact, "candidate", std::string(40, '2')).empty());
  EXPECT_EQ(texts(check_commit(artifact, "candidate", "1111111")),
            std::vector<std::string>{artifact.file + ": commit: candidate commit is '" +
                                     std::string(40, '2') + "', expected 1111111"});
  EXPECT_EQ(check_commit(artifact, "base", "111111").size(), 1u);  // too short to trust
}

TEST(CheckCommit, UnknownCommit) {
  Artifact artifact = passing();
  artifact.document.erase("base");
  EXPECT_EQ(texts(check_commit(artifact, "base", "1111111")),
            std::vector<std::string>{artifact.file +
                                     ": commit: base commit is 'unknown', expected 1111111"});
}

TEST(CheckVerdict, FailingGateNamesItsFirstFailure) {
  std::vector<Finding> findings;
  const std::optional<Artifact> summary =
      load_artifact(kGolden + "budget_summary.json", kBudgetSummarySchema, findings);
  ASSERT_TRUE(summary.has_value());
  const std::vector<Finding> found = check_verdict(*summary);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, "verdict");
  EXPECT_EQ(found[0].why.rfind("the gate did not pass (6 failures; first: \"cli.startup", 0), 0u)
      << found[0].why;
  EXPECT_TRUE(check_verdict(passing()).empty());
}

TEST(CheckArtifact, PassingGateHasNoFindings) {
  CheckRules rules;
  rules.base = "1111111";
  rules.candidate = "2222222";
  EXPECT_TRUE(check_artifact(passing(), rules, kGenerated + std::chrono::hours(1)).empty());
}

TEST(CheckArtifact, EveryBrokenRuleInOrder) {
  CheckRules rules;
  rules.base = "3333333";
  const std::vector<Finding> found =
      check_artifact(golden_comparison(), rules, kGenerated + std::chrono::hours(48));
  std::vector<std::string> names;
  for (const Finding& finding : found) names.push_back(finding.rule);
  EXPECT_EQ(names, (std::vector<std::string>{"fresh", "commit", "verdict"}));
}

TEST(CheckArtifact, StopsAtTheSchema) {
  Artifact artifact = passing();
  artifact.violation = "at line 1, column 1: the document lacks \"gate\"";
  const std::vector<Finding> found = check_artifact(artifact, CheckRules{}, kGenerated);
  EXPECT_EQ(texts(found),
            std::vector<std::string>{artifact.file + ": schema: " + *artifact.violation});
}

TEST(CheckSameRun, DifferencesNamed) {
  const Artifact first = passing();
  Artifact second = passing();
  second.file = "b.json";
  EXPECT_TRUE(check_same_run(first, second).empty());
  second.document["generated_at"] = "2026-11-22T01:02:04Z";
  second.document["candidate"]["commit"] = std::string(40, '3');
  EXPECT_EQ(
      texts(check_same_run(first, second)),
      (std::vector<std::string>{"b.json: same run: \"generated_at\" differs from " + first.file,
                                "b.json: same run: \"candidate\" differs from " + first.file}));
  second.violation = "broken";
  EXPECT_TRUE(check_same_run(first, second).empty());  // failed already
}

}  // namespace
}  // namespace perfguard::reports
