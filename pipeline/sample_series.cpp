#include "pipeline/sample_series.hpp"

#include "inputs/samples_journal.hpp"

namespace perfguard::pipeline {

std::vector<reports::SampleSeries> sample_series(
    std::span<const budgets::Measurement> measurements) {
  std::vector<reports::SampleSeries> out;
  for (const budgets::Measurement& m : measurements) {
    if (m.base && !m.base->values.empty())
      out.push_back({m.benchmark, m.metric, "base", m.base->values});
    if (m.candidate && !m.candidate->values.empty()) {
      out.push_back({m.benchmark, m.metric, "candidate", m.candidate->values});
    }
  }
  return out;
}

std::vector<reports::SampleSeries> sample_series(std::span<const harness::SampleSet> sets) {
  std::vector<reports::SampleSeries> out;
  for (const harness::SampleSet& set : sets) {
    if ((set.variant != "base" && set.variant != "candidate") || set.values.empty()) continue;
    out.push_back({set.benchmark, set.metric, set.variant, set.values});
  }
  return out;
}

namespace {

// A journal line as the harness recorded the run.
harness::RunRecord run_record(const inputs::JournalRun& line) {
  harness::RunRecord record{line.benchmark, line.variant, line.run, line.warmup, {}};
  record.outcome.exit_code = line.exit_code;
  for (const inputs::JournalSample& sample : line.samples) {
    record.outcome.observations.push_back(
        {sample.case_name, sample.metric, sample.unit, sample.value, sample.label});
  }
  for (const inputs::JournalFailure& failure : line.failures)
    record.outcome.failures.push_back({failure.case_name, failure.reason});
  return record;
}

}  // namespace

std::vector<harness::RunRecord> read_run_records(const std::filesystem::path& journal) {
  std::vector<harness::RunRecord> runs;
  for (const inputs::JournalRun& line : inputs::read_journal_file(journal.string()))
    runs.push_back(run_record(line));
  return runs;
}

std::vector<reports::SampleSeries> read_sample_series(const std::filesystem::path& journal) {
  return sample_series(harness::collect_sample_sets(read_run_records(journal)));
}

}  // namespace perfguard::pipeline
