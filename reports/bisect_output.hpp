#pragma once
// `perfguard bisect` results and their renderings: bisect.json (schema perfguard.bisect.v1,
// reports/schema/bisect.schema.json) and the terminal text (docs/bisect.md).
// pipeline/bisect.hpp produces the result; writers take std::ostream&.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports {

inline constexpr const char* kBisectSchema = "perfguard.bisect.v1";

// What one measurement of a commit against good says for the search.
enum class StepOutcome {
  regressed,     // the culprit is this commit or an earlier one
  clean,         // unchanged or improved: the culprit is later
  inconclusive,  // the data could not tell
  skipped,       // the commit could not be measured (it does not build, or the benchmark errs)
};
[[nodiscard]] std::string_view to_string(StepOutcome outcome) noexcept;

// One measurement of a commit against good.
struct BisectStep {
  std::string commit;  // full SHA
  StepOutcome outcome = StepOutcome::skipped;
  std::string verdict;  // the row's verdict ("regressed", "unchanged", ...), or "build_failed"
  std::string reason;   // the row's reason, or the build's error
  std::optional<double> ratio;              // the commit / good, on the metric
  std::optional<stats::Interval> ratio_ci;  // its interval (a point when exact)
  double confidence = 0.0;                  // the level the row was judged at; 0 unjudged
  bool exact = false;
  std::size_t good_runs = 0;
  std::size_t runs = 0;      // the commit's runs
  std::size_t attempt = 1;   // 2: the retry of an inconclusive step with more runs
  std::filesystem::path artifacts;  // the step's compare artifacts
};

enum class BisectStatus {
  found,            // exit 0: the culprit is known
  nothing_to_find,  // exit 1: bad is not regressed against good
  unsplit,          // exit 3: the culprit is one of several commits that could not be told apart
};
[[nodiscard]] std::string_view to_string(BisectStatus status) noexcept;
[[nodiscard]] int exit_code_of(BisectStatus status) noexcept;

// What the search found, before commits are described.
struct BisectSearch {
  BisectStatus status = BisectStatus::nothing_to_find;
  std::vector<BisectStep> steps;  // in the order taken, retries included
  // found: the culprit alone; unsplit: the commits it may be, oldest first (after the last
  // clean commit, up to the first regressed one).
  std::vector<std::string> range;
  std::optional<BisectStep> culprit_step;  // found: the step that judged the culprit
  std::string why;                         // nothing_to_find / unsplit: one line saying why
};

struct BisectCommit {
  std::string ref;  // as the user gave it; empty for commits found by the search
  std::string sha;
  std::string subject;
  std::string author;  // "Name <email>"
  std::string date;    // the author date, ISO 8601
};

struct BisectResult {
  BisectSearch search;
  std::string benchmark;
  std::string metric;
  BisectCommit good;
  BisectCommit bad;
  std::size_t path_length = 0;  // first-parent commits after good, up to bad
  std::vector<BisectCommit> range;  // search.range, described
  std::string generated_at;     // RFC 3339 UTC
};

// bisect.json.
[[nodiscard]] Json bisect_json(const BisectResult& result);
void write_bisect_json(std::ostream& out, const BisectResult& result);

// The terminal text: the answer first (the culprit, its ratio and interval, or why there is
// none), then every step.
void write_bisect_text(std::ostream& out, const BisectResult& result);

}  // namespace perfguard::reports
