// The gate's artifacts: golden files for fixed inputs, JSON Schema validation, escaping.
// Regenerate the golden files after an intended change with PERFGUARD_UPDATE_GOLDEN=1.
#include "reports/artifacts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/reports/sample_gate.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using fixtures::expect_golden;
using fixtures::measured;
using fixtures::sample_context;
using fixtures::sample_gate;
using fixtures::spread;

const std::string kSource = PERFGUARD_SOURCE_DIR;

// The version changes with every release; golden files hold a placeholder.
std::string masked(std::string text) {
  const std::string version = std::string("\"perfguard_version\": \"") + PERFGUARD_VERSION + "\"";
  if (const auto at = text.find(version); at != std::string::npos) {
    text.replace(at, version.size(), "\"perfguard_version\": \"%VERSION%\"");
  }
  return text;
}

std::string render(const std::function<void(std::ostream&)>& write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

TEST(Artifacts, GoldenPerfComparisonJson) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  expect_golden("perf_comparison.json",
                masked(render([&](std::ostream& o) { write_json(o, doc); })));
}

TEST(Artifacts, GoldenBudgetSummaryJson) {
  const Json doc = budget_summary_json(sample_gate(), sample_context());
  expect_golden("budget_summary.json",
                masked(render([&](std::ostream& o) { write_json(o, doc); })));
}

TEST(Artifacts, GoldenMarkdown) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  expect_golden("perf_comparison.md", render([&](std::ostream& o) { write_markdown(o, doc); }));
}

TEST(Artifacts, GoldenJunit) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  expect_golden("junit.xml", render([&](std::ostream& o) { write_junit(o, doc); }));
}

TEST(Artifacts, BothDocumentsMatchTheirPublishedSchemas) {
  const tests::TempDir dir;
  const budgets::GateResult gate = sample_gate();
  const auto comparison =
      dir.write("perf_comparison.json", perf_comparison_json(gate, sample_context()).dump());
  const auto summary =
      dir.write("budget_summary.json", budget_summary_json(gate, sample_context()).dump());
  const std::string validate = kSource + "/tests/reports/validate_schema.py";
  for (const auto& [schema, file] :
       {std::pair{"perf_comparison", comparison}, std::pair{"budget_summary", summary}}) {
    const auto result = tests::run_command(
        {"/usr/bin/python3", validate, kSource + "/reports/schema/" + schema + ".schema.json",
         file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
}

// A Google Benchmark case's label on a row, and where the samples came from (a resumed run,
// or a journal judged after an interruption): both documents stay valid. The row's "label"
// was once declared only under "approval", so `report` refused every labelled suite.
TEST(Artifacts, LabelsAndResumedOrInterruptedRunsMatchTheSchemas) {
  const tests::TempDir dir;
  budgets::GateResult gate = sample_gate();
  gate.rows.front().label = "html (22.31 %)";
  ArtifactContext context = sample_context();
  context.resumed = Json{{"from_journal", "/out/samples.jsonl"}, {"samples_reused", 40}};
  context.interrupted = Json{{"from_journal", "/out/samples.jsonl"},
                             {"reason", "the run was interrupted: judged from its journal alone"}};
  const auto comparison =
      dir.write("perf_comparison.json", perf_comparison_json(gate, context).dump());
  const auto summary = dir.write("budget_summary.json", budget_summary_json(gate, context).dump());
  const std::string validate = kSource + "/tests/reports/validate_schema.py";
  for (const auto& [schema, file] :
       {std::pair{"perf_comparison", comparison}, std::pair{"budget_summary", summary}}) {
    const auto result =
        tests::run_command({"/usr/bin/python3", validate,
                            kSource + "/reports/schema/" + schema + ".schema.json", file.string()});
    EXPECT_EQ(result.exit_code, 0) << schema << ": " << result.out << result.err;
  }
  EXPECT_EQ(perf_comparison_json(gate, context)["resumed"]["samples_reused"], 40);
}

TEST(Artifacts, SchemaRejectsAFailingRowWithoutReplay) {
  // The schema itself must be able to fail: a regressed row stripped of its replay command.
  const tests::TempDir dir;
  Json doc = perf_comparison_json(sample_gate(), sample_context());
  for (Json& row : doc["results"]) {
    if (row["verdict"] == "regressed") row["replay"] = nullptr;
  }
  const auto file = dir.write("bad.json", doc.dump());
  const auto result = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/validate_schema.py",
       kSource + "/reports/schema/perf_comparison.schema.json", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("replay"), std::string::npos) << result.out;
}

TEST(Artifacts, FailingRowsCarryReasonReplayAndSeverity) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  for (const Json& row : doc["results"]) {
    if (row["passes"] == true) {
      EXPECT_TRUE(row["replay"].is_null()) << row["benchmark"];
      continue;
    }
    EXPECT_FALSE(row["reason"].get<std::string>().empty());
    EXPECT_EQ(row["replay"], "perfguard compare --base v1.0.0 --candidate HEAD --only " +
                                 row["benchmark"].get<std::string>());
    EXPECT_TRUE(row["severity"].is_string()) << row["benchmark"];
  }
}

// Every row, budget and family says whether it passes, from budgets::passes (the one
// definition); the sample gate has rows of both kinds, so both values are checked.
TEST(Artifacts, EveryRowSaysWhetherItPasses) {
  const budgets::GateResult gate = sample_gate();
  const Json doc = perf_comparison_json(gate, sample_context());
  const Json summary = budget_summary_json(gate, sample_context());
  ASSERT_EQ(doc["results"].size(), gate.rows.size());
  std::size_t passing = 0;
  for (std::size_t i = 0; i < gate.rows.size(); ++i) {
    EXPECT_EQ(doc["results"][i]["passes"], budgets::passes(gate.rows[i].verdict)) << i;
    EXPECT_EQ(summary["relative"][i]["passes"], budgets::passes(gate.rows[i].verdict)) << i;
    passing += budgets::passes(gate.rows[i].verdict) ? 1 : 0;
  }
  EXPECT_GT(passing, 0U);
  EXPECT_LT(passing, gate.rows.size());
  ASSERT_EQ(doc["budgets"].size(), gate.budgets.size());
  for (std::size_t i = 0; i < gate.budgets.size(); ++i) {
    const bool holds = gate.budgets[i].status == budgets::BudgetStatus::pass;
    EXPECT_EQ(doc["budgets"][i]["passes"], holds) << i;
    EXPECT_EQ(summary["budgets"][i]["passes"], holds) << i;
  }
}

// The renderers take "passes" from the document and never re-derive it from the verdict: a
// hand-edited row that says it passes leaves the failing lists, one that says it fails joins.
TEST(Artifacts, MarkdownAndJunitReadPassesFromTheRow) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  const auto junit_failures = [](const Json& d) {
    const std::string xml = render([&](std::ostream& o) { write_junit(o, d); });
    const auto at = xml.find("failures=\"");
    return std::stoi(xml.substr(at + 10));
  };
  const auto failing_section = [](const Json& d) {
    const std::string md = render([&](std::ostream& o) { write_markdown(o, d); });
    const auto start = md.find("### Failing");
    return start == std::string::npos ? std::string() : md.substr(start, md.find("\n\n", start + 13) - start);
  };
  Json edited = doc;
  std::string flipped_to_pass;
  std::string flipped_to_fail;
  for (Json& row : edited["results"]) {
    if (row["passes"] == false && flipped_to_pass.empty()) {
      row["passes"] = true;
      flipped_to_pass = row["benchmark"];
    } else if (row["passes"] == true && flipped_to_fail.empty()) {
      row["passes"] = false;
      flipped_to_fail = row["benchmark"];
    }
  }
  ASSERT_FALSE(flipped_to_pass.empty());
  ASSERT_FALSE(flipped_to_fail.empty());
  EXPECT_NE(failing_section(doc).find("| " + flipped_to_pass + " "), std::string::npos);
  EXPECT_EQ(failing_section(edited).find("| " + flipped_to_pass + " "), std::string::npos);
  EXPECT_EQ(failing_section(doc).find("| " + flipped_to_fail + " "), std::string::npos);
  EXPECT_NE(failing_section(edited).find("| " + flipped_to_fail + " "), std::string::npos);
  EXPECT_EQ(junit_failures(edited), junit_failures(doc));  // one less, one more
  edited["results"][0]["passes"] = !edited["results"][0]["passes"].get<bool>();
  EXPECT_NE(junit_failures(edited), junit_failures(doc));
}

TEST(Artifacts, UntrustedNamesAreEscaped) {
  std::vector<budgets::Measurement> all = {
      measured("a|b <script>&\"x\"", spread(1.0), spread(1.5))};
  budgets::GateSettings settings;
  const Json doc = perf_comparison_json(budgets::judge(all, {}, {}, settings), sample_context());
  const std::string md = render([&](std::ostream& o) { write_markdown(o, doc); });
  EXPECT_NE(md.find("a\\|b <script>"), std::string::npos);  // a pipe would end the table cell
  const std::string xml = render([&](std::ostream& o) { write_junit(o, doc); });
  EXPECT_NE(xml.find("a|b &lt;script&gt;&amp;&quot;x&quot;"), std::string::npos);
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(doc["results"][0]["replay"],
            "perfguard compare --base v1.0.0 --candidate HEAD --only 'a|b <script>&\"x\"'");
}

TEST(Artifacts, JunitHasNoControlCharacters) {
  // XML 1.0 forbids most control characters even escaped; a bell in a name becomes a space.
  std::vector<budgets::Measurement> all = {measured("bell\x07it's", spread(1.0), spread(1.5))};
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string xml = render([&](std::ostream& o) { write_junit(o, doc); });
  EXPECT_NE(xml.find("classname=\"bell it&#39;s\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x07'), std::string::npos);
}

TEST(Artifacts, ShellQuote) {
  EXPECT_EQ(shell_quote("cli.startup"), "cli.startup");
  EXPECT_EQ(shell_quote("micro/BM_parse/64"), "micro/BM_parse/64");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

}  // namespace
}  // namespace perfguard::reports
