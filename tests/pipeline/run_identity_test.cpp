// run.json: written and read back whole; every difference --resume must refuse is named in one
// line; a missing or broken file is a usage error naming it.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "pipeline/run_identity.hpp"
#include "pipeline/selection.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::pipeline {
namespace {

RunIdentity identity() {
  RunIdentity id;
  id.base = {"v1.0.0", std::string(40, 'a')};
  id.candidate = {"HEAD", std::string(40, 'b')};
  id.config_path = "/repo/perfguard.json";
  id.config_text = R"({"schema": "perfguard.config.v1"})";
  id.config_digest = config_digest(id.config_text);
  id.build_digest = "0123456789abcdef";
  id.settings = {{"min_runs", 10}, {"max_runs", 60}, {"max_time", nullptr}, {"only", nullptr}};
  id.host.hostname = "bench-1";
  id.host.cpu_model = "Example CPU";
  id.host.logical_cpus = 2;
  id.host.kernel = "6.1.0";
  id.host.pinned_cpus = {1};
  return id;
}

TEST(RunIdentity, RoundTrips) {
  const tests::TempDir dir;
  const RunIdentity written = identity();
  write_run_identity(dir.path() / kRunFile, written);
  const RunIdentity read = read_run_identity(dir.path() / kRunFile);
  EXPECT_FALSE(plan_mismatch(written, read).has_value());
  EXPECT_FALSE(build_mismatch(written, read).has_value());
  EXPECT_EQ(read.config_text, written.config_text);
  EXPECT_EQ(read.base.ref, "v1.0.0");
  EXPECT_EQ(read.host.pinned_cpus, std::vector<int>{1});
}

TEST(RunIdentity, EachDifferenceIsNamed) {
  const RunIdentity before = identity();
  RunIdentity now = identity();
  now.candidate.commit = std::string(40, 'c');
  EXPECT_EQ(plan_mismatch(before, now),
            "the candidate is commit cccccccccccc here, bbbbbbbbbbbb in the interrupted run");
  now = identity();
  now.base.commit = std::string(40, 'd');
  EXPECT_EQ(plan_mismatch(before, now),
            "the base is commit dddddddddddd here, aaaaaaaaaaaa in the interrupted run");
  now = identity();
  now.config_text += " ";
  now.config_digest = config_digest(now.config_text);
  EXPECT_NE(plan_mismatch(before, now)->find("the config /repo/perfguard.json changed"),
            std::string::npos);
  now = identity();
  now.settings["max_time"] = 30.0;
  EXPECT_EQ(plan_mismatch(before, now),
            "setting max_time is 30.0 here, null in the interrupted run");
  now = identity();
  now.build_digest = "fedcba9876543210";
  EXPECT_EQ(build_mismatch(before, now),
            "the build steps' digest is fedcba9876543210 here, 0123456789abcdef in the "
            "interrupted run");
  now = identity();
  now.host.hostname = "bench-2";
  EXPECT_EQ(build_mismatch(before, now),
            "host hostname is \"bench-2\" here, \"bench-1\" in the interrupted run");
  now = identity();
  now.host.pinned_cpus = {0};
  EXPECT_EQ(build_mismatch(before, now),
            "host pinned_cpus is [0] here, [1] in the interrupted run");
}

// N is unknown until the schedule plans it (null), then recorded; it is not compared: a run
// that has not planned yet matches the one that did.
TEST(RunIdentity, PlannedRunsRoundTripAndAreNotCompared) {
  const tests::TempDir dir;
  RunIdentity written = identity();
  write_run_identity(dir.path() / kRunFile, written);
  EXPECT_FALSE(read_run_identity(dir.path() / kRunFile).planned_runs.has_value());
  EXPECT_NE(tests::slurp(dir.path() / kRunFile).find("\"planned_runs\": null"), std::string::npos);
  written.planned_runs = 117;
  write_run_identity(dir.path() / kRunFile, written);
  const RunIdentity read = read_run_identity(dir.path() / kRunFile);
  EXPECT_EQ(read.planned_runs, 117u);
  EXPECT_FALSE(plan_mismatch(read, identity()).has_value());
  EXPECT_FALSE(build_mismatch(read, identity()).has_value());
}

TEST(RunIdentity, BadPlannedRunsIsAUsageError) {
  const tests::TempDir dir;
  for (const char* bad : {"0", "-3", "12.5", "\"many\""}) {
    write_run_identity(dir.path() / kRunFile, identity());
    std::string text = tests::slurp(dir.path() / kRunFile);
    text.replace(text.find("\"planned_runs\": null"), 20, std::string("\"planned_runs\": ") + bad);
    dir.write(kRunFile, text);
    try {
      (void)read_run_identity(dir.path() / kRunFile);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(
          std::string(e.what()).find("run.json: \"planned_runs\" is not a positive whole number: " +
                                     std::string(bad)),
          std::string::npos)
          << e.what();
    }
  }
}

TEST(RunIdentity, MissingOrBrokenFileIsAUsageError) {
  const tests::TempDir dir;
  try {
    (void)read_run_identity(dir.path() / kRunFile);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("run.json: not found"), std::string::npos) << e.what();
  }
  dir.write(kRunFile, R"({"schema": "perfguard.run.v1", "base": {}})");
  try {
    (void)read_run_identity(dir.path() / kRunFile);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("run.json: not a run record"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace perfguard::pipeline
