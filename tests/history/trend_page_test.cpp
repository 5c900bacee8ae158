// history.html (history/trend_page.hpp): its structure, the order of its series, the labels of
// its steps, escaping of every name from the store, and that it loads nothing.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "history/change_report.hpp"
#include "history/trend_page.hpp"

namespace perfguard::history {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// 20 nights of one benchmark: `before` up to night `step` (exclusive), `after` from it on,
// each night's interval +-1%, a wiggle of at most +-0.25%.
Series series_of(const std::string& benchmark, double before, double after, int step) {
  constexpr double kWiggle[] = {0.002,   -0.001, 0.0025, -0.002,  0.0005,
                                -0.0015, 0.001,  0.002,  -0.0005, -0.0025};
  Series series;
  series.host_fingerprint = "00000000000000aa";
  series.hostname = "bench-1";
  series.benchmark = benchmark;
  series.metric = "wall_time";
  series.unit = "s";
  series.threshold = 0.05;
  for (int night = 0; night < 20; ++night) {
    SeriesPoint point;
    point.run_id = night + 1;
    point.recorded_at = fmt::format("2026-10-{:02}T02:00:00Z", night + 1);
    point.commit = "c" + std::to_string(night);
    point.median = (night < step ? before : after) * (1.0 + kWiggle[night % 10]);
    point.median_lo = point.median * 0.99;
    point.median_hi = point.median * 1.01;
    point.confidence = 0.98;
    series.points.push_back(point);
  }
  return series;
}

std::string page_of(const std::vector<Series>& all) {
  std::vector<Step> steps = find_steps(all, {});
  for (Step& step : steps) step.bisect_command = bisect_command(step);  // as history_report does
  std::ostringstream out;
  write_trend_page(out, all, steps, "2026-11-01T00:00:00Z");
  return out.str();
}

// In the store's order: flat, then an improvement, then a regression (+20% at night 10).
std::vector<Series> three_series() {
  return {series_of("flat", 1.0, 1.0, 0), series_of("faster", 2.0, 1.6, 8),
          series_of("slower", 3.0, 3.6, 10)};
}

TEST(TrendPage, OneSelfContainedDocumentWithAPlotPerSeries) {
  const std::string html = page_of(three_series());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(html.find("</html>\n"), std::string::npos);
  EXPECT_EQ(count(html, "<section class=\"trend"), 3u);
  EXPECT_EQ(count(html, "<svg "), 3u);
  EXPECT_EQ(count(html, "</svg>"), 3u);
  // Each night's interval as a band, each night a dot.
  EXPECT_EQ(count(html, "<polygon class=\"band\""), 3u);
  EXPECT_EQ(count(html, "<circle class=\"dot\""), 60u);
  EXPECT_NE(html.find("<title>perfguard history: 1 regression in 3 series</title>"),
            std::string::npos);
  // index.html's style sheet, inline; no script is needed.
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("--fail:"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(TrendPage, RegressionsFirstThenOtherStepsThenFlatSeries) {
  const std::string html = page_of(three_series());
  const std::size_t slower = html.find("<h3>slower<");
  const std::size_t faster = html.find("<h3>faster<");
  const std::size_t flat = html.find("<h3>flat<");
  ASSERT_NE(slower, std::string::npos);
  ASSERT_NE(faster, std::string::npos);
  ASSERT_NE(flat, std::string::npos);
  EXPECT_LT(slower, faster);
  EXPECT_LT(faster, flat);
  EXPECT_EQ(count(html, "class=\"badge\">regression<"), 1u);
  EXPECT_EQ(count(html, "class=\"badge\">changed<"), 1u);
  EXPECT_EQ(count(html, "class=\"badge\">no change<"), 1u);
}

TEST(TrendPage, StepsAreMarkedAndLabelledWithTheirCommitRange) {
  const std::string html = page_of(three_series());
  EXPECT_EQ(count(html, "<line class=\"step\""), 2u);
  // slower: nights 0-9 at 3.0, 10-19 at 3.6. Each level is the median of its 10 nights: the
  // mean of the 5th and 6th smallest wiggles, (-0.0005 + 0.0005) / 2 = 0 on both sides (sorted
  // by hand), so the change is 3.6 / 3.0 - 1 = +20.0%.
  EXPECT_NE(html.find("<g class=\"t-fail\">"), std::string::npos);
  EXPECT_NE(html.find(">c9…c10 +20.0%</text>"), std::string::npos) << html;
  // faster: 2.0 -> 1.6 at night 8, an improvement. Levels: the median wiggle of nights 0-7 is
  // (0.0005 + 0.001) / 2, of nights 8-19 -0.0005 (sorted by hand), so the change is
  // 1.6 * 0.9995 / (2.0 * 1.00075) - 1 = -20.1%.
  EXPECT_NE(html.find("<g class=\"t-good\">"), std::string::npos);
  EXPECT_NE(html.find(">c7…c8 -20.1%</text>"), std::string::npos);
  EXPECT_NE(html.find("yes (&gt; 5%)"), std::string::npos);
}

// Under a regression's table, the bisect that finds its commit; none for the improvement.
TEST(TrendPage, RegressionsSuggestTheirBisect) {
  const std::string html = page_of(three_series());
  EXPECT_EQ(count(html, "<p class=\"bisect\">"), 1u);
  EXPECT_NE(html.find("<p class=\"bisect\">To find the commit of the regression after "
                      "<code>c9</code>: <code>perfguard bisect --good c9 --bad c10 --only slower "
                      "--metric wall_time</code></p>"),
            std::string::npos)
      << html;
}

// A series with a common base has a second section, its ratios to that base, with its own steps.
TEST(TrendPage, RatioSeriesHaveTheirOwnSection) {
  Series slower = series_of("slower", 3.0, 3.6, 10);
  for (SeriesPoint& point : slower.points) {
    point.base_commit = std::string(40, 'b');
    point.ratio = point.median / 3.0;
    point.ratio_lo = *point.ratio * 0.99;
    point.ratio_hi = *point.ratio * 1.01;
  }
  const std::string html = page_of(with_ratio_series({slower}));
  EXPECT_EQ(count(html, "<section class=\"trend"), 2u);
  EXPECT_EQ(count(html, "<line class=\"step\""), 2u);
  EXPECT_NE(html.find("<h3>slower<span class=\"metric\">wall_time · ratio to base "
                      "bbbbbbbbbbbb</span></h3>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("aria-label=\"slower wall_time ratio to base: 20 nights, 1 step\""),
            std::string::npos);
  EXPECT_EQ(count(html, ">c9…c10 +20.0%</text>"), 2u);
  EXPECT_EQ(count(html, "class=\"badge\">regression<"), 2u);
  // The banner counts the two kinds apart.
  EXPECT_NE(html.find("<title>perfguard history: 2 regressions in 1 series</title>"),
            std::string::npos);
  EXPECT_NE(html.find(">2 change points in 1 series (host × benchmark × metric) and 1 ratio "
                      "series to their common base; regressions first.<"),
            std::string::npos)
      << html;
}

TEST(TrendPage, NamesFromTheStoreAreEscaped) {
  std::vector<Series> all = {series_of("<script>alert(1)</script>", 1.0, 1.3, 10)};
  all[0].metric = "m\"><img src=x onerror=alert(2)>";
  all[0].hostname = "h&<b>";
  all[0].points[9].commit = "<i>c9</i>";
  const std::string html = page_of(all);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("m&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("h&amp;&lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;i&gt;c9&lt;/i&gt;…c10"), std::string::npos);
  // The suggested bisect too, shell-quoted and then escaped.
  EXPECT_NE(html.find("--only &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"), std::string::npos)
      << html;
}

// A diff's nights carry no commit: the candidate file's name stands in for it.
TEST(TrendPage, NightsWithoutACommitAreNamedByTheirRef) {
  std::vector<Series> all = {series_of("parse", 1.0, 1.3, 10)};
  for (std::size_t i = 0; i < all[0].points.size(); ++i) {
    all[0].points[i].commit.clear();
    all[0].points[i].ref = fmt::format("night{}.json", i);
  }
  EXPECT_NE(page_of(all).find(">night9.json…night10.json +30.0%</text>"), std::string::npos);
}

TEST(TrendPage, LoadsNothing) {
  const std::string html = page_of(three_series());
  for (const char* load : {"http://", "https://", "src=", "<link", "url(", "@import"})
    EXPECT_EQ(html.find(load), std::string::npos) << load;
}

TEST(TrendPage, SameInputSamePage) { EXPECT_EQ(page_of(three_series()), page_of(three_series())); }

TEST(TrendPage, EmptyHistoryAndSingleNight) {
  EXPECT_NE(page_of({}).find("<p>The history holds no series.</p>"), std::string::npos);
  Series one = series_of("once", 1.0, 1.0, 0);
  one.points.resize(1);
  const std::string html = page_of({one});
  EXPECT_EQ(count(html, "<circle class=\"dot\""), 1u);
  EXPECT_EQ(html.find("<polygon"), std::string::npos);  // no band from one night
  EXPECT_EQ(html.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace perfguard::history
