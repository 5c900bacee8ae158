#pragma once
// What every gating command (diff, compare) leaves behind: the artifacts in the output
// folder, and a short summary for the terminal.
#include <filesystem>
#include <iosfwd>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::guard {

// Writes perf_comparison.json, budget_summary.json, perf_comparison.md and junit.xml into
// `dir` (created if needed), each atomically. A failing gate writes them too, saying why.
void write_gate_artifacts(const std::filesystem::path& dir, const budgets::GateResult& gate,
                          const reports::ArtifactContext& context);

// "gate passed" / "gate FAILED", one line per failure and warning, and where the reports are.
void print_gate_summary(std::ostream& out, const budgets::GateResult& gate, const std::filesystem::path& dir);

}  // namespace perfguard::guard
