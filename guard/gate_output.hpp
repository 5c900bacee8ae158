#pragma once
// What every gating command (diff, compare) leaves behind: the artifacts in the output
// folder, and a short summary for the terminal.
#include <filesystem>
#include <iosfwd>
#include <span>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"
#include "reports/html.hpp"

namespace perfguard::guard {

// Writes perf_comparison.json, budget_summary.json, perf_comparison.md, junit.xml and
// index.html into `dir` (created if needed), each atomically. A failing gate writes them too,
// saying why. `samples` are the runs index.html plots (sample_series() in
// guard/sample_series.hpp); without them it draws each side's summary.
void write_gate_artifacts(const std::filesystem::path& dir, const budgets::GateResult& gate,
                          const reports::ArtifactContext& context,
                          std::span<const reports::SampleSeries> samples = {});

// "gate passed" / "gate FAILED", one line per failure and warning, and where the reports are.
void print_gate_summary(std::ostream& out, const budgets::GateResult& gate,
                        const std::filesystem::path& dir);

}  // namespace perfguard::guard
