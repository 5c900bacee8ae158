#include "pipeline/record_history.hpp"

#include <ostream>

#include <fmt/format.h>

#include "history/database.hpp"
#include "history/record.hpp"
#include "history/store.hpp"

namespace perfguard::pipeline {

void record_in_history(const std::string& location, const budgets::GateResult& gate,
                       const reports::ArtifactContext& context, const std::string& reports_dir,
                       std::ostream& notes) {
  try {
    history::Store store = history::Store::open(location);
    store.append(history::record_from_gate(gate, context));
  } catch (const history::StoreError& e) {
    // A nightly job that silently stops recording is worse than one that fails loudly; but a
    // failing gate's own exit code says more than the store's.
    if (gate.passed) {
      throw history::StoreError(
          fmt::format("{}; this run is not recorded (the gate passed, its reports are in {})",
                      e.what(), reports_dir));
    }
    notes << fmt::format("perfguard: warning: {}; this run is not recorded\n", e.what());
  }
}

}  // namespace perfguard::pipeline
