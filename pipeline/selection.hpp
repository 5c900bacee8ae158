#pragma once
// What `--only` and `--shard` leave out of a gate, recorded in the artifacts so that
// `perfguard check` can tell a narrowed run or a single shard from a complete gate
// (docs/scale-out.md).
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "budgets/config.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::pipeline {

struct SelectedBudgets {
  std::vector<budgets::BudgetRule> rules;  // the budgets the narrowed gate judges
  std::vector<std::string> skipped;        // where each left-out budget is ("file:line:column")
};

// Without --only every budget is kept (one that names nothing measured fails the gate as
// `missing`). With it, a budget is kept when it applies to a selected benchmark or when
// the --only glob matches the budget's own benchmark pattern; the rest are skipped.
[[nodiscard]] SelectedBudgets budgets_for_selection(const std::vector<budgets::BudgetRule>& rules,
                                                    const std::optional<std::string>& only,
                                                    const std::vector<std::string>& selected);

// The selection record: partial when --only left out a benchmark or a budget, or narrowed
// a benchmark to some of its cases (`narrowed_cases`).
[[nodiscard]] reports::Selection selection_record(const std::optional<std::string>& only,
                                                  std::vector<std::string> skipped_benchmarks,
                                                  std::vector<std::string> skipped_budgets,
                                                  bool narrowed_cases);

// ---- Shards (docs/scale-out.md) -------------------------------------------------------------

// `--shard I/N`: the I-th of N shards, 1-based.
struct Shard {
  std::size_t index = 1;
  std::size_t count = 1;
};

// "2/3" -> {2, 3}; throws UsageError naming `flag` unless both are whole numbers with
// 1 <= I <= N.
[[nodiscard]] Shard parse_shard(const std::string& flag, const std::string& text);

// The expected cost of each benchmark, in seconds, from a previous run's samples.jsonl: the sum
// of its runs' wall_time (a process's run time), or of their real_time where a run has no
// wall_time (a Google Benchmark case's time per iteration: a lower bound). Warmups count: they
// take time too. A Google Benchmark case has its own entry too, "spec/case". Empty when the journal is absent or does not parse (the caller then balances
// by count).
[[nodiscard]] std::map<std::string, double> previous_costs(const std::filesystem::path& journal);

// Which shard (1-based) each of `ids` goes to, in the order given. Deterministic: the same ids
// and costs give the same answer on every host. When every id has a positive cost, greedy
// longest-processing-time: ids by cost descending (ties by id), each to the shard with the
// least cost so far (ties: the lowest index). Otherwise every id costs 1, which sorts them by id
// and deals them out in turn: the k-th id by name goes to shard (k mod N) + 1.
[[nodiscard]] std::vector<std::size_t> assign_shards(const std::vector<std::string>& ids,
                                                     const std::map<std::string, double>& costs,
                                                     std::size_t count);

// Narrows `selected` to the benchmarks of `shard` and keeps the budgets that apply to one of
// them (the config refuses a budget that applies to none); the other shards judge the rest.
// `costs` balance the shards when they cover every selected benchmark (assign_shards).
struct ShardSelection {
  std::vector<budgets::BenchmarkSpec> selected;
  std::vector<budgets::BudgetRule> rules;
  reports::ShardRecord record;  // without config_digest and replay: the caller knows those
};
[[nodiscard]] ShardSelection select_shard(const std::vector<budgets::BenchmarkSpec>& selected,
                                          const std::vector<budgets::BudgetRule>& rules,
                                          const Shard& shard,
                                          const std::map<std::string, double>& costs);

// Whether the shards split the cases of one Google Benchmark binary rather than benchmarks:
// when that binary is the whole selection and there are N > 1 shards.
[[nodiscard]] bool shards_cases(const std::vector<budgets::BenchmarkSpec>& selected,
                                const Shard& shard);

// The shard's part of one Google Benchmark binary, once its cases are known (the union of what
// both sides list): cases of one complexity family (budgets::family_key) stay together, and
// the groups are assigned as assign_shards assigns benchmarks (costs: a previous run's, by
// case id "spec/case"). `spec.filter` becomes an exact match of the shard's cases; a shard
// with no case selects nothing. The record lists the case ids; a budget naming cases
// ("spec/BM_x*") is kept when it applies to one of them, the others always.
[[nodiscard]] ShardSelection select_case_shard(const budgets::BenchmarkSpec& spec,
                                               const std::vector<std::string>& cases,
                                               const std::vector<budgets::BudgetRule>& rules,
                                               const Shard& shard,
                                               const std::map<std::string, double>& costs);

// A digest of the config file's text (FNV-1a, 64 bits, hex), which every shard of one gate must
// share: `perfguard merge` refuses shards measured under different configs.
[[nodiscard]] std::string config_digest(const std::string& config_text);

}  // namespace perfguard::pipeline
