// index.html in a real browser: headless Chromium renders the golden-input page to a screenshot
// that is not blank, its DOM (after the page's script ran) states the verdict, and a benchmark
// named <script> stays text. Opt-in: runs only with PERFGUARD_BROWSER_TESTS=1 (chromium from
// scripts/lib/browser.sh), and is reported as skipped otherwise.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reports/artifacts.hpp"
#include "reports/html.hpp"
#include "tests/reports/sample_gate.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::reports {
namespace {

using fixtures::measured;
using fixtures::sample_context;
using fixtures::sample_gate;
using fixtures::sample_series;
using fixtures::spread;

const std::string kSource = PERFGUARD_SOURCE_DIR;

// $PERFGUARD_CHROMIUM, else chromium (or chromium-browser) on PATH; "" when there is none.
std::string find_chromium() {
  if (const char* chosen = std::getenv("PERFGUARD_CHROMIUM"); chosen != nullptr && *chosen != '\0')
    return chosen;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "";
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* wanted = std::getenv("PERFGUARD_BROWSER_TESTS");
    if (wanted == nullptr || std::string(wanted) != "1") {
      GTEST_SKIP() << "browser tests run with PERFGUARD_BROWSER_TESTS=1 (and chromium installed)";
    }
    chromium_ = find_chromium();
    ASSERT_FALSE(chromium_.empty())
        << "PERFGUARD_BROWSER_TESTS=1 but no chromium on PATH "
           "(scripts/lib/browser.sh: perfguard_ensure_browser installs it)";
  }

  std::filesystem::path write_page(const std::string& name, const Json& comparison,
                                   const Json& summary,
                                   std::span<const SampleSeries> samples) const {
    std::ostringstream html;
    write_html(html, comparison, summary, samples);
    return dir_.write(name, html.str());
  }

  // One headless run with a profile of its own, no network and no background services; killed
  // if it hangs.
  tests::CommandResult chromium(const std::vector<std::string>& action,
                                  const std::filesystem::path& page) {
    const std::filesystem::path profile = dir_.path() / ("profile-" + std::to_string(++runs_));
    std::vector<std::string> argv = {"/usr/bin/timeout",
                                     "-k",
                                     "10",
                                     "120",
                                     chromium_,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-quic",
                                     "--no-first-run",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--user-data-dir=" + profile.string()};
    argv.insert(argv.end(), action.begin(), action.end());
    argv.push_back("file://" + page.string());
    return tests::run_command(argv);
  }

  std::string dump_dom(const std::filesystem::path& page) {
    const tests::CommandResult r = chromium({"--dump-dom"}, page);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  tests::TempDir dir_;
  std::string chromium_;
  int runs_ = 0;
};

TEST_F(Browser, ScreenshotOfTheReportIsNotBlank) {
  const budgets::GateResult gate = sample_gate();
  const auto page = write_page("index.html", perf_comparison_json(gate, sample_context()),
                               budget_summary_json(gate, sample_context()), sample_series());
  const std::filesystem::path png = dir_.path() / "index.png";
  const tests::CommandResult shot =
      chromium({"--screenshot=" + png.string(), "--window-size=1280,2000"}, page);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(std::filesystem::exists(png)) << shot.err;
  EXPECT_GT(std::filesystem::file_size(png), 20'000U)
      << "a page this full compresses to more than that";

  const tests::CommandResult stats = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/browser_test.py", png.string()});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  std::istringstream in(stats.out);
  int width = 0;
  int height = 0;
  int colours = 0;
  double ink = 0.0;
  in >> width >> height >> colours >> ink;
  EXPECT_EQ(width, 1280);
  EXPECT_EQ(height, 2000);
  // Text, badges, tinted bands and antialiased plots: thousands of colours; blank is one or two.
  EXPECT_GT(colours, 200) << stats.out;
  EXPECT_GT(ink, 0.05) << stats.out;
}

TEST_F(Browser, DomStatesTheVerdictAndTheScriptRan) {
  const budgets::GateResult gate = sample_gate();
  const auto page = write_page("index.html", perf_comparison_json(gate, sample_context()),
                               budget_summary_json(gate, sample_context()), sample_series());
  const std::string dom = dump_dom(page);
  EXPECT_NE(dom.find("Gate failed</h1>"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("4 of 6 results fail the gate"), std::string::npos);
  EXPECT_NE(dom.find("perfguard compare --base v1.0.0 --candidate HEAD --only parse</code>"),
            std::string::npos);
  // The script ran: Chromium has the clipboard API for file:// pages, so every copy button shows.
  EXPECT_NE(dom.find("class=\"copy\""), std::string::npos);
  EXPECT_EQ(dom.find("hidden=\"\">Copy</button>"), std::string::npos)
      << "the copy buttons stayed hidden";
}

TEST_F(Browser, AScriptNamedBenchmarkStaysText) {
  std::vector<budgets::Measurement> all = {
      measured("<script>alert(1)</script>", spread(1.0), spread(1.5))};
  ArtifactContext context = sample_context();
  context.base = {"v1 \"q\" & <b>x</b>", ""};
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), context);
  const auto page = write_page("evil.html", doc, nullptr, {});
  const std::string dom = dump_dom(page);
  std::size_t scripts = 0;
  for (auto at = dom.find("<script"); at != std::string::npos; at = dom.find("<script", at + 1))
    ++scripts;
  EXPECT_EQ(scripts, 1U) << "only the page's own script element";
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(dom.find("<b>x</b>"), std::string::npos);
  EXPECT_NE(dom.find("Gate failed</h1>"), std::string::npos);
}

// A report with real names, as snappy's Google Benchmark suite gives them (twelve failing
// BM_UFlat cases, renamed and removed cases, and a ratio near 1e-9 like google/benchmark's own
// test fixtures), laid out at 1280 px: a script appended for the test measures what a reader
// would see -- a metric label broken over two lines, axis labels that overlap, the overview
// pushed below the first screen, families not grouped or not compact -- and the screenshot is
// not blank.
TEST_F(Browser, ManyRealNamesLayOutCleanly) {
  std::vector<budgets::Measurement> all;
  for (int i = 0; i < 12; ++i) {
    all.push_back(measured("snappy/BM_UFlat/" + std::to_string(i), spread(1.0), spread(1.3)));
    all.push_back(measured("snappy/BM_ZFlat/" + std::to_string(i), spread(1.0), spread(1.0)));
    budgets::Measurement fresh =
        measured("snappy/BM_UIOVecSource/" + std::to_string(i), spread(1.0), spread(1.0));
    fresh.base.reset();
    all.push_back(fresh);
  }
  for (int i = 0; i < 5; ++i) {
    budgets::Measurement gone =
        measured("snappy/BM_UIOVec/" + std::to_string(i), spread(1.0), spread(1.0));
    gone.candidate.reset();
    all.push_back(gone);
  }
  all.push_back(measured("benchmark/BM_Complexity_O_N/real_time_BigO", spread(1.0), spread(1e-9)));
  for (budgets::Measurement& m : all) m.metric = "real_time";
  const Json doc =
      perf_comparison_json(budgets::judge(all, {}, {}, budgets::GateSettings{}), sample_context());
  std::ostringstream html;
  write_html(html, doc, nullptr, {});
  std::string text = html.str();
  const std::string probe = R"(<script>
(function () {
  var out = [];
  document.querySelectorAll('.metric').forEach(function (m) {
    if (m.getClientRects().length !== 1) out.push('broken: ' + m.textContent);
  });
  document.querySelectorAll('.axis').forEach(function (axis) {
    var spans = axis.querySelectorAll('span');
    for (var i = 1; i < spans.length; i++) {
      var a = spans[i - 1].getBoundingClientRect(), b = spans[i].getBoundingClientRect();
      if (b.width > 0 && a.width > 0 && b.left < a.right)
        out.push('overlap: ' + spans[i - 1].textContent + ' | ' + spans[i].textContent);
    }
  });
  out.push('overview-top: ' + Math.round(document.getElementById('overview-h').getBoundingClientRect().top));
  out.push('family-cards: ' + document.querySelectorAll('table.family').length);
  out.push('family-groups: ' + document.querySelectorAll('table.forest tbody.family').length);
  var tallest = 0;
  document.querySelectorAll('table.forest tr.member').forEach(function (tr) {
    tallest = Math.max(tallest, tr.getBoundingClientRect().height);
  });
  out.push('member-height: ' + Math.round(tallest));
  var pre = document.createElement('pre');
  pre.id = 'layout-check';
  pre.textContent = out.join(' ; ');
  document.body.appendChild(pre);
})();
</script>
)";
  text.insert(text.rfind("</body>"), probe);
  const auto page = dir_.write("names.html", text);

  const tests::CommandResult r = chromium({"--dump-dom", "--window-size=1280,900"}, page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t at = r.out.find("<pre id=\"layout-check\">");
  ASSERT_NE(at, std::string::npos) << "the probe did not run";
  const std::string check = r.out.substr(at, r.out.find("</pre>", at) - at);
  EXPECT_EQ(check.find("broken:"), std::string::npos) << check;
  EXPECT_EQ(check.find("overlap:"), std::string::npos) << check;
  EXPECT_NE(check.find("family-cards: 2"), std::string::npos) << check;  // UFlat, UIOVec
  const std::size_t top = check.find("overview-top: ");
  ASSERT_NE(top, std::string::npos) << check;
  EXPECT_LT(std::stoi(check.substr(top + 14)), 900) << "the overview starts below the first screen";
  // Each family under one heading in the overview, one compact line per size, in natural
  // order: /2 before /10.
  EXPECT_NE(check.find("family-groups: 4"), std::string::npos) << check;
  const std::size_t member = check.find("member-height: ");
  ASSERT_NE(member, std::string::npos) << check;
  EXPECT_LT(std::stoi(check.substr(member + 15)), 30) << check;
  const std::size_t zflat = r.out.find("snappy/BM_ZFlat/*<span class=\"metric\">");
  ASSERT_NE(zflat, std::string::npos);
  EXPECT_LT(r.out.find(">2</a>", zflat), r.out.find(">10</a>", zflat));

  const std::filesystem::path png = dir_.path() / "names.png";
  const tests::CommandResult shot =
      chromium({"--screenshot=" + png.string(), "--window-size=1280,2000"}, page);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  const tests::CommandResult stats = tests::run_command(
      {"/usr/bin/python3", kSource + "/tests/reports/browser_test.py", png.string()});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  std::istringstream in(stats.out);
  int width = 0;
  int height = 0;
  int colours = 0;
  double ink = 0.0;
  in >> width >> height >> colours >> ink;
  EXPECT_GT(colours, 200) << stats.out;
  EXPECT_GT(ink, 0.05) << stats.out;
}

}  // namespace
}  // namespace perfguard::reports
