// The gate's artifacts: golden files for fixed inputs, JSON Schema validation, escaping.
// Regenerate the golden files after an intended change with PERFGUARD_UPDATE_GOLDEN=1.
#include "reports/artifacts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const std::string kSource = PERFGUARD_SOURCE_DIR;

std::vector<double> spread(double center, int n = 41) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(center * (0.99 + 0.02 * ((i * 7) % n) / (n - 1)));
  return values;
}

budgets::Measurement measured(const std::string& id, std::vector<double> base, std::vector<double> candidate) {
  budgets::Measurement m;
  m.spec = m.benchmark = id;
  m.metric = "wall_time";
  m.unit = "s";
  if (!base.empty()) m.base = budgets::SideSamples{std::move(base), {}};
  if (!candidate.empty()) m.candidate = budgets::SideSamples{std::move(candidate), {}};
  return m;
}

// One of everything: unchanged, regressed, approved, missing, crashed, budgets and approvals.
budgets::GateResult sample_gate() {
  std::vector<budgets::Measurement> all = {
      measured("cli.startup", spread(0.010), spread(0.010)), measured("parse", spread(0.002), spread(0.0026)),
      measured("render", spread(0.5), spread(0.6)), measured("gone", spread(0.1), {})};
  all.push_back(measured("crashy", spread(0.1), spread(0.1)));
  all.back().candidate->failures = {"run 2: killed by SIGSEGV"};
  budgets::Measurement size = measured("binary.size", {4.0e6}, {4.1e6});
  size.metric = "file_size";
  size.unit = "bytes";
  size.deterministic = true;
  all.push_back(size);

  budgets::BudgetRule p95;
  p95.benchmark = "cli.startup";
  p95.metric = "wall_time";
  p95.statistic = budgets::Statistic::p95;
  p95.max = 0.005;
  p95.location = {"perfguard.json", 14, 5};
  budgets::BudgetRule binary;
  binary.benchmark = "binary.size";
  binary.metric = "file_size";
  binary.statistic = budgets::Statistic::median;
  binary.max = 50e6;
  binary.location = {"perfguard.json", 16, 5};
  const std::vector<budgets::BudgetRule> rules = {p95, binary};

  budgets::Approvals approvals;
  budgets::Approval a;
  a.benchmark = "render";
  a.metric = "wall_time";
  a.max_ratio = 1.25;
  a.reason = "new layout engine";
  a.approver = "j.doe";
  a.ticket = "#482";
  a.created = year_month_day{year(2026), month(11), day(20)};
  a.expires = year_month_day{year(2026), month(12), day(10)};
  approvals.valid.push_back(a);
  approvals.invalid.push_back({1, "parse", "expired on 2026-11-01", {"perfguard-approvals.json", 12, 5}});

  budgets::GateSettings settings;
  settings.today = year_month_day{year(2026), month(11), day(22)};
  return budgets::judge(all, rules, approvals, settings);
}

ArtifactContext sample_context() {
  ArtifactContext context;
  context.generated_at = "2026-11-22T01:02:03Z";
  context.host.hostname = "bench-1";
  context.host.cpu_model = "Example CPU @ 2.0GHz";
  context.host.logical_cpus = 2;
  context.host.pinned_cpus = {1};
  context.host.kernel = "6.1.0";
  context.host.load_before = std::array<double, 3>{0.5, 0.25, 0.125};
  context.host.load_after = std::array<double, 3>{0.75, 0.5, 0.25};
  context.host.governor = "performance";
  context.host.aslr = 2;
  context.base = {"v1.0.0", "1111111111111111111111111111111111111111"};
  context.candidate = {"HEAD", "2222222222222222222222222222222222222222"};
  context.settings.today = year_month_day{year(2026), month(11), day(22)};
  context.extra_settings = {{"seed", 42}};
  context.replay_prefix = "perfguard compare --base v1.0.0 --candidate HEAD";
  return context;
}

// The version changes with every release; golden files hold a placeholder.
std::string masked(std::string text) {
  const std::string version = std::string("\"perfguard_version\": \"") + PERFGUARD_VERSION + "\"";
  if (const auto at = text.find(version); at != std::string::npos) {
    text.replace(at, version.size(), "\"perfguard_version\": \"%VERSION%\"");
  }
  return text;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = kSource + "/tests/golden/" + name;
  if (std::getenv("PERFGUARD_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (PERFGUARD_UPDATE_GOLDEN=1 writes it)";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

std::string render(const std::function<void(std::ostream&)>& write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

TEST(Artifacts, GoldenPerfComparisonJson) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  expect_golden("perf_comparison.json", masked(render([&](std::ostream& o) { write_json(o, doc); })));
}

TEST(Artifacts, GoldenBudgetSummaryJson) {
  const Json doc = budget_summary_json(sample_gate(), sample_context());
  expect_golden("budget_summary.json", masked(render([&](std::ostream& o) { write_json(o, doc); })));
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
  const testing::TempDir dir;
  const budgets::GateResult gate = sample_gate();
  const auto comparison = dir.write("perf_comparison.json", perf_comparison_json(gate, sample_context()).dump());
  const auto summary = dir.write("budget_summary.json", budget_summary_json(gate, sample_context()).dump());
  const std::string validate = kSource + "/tests/reports/validate_schema.py";
  for (const auto& [schema, file] : {std::pair{"perf_comparison", comparison}, std::pair{"budget_summary", summary}}) {
    const auto result = testing::run_command(
        {"/usr/bin/python3", validate, kSource + "/reports/schema/" + schema + ".schema.json", file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
}

TEST(Artifacts, SchemaRejectsAFailingRowWithoutReplay) {
  // The schema itself must be able to fail: a regressed row stripped of its replay command.
  const testing::TempDir dir;
  Json doc = perf_comparison_json(sample_gate(), sample_context());
  for (Json& row : doc["results"]) {
    if (row["verdict"] == "regressed") row["replay"] = nullptr;
  }
  const auto file = dir.write("bad.json", doc.dump());
  const auto result = testing::run_command({"/usr/bin/python3", kSource + "/tests/reports/validate_schema.py",
                                            kSource + "/reports/schema/perf_comparison.schema.json", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("replay"), std::string::npos) << result.out;
}

TEST(Artifacts, FailingRowsCarryReasonReplayAndSeverity) {
  const Json doc = perf_comparison_json(sample_gate(), sample_context());
  for (const Json& row : doc["results"]) {
    const std::string verdict = row["verdict"];
    if (verdict == "unchanged" || verdict == "improved" || verdict == "approved") {
      EXPECT_TRUE(row["replay"].is_null()) << row["benchmark"];
      continue;
    }
    EXPECT_FALSE(row["reason"].get<std::string>().empty());
    EXPECT_EQ(row["replay"], "perfguard compare --base v1.0.0 --candidate HEAD --only " +
                                 row["benchmark"].get<std::string>());
    EXPECT_TRUE(row["severity"].is_string()) << row["benchmark"];
  }
}

TEST(Artifacts, UntrustedNamesAreEscaped) {
  std::vector<budgets::Measurement> all = {measured("a|b <script>&\"x\"", spread(1.0), spread(1.5))};
  budgets::GateSettings settings;
  const Json doc = perf_comparison_json(budgets::judge(all, {}, {}, settings), sample_context());
  const std::string md = render([&](std::ostream& o) { write_markdown(o, doc); });
  EXPECT_NE(md.find("a\\|b <script>"), std::string::npos);  // a pipe would end the table cell
  const std::string xml = render([&](std::ostream& o) { write_junit(o, doc); });
  EXPECT_NE(xml.find("a|b &lt;script&gt;&amp;&quot;x&quot;"), std::string::npos);
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(doc["results"][0]["replay"], "perfguard compare --base v1.0.0 --candidate HEAD --only 'a|b <script>&\"x\"'");
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
