#pragma once
// `perfguard history`: the change points of every series in a history store (or a CSV file),
// as a table or as JSON (schema perfguard.history.v1), docs/history.md.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "history/store.hpp"
#include "stats/change_points.hpp"

namespace perfguard::history {

// Where `perfguard history` looks when no --history or --csv is given.
inline constexpr const char* kDefaultHistoryPath = ".perfguard/history.sqlite";
inline constexpr const char* kHistorySchema = "perfguard.history.v1";

// One step in one series.
struct Step {
  std::string benchmark;
  std::string metric;
  std::string unit;
  std::string hostname;
  std::string host_fingerprint;
  SeriesKind kind = SeriesKind::median;  // of the series the step is in
  std::string base_commit;               // a ratio series' common base
  std::size_t index = 0;                 // the first point of the new level, in the series
  std::size_t points = 0;                // the series' length
  std::string commit_before;             // the last commit measured before the step
  std::string commit_after;              // the first commit measured after it
  std::string time_before;
  std::string time_after;
  stats::ChangePoint change;
  double threshold = 0.0;
  // A slowdown beyond the series' threshold: every perfguard metric is lower-is-better.
  bool regression = false;
  // For a regression in a history store's series: the `perfguard bisect` that finds its commit
  // (bisect_command()).
  std::optional<std::string> bisect_command;
};

// The ratios to a common base of `medians`' nights (docs/history.md, "Ratio series"): when
// every night has a ratio and all were measured against one known base commit, a series of kind
// ratio with each night's ratio and its interval in place of its median, unit "" and the same
// threshold; else nullopt. Load on the machine moves both sides of a night alike, so the
// ratios shift less with it than the medians do.
[[nodiscard]] std::optional<Series> ratio_series(const Series& medians);

// `medians`, each followed by its ratio series where it has one.
[[nodiscard]] std::vector<Series> with_ratio_series(std::vector<Series> medians);

// "median" or "ratio", as --json and the table name a series kind.
[[nodiscard]] const char* kind_name(SeriesKind kind) noexcept;

// The steps of every series, series by series and in order within each.
[[nodiscard]] std::vector<Step> find_steps(const std::vector<Series>& series,
                                           const stats::ChangePointOptions& detector);

// The `perfguard bisect` that finds the commit of a regression step (docs/bisect.md): good is
// the last commit measured before the step, bad the first after, on the step's benchmark and
// metric; words a shell would split are quoted. nullopt when the step is no regression, when
// either commit is unknown, or when both nights measured the same commit (the step is then the
// machine's, not the code's).
[[nodiscard]] std::optional<std::string> bisect_command(const Step& step);

struct HistoryRequest {
  std::optional<std::string> history;  // a path or postgresql:// URL (default kDefaultHistoryPath)
  std::optional<std::string> csv;      // analyse this CSV file instead
  SeriesFilter filter;
  stats::ChangePointOptions detector;
  bool json = false;
  bool fail_on_regression = false;
  std::optional<std::string> out;  // a folder: history.html is written into it (trend_page.hpp)
};

// Reads the series, finds their steps and writes the table or JSON to `out` (and, with
// request.out, the folder's history.html; ExecutionError, exit 3, when it cannot). Returns the exit
// code: 1 when fail_on_regression and a regression step is in range, else 0. Throws UsageError
// for bad input (a missing file, a malformed --since, a CSV error), StoreError for the store.
int history_report(const HistoryRequest& request, std::ostream& out);

// `series` as read (medians) and with their ratio series: each count is of one kind.
struct SeriesCount {
  std::size_t medians = 0;
  std::size_t ratios = 0;
};
[[nodiscard]] SeriesCount count_series(const std::vector<Series>& all);

[[nodiscard]] Json steps_json(const std::vector<Step>& steps, SeriesCount series);
void write_steps_table(std::ostream& out, const std::vector<Step>& steps, SeriesCount series);

}  // namespace perfguard::history
