// --shard: parsing the flag, the assignment of benchmarks to shards, the budgets each shard
// keeps, and the costs a previous run's journal gives (docs/scale-out.md).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pipeline/selection.hpp"
#include "tests/support/temp_dir.hpp"

namespace perfguard::pipeline {
namespace {

TEST(ParseShard, ReadsIndexAndCount) {
  const Shard shard = parse_shard("--shard", "2/3");
  EXPECT_EQ(shard.index, 2U);
  EXPECT_EQ(shard.count, 3U);
  EXPECT_EQ(parse_shard("--shard", "1/1").count, 1U);
}

TEST(ParseShard, BadValuesAreOneLineNamingTheFlag) {
  for (const char* text : {"0/3", "4/3", "a/b", "1/0", "3", "/3", "1/", "-1/3", "1/3/5", " 1/3",
                           "1/+3", "99999999999999999999999/3"}) {
    try {
      (void)parse_shard("--shard", text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const UsageError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(std::string("--shard ") + text + ": ", 0), 0U) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
      EXPECT_EQ(e.exit_code(), kExitUsage);
    }
  }
}

// Without costs, ids sorted by name are dealt out in turn (worked by hand: a b c d e -> 1 2 3
// 1 2), whatever order the config lists them in.
TEST(AssignShards, ByCountDealsSortedIdsInTurn) {
  const std::vector<std::string> ids = {"d", "b", "e", "a", "c"};
  const std::vector<std::size_t> shard = assign_shards(ids, {}, 3);
  EXPECT_EQ(shard, (std::vector<std::size_t>{1, 2, 2, 1, 3}));
}

// Longest processing time first, worked by hand for costs a=5 b=4 c=3 d=3 e=2 on 2 shards:
// a->1 (5), b->2 (4), c->2 (7), d->1 (8), e->2 (9).
TEST(AssignShards, ByCostIsLongestProcessingTimeFirst) {
  const std::vector<std::string> ids = {"e", "d", "c", "b", "a"};
  const std::map<std::string, double> costs = {
      {"a", 5.0}, {"b", 4.0}, {"c", 3.0}, {"d", 3.0}, {"e", 2.0}};
  EXPECT_EQ(assign_shards(ids, costs, 2), (std::vector<std::size_t>{2, 1, 2, 2, 1}));
}

// A cost missing for one id (a benchmark added since the previous run) balances by count: a
// mix of known and guessed costs would not be balanced either way.
TEST(AssignShards, IncompleteCostsFallBackToCount) {
  const std::vector<std::string> ids = {"a", "b", "c", "d"};
  EXPECT_EQ(assign_shards(ids, {{"a", 9.0}, {"b", 1.0}, {"c", 1.0}}, 2), assign_shards(ids, {}, 2));
}

// Every id is in exactly one shard, and the same ids in any order get the same shards.
TEST(AssignShards, EveryIdInExactlyOneShardWhateverTheOrder) {
  std::vector<std::string> ids;
  std::map<std::string, double> costs;
  for (int i = 0; i < 23; ++i) {
    ids.push_back("bench" + std::to_string(i));
    costs[ids.back()] = 1.0 + (i * 7) % 5;
  }
  for (const std::size_t count : {1U, 2U, 3U, 5U, 23U, 30U}) {
    for (const auto& given : {std::map<std::string, double>{}, costs}) {
      const std::vector<std::size_t> forward = assign_shards(ids, given, count);
      std::vector<std::string> reversed(ids.rbegin(), ids.rend());
      const std::vector<std::size_t> backward = assign_shards(reversed, given, count);
      std::vector<std::size_t> per_shard(count + 1, 0);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        ASSERT_GE(forward[i], 1U);
        ASSERT_LE(forward[i], count);
        ++per_shard[forward[i]];
        EXPECT_EQ(forward[i], backward[ids.size() - 1 - i]) << ids[i];
      }
      // By count the shards differ by at most one benchmark.
      if (given.empty() && count <= ids.size()) {
        const auto [lo, hi] = std::minmax_element(per_shard.begin() + 1, per_shard.end());
        EXPECT_LE(*hi - *lo, 1U) << count;
      }
    }
  }
}

budgets::BenchmarkSpec spec(const std::string& id) {
  budgets::BenchmarkSpec s;
  s.id = id;
  return s;
}

budgets::BudgetRule rule(const std::string& benchmark, std::size_t line) {
  budgets::BudgetRule r;
  r.benchmark = benchmark;
  r.max_regression = 0.1;
  r.location = {"perfguard.json", line, 5};
  return r;
}

// Each shard keeps the budgets of its own benchmarks ("*" in all of them, a case's budget with
// the binary that has the case) and records the rest as skipped.
TEST(SelectShard, KeepsTheBudgetsOfItsBenchmarks) {
  const std::vector<budgets::BenchmarkSpec> selected = {spec("a"), spec("b"), spec("micro")};
  const std::vector<budgets::BudgetRule> rules = {rule("*", 10), rule("a", 11),
                                                  rule("micro/BM_x", 12), rule("b", 13)};
  // By count: a -> 1, b -> 2, micro -> 1.
  const ShardSelection first = select_shard(selected, rules, {1, 2}, {});
  ASSERT_EQ(first.selected.size(), 2U);
  EXPECT_EQ(first.record.benchmarks, (std::vector<std::string>{"a", "micro"}));
  ASSERT_EQ(first.rules.size(), 3U);
  EXPECT_EQ(first.rules[2].benchmark, "micro/BM_x");
  EXPECT_EQ(first.record.skipped_budgets, (std::vector<std::string>{"perfguard.json:13:5"}));
  EXPECT_EQ(first.record.balanced_by, "count");
  EXPECT_EQ(first.record.selection, (std::vector<std::string>{"a", "b", "micro"}));
  const ShardSelection second = select_shard(selected, rules, {2, 2}, {});
  EXPECT_EQ(second.record.benchmarks, (std::vector<std::string>{"b"}));
  EXPECT_EQ(second.record.skipped_budgets,
            (std::vector<std::string>{"perfguard.json:11:5", "perfguard.json:12:5"}));
  EXPECT_EQ(select_shard(selected, rules, {1, 2}, {{"a", 1.0}, {"b", 2.0}, {"micro", 3.0}})
                .record.balanced_by,
            "previous_run");
}

// More shards than benchmarks: the extra shards measure nothing, and say so.
TEST(SelectShard, AShardMayBeEmpty) {
  const ShardSelection third = select_shard({spec("a"), spec("b")}, {rule("*", 3)}, {3, 3}, {});
  EXPECT_TRUE(third.selected.empty());
  EXPECT_TRUE(third.rules.empty());
}

// Costs: the seconds of every run (warmups too) by benchmark, from wall_time, or real_time for
// a Google Benchmark run; summed by hand from the lines below.
TEST(PreviousCosts, SumsEachBenchmarksRunTimes) {
  const tests::TempDir dir;
  const auto line = [](const std::string& benchmark, const std::string& variant, bool warmup,
                       const std::string& samples) {
    return R"({"schema":"perfguard.samples.v1","benchmark":")" + benchmark + R"(","variant":")" +
           variant + R"(","run":0,"warmup":)" + (warmup ? "true" : "false") + R"(,"samples":)" +
           samples + R"(,"failures":[]})" + "\n";
  };
  const std::string timed =
      R"([{"metric":"wall_time","unit":"s","value":0.5},{"metric":"user_time","unit":"s","value":0.25}])";
  const std::string gbench =
      R"([{"case":"BM_a","metric":"real_time","unit":"s","value":0.001},{"case":"BM_a","metric":"cpu_time","unit":"s","value":0.002},{"case":"BM_b","metric":"real_time","unit":"s","value":0.003}])";
  dir.write("samples.jsonl",
            line("tool", "base", true, timed) + line("tool", "base", false, timed) +
                line("tool", "candidate", false, timed) + line("micro", "base", false, gbench));
  const std::map<std::string, double> costs = previous_costs(dir.path() / "samples.jsonl");
  ASSERT_EQ(costs.size(), 4U);
  EXPECT_DOUBLE_EQ(costs.at("tool"), 1.5);
  EXPECT_DOUBLE_EQ(costs.at("micro"), 0.004);
  EXPECT_DOUBLE_EQ(costs.at("micro/BM_a"), 0.001);
  EXPECT_DOUBLE_EQ(costs.at("micro/BM_b"), 0.003);
  EXPECT_TRUE(previous_costs(dir.path() / "absent.jsonl").empty());
  dir.write("broken.jsonl", "{not json\n");
  EXPECT_TRUE(previous_costs(dir.path() / "broken.jsonl").empty());
}

// One Google Benchmark binary as the whole selection: its cases are sharded, a complexity
// family's cases together. Groups by name: micro/BM_Sort, micro/BM_a, micro/BM_b -> shards 1 2 1.
TEST(SelectCaseShard, SplitsCasesKeepingFamiliesTogether) {
  budgets::BenchmarkSpec micro = spec("micro");
  micro.kind = budgets::BenchmarkKind::gbench;
  EXPECT_TRUE(shards_cases({micro}, {1, 2}));
  EXPECT_FALSE(shards_cases({micro}, {1, 1}));
  EXPECT_FALSE(shards_cases({micro, spec("tool")}, {1, 2}));
  // Both sides' lists, joined: a case both have appears twice.
  const std::vector<std::string> cases = {"BM_Sort/8", "BM_Sort/64", "BM_Sort/512", "BM_a",
                                          "BM_b",      "BM_Sort/8",  "BM_a"};
  const std::vector<budgets::BudgetRule> rules = {rule("*", 2), rule("micro/BM_a", 3)};
  const ShardSelection first = select_case_shard(micro, cases, rules, {1, 2}, {});
  EXPECT_EQ(first.record.benchmarks,
            (std::vector<std::string>{"micro/BM_Sort/512", "micro/BM_Sort/64", "micro/BM_Sort/8",
                                      "micro/BM_b"}));
  ASSERT_EQ(first.selected.size(), 1U);
  EXPECT_EQ(first.selected[0].filter, "^BM_Sort/8$|^BM_Sort/64$|^BM_Sort/512$|^BM_b$");
  EXPECT_EQ(first.record.skipped_budgets, (std::vector<std::string>{"perfguard.json:3:5"}));
  const ShardSelection second = select_case_shard(micro, cases, rules, {2, 2}, {});
  EXPECT_EQ(second.record.benchmarks, (std::vector<std::string>{"micro/BM_a"}));
  EXPECT_EQ(second.record.selection,
            (std::vector<std::string>{"micro/BM_Sort/512", "micro/BM_Sort/64", "micro/BM_Sort/8",
                                      "micro/BM_a", "micro/BM_b"}));
  EXPECT_EQ(second.selected[0].filter, "^BM_a$");
  EXPECT_EQ(second.rules.size(), 2U);
  // More shards than groups: the last selects nothing, so it runs nothing.
  const ShardSelection fourth = select_case_shard(micro, cases, rules, {4, 4}, {});
  EXPECT_TRUE(fourth.selected.empty());
  EXPECT_TRUE(fourth.record.benchmarks.empty());
  // Costs by case, summed per family: BM_Sort 6, BM_a 5, BM_b 2 -> 1, 2, 2 (by hand, LPT).
  const ShardSelection costed = select_case_shard(micro, cases, rules, {2, 2},
                                                  {{"micro/BM_Sort/8", 1.0},
                                                   {"micro/BM_Sort/64", 2.0},
                                                   {"micro/BM_Sort/512", 3.0},
                                                   {"micro/BM_a", 5.0},
                                                   {"micro/BM_b", 2.0}});
  EXPECT_EQ(costed.record.benchmarks, (std::vector<std::string>{"micro/BM_a", "micro/BM_b"}));
  EXPECT_EQ(costed.record.balanced_by, "previous_run");
}

TEST(ConfigDigest, IsFnv1aOfTheText) {
  // FNV-1a 64 of "" is the offset basis; of "a" the published test vector af63dc4c8601ec8c.
  EXPECT_EQ(config_digest(""), "cbf29ce484222325");
  EXPECT_EQ(config_digest("a"), "af63dc4c8601ec8c");
}

}  // namespace
}  // namespace perfguard::pipeline
