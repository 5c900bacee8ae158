// perfguard history [--history PATH|URL | --csv FILE] [--benchmark GLOB] [--metric M]
// [--since DATE] [--out DIR] [--json] [--fail-on-regression]: the change points of the nightly series
// (docs/history.md).
#include <iostream>
#include <memory>
#include <string>

#include "guard/commands.hpp"
#include "history/change_report.hpp"

namespace perfguard::guard {

Command add_history_command(CLI::App& app) {
  auto request = std::make_shared<history::HistoryRequest>();
  CLI::App* sub = app.add_subcommand(
      "history", "Find the steps in every benchmark's nightly series of medians");
  sub->add_option("--history", request->history,
                  "The history store: a SQLite file or a postgresql:// URL (default " +
                      std::string(history::kDefaultHistoryPath) + ")");
  sub->add_option("--csv", request->csv,
                  "Analyse a CSV file instead: columns time, commit, then one per metric");
  sub->add_option("--benchmark", request->filter.benchmark_glob, "Only benchmarks matching GLOB");
  sub->add_option("--metric", request->filter.metric, "Only this metric");
  sub->add_option("--since", request->filter.since,
                  "Only runs recorded on or after DATE (YYYY-MM-DD or RFC 3339 UTC)");
  sub->add_option("--out", request->out,
                  "Also write history.html, a trend plot per series, into this folder");
  sub->add_flag("--json", request->json, "Write JSON (schema perfguard.history.v1)");
  sub->add_flag("--fail-on-regression", request->fail_on_regression,
                "Exit 1 when a step is a regression beyond its threshold");
  return {sub, [request] { return history::history_report(*request, std::cout); }};
}

}  // namespace perfguard::guard
