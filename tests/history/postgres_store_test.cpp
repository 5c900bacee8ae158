// The history store on PostgreSQL, against a real server this test starts (postgres_cluster.hpp):
// the same contract as SQLite, plus what only a server can do wrong.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <sstream>

#include "history/change_report.hpp"
#include "history/store.hpp"
#include "tests/history/postgres_cluster.hpp"
#include "tests/history/store_contract.hpp"

namespace perfguard::history {
namespace {

// One cluster for the whole executable (ctest runs it as one test): started before the first
// test, stopped after the last. A cluster that cannot start fails every test with the reason.
class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    try {
      cluster_ = std::make_unique<tests::PostgresCluster>();
    } catch (const std::exception& e) {
      GTEST_FAIL() << "cannot start a PostgreSQL cluster for the history tests: " << e.what();
    }
  }
  void TearDown() override { cluster_.reset(); }
  static tests::PostgresCluster& cluster() {
    if (!cluster_) throw std::runtime_error("no PostgreSQL cluster (see the first failure)");
    return *cluster_;
  }

 private:
  static inline std::unique_ptr<tests::PostgresCluster> cluster_;
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

std::string fresh_postgres() { return ClusterEnvironment::cluster().fresh_database(); }

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(FreshLocation(fresh_postgres)));

std::string open_error(const std::string& location) {
  try {
    (void)Store::open(location);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(opened)";
}

// No server at that socket: one line, and a password in the URL is never printed.
TEST(PostgresStore, UnreachableServerIsAOneLineErrorWithoutThePassword) {
  const std::string message =
      open_error("postgresql://perf:s3cret@/history?host=/nonexistent-perfguard-socket-dir");
  EXPECT_EQ(message.rfind("history postgresql://perf:***@/history?host=/nonexistent-perfguard-"
                          "socket-dir: cannot connect: ",
                          0),
            0u)
      << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(PostgresStore, MissingDatabaseIsAOneLineError) {
  const std::string url = ClusterEnvironment::cluster().url("no_such_database");
  const std::string message = open_error(url);
  EXPECT_NE(message.find("database \"no_such_database\" does not exist"), std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

// Two stores on one database (two CI hosts) append concurrently-opened runs: both land.
TEST(PostgresStore, TwoWritersShareOneDatabase) {
  const std::string url = fresh_postgres();
  Store first = Store::open(url);
  Store second = Store::open(url);
  first.append(record_from_artifact(fixtures::night_artifact({"2026-11-01T02:00:00Z", "c1", 1.0})));
  second.append(record_from_artifact(
      fixtures::night_artifact({"2026-11-01T02:00:00Z", "c1", 1.1, "parse", "wall_time", "ci-7"})));
  EXPECT_EQ(first.run_count(), 2);
  EXPECT_EQ(first.series().size(), 2u);
}

// The report reads series from PostgreSQL as from SQLite: a planted step at night 12 of 24.
TEST(PostgresStore, HistoryReportFindsAPlantedStep) {
  const std::string url = fresh_postgres();
  {
    Store store = Store::open(url);
    constexpr double kWiggle[] = {0.002, -0.001, 0.0025, -0.002, 0.0005, -0.0015};
    for (int night = 0; night < 24; ++night)
      store.append(record_from_artifact(fixtures::night_artifact(
          {"2026-10-" + std::string(night < 9 ? "0" : "") + std::to_string(night + 1) +
               "T02:00:00Z",
           "c" + std::to_string(night), (night < 12 ? 2.0 : 2.3) * (1.0 + kWiggle[night % 6])})));
  }
  std::ostringstream out;
  HistoryRequest request;
  request.history = url;
  request.json = true;
  request.fail_on_regression = true;
  EXPECT_EQ(history_report(request, out), 1);
  const Json document = Json::parse(out.str());
  ASSERT_EQ(document["change_points"].size(), 1u) << out.str();
  EXPECT_EQ(document["change_points"][0]["commit_before"], "c11");
  EXPECT_EQ(document["change_points"][0]["commit_after"], "c12");
}

}  // namespace
}  // namespace perfguard::history
