#pragma once
// The history store's behaviour, the same on every backend: each backend's test instantiates
// these with a function that makes a fresh, empty database and returns its location.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "history/record.hpp"
#include "history/schema.hpp"
#include "history/store.hpp"
#include "tests/history/history_fixtures.hpp"

namespace perfguard::history {

// Makes an empty database and returns its location (a path or a postgresql:// URL).
using FreshLocation = std::function<std::string()>;

class StoreContract : public ::testing::TestWithParam<FreshLocation> {
 protected:
  [[nodiscard]] std::string fresh() const { return GetParam()(); }
};

using fixtures::Night;

inline SeriesFilter only_benchmarks(const std::string& glob) {
  SeriesFilter filter;
  filter.benchmark_glob = glob;
  return filter;
}
inline SeriesFilter only_metric(const std::string& metric) {
  SeriesFilter filter;
  filter.metric = metric;
  return filter;
}
inline SeriesFilter since(const std::string& date) {
  SeriesFilter filter;
  filter.since = date;
  return filter;
}
using fixtures::night_artifact;

TEST_P(StoreContract, NewDatabaseIsAtTheCurrentSchemaVersion) {
  const std::string location = fresh();
  Store store = Store::open(location);
  EXPECT_EQ(schema_version(store.database()), kSchemaVersion);
  EXPECT_EQ(store.run_count(), 0);
  // Opening again migrates nothing and keeps the version.
  Store again = Store::open(location);
  EXPECT_EQ(schema_version(again.database()), kSchemaVersion);
}

// The golden artifact, appended and read back: rows without a candidate median (crashed,
// gone) are not in any series; the others hold exactly what the artifact said.
TEST_P(StoreContract, GoldenArtifactRoundTrips) {
  Store store = Store::open(fresh());
  const RunRecord run = record_from_artifact(fixtures::golden_artifact());
  ASSERT_EQ(run.results.size(), 6u);
  const std::int64_t id = store.append(run);
  EXPECT_GT(id, 0);
  EXPECT_EQ(store.run_count(), 1);

  const std::vector<Series> all = store.series();
  ASSERT_EQ(all.size(), 4u);  // binary.size, cli.startup, parse, render
  EXPECT_EQ(all[0].benchmark, "binary.size");
  EXPECT_EQ(all[0].metric, "file_size");
  EXPECT_EQ(all[0].unit, "bytes");
  const Series& parse = all[2];
  EXPECT_EQ(parse.benchmark, "parse");
  EXPECT_EQ(parse.hostname, "bench-1");
  EXPECT_EQ(parse.host_fingerprint, run.host_fingerprint);
  EXPECT_DOUBLE_EQ(parse.threshold, 0.05);
  ASSERT_EQ(parse.points.size(), 1u);
  const SeriesPoint& point = parse.points[0];
  EXPECT_EQ(point.run_id, id);
  EXPECT_EQ(point.recorded_at, "2026-11-22T01:02:03Z");
  EXPECT_EQ(point.commit, "2222222222222222222222222222222222222222");
  EXPECT_EQ(point.ref, "HEAD");
  EXPECT_EQ(point.base_commit, "1111111111111111111111111111111111111111");
  // Doubles come back bit for bit (the artifact's own values).
  EXPECT_EQ(point.median, 0.0026);
  EXPECT_EQ(point.ratio, 1.2999999999999998);
  EXPECT_EQ(point.ratio_lo, 1.2935097353969045);
  EXPECT_EQ(point.ratio_hi, 1.3065228299046665);
}

TEST_P(StoreContract, SeriesAreInMeasurementOrderPerHostBenchmarkAndMetric) {
  Store store = Store::open(fresh());
  // Appended out of order: the series follows recorded_at, not insertion.
  store.append(record_from_artifact(night_artifact({"2026-11-03T02:00:00Z", "c3", 3.0})));
  store.append(record_from_artifact(night_artifact({"2026-11-01T02:00:00Z", "c1", 1.0})));
  store.append(record_from_artifact(night_artifact({"2026-11-02T02:00:00Z", "c2", 2.0})));
  store.append(record_from_artifact(
      night_artifact({"2026-11-02T02:00:00Z", "c2", 9.0, "parse", "wall_time", "bench-2"})));
  const std::vector<Series> all = store.series();
  ASSERT_EQ(all.size(), 2u);  // one per host
  const Series& bench1 = all[0].hostname == "bench-1" ? all[0] : all[1];
  ASSERT_EQ(bench1.points.size(), 3u);
  EXPECT_EQ(bench1.points[0].commit, "c1");
  EXPECT_EQ(bench1.points[1].commit, "c2");
  EXPECT_EQ(bench1.points[2].commit, "c3");
  EXPECT_EQ(bench1.points[2].median, 3.0);
  EXPECT_EQ(bench1.points[2].median_lo, 3.0 * 0.99);
}

TEST_P(StoreContract, FiltersByBenchmarkGlobMetricAndDate) {
  Store store = Store::open(fresh());
  store.append(record_from_artifact(night_artifact(
      std::vector<Night>{{"2026-11-01T02:00:00Z", "c1", 1.0, "parse/small"},
                         {"2026-11-01T02:00:00Z", "c1", 2.0, "parse/large"},
                         {"2026-11-01T02:00:00Z", "c1", 3.0, "render"},
                         {"2026-11-01T02:00:00Z", "c1", 4.0, "render", "instructions"}})));
  store.append(
      record_from_artifact(night_artifact({"2026-11-05T02:00:00Z", "c2", 5.0, "parse/small"})));

  EXPECT_EQ(store.series(only_benchmarks("parse/*")).size(), 2u);
  EXPECT_EQ(store.series(only_benchmarks("render")).size(), 2u);
  const auto instructions = store.series(only_metric("instructions"));
  ASSERT_EQ(instructions.size(), 1u);
  EXPECT_EQ(instructions[0].points[0].median, 4.0);
  const auto recent = store.series(since("2026-11-02"));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].benchmark, "parse/small");
  ASSERT_EQ(recent[0].points.size(), 1u);
  EXPECT_EQ(recent[0].points[0].commit, "c2");
  // A date includes that whole day.
  EXPECT_EQ(store.series(since("2026-11-05")).size(), 1u);
  EXPECT_TRUE(store.series(since("2026-11-06")).empty());
}

// One run is one transaction: a run whose second result row cannot be written (the same
// benchmark x metric twice) leaves nothing behind, not even its run row.
TEST_P(StoreContract, FailedAppendWritesNothing) {
  Store store = Store::open(fresh());
  store.append(record_from_artifact(night_artifact({"2026-11-01T02:00:00Z", "c1", 1.0})));
  const RunRecord twice = record_from_artifact(night_artifact(std::vector<Night>{
      {"2026-11-02T02:00:00Z", "c2", 2.0}, {"2026-11-02T02:00:00Z", "c2", 2.5}}));
  EXPECT_THROW(store.append(twice), StoreError);
  EXPECT_EQ(store.run_count(), 1);
  const auto all = store.series();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].points.size(), 1u);
  // And the store is still usable.
  store.append(record_from_artifact(night_artifact({"2026-11-03T02:00:00Z", "c3", 3.0})));
  EXPECT_EQ(store.run_count(), 2);
}

// A later perfguard's step (here a made-up version 2 adding a column) upgrades a version-1
// database in place and keeps its rows; a perfguard that knows only version 1 then refuses it.
TEST_P(StoreContract, MigrationsUpgradeInPlaceAndNewerIsRefused) {
  const std::string location = fresh();
  {
    Store store = Store::open(location);
    store.append(record_from_artifact(night_artifact({"2026-11-01T02:00:00Z", "c1", 1.0})));
  }
  std::vector<Migration> later(migrations().begin(), migrations().end());
  later.push_back({2, "ALTER TABLE runs ADD COLUMN note TEXT"});
  {
    std::unique_ptr<Database> db = open_database(location);
    EXPECT_EQ(migrate(*db, later), 2);
    EXPECT_EQ(schema_version(*db), 2);
    const auto rows = db->query("SELECT candidate_commit, note FROM runs", {});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(as_text(rows[0][0]), "c1");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[0][1]));
    EXPECT_EQ(migrate(*db, later), 2);  // nothing left to do
  }
  try {
    (void)Store::open(location);
    FAIL() << "a database at version 2 was opened by a perfguard that knows version 1";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("schema version 2 is newer than this perfguard knows (1)"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

// Only the run row carries the shard; an artifact without one stores NULL.
TEST_P(StoreContract, ShardAndSettingsAreKept) {
  Store store = Store::open(fresh());
  Json artifact = night_artifact({"2026-11-01T02:00:00Z", "c1", 1.0});
  artifact["settings"]["shard"] = "2/4";
  store.append(record_from_artifact(artifact));
  store.append(record_from_artifact(night_artifact({"2026-11-02T02:00:00Z", "c2", 1.0})));
  const auto rows =
      store.database().query("SELECT shard, settings, gate_verdict FROM runs ORDER BY id", {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(as_text(rows[0][0]), "2/4");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[1][0]));
  EXPECT_EQ(Json::parse(as_text(rows[1][1]).value())["seed"], 42);
  EXPECT_EQ(as_text(rows[1][2]), "fail");
}

}  // namespace perfguard::history
