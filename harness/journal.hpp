#pragma once
// samples.jsonl: the journal of every run, one JSON object per line, written and flushed as
// each run completes, so an interrupted schedule loses nothing it measured and any verdict can
// be recomputed from it. docs/samples-jsonl.md is the user-facing description; the reader is
// inputs/samples_journal.hpp.
//
// A line (keys in this order; "case" and "exit_code" only when they apply):
//   {"schema":"perfguard.samples.v1",
//    "benchmark":"parse",            the schedule's benchmark id
//    "variant":"candidate",          the side: "base"/"candidate", or a command
//    "run":3,                        0-based; warmups and measured runs are counted apart
//    "warmup":false,                 warmups never enter a SampleSet
//    "exit_code":0,                  when the run was one process that exited
//    "samples":[{"case":"BM_parse/64","metric":"real_time","unit":"s","value":1.2e-06}, ...],
//    "failures":[{"case":"BM_x","reason":"exit 3"}, ...]}
// A process run has four samples: wall_time, user_time, sys_time (unit "s") and max_rss
// ("bytes"). A Google Benchmark run has real_time and cpu_time ("s" per iteration) for each
// repetition of each case. SampleSets are (benchmark[/case], variant, metric) groups of the
// values in line order (collect_sample_sets). Values are finite: JSON has no NaN.
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "harness/sample_set.hpp"
#include "harness/schedule.hpp"
#include "inputs/samples_journal.hpp"

namespace perfguard::harness {

using inputs::kSamplesSchema;

// One journal line, without the newline.
[[nodiscard]] std::string journal_line(const RunRecord& record);

// Writes each run to the stream as it completes and flushes it. The stream must outlive the
// writer; a failed write throws perfguard::ExecutionError naming `name`.
class JournalWriter final : public ScheduleListener {
 public:
  JournalWriter(std::ostream& out, std::string name) : out_(out), name_(std::move(name)) {}
  void on_run(const RunRecord& record) override;

 private:
  std::ostream& out_;
  std::string name_;
};

}  // namespace perfguard::harness
