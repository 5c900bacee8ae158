// `perfguard history` end to end: the real binary over a store filled with a planted step, a
// CSV file, and every bad input it refuses (one line, non-zero exit).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/json.hpp"
#include "history/change_report.hpp"
#include "history/store.hpp"
#include "tests/history/history_fixtures.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::history {
namespace {

using perfguard::tests::CommandResult;
using perfguard::tests::run_command;
using perfguard::tests::TempDir;

CommandResult history(std::vector<std::string> args) {
  args.insert(args.begin(), {PERFGUARD_BINARY, "history"});
  return run_command(args);
}

std::string night_time(int night) { return fmt::format("2026-10-{:02}T02:00:00Z", night + 1); }

// 30 nights: "parse" steps from 2.0 to 2.2 at night 15 (commit c15); "render" stays at
// 5.0; "lookup" improves from 1.0 to 0.8 at night 10. Each night's wiggle is at most +-0.25%.
std::string planted_store(const TempDir& dir) {
  const std::string location = (dir.path() / "history.sqlite").string();
  Store store = Store::open(location);
  constexpr double kWiggle[] = {0.002,   -0.001, 0.0025, -0.002,  0.0005,
                                -0.0015, 0.001,  0.002,  -0.0005, -0.0025};
  for (int night = 0; night < 30; ++night) {
    const double wiggle = 1.0 + kWiggle[night % 10];
    const std::string time = night_time(night);
    const std::string commit = "c" + std::to_string(night);
    store.append(record_from_artifact(fixtures::night_artifact(std::vector<fixtures::Night>{
        {time, commit, (night < 15 ? 2.0 : 2.2) * wiggle, "parse"},
        {time, commit, 5.0 * wiggle, "render"},
        {time, commit, (night < 10 ? 1.0 : 0.8) * wiggle, "lookup"}})));
  }
  return location;
}

TEST(HistoryCli, HelpNamesEveryFlag) {
  const CommandResult r = history({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* flag : {"--history", "--csv", "--benchmark", "--metric", "--since", "--out",
                           "--json", "--fail-on-regression"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

TEST(HistoryCli, FindsThePlantedStepAtItsCommits) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const CommandResult r = history({"--history", store});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One line per step: parse regressed between c14 and c15, lookup improved between c9 and c10.
  EXPECT_NE(r.out.find("parse "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c14"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c15"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+9.9%"), std::string::npos) << r.out;  // see JsonSaysWhereAndHowMuch
  EXPECT_NE(r.out.find("-20.0%"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("render"), std::string::npos) << r.out;
  // Every night was measured against the golden artifact's base: each series also has its
  // ratio series (flat here: the fixture's ratio is the same every night).
  EXPECT_NE(r.out.find("2 change points in 3 series and 3 ratio series, 1 regression"),
            std::string::npos)
      << r.out;
  // Under the table, the bisect that finds the regression's commit; the improvement has none.
  EXPECT_NE(r.out.find("1 regression\nto find the commit of each regression:\n"
                       "  perfguard bisect --good c14 --bad c15 --only parse --metric wall_time\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("--only lookup"), std::string::npos) << r.out;
}

TEST(HistoryCli, JsonSaysWhereAndHowMuch) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const CommandResult r = history({"--history", store, "--json", "--benchmark", "p*"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json document = Json::parse(r.out);
  EXPECT_EQ(document["schema"], "perfguard.history.v1");
  EXPECT_EQ(document["series"], 1);
  ASSERT_EQ(document["change_points"].size(), 1u);
  const Json& step = document["change_points"][0];
  EXPECT_EQ(step["benchmark"], "parse");
  EXPECT_EQ(step["index"], 15);
  EXPECT_EQ(step["commit_before"], "c14");
  EXPECT_EQ(step["commit_after"], "c15");
  EXPECT_EQ(step["time_after"], night_time(15));
  // Each level is the median of its 15 nights: the 8th smallest wiggle, +0.0005 before the
  // step (nights 0-14) and -0.0005 after it (nights 15-29), worked out by sorting kWiggle's
  // values by hand.
  EXPECT_NEAR(step["before"].get<double>(), 2.0 * 1.0005, 1e-12);
  EXPECT_NEAR(step["after"].get<double>(), 2.2 * 0.9995, 1e-12);
  EXPECT_NEAR(step["change"].get<double>(), 2.2 * 0.9995 / (2.0 * 1.0005) - 1.0, 1e-12);
  EXPECT_EQ(step["regression"], true);
  EXPECT_EQ(step["threshold"], 0.05);
  EXPECT_EQ(step["bisect_command"],
            "perfguard bisect --good c14 --bad c15 --only parse --metric wall_time");
}

// Only a regression is worth a bisect: the improvement's step carries none, and without a
// regression the table ends at its count line.
TEST(HistoryCli, NoBisectCommandForAnImprovement) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const CommandResult json = history({"--history", store, "--json", "--benchmark", "lookup"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const Json document = Json::parse(json.out);
  ASSERT_EQ(document["change_points"].size(), 1u);
  EXPECT_TRUE(document["change_points"][0]["bisect_command"].is_null()) << json.out;
  const CommandResult table = history({"--history", store, "--benchmark", "lookup"});
  EXPECT_EQ(table.out.find("bisect"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1 change point in 1 series and 1 ratio series, 0 regressions\n"),
            std::string::npos)
      << table.out;
}

Step regression_step(const std::string& before, const std::string& after,
                     const std::string& benchmark) {
  Step step;
  step.benchmark = benchmark;
  step.metric = "wall_time";
  step.commit_before = before;
  step.commit_after = after;
  step.regression = true;
  return step;
}

TEST(BisectCommand, NamesTheCommitsAroundTheStep) {
  const std::string good(40, 'a');
  const std::string bad(40, 'b');
  EXPECT_EQ(bisect_command(regression_step(good, bad, "micro/BM_Sort/64")),
            "perfguard bisect --good " + good + " --bad " + bad +
                " --only micro/BM_Sort/64 --metric wall_time");
}

// A benchmark id a shell would split or expand is quoted (single quotes, ' as '\'').
TEST(BisectCommand, QuotesWhatAShellWouldSplit) {
  EXPECT_EQ(bisect_command(regression_step("c1", "c2", "it's [slow]")),
            "perfguard bisect --good c1 --bad c2 --only 'it'\\''s [slow]' --metric wall_time");
}

TEST(BisectCommand, NoneWithoutTwoDistinctCommits) {
  EXPECT_FALSE(bisect_command(regression_step("", "c2", "parse")));
  EXPECT_FALSE(bisect_command(regression_step("c1", "", "parse")));
  // Two nights of one commit: the step is the machine's.
  EXPECT_FALSE(bisect_command(regression_step("c1", "c1", "parse")));
  Step improvement = regression_step("c1", "c2", "parse");
  improvement.regression = false;
  EXPECT_FALSE(bisect_command(improvement));
}

// 30 nights against one base b0: the machine gets 20% slower at night 10 (both sides of each
// night, so the ratio stays 1.0), and the code 20% slower at night 20 (the ratio steps to 1.2).
// Each night's wiggle is at most +-0.25%, on the median and on the ratio.
std::string load_and_code_store(const TempDir& dir, bool one_base) {
  const std::string location = (dir.path() / "ratios.sqlite").string();
  Store store = Store::open(location);
  constexpr double kWiggle[] = {0.002,   -0.001, 0.0025, -0.002,  0.0005,
                                -0.0015, 0.001,  0.002,  -0.0005, -0.0025};
  for (int night = 0; night < 30; ++night) {
    const double wiggle = 1.0 + kWiggle[night % 10];
    const double machine = night < 10 ? 1.0 : 1.2;
    const double code = night < 20 ? 1.0 : 1.2;
    fixtures::Night row{night_time(night), "c" + std::to_string(night),
                        2.0 * machine * code * wiggle, "parse"};
    row.ratio = code * wiggle;
    row.base_commit = one_base || night < 15 ? "b0" : "b1";
    store.append(record_from_artifact(fixtures::night_artifact(row)));
  }
  return location;
}

TEST(HistoryCli, RatioSeriesToACommonBaseSeesTheCodeNotTheMachine) {
  const TempDir dir;
  const CommandResult r =
      history({"--history", load_and_code_store(dir, true), "--json", "--fail-on-regression"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const Json document = Json::parse(r.out);
  EXPECT_EQ(document["series"], 1);
  EXPECT_EQ(document["ratio_series"], 1);
  // The medians step twice (the machine, then the code); the ratios once, at the code's step.
  ASSERT_EQ(document["change_points"].size(), 3u) << r.out;
  const Json& machine = document["change_points"][0];
  const Json& code = document["change_points"][1];
  const Json& ratio = document["change_points"][2];
  EXPECT_EQ(machine["kind"], "median");
  EXPECT_TRUE(machine["base_commit"].is_null());
  EXPECT_EQ(machine["commit_after"], "c10");
  EXPECT_EQ(code["kind"], "median");
  EXPECT_EQ(code["commit_after"], "c20");
  EXPECT_EQ(ratio["kind"], "ratio");
  EXPECT_EQ(ratio["base_commit"], "b0");
  EXPECT_EQ(ratio["unit"], "");
  EXPECT_EQ(ratio["index"], 20);
  EXPECT_EQ(ratio["commit_before"], "c19");
  EXPECT_EQ(ratio["commit_after"], "c20");
  // Levels by hand: nights 0-19 hold every wiggle twice, nights 20-29 once; the middle two of
  // the sorted wiggles are -0.0005 and +0.0005 either way, so the medians are 1.0 and 1.2.
  EXPECT_NEAR(ratio["before"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(ratio["after"].get<double>(), 1.2, 1e-12);
  EXPECT_NEAR(ratio["change"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(ratio["regression"], true);
  EXPECT_EQ(ratio["bisect_command"],
            "perfguard bisect --good c19 --bad c20 --only parse --metric wall_time");
  // The table names each step's series; the one bisect is printed once.
  const CommandResult table = history({"--history", load_and_code_store(dir, true)});
  EXPECT_NE(table.out.find("3 change points in 1 series and 1 ratio series, 3 regressions\n"
                           "to find the commit of each regression:\n"
                           "  perfguard bisect --good c9 --bad c10 --only parse --metric "
                           "wall_time\n"
                           "  perfguard bisect --good c19 --bad c20 --only parse --metric "
                           "wall_time\n"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("parse      wall_time  ratio "), std::string::npos) << table.out;
}

// A base that changed half way: no common base, so no ratio series.
TEST(HistoryCli, NoRatioSeriesWhenTheBaseChanged) {
  const TempDir dir;
  const CommandResult r = history({"--history", load_and_code_store(dir, false), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json document = Json::parse(r.out);
  EXPECT_EQ(document["series"], 1);
  EXPECT_EQ(document["ratio_series"], 0);
  for (const Json& step : document["change_points"]) EXPECT_EQ(step["kind"], "median");
}

Series two_nights() {
  Series series;
  series.benchmark = "parse";
  series.metric = "wall_time";
  series.unit = "s";
  series.threshold = 0.1;
  for (int night = 0; night < 2; ++night) {
    SeriesPoint point;
    point.commit = "c" + std::to_string(night);
    point.base_commit = "b0";
    point.median = 2.0 + night;
    point.median_lo = 1.9 + night;
    point.median_hi = 2.1 + night;
    point.ratio = 1.0 + night * 0.5;
    point.ratio_lo = 0.95 + night * 0.5;
    point.ratio_hi = 1.05 + night * 0.5;
    series.points.push_back(point);
  }
  return series;
}

TEST(RatioSeries, TheNightsRatiosAndTheirIntervals) {
  const std::optional<Series> ratios = ratio_series(two_nights());
  ASSERT_TRUE(ratios);
  EXPECT_EQ(ratios->kind, SeriesKind::ratio);
  EXPECT_EQ(ratios->base_commit, "b0");
  EXPECT_EQ(ratios->unit, "");
  EXPECT_EQ(ratios->threshold, 0.1);
  ASSERT_EQ(ratios->points.size(), 2u);
  EXPECT_EQ(ratios->points[1].commit, "c1");
  EXPECT_EQ(ratios->points[1].median, 1.5);
  EXPECT_EQ(ratios->points[1].median_lo, 1.45);
  EXPECT_EQ(ratios->points[1].median_hi, 1.55);
  // Each series is followed by its ratio series.
  const std::vector<Series> all = with_ratio_series({two_nights(), two_nights()});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].kind, SeriesKind::median);
  EXPECT_EQ(all[1].kind, SeriesKind::ratio);
  EXPECT_EQ(all[2].kind, SeriesKind::median);
}

TEST(RatioSeries, NoneWithoutOneKnownBaseAndEveryRatio) {
  Series unknown = two_nights();
  for (SeriesPoint& point : unknown.points) point.base_commit.clear();
  EXPECT_FALSE(ratio_series(unknown));
  Series changed = two_nights();
  changed.points[1].base_commit = "b1";
  EXPECT_FALSE(ratio_series(changed));
  Series missing = two_nights();
  missing.points[0].ratio.reset();
  EXPECT_FALSE(ratio_series(missing));
  EXPECT_FALSE(ratio_series(Series{}));
  // A ratio series has none of its own.
  EXPECT_FALSE(ratio_series(*ratio_series(two_nights())));
}

TEST(HistoryCli, FailOnRegressionExitsOneOnlyForARegression) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  EXPECT_EQ(history({"--history", store, "--fail-on-regression"}).exit_code, 1);
  // The improvement alone is no failure, nor is a flat series.
  EXPECT_EQ(
      history({"--history", store, "--fail-on-regression", "--benchmark", "lookup"}).exit_code, 0);
  EXPECT_EQ(
      history({"--history", store, "--fail-on-regression", "--benchmark", "render"}).exit_code, 0);
  // Before the step, nothing: --since leaves out the nights before it.
  const CommandResult after = history({"--history", store, "--since", "2026-10-17"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.out.find("no change points in 3 series"), std::string::npos) << after.out;
}

TEST(HistoryCli, MetricFilter) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const CommandResult r = history({"--history", store, "--metric", "instructions"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no change points in 0 series\n");
}

// An external series in Otava's layout: metric1 steps at row 12 (commit a12), metric2 is flat.
TEST(HistoryCli, CsvSeries) {
  const TempDir dir;
  std::string csv = "time,commit,metric1,metric2\n";
  for (int i = 0; i < 24; ++i)
    csv += fmt::format("2026.01.{:02} 3:00:00 +0100,a{},{},{}\n", i + 1, i,
                       (i < 12 ? 100.0 : 130.0) + (i % 3) * 0.5, 10.0 + (i % 2) * 0.1);
  const std::string file = dir.write("nightly.csv", csv).string();
  const CommandResult r = history({"--csv", file, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json document = Json::parse(r.out);
  EXPECT_EQ(document["series"], 2);
  ASSERT_EQ(document["change_points"].size(), 1u);
  const Json& step = document["change_points"][0];
  EXPECT_EQ(step["benchmark"], "nightly");
  EXPECT_EQ(step["metric"], "metric1");
  EXPECT_EQ(step["commit_before"], "a11");
  EXPECT_EQ(step["commit_after"], "a12");
  EXPECT_EQ(step["time_after"], "2026.01.13 3:00:00 +0100");
  EXPECT_EQ(step["regression"], true);
  // A CSV file's columns are no benchmarks of a repository: nothing to bisect.
  EXPECT_TRUE(step["bisect_command"].is_null());
  // --metric picks a column.
  const CommandResult flat = history({"--csv", file, "--metric", "metric2"});
  EXPECT_EQ(flat.out, "no change points in 1 series\n");
}

TEST(HistoryCli, OutWritesTheTrendPage) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const std::filesystem::path out = dir.path() / "pages" / "nightly";
  const CommandResult r = history({"--history", store, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 change points in 3 series"), std::string::npos) << r.out;
  std::ifstream in(out / "history.html");
  std::stringstream page;
  page << in.rdbuf();
  // The regression (parse) first; its step labelled with its commit range.
  const std::string html = page.str();
  ASSERT_NE(html.find("<h3>parse<"), std::string::npos) << html;
  EXPECT_LT(html.find("<h3>parse<"), html.find("<h3>lookup<"));
  EXPECT_LT(html.find("<h3>lookup<"), html.find("<h3>render<"));
  EXPECT_NE(html.find(">c14…c15 +9.9%</text>"), std::string::npos);
  EXPECT_NE(html.find("<code>perfguard bisect --good c14 --bad c15 --only parse --metric "
                      "wall_time</code>"),
            std::string::npos);
  EXPECT_EQ(html.find("--only lookup"), std::string::npos);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out),
                          std::filesystem::directory_iterator()),
            1);  // no temporary file left beside it
}

TEST(HistoryCli, UnwritableOutIsExitThree) {
  const TempDir dir;
  const std::string store = planted_store(dir);
  const std::string blocker = dir.write("blocker", "a file").string();
  const CommandResult r = history({"--history", store, "--out", blocker + "/pages"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.rfind("error: --out " + blocker + "/pages: cannot create the folder: ", 0), 0u)
      << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

struct Refused {
  std::vector<std::string> args;
  int exit_code;
  std::string message;  // the whole of standard error
};

TEST(HistoryCli, BadInputsAreOneLineErrors) {
  const TempDir dir;
  const std::string missing = (dir.path() / "missing.sqlite").string();
  const std::string corrupt = dir.write("corrupt.sqlite", std::string(4096, 'x')).string();
  const std::string narrow = dir.write("narrow.csv", "time,commit,m\nt0,c0,1\nt1,c1\n").string();
  const std::string word = dir.write("word.csv", "time,commit,m\nt0,c0,fast\n").string();
  const std::string header = dir.write("header.csv", "when,commit,m\n").string();
  const std::string store = (dir.path() / "ok.sqlite").string();
  (void)Store::open(store);
  const std::vector<Refused> cases = {
      {{"--history", missing},
       2,
       "error: --history " + missing + ": no such file (compare and diff write it)\n"},
      {{"--history", corrupt},
       3,
       "error: history " + corrupt +
           ": not a perfguard history database, or corrupt (file is not a database)\n"},
      {{"--history", store, "--since", "yesterday"},
       2,
       "error: --since yesterday: expected a date (2026-11-01) or an RFC 3339 UTC time "
       "(2026-11-01T02:00:00Z)\n"},
      {{"--history", store, "--csv", narrow},
       2,
       "error: --csv and --history: give one source of series\n"},
      {{"--csv", narrow, "--since", "2026-01-01"},
       2,
       "error: --since applies to a history store; --csv series have no common time format\n"},
      {{"--csv", (dir.path() / "none.csv").string()},
       2,
       "error: --csv " + (dir.path() / "none.csv").string() + ": cannot read the file\n"},
      {{"--csv", narrow}, 2, "error: " + narrow + ":3: expected 3 fields, found 2\n"},
      {{"--csv", word}, 2, "error: " + word + ":2: column m: 'fast' is not a finite number\n"},
      {{"--csv", header},
       2,
       "error: " + header + ":1: header must be time,commit and at least one metric column\n"},
      {{"--history", "postgresql://u:pw@/db?host=/nonexistent-perfguard-dir"}, 3, ""},
      {{"--bogus"}, 2, ""},
  };
  for (const Refused& c : cases) {
    const CommandResult r = history(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args.front() << " " << r.err;
    if (!c.message.empty()) {
      EXPECT_EQ(r.err, c.message);
    }
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  // The unreachable server: one line, its password masked.
  const CommandResult pg =
      history({"--history", "postgresql://u:pw@/db?host=/nonexistent-perfguard-dir"});
  EXPECT_EQ(
      pg.err.rfind(
          "error: history postgresql://u:***@/db?host=/nonexistent-perfguard-dir: cannot connect: ",
          0),
      0u)
      << pg.err;
  EXPECT_EQ(pg.err.find('\n'), pg.err.size() - 1);
}

}  // namespace
}  // namespace perfguard::history
