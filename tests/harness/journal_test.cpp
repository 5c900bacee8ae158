// samples.jsonl: the exact line format the writer produces (docs/samples-jsonl.md). Reading it
// back is tested in tests/inputs/samples_journal_test.cpp.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

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

TEST(Journal, EachRunIsOnDiskAsSoonAsItEnds) {
  std::ostringstream out;
  JournalWriter writer(out, "samples.jsonl");
  writer.on_run(process_run());
  EXPECT_EQ(out.str(), journal_line(process_run()) + "\n");
}

}  // namespace
}  // namespace perfguard::harness
