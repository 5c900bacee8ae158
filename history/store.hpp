#pragma once
// The history of every gate run (docs/history.md): append a run, read back series of candidate
// medians per host x benchmark x metric. SQLite by default, PostgreSQL for a postgresql:// URL.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "history/database.hpp"
#include "history/record.hpp"

namespace perfguard::history {

// One night: a run's candidate median of one benchmark x metric.
struct SeriesPoint {
  std::int64_t run_id = 0;
  std::string recorded_at;
  std::string commit;  // the candidate's commit ("" when unknown)
  std::string ref;     // the candidate's ref
  std::string base_commit;
  double median = 0.0;
  std::optional<double> median_lo;
  std::optional<double> median_hi;
  double confidence = 0.0;      // of the median's interval
  std::optional<double> ratio;  // to that run's base
  std::optional<double> ratio_lo;
  std::optional<double> ratio_hi;
};

// What a series' values are: the candidate medians, or (docs/history.md, "Ratio series") each
// night's ratio to a base every night of the series was measured against.
enum class SeriesKind { median, ratio };

// The candidate medians of one host x benchmark x metric, in the order they were measured
// (recorded_at, then run id). A ratio series (history::ratio_series) holds the same nights with
// their ratios to `base_commit` as medians and the ratios' intervals as intervals.
struct Series {
  std::string host_fingerprint;
  std::string hostname;
  std::string benchmark;
  std::string metric;
  std::string unit;
  double threshold = 0.0;  // the latest run's threshold for this benchmark x metric
  std::vector<SeriesPoint> points;
  SeriesKind kind = SeriesKind::median;
  std::string base_commit;  // a ratio series' common base
};

struct SeriesFilter {
  std::optional<std::string> benchmark_glob;  // fnmatch(3) pattern over benchmark ids
  std::optional<std::string> metric;
  std::optional<std::string> since;  // RFC 3339 or YYYY-MM-DD: runs recorded at or after it
};

class Store {
 public:
  // Opens the store at `location` (a file path, or a postgresql:// URL) and brings its schema to
  // this perfguard's version. A SQLite file and its directory are created when missing.
  // Throws StoreError: locked, corrupt, unreachable, or newer than this perfguard.
  [[nodiscard]] static Store open(const std::string& location, const OpenOptions& options = {});
  explicit Store(std::unique_ptr<Database> db);

  // Writes the run row and its result rows in one transaction; returns the run's id. Nothing
  // is written when any row fails.
  std::int64_t append(const RunRecord& run);

  // Series of candidate medians, rows without a candidate median left out; ordered by host,
  // benchmark, metric.
  [[nodiscard]] std::vector<Series> series(const SeriesFilter& filter = {});

  [[nodiscard]] std::int64_t run_count();
  [[nodiscard]] Database& database() noexcept { return *db_; }

 private:
  std::unique_ptr<Database> db_;
};

}  // namespace perfguard::history
