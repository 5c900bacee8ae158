// perfguard merge DIR... --out DIR: the shards of one gate (compare --shard I/N) joined into one
// gate. The flags become a pipeline::MergeRequest; pipeline/merge.hpp does the rest.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "budgets/approvals.hpp"
#include "guard/commands.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/merge.hpp"

namespace perfguard::guard {
namespace {

struct MergeOptions {
  std::vector<std::string> shards;
  std::string out;
  std::string config = "perfguard.json";
};

int run_merge(const MergeOptions& options) {
  pipeline::MergeRequest request;
  for (const std::string& dir : options.shards) request.shards.emplace_back(dir);
  request.out = options.out;
  request.config = options.config;
  request.today = budgets::today_utc();
  const budgets::GateResult gate = pipeline::merge(request);
  pipeline::print_gate_summary(std::cout, gate, request.out);
  return gate.exit_code;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* sub = app.add_subcommand(
      "merge", "Join the shards of one gate (compare --shard I/N) into one gate");
  sub->footer(
      "Each DIR is one shard's --out folder (perf_comparison.json and samples.jsonl). Every "
      "shard\n"
      "must be there exactly once, of the same base and candidate commits, config and settings;\n"
      "otherwise merge refuses, naming the folder (exit 2). The verdicts and budgets are judged\n"
      "again over the joined runs, each row keeping the host it was measured on, and --out gets\n"
      "the same reports as compare (and the joined samples.jsonl). Approvals are judged as of "
      "today.\n"
      "Exit 0 gate passed, 1 gate failed, 2 refused or unreadable input, 3 a benchmark failed "
      "or\n"
      "the reports could not be written. See docs/scale-out.md.");
  sub->add_option("DIR", options->shards, "The shards' folders, one per shard, in any order")
      ->required();
  sub->add_option("--out", options->out, "Folder for the merged gate's reports")->required();
  sub->add_option("--config", options->config,
                  "The config the shards were measured with (its digest must match theirs)")
      ->default_str("perfguard.json");
  return {sub, [options] { return run_merge(*options); }};
}

}  // namespace perfguard::guard
