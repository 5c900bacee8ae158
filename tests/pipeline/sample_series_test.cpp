// The series `perfguard report` draws from a samples.jsonl journal are the series of the runs
// the harness journaled: the journal read back (inputs/samples_journal.hpp) and grouped as the
// harness groups its runs.
#include "pipeline/sample_series.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/journal.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::pipeline {
namespace {

TEST(SampleSeries, FromTheJournalMatchTheRuns) {
  harness::RunRecord warmup{"startup", "base", 0, true, {}};
  warmup.outcome.observations = {{"", "wall_time", "s", 9.0, ""}};
  harness::RunRecord base{"startup", "base", 0, false, {}};
  base.outcome.observations = {{"", "wall_time", "s", 0.5, ""}, {"", "max_rss", "bytes", 4096, ""}};
  harness::RunRecord candidate{"micro", "candidate", 0, false, {}};
  candidate.outcome.observations = {{"BM_a", "real_time", "s", 1.5e-06, "html"}};
  candidate.outcome.failures = {{"BM_b", "fixture missing"}};
  const std::vector<harness::RunRecord> records{warmup, base, candidate};

  const tests::TempDir dir;
  std::string text;
  for (const harness::RunRecord& record : records) text += harness::journal_line(record) + "\n";
  const std::vector<reports::SampleSeries> read =
      read_sample_series(dir.write("samples.jsonl", text));
  const std::vector<reports::SampleSeries> expected =
      sample_series(harness::collect_sample_sets(records));
  ASSERT_EQ(read.size(), expected.size());
  ASSERT_EQ(read.size(), 3u);  // startup wall_time and max_rss, micro/BM_a real_time
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].benchmark, expected[i].benchmark);
    EXPECT_EQ(read[i].metric, expected[i].metric);
    EXPECT_EQ(read[i].side, expected[i].side);
    EXPECT_EQ(read[i].values, expected[i].values);
  }
  EXPECT_EQ(read[0].values, std::vector<double>{0.5});  // the warmup is not a sample
  EXPECT_EQ(read[2].benchmark, "micro/BM_a");
}

}  // namespace
}  // namespace perfguard::pipeline
