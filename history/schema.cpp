// The schema's versions, oldest first. A released step is never edited: a change is a new step
// (docs/history.md, "Schema").
#include "history/schema.hpp"

#include <string>

#include <fmt/format.h>

namespace perfguard::history {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE runs (
  id {serial_key},
  recorded_at TEXT NOT NULL,
  perfguard_version TEXT NOT NULL,
  host_fingerprint TEXT NOT NULL,
  hostname TEXT,
  cpu_model TEXT,
  base_ref TEXT NOT NULL,
  base_commit TEXT,
  candidate_ref TEXT NOT NULL,
  candidate_commit TEXT,
  settings TEXT NOT NULL,
  gate_verdict TEXT NOT NULL,
  exit_code INTEGER NOT NULL,
  shard TEXT
);
CREATE INDEX runs_by_time ON runs (recorded_at);
CREATE TABLE results (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  benchmark TEXT NOT NULL,
  metric TEXT NOT NULL,
  unit TEXT NOT NULL,
  base_n INTEGER,
  base_median DOUBLE PRECISION,
  base_median_lo DOUBLE PRECISION,
  base_median_hi DOUBLE PRECISION,
  base_p95 DOUBLE PRECISION,
  candidate_n INTEGER,
  candidate_median DOUBLE PRECISION,
  candidate_median_lo DOUBLE PRECISION,
  candidate_median_hi DOUBLE PRECISION,
  candidate_p95 DOUBLE PRECISION,
  ratio DOUBLE PRECISION,
  ratio_lo DOUBLE PRECISION,
  ratio_hi DOUBLE PRECISION,
  verdict TEXT NOT NULL,
  threshold DOUBLE PRECISION NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run_id, benchmark, metric)
);
CREATE INDEX results_by_series ON results (benchmark, metric);
)sql"},
};

std::string for_dialect(std::string_view sql, Dialect dialect) {
  std::string text(sql);
  const std::string_view token = "{serial_key}";
  const std::string_view key =
      dialect == Dialect::sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at))
    text.replace(at, token.size(), key);
  return text;
}

void ensure_version_table(Database& db) {
  db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
}

int read_version(Database& db) {
  const auto rows = db.query("SELECT MAX(version) FROM schema_version", {});
  if (rows.empty() || rows.front().empty()) return 0;
  return static_cast<int>(as_int(rows.front().front()).value_or(0));
}

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int schema_version(Database& db) {
  ensure_version_table(db);
  return read_version(db);
}

int migrate(Database& db, std::span<const Migration> steps) {
  const int known = steps.empty() ? 0 : steps.back().version;
  return in_transaction(db, [&] {
    // Inside the transaction, so a second perfguard migrating the same database waits here and
    // then sees the steps already done.
    if (db.dialect() == Dialect::postgresql)
      db.query("SELECT pg_advisory_xact_lock(7262657266)", {});  // any fixed key: "perf" history
    ensure_version_table(db);
    int version = read_version(db);
    if (version > known)
      throw StoreError(
          fmt::format("history {}: schema version {} is newer than this perfguard knows ({}); "
                      "upgrade perfguard",
                      db.name(), version, known));
    for (const Migration& step : steps) {
      if (step.version <= version) continue;
      db.execute(for_dialect(step.sql, db.dialect()));
      db.query("DELETE FROM schema_version", {});
      db.query("INSERT INTO schema_version (version) VALUES ($1)", {std::int64_t{step.version}});
      version = step.version;
    }
    return version;
  });
}

}  // namespace perfguard::history
