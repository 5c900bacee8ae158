// `perfguard time`'s renderings (reports/time_output.hpp, reports/count_output.hpp) on reports
// made up here; expected texts written by hand.
#include "reports/time_output.hpp"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reports/count_output.hpp"

namespace perfguard::reports {
namespace {

TEST(FormatSeconds, UnitByMagnitude) {
  EXPECT_EQ(format_seconds(1.5), "1.500 s");
  EXPECT_EQ(format_seconds(0.0123), "12.3 ms");
  EXPECT_EQ(format_seconds(0.00085), "850.0 us");  // spelled as perfguard.json reads it
}

TimeSettings some_settings() {
  TimeSettings settings;
  settings.metric = TimeMetric::cpu_time;
  settings.threshold = 0.02;
  settings.alpha = 0.05;
  settings.seed = 7;
  settings.warmup = 3;
  settings.min_runs = 10;
  settings.max_time = 6.0;
  settings.shell = "bash";
  settings.cpus = {0, 1, 2, 3, 6};
  settings.pinned = true;
  settings.ratio_method = stats::RatioMethod::paired_signed_rank;
  return settings;
}

TEST(TimeSettingsJson, EveryField) {
  const Json settings = time_settings_json(some_settings(), "cpu_time");
  const Json expected = Json::parse(R"({"metric": "cpu_time", "threshold": 0.02, "alpha": 0.05,
      "spending": "pocock", "seed": 7, "warmup": 3, "min_runs": 10, "max_runs": null,
      "max_time": 6.0, "timeout": null, "shell": "bash", "cpus": "0-3,6", "pinned": true,
      "ratio_method": "paired_signed_rank"})");
  EXPECT_EQ(settings, expected);
}

TEST(TimeSettingsJson, TimedAndCountedExportsShareIt) {
  TimeReport times;
  times.settings = some_settings();
  CountReport counts;
  counts.metric = "instructions";
  counts.unit = "instructions";
  counts.settings = some_settings();
  EXPECT_EQ(time_json(times, "2026-11-22T01:02:03Z")["settings"],
            time_settings_json(some_settings(), "cpu_time"));
  EXPECT_EQ(count_json(counts, "2026-11-22T01:02:03Z")["settings"],
            time_settings_json(some_settings(), "instructions"));
}

TEST(TimeMarkdown, PipeInACommandIsEscaped) {
  TimeReport report;
  TimedCommand command;
  command.command = "a | b";
  report.commands.push_back(command);
  std::ostringstream out;
  write_time_markdown(out, report);
  EXPECT_NE(out.str().find("| `a \\| b` | | | | | | no successful runs |"), std::string::npos)
      << out.str();
}

TEST(TimeMetricName, RoundTrips) {
  EXPECT_EQ(parse_time_metric(to_string(TimeMetric::cpu_time)), TimeMetric::cpu_time);
  EXPECT_EQ(parse_time_metric(to_string(TimeMetric::wall_time)), TimeMetric::wall_time);
  EXPECT_EQ(parse_time_metric("instructions"), std::nullopt);
}

}  // namespace
}  // namespace perfguard::reports
