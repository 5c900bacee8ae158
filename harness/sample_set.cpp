#include "harness/sample_set.hpp"

#include <algorithm>

namespace perfguard::harness {
namespace {

struct FailedKey {
  std::string id;
  std::string variant;
  std::vector<Failure> failures;
};

SampleSet& set_for(std::vector<SampleSet>& sets, const std::string& id, const std::string& variant,
                   const Observation& observation) {
  const auto found = std::find_if(sets.begin(), sets.end(), [&](const SampleSet& set) {
    return set.benchmark == id && set.variant == variant && set.metric == observation.metric;
  });
  if (found != sets.end()) return *found;
  sets.push_back({id, variant, observation.metric, observation.unit, {}, {}, ""});
  return sets.back();
}

}  // namespace

std::string sample_set_id(std::string_view benchmark, std::string_view case_name) {
  std::string id(benchmark);
  if (!case_name.empty()) {
    id += '/';
    id += case_name;
  }
  return id;
}

std::vector<SampleSet> collect_sample_sets(std::span<const RunRecord> runs) {
  std::vector<SampleSet> sets;
  // Failures are attached once all sets exist, so a metric first seen after a failure still
  // carries it.
  std::vector<FailedKey> failed;
  for (const RunRecord& record : runs) {
    // A warmup's values are never samples, but its failure is: it stopped the benchmark.
    for (const Observation& observation :
         record.warmup ? std::span<const Observation>{} : record.outcome.observations) {
      const std::string id = sample_set_id(record.benchmark, observation.case_name);
      SampleSet& set = set_for(sets, id, record.variant, observation);
      set.values.push_back(observation.value);
      if (!observation.label.empty()) set.label = observation.label;
    }
    for (const CaseFailure& failure : record.outcome.failures) {
      const std::string id = sample_set_id(record.benchmark, failure.case_name);
      auto key = std::find_if(failed.begin(), failed.end(), [&](const FailedKey& k) {
        return k.id == id && k.variant == record.variant;
      });
      if (key == failed.end()) key = failed.insert(failed.end(), {id, record.variant, {}});
      key->failures.push_back({record.run, failure.reason, record.warmup});
    }
  }
  for (const FailedKey& key : failed) {
    bool attached = false;
    for (SampleSet& set : sets) {
      if (set.benchmark != key.id || set.variant != key.variant) continue;
      set.failures = key.failures;
      attached = true;
    }
    if (!attached) sets.push_back({key.id, key.variant, "", "", {}, key.failures, ""});
  }
  return sets;
}

const SampleSet* find_sample_set(std::span<const SampleSet> sets, std::string_view benchmark,
                                 std::string_view variant, std::string_view metric) noexcept {
  const auto found = std::find_if(sets.begin(), sets.end(), [&](const SampleSet& set) {
    return set.benchmark == benchmark && set.variant == variant && set.metric == metric;
  });
  return found == sets.end() ? nullptr : &*found;
}

}  // namespace perfguard::harness
