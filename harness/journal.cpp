#include "harness/journal.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/check.hpp"
#include "core/error.hpp"

namespace perfguard::harness {

using nlohmann::ordered_json;

std::string journal_line(const RunRecord& record) {
  ordered_json line;
  line["schema"] = std::string(kSamplesSchema);
  line["benchmark"] = record.benchmark;
  line["variant"] = record.variant;
  line["run"] = record.run;
  line["warmup"] = record.warmup;
  if (record.outcome.exit_code) line["exit_code"] = *record.outcome.exit_code;
  ordered_json samples = ordered_json::array();
  for (const Observation& observation : record.outcome.observations) {
    PG_CHECK(std::isfinite(observation.value));
    ordered_json sample;
    if (!observation.case_name.empty()) sample["case"] = observation.case_name;
    sample["metric"] = observation.metric;
    sample["unit"] = observation.unit;
    sample["value"] = observation.value;
    if (!observation.label.empty()) sample["label"] = observation.label;
    samples.push_back(std::move(sample));
  }
  line["samples"] = std::move(samples);
  ordered_json failures = ordered_json::array();
  for (const CaseFailure& failure : record.outcome.failures) {
    ordered_json entry;
    if (!failure.case_name.empty()) entry["case"] = failure.case_name;
    entry["reason"] = failure.reason;
    failures.push_back(std::move(entry));
  }
  line["failures"] = std::move(failures);
  // Replace, not throw, on invalid UTF-8 in a reason: the journal must still be written.
  return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

void JournalWriter::on_run(const RunRecord& record) {
  out_ << journal_line(record) << '\n';
  out_.flush();
  if (!out_) throw ExecutionError(fmt::format("cannot write {}", name_));
}

}  // namespace perfguard::harness
