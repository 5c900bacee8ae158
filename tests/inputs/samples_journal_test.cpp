// Reading samples.jsonl back (docs/samples-jsonl.md): every field of what the harness's writer
// wrote, the tolerance of an interrupted last write, and malformed lines named by line.
#include "inputs/samples_journal.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "harness/journal.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::inputs {
namespace {

using harness::RunRecord;

RunRecord process_run() {
  RunRecord record{"startup", "candidate", 3, false, {}};
  record.outcome.exit_code = 0;
  record.outcome.observations = {{"", "wall_time", "s", 0.25, ""},
                                 {"", "user_time", "s", 0.125, ""},
                                 {"", "sys_time", "s", 0.0625, ""},
                                 {"", "max_rss", "bytes", 4194304, ""}};
  return record;
}

RunRecord gbench_run() {
  RunRecord record{"micro", "base", 0, false, {}};
  record.outcome.observations = {{"BM_parse/64", "real_time", "s", 1.5e-06, "html"},
                                 {"BM_parse/64", "cpu_time", "s", 1.25e-06, "html"}};
  record.outcome.failures = {{"BM_io", "fixture missing"}};
  return record;
}

RunRecord failed_warmup() {
  RunRecord record{"startup", "base", 1, true, {}};
  record.outcome.failures = {{"", "killed by SIGSEGV"}};
  return record;
}

void expect_same(const JournalRun& actual, const RunRecord& expected) {
  EXPECT_EQ(actual.benchmark, expected.benchmark);
  EXPECT_EQ(actual.variant, expected.variant);
  EXPECT_EQ(actual.run, expected.run);
  EXPECT_EQ(actual.warmup, expected.warmup);
  EXPECT_EQ(actual.exit_code, expected.outcome.exit_code);
  ASSERT_EQ(actual.samples.size(), expected.outcome.observations.size());
  for (std::size_t i = 0; i < actual.samples.size(); ++i) {
    const JournalSample& a = actual.samples[i];
    const harness::Observation& e = expected.outcome.observations[i];
    EXPECT_EQ(a.case_name, e.case_name);
    EXPECT_EQ(a.metric, e.metric);
    EXPECT_EQ(a.unit, e.unit);
    EXPECT_EQ(a.value, e.value);  // JSON numbers round-trip doubles exactly
    EXPECT_EQ(a.label, e.label);
  }
  ASSERT_EQ(actual.failures.size(), expected.outcome.failures.size());
  for (std::size_t i = 0; i < actual.failures.size(); ++i) {
    EXPECT_EQ(actual.failures[i].case_name, expected.outcome.failures[i].case_name);
    EXPECT_EQ(actual.failures[i].reason, expected.outcome.failures[i].reason);
  }
}

TEST(SamplesJournal, ReadsBackEveryFieldTheWriterWrote) {
  const std::vector<RunRecord> records{failed_warmup(), process_run(), gbench_run()};
  std::string text;
  for (const RunRecord& record : records) text += harness::journal_line(record) + "\n";
  const std::vector<JournalRun> read = read_journal(text, "samples.jsonl");
  ASSERT_EQ(read.size(), records.size());
  for (std::size_t i = 0; i < read.size(); ++i) expect_same(read[i], records[i]);
}

TEST(SamplesJournal, InterruptedLastWriteIsSkipped) {
  const std::string whole = harness::journal_line(process_run()) + "\n";
  EXPECT_EQ(read_journal(whole + whole.substr(0, 40), "samples.jsonl").size(), 1u);
}

TEST(SamplesJournal, BlankLinesAreSkipped) {
  EXPECT_EQ(read_journal("\n" + harness::journal_line(process_run()) + "\n  \n", "samples.jsonl")
                .size(),
            1u);
}

void expect_error(const std::string& text, const std::string& message) {
  try {
    (void)read_journal(text, "runs.jsonl");
    ADD_FAILURE() << "no error for: " << text;
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(SamplesJournal, MalformedLinesNameTheLineAndTheFault) {
  const std::string good = harness::journal_line(process_run()) + "\n";
  expect_error(good + "{not json\n", "runs.jsonl:2: not valid JSON");
  expect_error("[1, 2]\n", "runs.jsonl:1: not a JSON object");
  expect_error(R"({"schema":"perfguard.samples.v2"})"
               "\n",
               R"(runs.jsonl:1: schema "perfguard.samples.v2", expected "perfguard.samples.v1")");
  expect_error(R"({"schema":"perfguard.samples.v1","benchmark":"b","run":0})"
               "\n",
               R"(runs.jsonl:1: missing "variant")");
  expect_error(R"({"schema":"perfguard.samples.v1","benchmark":"b","variant":"v","run":-1})"
               "\n",
               R"(runs.jsonl:1: "run" is not a non-negative integer)");
  expect_error(
      R"({"schema":"perfguard.samples.v1","benchmark":"b","variant":"v","run":0,"warmup":false,)"
      R"("samples":[{"metric":"wall_time","unit":"s","value":"fast"}],"failures":[]})"
      "\n",
      "runs.jsonl:1: a sample value is not a finite number");
}

TEST(SamplesJournal, ReadsFilesAndNamesUnreadableOnes) {
  const tests::TempDir dir;
  const std::string path =
      dir.write("samples.jsonl", harness::journal_line(gbench_run()) + "\n").string();
  ASSERT_EQ(read_journal_file(path).size(), 1u);
  const std::string missing = (dir.path() / "missing.jsonl").string();
  try {
    (void)read_journal_file(missing);
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
  }
}

}  // namespace
}  // namespace perfguard::inputs
