#pragma once
// What every gating command (diff, compare) leaves behind: the artifacts in the output
// folder, and a short summary for the terminal.
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"
#include "reports/html.hpp"

namespace perfguard::pipeline {

// Writes perf_comparison.json, budget_summary.json, perf_comparison.md, junit.xml and
// index.html into `dir` (created if needed), each atomically. A failing gate writes them too,
// saying why. `samples` are the runs index.html plots (sample_series() in
// pipeline/sample_series.hpp); without them it draws each side's summary.
void write_gate_artifacts(const std::filesystem::path& dir, const budgets::GateResult& gate,
                          const reports::ArtifactContext& context,
                          std::span<const reports::SampleSeries> samples = {});

// Removes the reports a previous run left in `dir` -- the JSON pair `check` reads first --
// so that a run which fails or is interrupted before writing its own cannot leave a passing
// gate behind. Throws ExecutionError (naming the file and errno) when one cannot be removed.
void invalidate_gate_artifacts(const std::filesystem::path& dir);

// How the one failure of such a run begins: "the run did not finish: interrupted by SIGINT ...".
inline constexpr std::string_view kUnfinishedFailure = "the run did not finish: ";

// The artifacts of a run that ended before its gate was judged (an error, an interrupt): a
// failing gate whose one failure is `why`, exiting with `exit_code`. Best effort and never
// throws: the pair was removed at the start, so if these cannot be written either, `check`
// fails on their absence.
void write_unfinished_artifacts(const std::filesystem::path& dir,
                                const reports::ArtifactContext& context, const std::string& why,
                                int exit_code) noexcept;

// "gate passed" / "gate FAILED", one line per failure and warning, and where the reports are.
void print_gate_summary(std::ostream& out, const budgets::GateResult& gate,
                        const std::filesystem::path& dir);

}  // namespace perfguard::pipeline
