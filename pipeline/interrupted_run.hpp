#pragma once
// `perfguard report DIR` on a run that ended before its gate was judged (Ctrl-C, a CI timeout,
// SIGKILL): what its journal supports, judged and written as artifacts marked interrupted
// (docs/gate.md, "Interrupted runs"). Every row is inconclusive, saying how far it got
// ("interrupted at 7 runs per side; so far median +1.2% …"), so the gate fails closed.
#include <filesystem>

#include "budgets/verdict.hpp"

namespace perfguard::pipeline {

// Whether `dir` holds an interrupted compare: its run.json and samples.jsonl, and either no
// perf_comparison.json or the one an unfinished run leaves (no rows, "the run did not
// finish: …").
[[nodiscard]] bool is_interrupted_run(const std::filesystem::path& dir);

// Judges the journal of the interrupted run in `dir` by the config and settings its run.json
// recorded, and writes the gate's artifacts there (perf_comparison.json with "interrupted").
// Each benchmark is judged on its complete rounds (both sides equal). UsageError (exit 2)
// when run.json or the journal cannot be read.
budgets::GateResult judge_interrupted_run(const std::filesystem::path& dir);

}  // namespace perfguard::pipeline
