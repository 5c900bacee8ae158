#pragma once
// What one gate run adds to the history (docs/history.md, "Schema"): a run row and a result row
// per benchmark x metric, read from the gate's own perf_comparison.json content so the history
// holds exactly what the gate judged.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "core/json.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::history {

// One side of one benchmark x metric.
struct SideRecord {
  std::int64_t n = 0;
  double median = 0.0;
  std::optional<double> median_lo;  // the median's confidence interval
  std::optional<double> median_hi;
  std::optional<double> p95;  // absent below the samples p95 needs
};

struct ResultRecord {
  std::string benchmark;
  std::string metric;
  std::string unit;
  std::optional<SideRecord> base;  // absent: the side produced no samples
  std::optional<SideRecord> candidate;
  std::optional<double> ratio;
  std::optional<double> ratio_lo;
  std::optional<double> ratio_hi;
  std::string verdict;  // budgets::to_string(Verdict)
  double threshold = 0.0;
  double confidence = 0.0;
};

struct RunRecord {
  std::string recorded_at;  // RFC 3339, UTC: the artifact's generated_at
  std::string perfguard_version;
  // Which machine: runs on the same hardware form one series (see host_fingerprint()).
  std::string host_fingerprint;
  std::string hostname;
  std::string cpu_model;
  reports::Revision base;
  reports::Revision candidate;
  Json settings = Json::object();  // the artifact's settings object, as written
  std::string gate_verdict;        // "pass" or "fail"
  int exit_code = 0;
  std::optional<std::string> shard;  // settings.shard, when the run was one shard of several
  std::vector<ResultRecord> results;
};

// 16 hex digits identifying the hardware a run measured on: FNV-1a (64 bit) over hostname, CPU
// model, logical CPU count and pinned CPUs. The kernel is left out on purpose: an upgrade that
// changes speed is a change point in the series, not a new series.
[[nodiscard]] std::string host_fingerprint(const Json& host);

// The record of a perf_comparison.json document (schema perfguard.perf_comparison.v1). Throws
// UsageError naming the field when the document is not one.
[[nodiscard]] RunRecord record_from_artifact(const Json& perf_comparison);

// The same, from the gate's result and context: what compare and diff hold when they finish.
[[nodiscard]] RunRecord record_from_gate(const budgets::GateResult& gate,
                                         const reports::ArtifactContext& context);

}  // namespace perfguard::history
