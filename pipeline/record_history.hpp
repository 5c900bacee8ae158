#pragma once
// The last step of compare and diff: what the gate judged goes into the history store
// (docs/history.md, "Recording a run"), after the artifacts are written, so a store that fails
// can neither lose nor change them.
#include <iosfwd>
#include <optional>
#include <string>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::pipeline {

// Appends the gate's run to the store at `location` (a SQLite path or a postgresql:// URL).
// A store that fails (locked, corrupt, unreachable, unwritable) after a passing gate throws
// history::StoreError (exit 3) whose one line says the gate passed and where its reports are;
// after a failing gate it is a warning on `notes` and the gate's own exit code stands.
void record_in_history(const std::string& location, const budgets::GateResult& gate,
                       const reports::ArtifactContext& context, const std::string& reports_dir,
                       std::ostream& notes);

}  // namespace perfguard::pipeline
