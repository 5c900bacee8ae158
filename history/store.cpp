// Appending runs and reading series back, the same SQL on both backends.
#include "history/store.hpp"

#include <fnmatch.h>

#include <filesystem>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "history/schema.hpp"

namespace perfguard::history {
namespace {

Value optional_value(const std::optional<double>& value) { return value ? Value{*value} : Value{}; }

Value text_or_null(const std::string& text) { return text.empty() ? Value{} : Value{text}; }

void append_side(std::vector<Value>& params, const std::optional<SideRecord>& side) {
  if (!side) {
    params.insert(params.end(), 5, Value{});
    return;
  }
  params.emplace_back(side->n);
  params.emplace_back(side->median);
  params.push_back(optional_value(side->median_lo));
  params.push_back(optional_value(side->median_hi));
  params.push_back(optional_value(side->p95));
}

}  // namespace

Store Store::open(const std::string& location, const OpenOptions& options) {
  if (!is_postgresql_url(location)) {
    const std::filesystem::path parent = std::filesystem::path(location).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      throw StoreError(
          fmt::format("history {}: cannot create {}: {}", location, parent.string(), ec.message()));
  }
  Store store(open_database(location, options));
  migrate(*store.db_);
  return store;
}

Store::Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}

std::int64_t Store::append(const RunRecord& run) {
  return in_transaction(*db_, [&] {
    const auto inserted = db_->query(
        "INSERT INTO runs (recorded_at, perfguard_version, host_fingerprint, hostname, cpu_model, "
        "base_ref, base_commit, candidate_ref, candidate_commit, settings, gate_verdict, "
        "exit_code, shard) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "RETURNING id",
        {run.recorded_at, run.perfguard_version, run.host_fingerprint, text_or_null(run.hostname),
         text_or_null(run.cpu_model), run.base.ref, text_or_null(run.base.commit),
         run.candidate.ref, text_or_null(run.candidate.commit), run.settings.dump(),
         run.gate_verdict, std::int64_t{run.exit_code}, run.shard ? Value{*run.shard} : Value{}});
    const std::optional<std::int64_t> id =
        inserted.size() == 1 && inserted[0].size() == 1 ? as_int(inserted[0][0]) : std::nullopt;
    if (!id) throw StoreError(fmt::format("history {}: the new run got no id", db_->name()));
    for (const ResultRecord& result : run.results) {
      std::vector<Value> params = {*id, result.benchmark, result.metric, result.unit};
      append_side(params, result.base);
      append_side(params, result.candidate);
      params.push_back(optional_value(result.ratio));
      params.push_back(optional_value(result.ratio_lo));
      params.push_back(optional_value(result.ratio_hi));
      params.emplace_back(result.verdict);
      params.emplace_back(result.threshold);
      params.emplace_back(result.confidence);
      db_->query(
          "INSERT INTO results (run_id, benchmark, metric, unit, "
          "base_n, base_median, base_median_lo, base_median_hi, base_p95, "
          "candidate_n, candidate_median, candidate_median_lo, candidate_median_hi, candidate_p95, "
          "ratio, ratio_lo, ratio_hi, verdict, threshold, confidence) VALUES ($1, $2, $3, $4, $5, "
          "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
          params);
    }
    return *id;
  });
}

std::vector<Series> Store::series(const SeriesFilter& filter) {
  std::string sql =
      "SELECT r.id, r.recorded_at, r.host_fingerprint, r.hostname, r.candidate_commit, "
      "r.candidate_ref, r.base_commit, s.benchmark, s.metric, s.unit, s.threshold, "
      "s.candidate_median, s.candidate_median_lo, s.candidate_median_hi, s.ratio, s.ratio_lo, "
      "s.ratio_hi, s.confidence FROM results s JOIN runs r ON r.id = s.run_id "
      "WHERE s.candidate_median IS NOT NULL";
  std::vector<Value> params;
  if (filter.metric) {
    params.emplace_back(*filter.metric);
    sql += fmt::format(" AND s.metric = ${}", params.size());
  }
  if (filter.since) {
    // RFC 3339 UTC text sorts as time does, and a bare date sorts before that day's times.
    params.emplace_back(*filter.since);
    sql += fmt::format(" AND r.recorded_at >= ${}", params.size());
  }
  sql += " ORDER BY r.host_fingerprint, s.benchmark, s.metric, r.recorded_at, r.id";

  std::vector<Series> all;
  for (const ValueRow& row : db_->query(sql, params)) {
    const std::string benchmark = as_text(row[7]).value_or("");
    if (filter.benchmark_glob && fnmatch(filter.benchmark_glob->c_str(), benchmark.c_str(), 0) != 0)
      continue;
    const std::string host = as_text(row[2]).value_or("");
    const std::string metric = as_text(row[8]).value_or("");
    if (all.empty() || all.back().host_fingerprint != host || all.back().benchmark != benchmark ||
        all.back().metric != metric) {
      Series series;
      series.host_fingerprint = host;
      series.benchmark = benchmark;
      series.metric = metric;
      all.push_back(std::move(series));
    }
    Series& series = all.back();
    // Later rows win: the series keeps the latest run's host name, unit and threshold.
    series.hostname = as_text(row[3]).value_or("");
    series.unit = as_text(row[9]).value_or("");
    series.threshold = as_double(row[10]).value_or(0.0);
    SeriesPoint point;
    point.run_id = as_int(row[0]).value_or(0);
    point.recorded_at = as_text(row[1]).value_or("");
    point.commit = as_text(row[4]).value_or("");
    point.ref = as_text(row[5]).value_or("");
    point.base_commit = as_text(row[6]).value_or("");
    point.median = as_double(row[11]).value_or(0.0);
    point.median_lo = as_double(row[12]);
    point.median_hi = as_double(row[13]);
    point.confidence = as_double(row[17]).value_or(0.0);
    point.ratio = as_double(row[14]);
    point.ratio_lo = as_double(row[15]);
    point.ratio_hi = as_double(row[16]);
    series.points.push_back(std::move(point));
  }
  return all;
}

std::int64_t Store::run_count() {
  const auto rows = db_->query("SELECT COUNT(*) FROM runs", {});
  return rows.empty() ? 0 : as_int(rows[0][0]).value_or(0);
}

}  // namespace perfguard::history
