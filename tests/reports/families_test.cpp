// Complexity families in the artifacts: the JSON against its schema, the Markdown row, the
// JUnit case, and the log-log plot on index.html (checked by html_check.py).
#include "reports/families.hpp"

#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/reports/sample_gate.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using fixtures::sample_context;
using fixtures::spread;

const std::string kSource = PERFGUARD_SOURCE_DIR;

// BM_Sort: O(N lg N) on the base, O(N^2) on the candidate (complexity_regressed);
// BM_Copy: O(N) on both sides (unchanged).
budgets::GateResult family_gate() {
  std::vector<budgets::Measurement> all;
  for (double n = 16; n <= 4096; n *= 2) {
    for (const bool sort : {true, false}) {
      budgets::Measurement m;
      m.spec = "micro";
      m.benchmark = fmt::format("micro/{}/{:g}", sort ? "BM_Sort" : "BM_Copy", n);
      m.metric = "real_time";
      m.unit = "s";
      const double base = sort ? 2e-9 * n * std::log2(n) + 5e-7 : 1e-9 * n + 1e-7;
      const double candidate = sort ? 5.7e-10 * n * n + 5e-7 : base;
      m.base = budgets::SideSamples{spread(base, 21), {}};
      m.candidate = budgets::SideSamples{spread(candidate, 21), {}};
      all.push_back(std::move(m));
    }
  }
  budgets::GateSettings settings;
  return budgets::judge(all, {}, {}, settings);
}

template <typename F>
std::string render(F f) {
  std::ostringstream out;
  f(out);
  return out.str();
}

TEST(FamilyArtifacts, JsonMatchesTheSchemas) {
  const budgets::GateResult gate = family_gate();
  ASSERT_EQ(gate.families.size(), 2U);
  const Json doc = perf_comparison_json(gate, sample_context());
  ASSERT_EQ(doc["families"].size(), 2U);
  const Json& copy = doc["families"][0];
  const Json& sort = doc["families"][1];
  EXPECT_EQ(copy["family"], "micro/BM_Copy");
  EXPECT_EQ(copy["verdict"], "unchanged");
  EXPECT_TRUE(copy["replay"].is_null());
  EXPECT_EQ(sort["verdict"], "complexity_regressed");
  EXPECT_EQ(sort["base"]["complexity"], "O(N lg N)");
  EXPECT_EQ(sort["candidate"]["complexity"], "O(N^2)");
  EXPECT_EQ(sort["projection"]["n"], 40960.0);
  EXPECT_TRUE(sort["projection"]["ratio_ci"].is_array());
  EXPECT_EQ(sort["replay"], "perfguard compare --base v1.0.0 --candidate HEAD --only micro");
  EXPECT_EQ(sort["cases"].size(), 9U);

  const tests::TempDir dir;
  const auto comparison = dir.write("perf_comparison.json", doc.dump());
  const auto summary =
      dir.write("budget_summary.json", budget_summary_json(gate, sample_context()).dump());
  for (const auto& [schema, file] :
       {std::pair{"perf_comparison", comparison}, std::pair{"budget_summary", summary}}) {
    const auto result = tests::run_command(
        {"/usr/bin/python3", kSource + "/tests/reports/validate_schema.py",
         kSource + "/reports/schema/" + schema + ".schema.json", file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
}

TEST(FamilyArtifacts, SchemaRejectsAnUnknownClass) {
  Json doc = perf_comparison_json(family_gate(), sample_context());
  doc["families"][0]["base"]["complexity"] = "O(N^4)";
  const tests::TempDir dir;
  const auto file = dir.write("bad.json", doc.dump());
  const auto result = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/validate_schema.py",
       kSource + "/reports/schema/perf_comparison.schema.json", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("O(N^4)"), std::string::npos) << result.out;
}

TEST(FamilyArtifacts, MarkdownAndJunitRows) {
  const Json doc = perf_comparison_json(family_gate(), sample_context());
  const std::string md = render([&](std::ostream& o) { write_markdown(o, doc); });
  EXPECT_NE(md.find("### Complexity families"), std::string::npos);
  // Failing families first.
  const auto sort = md.find(
      "| micro/BM_Sort | real_time | **complexity_regressed** | 9 (16…4096) "
      "| O(N lg N) | O(N^2) | +");
  const auto copy =
      md.find("| micro/BM_Copy | real_time | **unchanged** | 9 (16…4096) | O(N) | O(N) | +0.0%");
  EXPECT_NE(sort, std::string::npos) << md;
  EXPECT_NE(copy, std::string::npos) << md;
  EXPECT_LT(sort, copy);
  const std::string xml = render([&](std::ostream& o) { write_junit(o, doc); });
  EXPECT_NE(xml.find("<testcase classname=\"micro/BM_Sort\" name=\"complexity real_time\">\n"
                     "      <failure type=\"complexity_regressed\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"micro/BM_Copy\" name=\"complexity real_time\">\n"
                     "      <system-out>unchanged:"),
            std::string::npos);
}

TEST(FamilyArtifacts, HtmlPlotsEachFamily) {
  const budgets::GateResult gate = family_gate();
  const Json doc = perf_comparison_json(gate, sample_context());
  const std::string html = render([&](std::ostream& o) {
    write_html(o, doc, budget_summary_json(gate, sample_context()), {});
  });
  EXPECT_NE(html.find("<h2 id=\"families-h\">Complexity families</h2>"), std::string::npos);
  EXPECT_NE(html.find(">micro/BM_Sort: time per iteration against input size, "
                      "log-log; base O(N lg N) and candidate O(N^2)</title>"),
            std::string::npos);
  // Per family and side: 9 medians, a solid and a dashed curve, one projected square.
  std::size_t dots = 0;
  for (auto at = html.find("<circle class=\"dot\""); at != std::string::npos;
       at = html.find("<circle class=\"dot\"", at + 1))
    ++dots;
  EXPECT_EQ(dots, 2U * 2U * 9U);
  std::size_t dashed = 0;
  for (auto at = html.find("stroke-dasharray: 5 4"); at != std::string::npos;
       at = html.find("stroke-dasharray: 5 4", at + 1))
    ++dashed;
  EXPECT_EQ(dashed, 4U);
  const tests::TempDir dir;
  const auto file = dir.write("index.html", html);
  const auto result = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/html_check.py", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace perfguard::reports
