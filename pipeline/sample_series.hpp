#pragma once
// The runs behind a gate's rows, in the shape the HTML report draws (reports::SampleSeries):
// reports/ does not know the harness, so the pipeline converts.
#include <filesystem>
#include <span>
#include <vector>

#include "budgets/verdict.hpp"
#include "harness/sample_set.hpp"
#include "reports/html.hpp"

namespace perfguard::pipeline {

// Both sides of every measurement the gate judged (what diff compared, or what compare
// collected): one series per side that has values.
[[nodiscard]] std::vector<reports::SampleSeries> sample_series(
    std::span<const budgets::Measurement> measurements);

// The sets of the "base" and "candidate" variants; other variants and empty sets are left out.
[[nodiscard]] std::vector<reports::SampleSeries> sample_series(
    std::span<const harness::SampleSet> sets);

// The series of a samples.jsonl journal (read by inputs/samples_journal.hpp, grouped as the
// harness groups its runs). A journal that does not parse throws perfguard::UsageError naming
// the file and line.
[[nodiscard]] std::vector<reports::SampleSeries> read_sample_series(
    const std::filesystem::path& journal);

// The runs of a samples.jsonl journal as the harness recorded them, in line order (warmups
// too). Throws like read_sample_series.
[[nodiscard]] std::vector<harness::RunRecord> read_run_records(
    const std::filesystem::path& journal);

}  // namespace perfguard::pipeline
