#pragma once
// `perfguard merge`: the shards of one gate (`perfguard compare --shard I/N`, each in its own
// folder, perhaps from different hosts) joined into one gate with the same artifacts
// (docs/scale-out.md). The verdicts are judged again over the shards' runs together, by the
// same rules and budgets as an unsharded run (budgets::judge), so a budget or a complexity
// family is judged over every benchmark however the shards split them.
#include <chrono>
#include <filesystem>
#include <vector>

#include "budgets/verdict.hpp"

namespace perfguard::pipeline {

struct MergeRequest {
  std::vector<std::filesystem::path> shards;  // the folders, one per shard, in any order
  std::filesystem::path out;
  std::filesystem::path config;  // the config the shards were measured with (its digest must match)
  std::chrono::year_month_day today{};  // approvals are judged on this date
};

// Reads every shard's perf_comparison.json (checked against its schema) and samples.jsonl,
// refuses (UsageError, exit 2, naming the folder) shards of different commits, configs,
// judgement settings or shard counts, a shard given twice, a missing shard, a benchmark two
// shards measured, and a config that is not the shards'. Then judges the joined runs and writes
// the gate's artifacts into request.out, with the joined samples.jsonl; each row records the
// host it was measured on. A shard whose run did not finish fails the merged gate, saying so.
// What --out held before goes first, so a refused merge leaves no passing gate behind.
[[nodiscard]] budgets::GateResult merge(const MergeRequest& request);

}  // namespace perfguard::pipeline
