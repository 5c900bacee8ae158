#pragma once
// run.json: what a `perfguard compare` run measures, written into --out before its first run.
// `compare --resume` continues an interrupted run only when all of it matches, and `perfguard
// report` judges an interrupted run's journal with it (docs/gate.md, "Interrupted runs").
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/artifacts.hpp"
#include "stats/compare.hpp"

namespace perfguard::pipeline {

inline constexpr std::string_view kRunSchema = "perfguard.run.v1";
inline constexpr const char* kRunFile = "run.json";
inline constexpr const char* kJournalFile = "samples.jsonl";

struct RunIdentity {
  reports::Revision base;  // ref as given, commit resolved
  reports::Revision candidate;
  std::string config_path;
  std::string config_text;    // the config as read: `report` judges an interrupted run by it
  std::string config_digest;  // config_digest(config_text), pipeline/selection.hpp
  std::string build_digest;   // of the build steps (pipeline/builds.hpp)
  // What shapes the runs and their verdicts: runs, time budget, warmups, timeout, CPUs, seed,
  // spending, confidence, threshold, --only. Compared as a whole.
  nlohmann::json settings = nlohmann::json::object();
  reports::Host host;  // hostname, CPU model, logical CPUs, kernel, pinned CPUs are compared
  // N, the runs per side the schedule planned, once it is known (after the warmups): a time
  // budget without --max-runs plans it from the pace, and a resumed run must look at the same
  // fractions of the same N. Not compared.
  std::optional<std::size_t> planned_runs;
};

void write_run_identity(const std::filesystem::path& file, const RunIdentity& identity);

// Reads run.json; UsageError (exit 2) "FILE: <what is wrong>" when absent or malformed.
[[nodiscard]] RunIdentity read_run_identity(const std::filesystem::path& file);

// The ratio method a settings object records (run.json's "settings", or an artifact's):
// its "ratio_method", or the default where it is absent (recorded before the method was).
// UsageError "WHERE: settings.ratio_method X is not one of ..." for any other value.
[[nodiscard]] stats::RatioMethod recorded_ratio_method(const nlohmann::json& settings,
                                                       std::string_view where);

// The first difference between the interrupted run and this one in what is known before the
// builds (commits, config, settings), as one line ("the candidate is commit 1a2b… here, 3c4d…
// in the interrupted run"); nullopt when they match.
[[nodiscard]] std::optional<std::string> plan_mismatch(const RunIdentity& interrupted,
                                                       const RunIdentity& now);

// The same for what is known once both sides are built and the host read: the build steps'
// digest and the host.
[[nodiscard]] std::optional<std::string> build_mismatch(const RunIdentity& interrupted,
                                                        const RunIdentity& now);

}  // namespace perfguard::pipeline
