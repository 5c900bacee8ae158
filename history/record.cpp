// Reading a gate's perf_comparison.json content into the history's rows.
#include "history/record.hpp"

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/fnv1a.hpp"

namespace perfguard::history {
namespace {

[[noreturn]] void bad(const std::string& field, const char* expected) {
  throw UsageError(fmt::format("perf_comparison: {}: expected {}", field, expected));
}

const Json& member(const Json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) bad(where + "." + key, "a value");
  return *it;
}

std::string text(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (!value.is_string()) bad(where + "." + key, "a string");
  return value.get<std::string>();
}

// A string or null ("" for null), as the artifact writes unknown commits and host fields.
std::string text_or_empty(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (value.is_null()) return {};
  if (!value.is_string()) bad(where + "." + key, "a string or null");
  return value.get<std::string>();
}

double number(const Json& object, const char* key, const std::string& where) {
  const Json& value = member(object, key, where);
  if (!value.is_number()) bad(where + "." + key, "a number");
  return value.get<double>();
}

std::optional<double> optional_number(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// [lo, hi] or null.
void interval(const Json& object, const char* key, std::optional<double>& lo,
              std::optional<double>& hi) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_number() ||
      !(*it)[1].is_number())
    return;
  lo = (*it)[0].get<double>();
  hi = (*it)[1].get<double>();
}

std::optional<SideRecord> side(const Json& row, const char* key, const std::string& where) {
  const Json& summary = member(row, key, where);
  if (summary.is_null()) return std::nullopt;
  if (!summary.is_object()) bad(where + "." + key, "an object or null");
  SideRecord record;
  const Json& n = member(summary, "n", where + "." + key);
  if (!n.is_number_integer()) bad(where + "." + key + ".n", "a whole number");
  record.n = n.get<std::int64_t>();
  record.median = number(summary, "median", where + "." + key);
  interval(summary, "median_ci", record.median_lo, record.median_hi);
  record.p95 = optional_number(summary, "p95");
  return record;
}

}  // namespace

std::string host_fingerprint(const Json& host) {
  std::string key;
  for (const char* field : {"hostname", "cpu_model"}) {
    const auto it = host.find(field);
    key += (it != host.end() && it->is_string()) ? it->get<std::string>() : std::string();
    key += '\n';
  }
  const auto cpus = host.find("logical_cpus");
  key += (cpus != host.end() && cpus->is_number_integer())
             ? std::to_string(cpus->get<std::int64_t>())
             : std::string();
  key += '\n';
  const auto pinned = host.find("pinned_cpus");
  if (pinned != host.end() && pinned->is_array())
    for (const Json& cpu : *pinned) key += cpu.dump() + ",";
  return fmt::format("{:016x}", fnv1a(key));
}

RunRecord record_from_artifact(const Json& document) {
  if (!document.is_object()) bad("(document)", "a JSON object");
  const auto schema = document.find("schema");
  if (schema == document.end() || *schema != reports::kPerfComparisonSchema)
    bad("schema", reports::kPerfComparisonSchema);

  RunRecord run;
  run.recorded_at = text(document, "generated_at", "");
  run.perfguard_version = text(document, "perfguard_version", "");
  const Json& host = member(document, "host", "");
  if (!host.is_object()) bad("host", "an object");
  run.host_fingerprint = host_fingerprint(host);
  run.hostname = text_or_empty(host, "hostname", "host");
  run.cpu_model = text_or_empty(host, "cpu_model", "host");
  for (const auto& [key, revision] :
       {std::pair{"base", &run.base}, {"candidate", &run.candidate}}) {
    const Json& object = member(document, key, "");
    if (!object.is_object()) bad(key, "an object");
    revision->ref = text(object, "ref", key);
    revision->commit = text_or_empty(object, "commit", key);
  }
  run.settings = member(document, "settings", "");
  if (!run.settings.is_object()) bad("settings", "an object");
  if (const auto shard = run.settings.find("shard"); shard != run.settings.end())
    run.shard = shard->is_string() ? shard->get<std::string>() : shard->dump();
  const Json& gate = member(document, "gate", "");
  if (!gate.is_object()) bad("gate", "an object");
  run.gate_verdict = text(gate, "verdict", "gate");
  const Json& exit_code = member(gate, "exit_code", "gate");
  if (!exit_code.is_number_integer()) bad("gate.exit_code", "a whole number");
  run.exit_code = exit_code.get<int>();

  const Json& results = member(document, "results", "");
  if (!results.is_array()) bad("results", "an array");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& row = results[i];
    const std::string where = fmt::format("results[{}]", i);
    if (!row.is_object()) bad(where, "an object");
    ResultRecord result;
    result.benchmark = text(row, "benchmark", where);
    result.metric = text(row, "metric", where);
    result.unit = text(row, "unit", where);
    result.base = side(row, "base", where);
    result.candidate = side(row, "candidate", where);
    result.ratio = optional_number(row, "ratio");
    interval(row, "ratio_ci", result.ratio_lo, result.ratio_hi);
    result.verdict = text(row, "verdict", where);
    result.threshold = number(row, "threshold", where);
    result.confidence = number(row, "confidence", where);
    run.results.push_back(std::move(result));
  }
  return run;
}

RunRecord record_from_gate(const budgets::GateResult& gate,
                           const reports::ArtifactContext& context) {
  return record_from_artifact(reports::perf_comparison_json(gate, context));
}

}  // namespace perfguard::history
