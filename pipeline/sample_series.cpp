#include "pipeline/sample_series.hpp"

#include <sstream>

#include "core/json_source.hpp"
#include "harness/journal.hpp"

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

std::vector<reports::SampleSeries> read_sample_series(const std::filesystem::path& journal) {
  std::istringstream in(read_text_file(journal.string()));
  const std::vector<harness::RunRecord> runs = harness::read_journal(in, journal.string());
  return sample_series(harness::collect_sample_sets(runs));
}

}  // namespace perfguard::pipeline
