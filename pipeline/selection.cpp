#include "pipeline/selection.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>

#include <fmt/format.h>

#include "budgets/families.hpp"
#include "core/error.hpp"
#include "core/fnv1a.hpp"
#include "core/text.hpp"
#include "harness/gbench_runner.hpp"
#include "inputs/samples_journal.hpp"

namespace perfguard::pipeline {

SelectedBudgets budgets_for_selection(const std::vector<budgets::BudgetRule>& rules,
                                      const std::optional<std::string>& only,
                                      const std::vector<std::string>& selected) {
  SelectedBudgets out;
  for (const budgets::BudgetRule& rule : rules) {
    const bool kept = !only || budgets::glob_match(*only, rule.benchmark) ||
                      std::any_of(selected.begin(), selected.end(), [&](const std::string& id) {
                        return budgets::glob_match(rule.benchmark, id);
                      });
    if (kept) {
      out.rules.push_back(rule);
    } else {
      out.skipped.push_back(rule.location.to_string());
    }
  }
  return out;
}

reports::Selection selection_record(const std::optional<std::string>& only,
                                    std::vector<std::string> skipped_benchmarks,
                                    std::vector<std::string> skipped_budgets, bool narrowed_cases) {
  reports::Selection selection;
  selection.only = only;
  selection.partial = only.has_value() &&
                      (narrowed_cases || !skipped_benchmarks.empty() || !skipped_budgets.empty());
  selection.skipped_benchmarks = std::move(skipped_benchmarks);
  selection.skipped_budgets = std::move(skipped_budgets);
  return selection;
}

namespace {

std::optional<std::size_t> whole_number(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Whether a budget's pattern covers benchmark `id` (the config's id) or one of its cases.
bool applies_to(const budgets::BudgetRule& rule, const std::string& id) {
  return budgets::glob_match(rule.benchmark, id) || rule.benchmark.rfind(id + "/", 0) == 0;
}

}  // namespace

Shard parse_shard(const std::string& flag, const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::optional<std::size_t> index =
      slash == std::string::npos ? std::nullopt : whole_number(text.substr(0, slash));
  const std::optional<std::size_t> count =
      slash == std::string::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count) {
    throw UsageError(fmt::format("{} {}: expected I/N, the I-th of N shards (1-based), such as 2/3",
                                 flag, text));
  }
  if (*count == 0)
    throw UsageError(fmt::format("{} {}: the number of shards must be at least 1", flag, text));
  if (*index == 0 || *index > *count) {
    throw UsageError(fmt::format("{} {}: the shard must be from 1 to {} (shards are 1-based)", flag,
                                 text, *count));
  }
  return {*index, *count};
}

std::map<std::string, double> previous_costs(const std::filesystem::path& journal) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(journal, ec)) return {};
  std::vector<inputs::JournalRun> runs;
  try {
    runs = inputs::read_journal_file(journal.string());
  } catch (const Error&) {
    return {};
  }
  std::map<std::string, double> costs;
  for (const inputs::JournalRun& run : runs) {
    const bool timed = std::any_of(run.samples.begin(), run.samples.end(),
                                   [](const auto& s) { return s.metric == "wall_time"; });
    double seconds = 0.0;
    for (const inputs::JournalSample& sample : run.samples) {
      if (sample.metric != (timed ? "wall_time" : "real_time")) continue;
      seconds += sample.value;
      if (!sample.case_name.empty()) costs[run.benchmark + "/" + sample.case_name] += sample.value;
    }
    costs[run.benchmark] += seconds;
  }
  return costs;
}

std::vector<std::size_t> assign_shards(const std::vector<std::string>& ids,
                                       const std::map<std::string, double>& costs,
                                       std::size_t count) {
  const bool costed = std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
    const auto found = costs.find(id);
    return found != costs.end() && found->second > 0.0;
  });
  const auto cost = [&](std::size_t i) { return costed ? costs.at(ids[i]) : 1.0; };
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (cost(a) != cost(b)) return cost(a) > cost(b);
    return ids[a] < ids[b];
  });
  std::vector<double> load(count, 0.0);
  std::vector<std::size_t> shard_of(ids.size(), 1);
  for (const std::size_t i : order) {
    const auto lightest = std::min_element(load.begin(), load.end());
    *lightest += cost(i);
    shard_of[i] = static_cast<std::size_t>(lightest - load.begin()) + 1;
  }
  return shard_of;
}

ShardSelection select_shard(const std::vector<budgets::BenchmarkSpec>& selected,
                            const std::vector<budgets::BudgetRule>& rules, const Shard& shard,
                            const std::map<std::string, double>& costs) {
  std::vector<std::string> ids;
  for (const budgets::BenchmarkSpec& spec : selected) ids.push_back(spec.id);
  const std::vector<std::size_t> shard_of = assign_shards(ids, costs, shard.count);
  ShardSelection out;
  out.record.index = shard.index;
  out.record.count = shard.count;
  out.record.balanced_by =
      std::all_of(ids.begin(), ids.end(),
                  [&](const std::string& id) { return costs.contains(id) && costs.at(id) > 0.0; })
          ? "previous_run"
          : "count";
  out.record.selection = ids;
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (shard_of[i] != shard.index) continue;
    out.selected.push_back(selected[i]);
    out.record.benchmarks.push_back(selected[i].id);
  }
  for (const budgets::BudgetRule& rule : rules) {
    const auto covers = [&](const std::vector<std::string>& of) {
      return std::any_of(of.begin(), of.end(),
                         [&](const std::string& id) { return applies_to(rule, id); });
    };
    if (covers(out.record.benchmarks)) {
      out.rules.push_back(rule);
    } else {
      out.record.skipped_budgets.push_back(rule.location.to_string());
    }
  }
  return out;
}

bool shards_cases(const std::vector<budgets::BenchmarkSpec>& selected, const Shard& shard) {
  return shard.count > 1 && selected.size() == 1 &&
         selected.front().kind == budgets::BenchmarkKind::gbench;
}

ShardSelection select_case_shard(const budgets::BenchmarkSpec& spec,
                                 const std::vector<std::string>& cases,
                                 const std::vector<budgets::BudgetRule>& rules, const Shard& shard,
                                 const std::map<std::string, double>& costs) {
  // One group per complexity family, a case of no family alone; costs summed over the group.
  std::map<std::string, std::vector<std::string>> groups;
  for (const std::string& name : cases) {
    const std::string id = spec.id + "/" + name;
    const std::optional<budgets::FamilyKey> family = budgets::family_key(id);
    std::vector<std::string>& members = groups[family ? family->family : id];
    if (std::find(members.begin(), members.end(), name) == members.end()) members.push_back(name);
  }
  std::vector<std::string> keys;
  std::map<std::string, double> group_costs;
  for (const auto& [key, members] : groups) {
    keys.push_back(key);
    double cost = 0.0;
    bool known = true;
    for (const std::string& name : members) {
      const auto found = costs.find(spec.id + "/" + name);
      known = known && found != costs.end();
      if (found != costs.end()) cost += found->second;
    }
    if (known) group_costs[key] = cost;
  }
  const std::vector<std::size_t> shard_of = assign_shards(keys, group_costs, shard.count);
  ShardSelection out;
  out.record.index = shard.index;
  out.record.count = shard.count;
  out.record.balanced_by = group_costs.size() == keys.size() && !keys.empty() &&
                                   std::all_of(group_costs.begin(), group_costs.end(),
                                               [](const auto& g) { return g.second > 0.0; })
                               ? "previous_run"
                               : "count";
  for (const auto& [key, members] : groups) {
    for (const std::string& name : members) out.record.selection.push_back(spec.id + "/" + name);
  }
  std::sort(out.record.selection.begin(), out.record.selection.end());
  std::vector<std::string> filters;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (shard_of[i] != shard.index) continue;
    for (const std::string& name : groups.at(keys[i])) {
      out.record.benchmarks.push_back(spec.id + "/" + name);
      filters.push_back(harness::exact_filter(name));
    }
  }
  std::sort(out.record.benchmarks.begin(), out.record.benchmarks.end());
  if (!filters.empty()) {
    budgets::BenchmarkSpec narrowed = spec;
    narrowed.filter = join(filters, "|");
    out.selected.push_back(std::move(narrowed));
  }
  for (const budgets::BudgetRule& rule : rules) {
    const bool names_cases = rule.benchmark.rfind(spec.id + "/", 0) == 0;
    const bool kept =
        !out.selected.empty() &&
        (!names_cases || std::any_of(out.record.benchmarks.begin(), out.record.benchmarks.end(),
                                     [&](const std::string& id) {
                                       return budgets::glob_match(rule.benchmark, id);
                                     }));
    if (kept) {
      out.rules.push_back(rule);
    } else {
      out.record.skipped_budgets.push_back(rule.location.to_string());
    }
  }
  return out;
}

std::string config_digest(const std::string& config_text) {
  return fmt::format("{:016x}", fnv1a(config_text));
}

}  // namespace perfguard::pipeline
