#pragma once
// The gate's artifacts (docs/design.md, "Artifacts"): perf_comparison.json, budget_summary.json,
// perf_comparison.md and junit.xml (index.html: reports/html.hpp). One file per format: the JSON
// documents in artifacts_json.cpp, Markdown in markdown.cpp, JUnit in junit.cpp. Writers take
// std::ostream&; guard/ decides where they go and writes files atomically. JSON schemas:
// reports/schema/*.schema.json. Every row, budget and family carries "passes"; the renderers
// read it (reports/json_helpers.hpp, passes_of) and never re-derive which verdicts pass.
#include <array>
#include <cstddef>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "reports/stats_report.hpp"

namespace perfguard::reports {

inline constexpr const char* kPerfComparisonSchema = "perfguard.perf_comparison.v1";
inline constexpr const char* kBudgetSummarySchema = "perfguard.budget_summary.v1";

struct Revision {
  std::string ref;     // as the user named it ("v1.0.0", "HEAD", a file path for diff)
  std::string commit;  // full SHA; "" when unknown (diff of files that do not say)
};

// The machine the samples came from; fields the system would not tell are absent.
struct Host {
  std::string hostname;
  std::string cpu_model;
  unsigned logical_cpus = 0;
  std::vector<int> pinned_cpus;
  std::string kernel;
  std::optional<std::array<double, 3>> load_before;  // 1, 5, 15 minute load averages
  std::optional<std::array<double, 3>> load_after;
  std::optional<std::string> governor;  // cpufreq scaling governor
  std::optional<int> aslr;              // /proc/sys/kernel/randomize_va_space
};

// One shard of a gate run with `--shard I/N` (docs/scale-out.md): which benchmarks it measured.
// `perfguard check` refuses a single shard of several; `perfguard merge` joins them.
struct ShardRecord {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
  std::vector<std::string> benchmarks;       // the config's benchmark ids this shard measured
  std::vector<std::string> selection;        // every id the shards split among them
  std::vector<std::string> skipped_budgets;  // "file:line:column" of budgets other shards judge
  std::string balanced_by = "count";         // "count", or "previous_run" (its samples.jsonl)
  std::string config_digest;                 // of the config file's text
  std::string replay;                        // the replay prefix of this shard's rows
};

// What a narrowed run (`--only`) left out. `perfguard check` fails a partial run unless told
// --allow-partial: a gate over some benchmarks says nothing about the others.
struct Selection {
  bool partial = false;                         // something was left out
  std::optional<std::string> only;              // the --only glob, as given
  std::vector<std::string> skipped_benchmarks;  // benchmarks the glob left out
  std::vector<std::string> skipped_budgets;     // "file:line:column" of budgets left unjudged
  std::optional<ShardRecord> shard;             // a run of one shard (--shard I/N)
};

// What every artifact's header carries, and how to replay one benchmark.
struct ArtifactContext {
  std::string generated_at;  // RFC 3339, UTC
  Host host;
  Revision base;
  Revision candidate;
  budgets::GateSettings settings;
  Selection selection;
  Json extra_settings = Json::object();  // runs, seed, ... as the producing command used them
  // The command that re-runs the comparison; a row's replay adds `--only 'ID'` to it.
  std::string replay_prefix;
  // A gate merged from shards (`perfguard merge`): the host each benchmark (a row's
  // "benchmark", else its "spec") was measured on, written as the row's "host", and the shards
  // it joined, written as settings.merged_shards.
  std::map<std::string, Host> row_hosts;
  Json merged_shards = nullptr;
  // `compare --resume`: {"from_journal": path, "samples_reused": runs taken over}.
  std::optional<Json> resumed;
  // `report` on an interrupted run's journal: {"from_journal": path, "reason": why}.
  std::optional<Json> interrupted;
};

// The replay command of one benchmark: replay_prefix --only 'ID' (shell-quoted).
[[nodiscard]] std::string replay_command(const ArtifactContext& context,
                                         const std::string& benchmark);

[[nodiscard]] Json perf_comparison_json(const budgets::GateResult& gate,
                                        const ArtifactContext& context);
[[nodiscard]] Json budget_summary_json(const budgets::GateResult& gate,
                                       const ArtifactContext& context);

// The renderers read a perf_comparison.json document, so `perfguard report` can re-render
// from the artifact alone.

// A table for a PR comment or CI step summary: failing rows first, the rest collapsed.
void write_markdown(std::ostream& out, const Json& perf_comparison);

// One testcase per benchmark x metric and per budget; rows that do not pass are failures.
void write_junit(std::ostream& out, const Json& perf_comparison);

// Quote for a POSIX shell when needed: plain words stay as they are.
[[nodiscard]] std::string shell_quote(const std::string& word);

}  // namespace perfguard::reports
