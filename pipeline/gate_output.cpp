#include "pipeline/gate_output.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "pipeline/output_files.hpp"

namespace perfguard::pipeline {

namespace {

// The pair `check` reads; written last and removed first.
constexpr std::array<const char*, 2> kGateFiles = {"budget_summary.json", "perf_comparison.json"};
constexpr std::array<const char*, 3> kRenderedFiles = {"perf_comparison.md", "junit.xml",
                                                       "index.html"};

}  // namespace

void write_gate_artifacts(const std::filesystem::path& dir, const budgets::GateResult& gate,
                          const reports::ArtifactContext& context,
                          std::span<const reports::SampleSeries> samples) {
  ensure_directory(dir);
  const reports::Json comparison = reports::perf_comparison_json(gate, context);
  const reports::Json summary = reports::budget_summary_json(gate, context);
  // The rendered reports first and the JSON pair last: a write that fails half-way (a full
  // disk) leaves no pair behind, so `check` cannot pass a run whose reports are incomplete.
  write_file_atomically(dir / "perf_comparison.md",
                        [&](std::ostream& out) { reports::write_markdown(out, comparison); });
  write_file_atomically(dir / "junit.xml",
                        [&](std::ostream& out) { reports::write_junit(out, comparison); });
  write_file_atomically(dir / "index.html", [&](std::ostream& out) {
    reports::write_html(out, comparison, summary, samples);
  });
  write_file_atomically(dir / "budget_summary.json",
                        [&](std::ostream& out) { reports::write_json(out, summary); });
  try {
    write_file_atomically(dir / "perf_comparison.json",
                          [&](std::ostream& out) { reports::write_json(out, comparison); });
  } catch (const Error&) {
    std::error_code ignored;
    std::filesystem::remove(dir / "budget_summary.json", ignored);
    throw;
  }
}

void invalidate_gate_artifacts(const std::filesystem::path& dir) {
  std::vector<const char*> files(kGateFiles.begin(), kGateFiles.end());
  files.insert(files.end(), kRenderedFiles.begin(), kRenderedFiles.end());
  for (const char* name : files) {
    const std::filesystem::path path = dir / name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      throw ExecutionError(fmt::format("cannot remove the previous run's {}: {}", path.string(),
                                       std::strerror(errno)));
    }
  }
}

void write_unfinished_artifacts(const std::filesystem::path& dir,
                                const reports::ArtifactContext& context, const std::string& why,
                                int exit_code) noexcept {
  try {
    budgets::GateResult gate;
    gate.passed = false;
    gate.exit_code = exit_code;
    gate.failures.push_back(std::string(kUnfinishedFailure) + why);
    write_gate_artifacts(dir, gate, context);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "perfguard: warning: could not record in %s why the run failed: %s\n",
                 dir.c_str(), e.what());
  }
}

void print_gate_summary(std::ostream& out, const budgets::GateResult& gate,
                        const std::filesystem::path& dir) {
  std::size_t failing = 0;
  for (const budgets::Row& row : gate.rows) failing += budgets::passes(row.verdict) ? 0 : 1;
  out << fmt::format("perfguard: gate {} (exit {}): {} results, {} failing, {} budgets\n",
                     gate.passed ? "passed" : "FAILED", gate.exit_code, gate.rows.size(), failing,
                     gate.budgets.size());
  for (const std::string& failure : gate.failures) out << "  FAIL " << failure << '\n';
  // Benchmarks only one side has, each name once (a case's metrics share it).
  std::vector<std::string> added;
  std::vector<std::string> removed;
  for (const budgets::Row& row : gate.rows) {
    if (row.verdict != budgets::Verdict::new_ && !row.removed) continue;
    std::vector<std::string>& names = row.removed ? removed : added;
    const std::string name =
        row.benchmark + (row.verdict == budgets::Verdict::approved ? " (removal approved)" : "");
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (!added.empty())
    out << fmt::format("  new  {} only on the candidate: {}\n", added.size(),
                       fmt::join(added, ", "));
  if (!removed.empty())
    out << fmt::format("  gone {} only on the base: {}\n", removed.size(),
                       fmt::join(removed, ", "));
  for (const std::string& warning : gate.warnings) out << "  warn " << warning << '\n';
  out << fmt::format("reports: {} and {}\n", (dir / "index.html").string(),
                     (dir / "perf_comparison.md").string());
}

}  // namespace perfguard::pipeline
