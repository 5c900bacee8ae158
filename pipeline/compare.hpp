#pragma once
// `perfguard compare` without its command line: refs -> worktrees -> builds -> settle -> plan ->
// schedule -> measurements -> verdicts -> artifacts (docs/design.md, "The pipeline").
// git and processes come in through CompareIo, so a test can drive it all with fakes.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "budgets/verdict.hpp"
#include "harness/process_runner.hpp"
#include "harness/schedule.hpp"
#include "pipeline/compare_plan.hpp"
#include "pipeline/selection.hpp"
#include "pipeline/vcs.hpp"

namespace perfguard::pipeline {

// compare's runs per side (N) when --max-runs is not given. Replaying rounds recorded with
// memory-hungry neighbours (bench/detection/README.md, "Paired rounds"), N = 120 instead of 60
// took the red gates on identical code from 40.4% to 0% on one recording and from 75.4% to
// 13.2% on another, and the +10% slowdowns found from 95.3% to 100% and 72.8% to 100%, while
// clear cases still stopped at the first look (10 runs); N = 240 spent so little alpha at the
// early looks that clear cases stopped later (15 runs). N is fixed before the first look,
// never grown with the data: the looks spend alpha over the fraction runs / N
// (harness/schedule.hpp).
inline constexpr std::size_t kDefaultMaxRuns = 120;
// With a time budget (--max-time or the config's "max_time") and no --max-runs, N is what the
// budget holds at the pace of the warmups, at least this and at most kDefaultMaxRuns: a budget
// too short for kDefaultMaxRuns rounds gives its early looks a larger share of alpha.
inline constexpr std::size_t kMinBudgetPlannedRuns = 60;

// What compare is asked, flag values already checked.
struct CompareRequest {
  std::string base;  // refs as the user gave them
  std::string candidate = "HEAD";
  std::filesystem::path repo = ".";             // a folder inside the repository
  std::optional<std::filesystem::path> config;  // default: perfguard.json at the repository top
  std::filesystem::path out = "perfguard-reports";
  std::optional<std::string> only;  // a benchmark glob, or one Google Benchmark case "id/BM_x"
  std::optional<Shard> shard;       // measure one shard of the selection (docs/scale-out.md)
  bool keep_worktrees = false;
  // Continue the interrupted run in `out` (docs/gate.md, "Interrupted runs"): refused (exit 2)
  // unless its run.json matches this run; its journal's runs are taken over.
  bool resume = false;
  // max_runs unset: planned from the time budget when there is one (kMinBudgetPlannedRuns to
  // kDefaultMaxRuns), else kDefaultMaxRuns.
  harness::ScheduleOptions schedule;
  budgets::GateSettings gate;
  PlanOptions plan;
  // --ratio-method: how rows are judged and the stop rule settles. nullopt: the config's
  // "ratio_method", else budgets::kDefaultRatioMethod. It replaces gate.method and
  // plan.ratio_method, and run.json records it.
  std::optional<stats::RatioMethod> ratio_method;
  // Record the run in the history store (docs/history.md, "Recording a run"): at
  // history_location (a SQLite path or a postgresql:// URL), by default
  // <repository top>/.perfguard/history.sqlite. Off unless asked: a caller that measures for
  // another purpose (a replay, a bisect step) leaves the nightly series alone.
  bool record_history = false;
  std::optional<std::string> history_location;
  // The command that replays this comparison, from the repository top and both commits: the
  // command line knows which of its flags a replay carries.
  std::function<std::string(const std::filesystem::path& top, const std::string& base_sha,
                            const std::string& candidate_sha)>
      replay_prefix;
};

// The I/O the pipeline does besides its files. The runner and vcs must outlive the call.
struct CompareIo {
  harness::ProcessRunner* runner = nullptr;
  Vcs* vcs = nullptr;
  // What the interrupt cleanup removes the worktrees with; null: git on a runner of its own
  // (the main one may be busy in a benchmark's run).
  Vcs* cleanup_vcs = nullptr;
  std::ostream* notes = nullptr;  // warnings and notes; std::cerr when null
  bool progress = false;          // a live progress line on stderr
};

// The I/O of a real run: git in a repository and real processes, progress when stderr is a
// terminal. What `compare` and `bisect` without a CompareIo of their own use.
class SystemIo {
 public:
  explicit SystemIo(const std::filesystem::path& repo);
  SystemIo(const SystemIo&) = delete;
  SystemIo& operator=(const SystemIo&) = delete;
  [[nodiscard]] CompareIo io();

 private:
  harness::SystemProcessRunner runner_;
  GitVcs vcs_;
};

// Runs the gate and writes its artifacts into request.out (samples.jsonl, events.jsonl and the
// reports). What --out held before goes first; a failure after the refs resolved leaves a
// failing gate saying why, then rethrows: perfguard::Error for usage (2) and execution (3).
// Then, when asked, the run goes into the history (pipeline/record_history.hpp: a store that
// fails after a passing gate throws history::StoreError, exit 3, the artifacts intact).
[[nodiscard]] budgets::GateResult compare(const CompareRequest& request, CompareIo io);

// The same with git (in request.repo) and real processes.
[[nodiscard]] budgets::GateResult compare(const CompareRequest& request);

}  // namespace perfguard::pipeline
