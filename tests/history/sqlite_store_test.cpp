// The history store on SQLite: the shared contract, plus what only a file can do wrong (locked
// by another writer, not a database at all) and reading artifacts into records.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <string>

#include "core/error.hpp"
#include "history/record.hpp"
#include "history/store.hpp"
#include "tests/history/store_contract.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::history {
namespace {

tests::TempDir& scratch() {
  static tests::TempDir dir;
  return dir;
}

std::string fresh_sqlite() {
  static std::atomic<int> count{0};
  return (scratch().path() / ("history-" + std::to_string(++count) + ".sqlite")).string();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(FreshLocation(fresh_sqlite)));

std::string open_error(const std::string& location, const OpenOptions& options = {}) {
  try {
    (void)Store::open(location, options);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(SqliteStore, CreatesItsDirectory) {
  const std::string location = (scratch().path() / "a" / "b" / "history.sqlite").string();
  Store store = Store::open(location);
  EXPECT_EQ(store.run_count(), 0);
}

// Another process holds the write lock: after the busy timeout, one line saying so.
TEST(SqliteStore, LockedDatabaseIsAOneLineError) {
  const std::string location = fresh_sqlite();
  (void)Store::open(location);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(location.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::string message = open_error(location, {.busy_timeout = std::chrono::milliseconds(50)});
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(message,
            "history " + location + ": database is locked by another writer (database is locked)");
}

TEST(SqliteStore, CorruptFileIsAOneLineError) {
  const std::string location =
      scratch().write("corrupt.sqlite", std::string(4096, 'x') + "not a database").string();
  EXPECT_EQ(open_error(location), "history " + location +
                                      ": not a perfguard history database, or corrupt (file is "
                                      "not a database)");
}

TEST(SqliteStore, UnopenablePathIsAnError) {
  const std::string location = scratch().path().string();  // a directory
  const std::string message = open_error(location);
  EXPECT_EQ(message.rfind("history " + location + ": ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(Record, ReadsTheArtifactsHeader) {
  const RunRecord run = record_from_artifact(fixtures::golden_artifact());
  EXPECT_EQ(run.recorded_at, "2026-11-22T01:02:03Z");
  EXPECT_EQ(run.base.ref, "v1.0.0");
  EXPECT_EQ(run.candidate.commit, "2222222222222222222222222222222222222222");
  EXPECT_EQ(run.gate_verdict, "fail");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.hostname, "bench-1");
  EXPECT_FALSE(run.shard.has_value());
  // Both sides of the regressed row: n, median, its interval, p95.
  const ResultRecord& parse = run.results[2];
  ASSERT_EQ(parse.benchmark, "parse");
  ASSERT_TRUE(parse.base && parse.candidate);
  EXPECT_EQ(parse.base->n, 41);
  EXPECT_EQ(parse.verdict, "regressed");
  EXPECT_TRUE(parse.candidate->median_lo.has_value());
  EXPECT_TRUE(parse.candidate->p95.has_value());
  // A crashed row has neither side.
  EXPECT_FALSE(run.results[1].candidate.has_value());
}

// The fingerprint is a function of hardware, not of the kernel or the load.
TEST(Record, HostFingerprintIgnoresKernelAndLoad) {
  const Json golden = fixtures::golden_artifact();
  Json host = golden["host"];
  const std::string fingerprint = host_fingerprint(host);
  EXPECT_EQ(fingerprint.size(), 16u);
  host["kernel"] = "6.12.0";
  host["load_before"] = Json::array({3.0, 2.0, 1.0});
  EXPECT_EQ(host_fingerprint(host), fingerprint);
  host["cpu_model"] = "Other CPU";
  EXPECT_NE(host_fingerprint(host), fingerprint);
}

TEST(Record, RefusesWhatIsNotAPerfComparison) {
  const auto message = [](const Json& document) -> std::string {
    try {
      (void)record_from_artifact(document);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_EQ(message(Json::array()), "perf_comparison: (document): expected a JSON object");
  Json wrong = fixtures::golden_artifact();
  wrong["schema"] = "perfguard.budget_summary.v1";
  EXPECT_EQ(message(wrong), "perf_comparison: schema: expected perfguard.perf_comparison.v1");
  Json no_threshold = fixtures::golden_artifact();
  no_threshold["results"][1].erase("threshold");
  EXPECT_EQ(message(no_threshold), "perf_comparison: results[1].threshold: expected a value");
}

}  // namespace
}  // namespace perfguard::history
