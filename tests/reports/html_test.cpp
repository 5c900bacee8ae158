// index.html: a golden page for the fixed gate, escaping of everything that comes from
// config, refs and command lines, and the structure a screen reader and a printer rely on.
// Regenerate the golden file after an intended change with PERFGUARD_UPDATE_GOLDEN=1.
#include "reports/html.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <fmt/format.h>

#include "reports/artifacts.hpp"
#include "tests/reports/sample_gate.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using fixtures::expect_golden;
using fixtures::measured;
using fixtures::sample_context;
using fixtures::sample_gate;
using fixtures::sample_series;
using fixtures::spread;

const std::string kSource = PERFGUARD_SOURCE_DIR;

std::string page(const Json& comparison, const Json& summary,
                 std::span<const SampleSeries> samples) {
  std::ostringstream out;
  write_html(out, comparison, summary, samples);
  return out.str();
}

std::string sample_page() {
  const budgets::GateResult gate = sample_gate();
  return page(perf_comparison_json(gate, sample_context()),
              budget_summary_json(gate, sample_context()), sample_series());
}

// The version changes with every release; the golden file holds a placeholder.
std::string masked(std::string text) {
  const std::string version = std::string("perfguard ") + PERFGUARD_VERSION + " ";
  for (auto at = text.find(version); at != std::string::npos; at = text.find(version, at)) {
    text.replace(at, version.size(), "perfguard %VERSION% ");
  }
  return text;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// html_check.py: balanced tags, unique ids, every reference resolves, labelled SVG, no loads.
void expect_well_formed(const std::string& html) {
  const tests::TempDir dir;
  const auto file = dir.write("index.html", html);
  const auto result = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/html_check.py", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(Html, GoldenIndexHtml) { expect_golden("index.html", masked(sample_page())); }

TEST(Html, SamePageFromTheSameInputs) { EXPECT_EQ(sample_page(), sample_page()); }

TEST(Html, WellFormedLabelledAndSelfContained) {
  const std::string html = sample_page();
  expect_well_formed(html);
  for (const char* load : {"http://", "https://", "src=", "<link", "url(", "@import"}) {
    EXPECT_EQ(html.find(load), std::string::npos) << load;
  }
  EXPECT_NE(html.find("@media (prefers-color-scheme: dark)"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
}

TEST(Html, HeaderSaysTheVerdictRefsHostAndSettings) {
  const std::string html = sample_page();
  EXPECT_NE(html.find("<title>perfguard: gate failed · v1.0.0 → HEAD</title>"), std::string::npos);
  EXPECT_NE(html.find("Gate failed</h1>"), std::string::npos);
  EXPECT_NE(html.find("4 of 6 results fail the gate · 1 of 2 budgets fail · exit code 3"),
            std::string::npos);
  EXPECT_NE(html.find("title=\"1111111111111111111111111111111111111111\">111111111111</span>"),
            std::string::npos);
  EXPECT_NE(html.find("Example CPU @ 2.0GHz"), std::string::npos);
  EXPECT_NE(html.find("confidence <b>98%</b>"), std::string::npos);
  EXPECT_NE(html.find("seed <b>42</b>"), std::string::npos);
}

// The overview comes first (every row on one screen), then a card per failing row.
TEST(Html, OverviewFirstThenFailingRowsEachWithReasonSeverityAndReplay) {
  const std::string html = sample_page();
  const auto failing = html.find("id=\"failing-h\"");
  const auto overview = html.find("id=\"overview-h\"");
  ASSERT_NE(failing, std::string::npos);
  ASSERT_NE(overview, std::string::npos);
  EXPECT_LT(overview, failing);
  const auto after = html.find("<section", failing);
  const std::string cards = html.substr(failing, after - failing);
  for (const char* replay : {"--only cli.startup</code>", "--only crashy</code>",
                             "--only parse</code>", "--only gone</code>"}) {
    EXPECT_NE(cards.find(replay), std::string::npos) << replay;
  }
  EXPECT_NE(cards.find("median +30.0% (CI +29.4…+30.7%) &gt; 5% threshold"), std::string::npos);
  EXPECT_NE(cards.find(">P1</abbr>"), std::string::npos);
  EXPECT_NE(cards.find("approval #2 (parse) is invalid"), std::string::npos);
  EXPECT_EQ(cards.find("render"), std::string::npos) << "an approved row is not failing";
  // The copy buttons exist only for script to reveal; without it the command is selectable text.
  EXPECT_EQ(count(cards, "class=\"copy\""), 4U);
  EXPECT_EQ(count(cards, "class=\"copy\""), count(cards, " hidden>Copy</button>"));
}

TEST(Html, PlotsEveryRunAndDrawsTheBandAndBudgets) {
  const std::string html = sample_page();
  // 41 runs on each side of four rows, crashy's surviving runs, one file size per side, none for
  // gone's candidate.
  EXPECT_EQ(count(html, "<circle class=\"dot\""), 41U * 2 * 4 + 41 + 2);
  EXPECT_EQ(count(html, "role=\"img\""), 6U);  // one strip plot per row
  EXPECT_GE(count(html, "<rect class=\"band\""),
            4U * 2);  // per row with a ratio, overview and detail
  EXPECT_EQ(count(html, "<line class=\"limit\""), 2U);
  EXPECT_NE(html.find("202% of the limit"), std::string::npos);
  EXPECT_NE(html.find("approval up to +25.0% by j.doe (#482)"), std::string::npos);
  EXPECT_NE(html.find("Approved</strong> up to +25.0% by j.doe (#482), 2026-11-20 → 2026-12-10: "
                      "new layout engine"),
            std::string::npos);
}

TEST(Html, WithoutSamplesThePlotsShowTheSummary) {
  const budgets::GateResult gate = sample_gate();
  const std::string html = page(perf_comparison_json(gate, sample_context()), nullptr, {});
  expect_well_formed(html);
  EXPECT_EQ(html.find("<circle"), std::string::npos);
  EXPECT_EQ(count(html, "<line class=\"whisker\""),
            4U * 2);  // min–max of each side of each row with a summary
  EXPECT_NE(html.find("no raw samples were given"), std::string::npos);
  EXPECT_EQ(count(html, "<line class=\"limit\""), 2U);  // budgets from perf_comparison.json itself
}

TEST(Html, ManyRunsAreThinnedDeterministically) {
  std::vector<budgets::Measurement> all = {measured("big", spread(1.0, 10001), spread(1.0, 10001))};
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::vector<SampleSeries> series = {{"big", "wall_time", "base", spread(1.0, 10001)},
                                            {"big", "wall_time", "candidate", spread(1.0, 10001)}};
  const std::string html = page(doc, nullptr, series);
  EXPECT_EQ(count(html, "<circle class=\"dot\""), 2U * 1667);  // every 6th of 10001, on each side
  EXPECT_NE(html.find("every 6th is drawn (1667 of 10001)"), std::string::npos);
  const std::vector<SampleSeries> fewer = {{"big", "wall_time", "base", spread(1.0, 4001)}};
  EXPECT_NE(page(doc, nullptr, fewer).find("every 3rd is drawn (1334 of 4001)"), std::string::npos);
}

TEST(Html, EscapeHelper) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain text, 10 ms"), "plain text, 10 ms");
  EXPECT_EQ(html_escape(std::string("a\0b\x1b", 4)), "a b ");
  EXPECT_EQ(html_escape("ünïcødé → ✓"), "ünïcødé → ✓");
}

// Names come from the config, refs and hosts from the command line: all of it renders as text.
TEST(Html, UntrustedStringsRenderAsText) {
  const std::string evil = "<script>alert(1)</script>";
  std::vector<budgets::Measurement> all = {measured(evil, spread(1.0), spread(1.5)),
                                           measured("ok", spread(1.0), spread(1.0))};
  all[0].metric = "m\"><img src=x onerror=alert(2)>";
  const std::vector<SampleSeries> series = {{evil, all[0].metric, "base", spread(1.0)},
                                            {evil, all[0].metric, "candidate", spread(1.5)}};
  ArtifactContext context = sample_context();
  context.base = {"v1 \"quoted\" & 'single' <b>bold</b>", "abc&def"};
  context.candidate = {"feature/<x>", ""};
  context.host.hostname = "host\"><script>alert(3)</script>";
  context.host.cpu_model = "CPU & <co>";
  context.extra_settings = {{"note", "</style><script>alert(4)</script>"}};
  context.replay_prefix = "perfguard compare --base 'v1 \"quoted\" & x'";
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), context);
  const std::string html = page(doc, nullptr, series);

  expect_well_formed(html);
  EXPECT_EQ(count(html, "<script"), 1U) << "only the page's own script";
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_EQ(html.find("<x>"), std::string::npos);
  EXPECT_EQ(html.find("<co>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("v1 &quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("m&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("host&quot;&gt;&lt;script&gt;alert(3)"), std::string::npos);
  EXPECT_NE(html.find("&lt;/style&gt;&lt;script&gt;alert(4)"), std::string::npos);
  // The replay command, shell-quoted by the artifact, is shown exactly, as text.
  EXPECT_NE(html.find("--only &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;</code>"),
            std::string::npos);
  // Inside the SVG too: its <title> names the benchmark.
  EXPECT_NE(html.find("-t\">&lt;script&gt;alert(1)&lt;/script&gt; m&quot;"), std::string::npos);
}

TEST(Html, AMangledDocumentStillRenders) {
  // Re-rendering reads a file someone may have edited: wrong types are shown as missing.
  const Json doc = Json::parse(R"({"gate": [], "base": "x", "results": [
      {"benchmark": 3, "verdict": "regressed", "ratio": "fast", "ratio_ci": [2, 1], "threshold": -1,
       "base": {"median": "a", "n": -4}, "candidate": [], "failures": {"base": 1}},
      {"benchmark": "ok", "verdict": "unchanged", "ratio": 0, "ratio_ci": [0, 0]},
      "not a row"],
    "budgets": [{"limit": 0, "actual": -1}, 7], "approvals": {"use": "invalid"}})");
  const std::string html = page(doc, Json::array(), {});
  EXPECT_NE(html.find("Gate failed"), std::string::npos);
  expect_well_formed(html);
}

// Which rows fail is the row's own "passes", not a reading of its verdict: a regressed row
// edited to pass leaves the failing cards and takes a passing tone.
TEST(Html, FailingCardsFollowThePassesOfEachRow) {
  const budgets::GateResult gate = sample_gate();
  Json doc = perf_comparison_json(gate, sample_context());
  const std::string before = page(doc, nullptr, {});
  std::size_t regressed = 0;
  for (Json& row : doc["results"]) {
    if (row["verdict"] == "regressed" && row["benchmark"] == "parse") {
      row["passes"] = true;
      ++regressed;
    }
  }
  ASSERT_EQ(regressed, 1U);
  const std::string after = page(doc, nullptr, {});
  const auto cards = [](const std::string& html) {
    const auto start = html.find("id=\"failing-h\"");
    return html.substr(start, html.find("<section", start) - start);
  };
  EXPECT_NE(cards(before).find("--only parse</code>"), std::string::npos);
  EXPECT_EQ(cards(after).find("--only parse</code>"), std::string::npos);
  EXPECT_EQ(count(after, "<article class=\"result t-fail\""),
            count(before, "<article class=\"result t-fail\"") - 1);
  // A passing row (failing rows come first) that does not say "passes" fails closed.
  const std::size_t last = doc["results"].size() - 1;
  ASSERT_EQ(doc["results"][last]["passes"], true);
  const std::string id = fmt::format("id=\"r{}\"", last);
  EXPECT_EQ(before.find("<article class=\"result t-fail\" " + id), std::string::npos);
  doc["results"][last].erase("passes");
  EXPECT_NE(page(doc, nullptr, {}).find("<article class=\"result t-fail\" " + id),
            std::string::npos);
}

TEST(Html, PassingGate) {
  std::vector<budgets::Measurement> all = {measured("fast", spread(1.0), spread(0.8)),
                                           measured("same", spread(1.0), spread(1.0))};
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string html = page(doc, nullptr, {});
  EXPECT_NE(html.find("<header class=\"banner t-good\">"), std::string::npos);
  EXPECT_NE(html.find("Gate passed</h1>"), std::string::npos);
  EXPECT_NE(html.find("all 2 results pass"), std::string::npos);
  EXPECT_EQ(html.find("failing-h"), std::string::npos);
  EXPECT_NE(html.find(">improved</span>"), std::string::npos);
  expect_well_formed(html);
}

// Real suites fail by family: snappy's BM_UFlat/0..11 regressing together make one card with
// a compact table (cases in natural order), not twelve near-identical cards; a lone failing
// case keeps its own card.
TEST(Html, FailingCasesOfOneFamilyShareACard) {
  std::vector<budgets::Measurement> all;
  for (const char* id : {"snappy/BM_UFlat/10", "snappy/BM_UFlat/2", "snappy/BM_UFlat/0",
                         "snappy/BM_ZFlat/1", "snappy/BM_ZFlat/3"}) {
    all.push_back(measured(id, spread(1.0), spread(1.3)));
  }
  all.push_back(measured("snappy/BM_UIOVecSink/0", spread(1.0), spread(1.3)));
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string html = page(doc, nullptr, {});
  const auto failing = html.find("id=\"failing-h\"");
  ASSERT_NE(failing, std::string::npos);
  const std::string cards = html.substr(failing, html.find("<section", failing) - failing);
  EXPECT_EQ(count(cards, "<li class=\"card"), 4U) << cards;  // UFlat, 2 x ZFlat, the sink
  EXPECT_NE(cards.find("snappy/BM_UFlat/*<span class=\"metric\">3 failing cases</span>"),
            std::string::npos);
  const auto c0 = cards.find(">0</a></th>");
  const auto c2 = cards.find(">2</a></th>");
  const auto c10 = cards.find(">10</a></th>");
  ASSERT_NE(c10, std::string::npos);
  EXPECT_LT(c0, c2);
  EXPECT_LT(c2, c10);
  // Each case keeps its own replay command, folded away under one summary.
  EXPECT_NE(cards.find("Replay commands (3)"), std::string::npos);
  EXPECT_NE(cards.find("--only snappy/BM_UFlat/10</code>"), std::string::npos);
  EXPECT_NE(cards.find("--only snappy/BM_UFlat/0</code>"), std::string::npos);
  // Two ZFlat cases are not worth a table: they keep their cards, as does the lone sink case.
  EXPECT_NE(cards.find(">snappy/BM_ZFlat/1</a>"), std::string::npos);
  EXPECT_NE(cards.find(">snappy/BM_UIOVecSink/0</a>"), std::string::npos);
  expect_well_formed(html);
}

// A document of a sort family BM_Sort/16 ... /4096, failing from /32 on, and one other row;
// `family_verdict` replaces the family row the judgement made ("" keeps it).
Json sort_family_doc(const std::string& family_verdict) {
  std::vector<budgets::Measurement> all;
  for (int n = 16; n <= 4096; n *= 2)
    all.push_back(measured(fmt::format("micro/BM_Sort/{}", n), spread(1.0),
                           spread(n == 16 ? 1.0 : 1.5)));
  all.push_back(measured("cli.startup", spread(1.0), spread(1.0)));
  Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  if (!family_verdict.empty()) {
    Json cases = Json::array();
    for (int n = 16; n <= 4096; n *= 2) cases.push_back(fmt::format("micro/BM_Sort/{}", n));
    doc["families"] = Json::array({Json{{"family", "micro/BM_Sort"},
                                        {"metric", "wall_time"},
                                        {"cases", cases},
                                        {"verdict", family_verdict},
                                        {"passes", family_verdict != "complexity_regressed"},
                                        {"reason", "O(N lg N) -> O(N^2)"}}});
  }
  return doc;
}

std::string section(const std::string& html, const std::string& heading_id) {
  const auto start = html.find("id=\"" + heading_id + "\"");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

TEST(Html, FamilyRowsShareOneHeadingInTheOverview) {
  const std::string html = page(sort_family_doc(""), nullptr, {});
  const std::string overview = section(html, "overview-h");
  ASSERT_FALSE(overview.empty());
  EXPECT_EQ(count(overview, "<tbody class=\"family\">"), 1U) << overview;
  EXPECT_NE(overview.find("micro/BM_Sort/*<span class=\"metric\">wall_time</span> <span "
                          "class=\"muted\">9 sizes: 1 unchanged, 8 regressed</span>"),
            std::string::npos)
      << overview;
  // Compact rows: the size only, in size order, though failing rows come first in the document.
  EXPECT_EQ(count(overview, "<tr class=\"member\">"), 9U);
  const auto at16 = overview.find("\">16</a>");
  const auto at32 = overview.find("\">32</a>");
  const auto at4096 = overview.find("\">4096</a>");
  ASSERT_NE(at16, std::string::npos);
  EXPECT_LT(at16, at32);
  EXPECT_LT(at32, at4096);
  EXPECT_EQ(overview.find(">micro/BM_Sort/16</a>"), std::string::npos);
  // The family's own row (judged on the projected ratio here) is named beside its heading.
  EXPECT_NE(overview.find("<a class=\"badge t-fail\" href=\"#families-h\">regressed</a>"),
            std::string::npos);
  // The other row keeps its full name, outside the family.
  EXPECT_NE(overview.find(">cli.startup</a><span class=\"metric\">wall_time</span>"),
            std::string::npos);
  // The failing sizes share one card, each with its replay command.
  const std::string failing = section(html, "failing-h");
  EXPECT_EQ(count(failing, "<li class=\"card"), 1U) << failing;
  EXPECT_NE(failing.find("micro/BM_Sort/*<span class=\"metric\">8 failing cases</span>"),
            std::string::npos);
  EXPECT_EQ(count(failing, "<button type=\"button\" class=\"copy\""), 8U);
  expect_well_formed(html);
}

TEST(Html, TwoCasesOfAFamilyStayOrdinaryRows) {
  std::vector<budgets::Measurement> all = {measured("BM_x/8", spread(1.0), spread(1.0)),
                                           measured("BM_x/16", spread(1.0), spread(1.0))};
  const std::string html = page(
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context()),
      nullptr, {});
  EXPECT_EQ(html.find("<tbody class=\"family\">"), std::string::npos);
  EXPECT_NE(html.find(">BM_x/16</a>"), std::string::npos);
}

TEST(Html, FailingFamilyCountsInTheHeaderAndComesRightAfterTheOverview) {
  const std::string html = page(sort_family_doc("complexity_regressed"), nullptr, {});
  EXPECT_NE(html.find("8 of 10 results fail the gate · 1 of 1 complexity family fails"),
            std::string::npos);
  EXPECT_NE(html.find("<li class=\"badge t-fail\">1 complexity regressed</li>"),
            std::string::npos);
  EXPECT_LT(html.find("1 complexity regressed"), html.find("8 regressed</li>"));
  EXPECT_NE(html.find("<li><a href=\"#overview-h\">Overview</a></li><li><a "
                      "href=\"#families-h\">Complexity families</a></li><li><a "
                      "href=\"#failing-h\">Failing</a></li>"),
            std::string::npos);
  const auto overview = html.find("id=\"overview-h\"");
  const auto families = html.find("id=\"families-h\"");
  const auto failing = html.find("id=\"failing-h\"");
  EXPECT_LT(overview, families);
  EXPECT_LT(families, failing);
  // The family heading and its card name the family's verdict and link to its plot.
  EXPECT_NE(section(html, "overview-h")
                .find("<a class=\"badge t-fail\" href=\"#families-h\">complexity regressed</a>"),
            std::string::npos);
  EXPECT_NE(section(html, "failing-h").find("O(N lg N) -&gt; O(N^2)"), std::string::npos);
  expect_well_formed(html);
}

TEST(Html, PassingFamilyKeepsItsPlaceAfterTheBudgets) {
  const std::string html = page(sort_family_doc("unchanged"), nullptr, {});
  EXPECT_NE(html.find("1 complexity family passes"), std::string::npos);
  EXPECT_NE(html.find("<li class=\"badge t-neutral\">3 unchanged</li>"), std::string::npos)
      << html.substr(0, 3000);
  EXPECT_NE(html.find("<li><a href=\"#failing-h\">Failing</a></li><li><a "
                      "href=\"#families-h\">Complexity families</a></li><li><a "
                      "href=\"#details-h\">"),
            std::string::npos);
  EXPECT_LT(html.find("id=\"failing-h\""), html.find("id=\"families-h\""));
}

// An adaptive run judges each benchmark at what its last look left: when every row shares that
// level, the overview's header states it and no cell repeats it; when rows differ, the header
// says only "CI" and each cell names its own level.
TEST(Html, ConfidenceHeaderAgreesWithTheCells) {
  std::vector<budgets::Measurement> all = {measured("a", spread(1.0), spread(1.0)),
                                           measured("b", spread(1.0), spread(1.0))};
  for (budgets::Measurement& m : all) m.confidence = 0.993;
  const Json shared =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string same = page(shared, nullptr, {});
  EXPECT_NE(same.find("class=\"num\">99.3% CI</th>"), std::string::npos);
  EXPECT_EQ(same.find("class=\"num\">98% CI</th>"), std::string::npos);
  EXPECT_EQ(same.find("(99.3% CI)"), std::string::npos);

  all[1].confidence = 0.99;
  const Json mixed =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string differ = page(mixed, nullptr, {});
  EXPECT_NE(differ.find("class=\"num\">CI</th>"), std::string::npos);
  EXPECT_NE(differ.find("(99.3% CI)"), std::string::npos);
  EXPECT_NE(differ.find("(99% CI)"), std::string::npos);
  expect_well_formed(differ);
}

// google/benchmark's own test fixtures put ratios near 1e-9 beside ordinary ones: the axis
// keeps a handful of short labels (÷1e9, not ×1e-09) instead of one per decade piled up.
TEST(Html, ExtremeRatiosGetAFewReadableAxisLabels) {
  std::vector<budgets::Measurement> all = {measured("BM_tiny", spread(1.0), spread(1e-9)),
                                           measured("BM_same", spread(1.0), spread(1.0)),
                                           measured("BM_huge", spread(1.0), spread(50.0))};
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  const std::string html = page(doc, nullptr, {});
  const std::size_t axis = html.find("<div class=\"axis\"");
  ASSERT_NE(axis, std::string::npos);
  const std::string labels = html.substr(axis, html.find("</div>", axis) - axis);
  std::size_t count = 0;
  for (std::size_t at = labels.find("<span"); at != std::string::npos;
       at = labels.find("<span", at + 1))
    ++count;
  EXPECT_GE(count, 3U) << labels;
  EXPECT_LE(count, 7U) << labels;
  EXPECT_EQ(labels.find("e-0"), std::string::npos) << labels;
  EXPECT_NE(labels.find("±0%"), std::string::npos) << labels;
  EXPECT_NE(labels.find("÷"), std::string::npos) << labels;
  expect_well_formed(html);
}

}  // namespace
}  // namespace perfguard::reports
