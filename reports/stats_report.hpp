#pragma once
// Serialization and rendering of `perfguard stats` results. The JSON keys are a stable
// contract that later artifacts reuse (docs/stats.md); writers take std::ostream& and
// never open files -- guard/ decides where output goes.
#include <iosfwd>
#include <string>

#include "core/json.hpp"

#include "budgets/verdict.hpp"
#include "stats/compare.hpp"

namespace perfguard::reports {

using perfguard::Json;

inline constexpr const char* kStatsSchema = "perfguard.stats.v1";

// Where a sample came from, for the reader: the file, the benchmark or command chosen in it,
// and the unit as the file gave it ("" when a plain list of numbers said nothing).
struct SampleSource {
  std::string path;
  std::string label;
  std::string unit;
};

// The settings that shaped the intervals and the verdict; always reported beside them.
struct StatsSettings {
  stats::IntervalOptions interval;
  double threshold = budgets::kDefaultThreshold;
};

[[nodiscard]] std::string_view to_string(stats::IntervalMethod method) noexcept;

// One sample's block: n, mean, stddev, median, mad, min, max, p5 ... p99, cv, median_ci,
// outliers, and `insufficient` naming each statistic withheld for too few samples.
[[nodiscard]] Json summary_json(const stats::Summary& summary);

// The whole `perfguard stats FILE --json` document.
[[nodiscard]] Json stats_json(const stats::Summary& summary, const SampleSource& source,
                              const StatsSettings& settings);

// The whole `perfguard stats --base BASE FILE --json` document.
[[nodiscard]] Json comparison_json(const stats::Comparison& comparison,
                                   const budgets::Judgement& judgement, const SampleSource& base,
                                   const SampleSource& candidate, const StatsSettings& settings);

// Pretty-printed JSON and a newline.
void write_json(std::ostream& out, const Json& document);

// Human-readable tables.
void write_summary_text(std::ostream& out, const stats::Summary& summary,
                        const SampleSource& source, const StatsSettings& settings);
void write_comparison_text(std::ostream& out, const stats::Comparison& comparison,
                           const budgets::Judgement& judgement, const SampleSource& base,
                           const SampleSource& candidate, const StatsSettings& settings);

}  // namespace perfguard::reports
