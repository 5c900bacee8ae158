#pragma once
// perfguard.json: what to build, what to measure, and the budgets it must meet
// (docs/config.md). JSON with // and /* */ comments. Every error names file:line:column and what
// was expected, and is a perfguard::UsageError (exit 2).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source_location.hpp"
#include "stats/compare.hpp"
#include "stats/complexity.hpp"

namespace perfguard::budgets {

using perfguard::SourceLocation;

inline constexpr std::string_view kConfigSchema = "perfguard.config.v1";

enum class BenchmarkKind {
  command,    // "command": argv run as a whole process (wall_time, user_time, sys_time, max_rss)
  gbench,     // "gbench": a Google Benchmark binary (real_time, cpu_time per case)
  file_size,  // "file_size": the size in bytes of a built file (deterministic)
};

struct BenchmarkSpec {
  std::string id;  // unique; letters, digits, and . _ - only
  BenchmarkKind kind = BenchmarkKind::command;
  std::vector<std::string> command;  // kind command: argv; {build} and {worktree} substituted later
  std::string path;                  // kind gbench: the binary; kind file_size: the file
  std::string filter;                // kind gbench: --benchmark_filter (optional)
  // Kinds command and gbench; {build} and {worktree} are substituted in each string later.
  // "args": appended to the command; for gbench, placed after the binary and before
  // perfguard's own --benchmark_* flags, so they cannot override the output format.
  std::vector<std::string> args;
  // "env": variables set on top of perfguard's environment (which is otherwise inherited).
  std::vector<std::pair<std::string, std::string>> env;
  // "cwd": the working directory, relative to the worktree; nullopt: the worktree itself.
  std::optional<std::string> cwd;
  // "isolate" (gbench only): each case runs in a process of its own (a ^name$ filter per case),
  // so cases sharing a process cannot disturb each other's caches, allocator or frequency.
  bool isolate = false;
  std::optional<std::size_t> warmup;      // warmup runs per side
    std::optional<double> timeout_seconds;  // per run (per case's process with "isolate")
  // "measure": the metrics asked for, the first the primary one; empty: the kind's defaults.
  // parse_config accepts it on command benchmarks (wall_time, user_time, sys_time, max_rss, or
  // the Callgrind counts instructions and estimated_cycles, never both groups) and on gbench
  // ones (real_time, cpu_time).
  std::vector<std::string> measure;
  // kind gbench: whether its cases form complexity families (docs/complexity.md), and the input
  // size to project them to (default: 10x the largest measured size).
  bool family = true;
  std::optional<double> project_to;
  SourceLocation location;
  // parse_config accepts "filter" and "isolate" only on gbench benchmarks, and "args", "env",
  // "cwd", "warmup" and "timeout" only on command and gbench ones (a file_size benchmark runs
  // nothing); a timeout is > 0; env names are non-empty and hold no '='.
};

// The statistic an absolute budget limits.
enum class Statistic { median, mean, p90, p95, p99, max };

// As parse_config returns it, a rule is resolved so that later code never guesses:
//   - exactly one of `max` (absolute) and `max_regression` (relative, > 0) is set, and
//     `statistic` is set exactly when `max` is (median when the file names none);
//   - `metric` holds the metric the rule judges. Omitted in the file, it is the primary metric
//     of the benchmarks the glob matches; for an absolute rule it follows the unit instead: a
//     duration limits the primary metric, a size limits max_rss of command benchmarks and the
//     size of file_size benchmarks. nullopt only when the glob matches benchmarks of several
//     kinds and the rule names no metric: then it means "each benchmark's own primary metric"
//     (wall_time for command, real_time for gbench, file_size for file_size);
//   - a named metric is measured by every benchmark the glob matches, and the unit of `max`
//     fits the metric (durations for times, sizes for max_rss and file_size).
// The most specific rule wins: for one benchmark and metric, the relative rule with the highest
// glob_specificity() sets the threshold, and likewise the absolute rule per statistic.
// parse_config refuses two rules that would tie for the same benchmark, metric and (absolute)
// statistic, so there is always exactly one winner.
struct BudgetRule {
  std::string benchmark;                 // an id or a glob: '*' any run of characters, '?' one
  std::optional<std::string> metric;     // wall_time, user_time, sys_time, max_rss, file_size,
                                         // real_time, cpu_time, instructions,
                                         // estimated_cycles; default below
  std::optional<Statistic> statistic;    // absolute budgets; default median
  std::optional<double> max;             // absolute: limit in base units (seconds or bytes)
  std::optional<double> max_regression;  // relative: the threshold T as a fraction
  // A complexity budget (docs/complexity.md): `benchmark` is a family id or glob ("micro/BM_Sort")
  // and the candidate's fitted class must not be worse. Set alone: no metric, max or
  // max_regression.
  std::optional<stats::Complexity> complexity;
  SourceLocation location;
};

struct Config {
  std::string path;
  std::vector<std::vector<std::string>> build;  // argv per step, run in order
  std::vector<BenchmarkSpec> benchmarks;
  std::vector<BudgetRule> budgets;
  std::optional<std::string> approvals;  // path relative to the config file's folder
  // "max_time": compare's budget for its whole measuring phase, unless --max-time is given.
  std::optional<double> max_time_seconds;
  // "ratio_method": how compare and time reach a comparison's ratio and interval
  // (stats::RatioMethod by its name), unless --ratio-method is given. diff reads it and leaves
  // it be: result files hold no rounds, so their rows are judged by median_ratio.
  std::optional<stats::RatioMethod> ratio_method;
};

// Parses and validates; `origin` names the text in errors. Rejected with file:line:column:
// invalid JSON; a wrong schema; unknown keys (at any level); wrong types; a benchmark with
// none or more than one of command/gbench/file_size; an empty command; a duplicate or
// malformed id; a unit that is not a duration (ns us ms s m h) or size (B KB MB GB KiB MiB GiB)
// or percentage; a `max` whose unit does not fit the metric; a budget with neither or both of
// max and max_regression; a budget whose benchmark glob matches no benchmark; an unknown
// metric or statistic.
// Also rejected: an empty "benchmarks"; duplicate keys in an object; a zero limit or threshold;
// a named metric that a matched benchmark does not measure; a size limit on a gbench benchmark
// or a duration on a file_size one; a size limit without "metric" over both command and
// file_size benchmarks; rules that tie (see BudgetRule). The first error in reading order is
// reported; messages read "FILE:LINE:COL: <what is wrong>; expected <what>".
//
// ConfigUse::diff: `perfguard diff` judges names found in result files, so "benchmarks" may be
// left out. Without it, budget globs are matched against those names when judging, not here:
// a rule's metric is the one it names (any known metric) or each benchmark's primary one; a
// size limit is refused (the files measure times); two rules with the same glob, metric and
// statistic are refused, and between different globs of equal specificity the first in the
// file wins.
enum class ConfigUse { compare, diff };
[[nodiscard]] Config parse_config(std::string_view text, const std::string& origin,
                                  ConfigUse use = ConfigUse::compare);

// Reads the file (UsageError naming it when unreadable) and parses it.
[[nodiscard]] Config load_config(const std::string& path, ConfigUse use = ConfigUse::compare);

// Whether `id` matches the glob ('*', '?'). The whole id must match; case matters; there is
// no escaping and no character class.
[[nodiscard]] bool glob_match(std::string_view glob, std::string_view id) noexcept;

// How specific a glob is, for "the most specific rule wins": a glob without wildcards beats any
// glob with them; among globs, the one with more literal characters wins. Returns the number of
// literal characters, or SIZE_MAX for a glob without wildcards (an exact id).
[[nodiscard]] std::size_t glob_specificity(std::string_view glob) noexcept;

// The metric a benchmark is judged on when a rule names none: wall_time for command,
// real_time for gbench, file_size for file_size.
[[nodiscard]] std::string_view primary_metric(BenchmarkKind kind) noexcept;

// The first metric of the benchmark's "measure", else primary_metric(kind).
[[nodiscard]] std::string_view primary_metric(const BenchmarkSpec& spec) noexcept;

// Whether the benchmark runs under Callgrind: a command measuring instruction counts.
[[nodiscard]] bool uses_callgrind(const BenchmarkSpec& spec) noexcept;

// The metrics the benchmark's runs yield, primary first: "measure" in order, then what the
// runs give anyway (a native command always yields wall_time, user_time, sys_time and max_rss;
// Callgrind always counts instructions; estimated_cycles only when asked for, since its cache
// simulation makes runs slower).
[[nodiscard]] std::vector<std::string> measured_metrics(const BenchmarkSpec& spec);
[[nodiscard]] bool measures(const BenchmarkSpec& spec, std::string_view metric);

// instructions and estimated_cycles: exact counts under Callgrind, written with k, M, G.
[[nodiscard]] bool is_count_metric(std::string_view metric) noexcept;

[[nodiscard]] std::string_view to_string(Statistic statistic) noexcept;
// The quantile a statistic is (median 0.5, p90 0.90, p95 0.95, p99 0.99); nullopt for mean and
// max, which are none. The one statistic -> quantile map: budgets and run planning use it.
[[nodiscard]] std::optional<double> quantile_of(Statistic statistic) noexcept;

}  // namespace perfguard::budgets
