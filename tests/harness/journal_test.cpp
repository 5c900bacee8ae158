// samples.jsonl: the exact line format (docs/samples-jsonl.md), round trips, and the reader's
// tolerance of an interrupted last write -- and nothing else.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "harness/journal.hpp"

namespace perfguard::harness {
namespace {

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
  record.outcome.observations = {{"BM_parse/64", "real_time", "s", 1.5e-06, ""},
                                 {"BM_parse/64", "cpu_time", "s", 1.25e-06, ""}};
  record.outcome.failures = {{"BM_io", "fixture missing"}};
  return record;
}

RunRecord failed_warmup() {
  RunRecord record{"startup", "base", 1, true, {}};
  record.outcome.failures = {{"", "killed by SIGSEGV"}};
  return record;
}

TEST(JournalLine, HasTheDocumentedShape) {
  EXPECT_EQ(
      journal_line(process_run()),
      R"({"schema":"perfguard.samples.v1","benchmark":"startup","variant":"candidate","run":3,)"
      R"("warmup":false,"exit_code":0,"samples":[{"metric":"wall_time","unit":"s","value":0.25},)"
      R"({"metric":"user_time","unit":"s","value":0.125},{"metric":"sys_time","unit":"s","value":0.0625},)"
      R"({"metric":"max_rss","unit":"bytes","value":4194304.0}],"failures":[]})");
  EXPECT_EQ(
      journal_line(gbench_run()),
      R"({"schema":"perfguard.samples.v1","benchmark":"micro","variant":"base","run":0,"warmup":false,)"
      R"("samples":[{"case":"BM_parse/64","metric":"real_time","unit":"s","value":1.5e-06},)"
      R"({"case":"BM_parse/64","metric":"cpu_time","unit":"s","value":1.25e-06}],)"
      R"("failures":[{"case":"BM_io","reason":"fixture missing"}]})");
}

void expect_same(const RunRecord& actual, const RunRecord& expected) {
  EXPECT_EQ(actual.benchmark, expected.benchmark);
  EXPECT_EQ(actual.variant, expected.variant);
  EXPECT_EQ(actual.run, expected.run);
  EXPECT_EQ(actual.warmup, expected.warmup);
  EXPECT_EQ(actual.outcome.exit_code, expected.outcome.exit_code);
  ASSERT_EQ(actual.outcome.observations.size(), expected.outcome.observations.size());
  for (std::size_t i = 0; i < actual.outcome.observations.size(); ++i) {
    const Observation& a = actual.outcome.observations[i];
    const Observation& e = expected.outcome.observations[i];
    EXPECT_EQ(a.case_name, e.case_name);
    EXPECT_EQ(a.metric, e.metric);
    EXPECT_EQ(a.unit, e.unit);
    EXPECT_EQ(a.value, e.value);  // JSON numbers round-trip doubles exactly
  }
  ASSERT_EQ(actual.outcome.failures.size(), expected.outcome.failures.size());
  for (std::size_t i = 0; i < actual.outcome.failures.size(); ++i) {
    EXPECT_EQ(actual.outcome.failures[i].case_name, expected.outcome.failures[i].case_name);
    EXPECT_EQ(actual.outcome.failures[i].reason, expected.outcome.failures[i].reason);
  }
}

TEST(Journal, WriterAndReaderRoundTrip) {
  std::ostringstream out;
  JournalWriter writer(out, "samples.jsonl");
  const std::vector<RunRecord> records{failed_warmup(), process_run(), gbench_run()};
  for (const RunRecord& record : records) writer.on_run(record);
  std::istringstream in(out.str());
  const std::vector<RunRecord> read = read_journal(in, "samples.jsonl");
  ASSERT_EQ(read.size(), records.size());
  for (std::size_t i = 0; i < read.size(); ++i) expect_same(read[i], records[i]);
}

TEST(Journal, EachRunIsOnDiskAsSoonAsItEnds) {
  std::ostringstream out;
  JournalWriter writer(out, "samples.jsonl");
  writer.on_run(process_run());
  EXPECT_EQ(out.str(), journal_line(process_run()) + "\n");
}

TEST(Journal, InterruptedLastWriteIsSkipped) {
  const std::string whole = journal_line(process_run()) + "\n";
  std::istringstream in(whole + whole.substr(0, 40));
  EXPECT_EQ(read_journal(in, "samples.jsonl").size(), 1u);
}

TEST(Journal, BlankLinesAreSkipped) {
  std::istringstream in("\n" + journal_line(process_run()) + "\n  \n");
  EXPECT_EQ(read_journal(in, "samples.jsonl").size(), 1u);
}

void expect_error(const std::string& text, const std::string& message) {
  std::istringstream in(text);
  try {
    (void)read_journal(in, "runs.jsonl");
    ADD_FAILURE() << "no error for: " << text;
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Journal, MalformedLinesNameTheLineAndTheFault) {
  const std::string good = journal_line(process_run()) + "\n";
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

TEST(Journal, SampleSetsFromTheJournalMatchTheRuns) {
  const std::vector<RunRecord> records{failed_warmup(), process_run(), gbench_run()};
  std::ostringstream out;
  for (const RunRecord& record : records) out << journal_line(record) << '\n';
  std::istringstream in(out.str());
  const std::vector<RunRecord> read = read_journal(in, "samples.jsonl");
  const std::vector<SampleSet> sets = collect_sample_sets(read);
  ASSERT_EQ(sets.size(), collect_sample_sets(records).size());
  const SampleSet* rss = find_sample_set(sets, "startup", "candidate", "max_rss");
  ASSERT_NE(rss, nullptr);
  EXPECT_EQ(rss->unit, "bytes");
  EXPECT_EQ(rss->values, std::vector<double>{4194304});
}

}  // namespace
}  // namespace perfguard::harness
