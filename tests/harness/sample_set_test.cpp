// Grouping runs into SampleSets: order, warmups, cases, and where failures go.
#include <vector>

#include <gtest/gtest.h>

#include "harness/sample_set.hpp"

namespace perfguard::harness {
namespace {

RunRecord run(std::string variant, std::size_t index, std::vector<Observation> observations,
              std::vector<CaseFailure> failures = {}, bool warmup = false) {
  return {"bench",
          std::move(variant),
          index,
          warmup,
          {std::move(observations), std::move(failures), std::nullopt}};
}

TEST(SampleSetId, JoinsCaseWithASlash) {
  EXPECT_EQ(sample_set_id("micro", ""), "micro");
  EXPECT_EQ(sample_set_id("micro", "BM_parse/64"), "micro/BM_parse/64");
}

TEST(CollectSampleSets, GroupsValuesInRunOrderAndSkipsWarmups) {
  const std::vector<RunRecord> runs{
      run("a", 0, {{"", "wall_time", "s", 9.0, ""}}, {}, /*warmup=*/true),
      run("a", 0, {{"", "wall_time", "s", 1.0, ""}, {"", "max_rss", "bytes", 10.0, ""}}),
      run("b", 0, {{"", "wall_time", "s", 2.0, ""}}),
      run("a", 1, {{"", "wall_time", "s", 3.0, ""}, {"", "max_rss", "bytes", 30.0, ""}}),
  };
  const std::vector<SampleSet> sets = collect_sample_sets(runs);
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[0].metric, "wall_time");
  EXPECT_EQ(sets[0].variant, "a");
  EXPECT_EQ(sets[0].values, (std::vector<double>{1.0, 3.0}));
  EXPECT_EQ(sets[1].metric, "max_rss");
  EXPECT_EQ(sets[1].unit, "bytes");
  EXPECT_EQ(sets[2].variant, "b");
  EXPECT_EQ(find_sample_set(sets, "bench", "b", "max_rss"), nullptr);
}

TEST(CollectSampleSets, FailuresGoToEveryMetricOfTheirVariant) {
  const std::vector<RunRecord> runs{
      run("a", 0, {{"", "wall_time", "s", 1.0, ""}}),
      run("a", 1, {}, {{"", "exit 3"}}),
      run("a", 2, {{"", "user_time", "s", 1.0, ""}}),
  };
  const std::vector<SampleSet> sets = collect_sample_sets(runs);
  ASSERT_EQ(sets.size(), 2u);
  for (const SampleSet& set : sets) {
    ASSERT_EQ(set.failures.size(), 1u) << set.metric;
    EXPECT_EQ(set.failures[0].run, 1u);
    EXPECT_EQ(set.failures[0].reason, "exit 3");
  }
}

TEST(CollectSampleSets, FailureBeforeAnyValueHasASetOfItsOwn) {
  const std::vector<SampleSet> sets =
      collect_sample_sets(std::vector<RunRecord>{run("a", 0, {}, {{"", "timeout after 5s"}})});
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].metric, "");
  EXPECT_TRUE(sets[0].values.empty());
  EXPECT_EQ(sets[0].failures[0].reason, "timeout after 5s");
}

TEST(CollectSampleSets, CasesAreBenchmarksOfTheirOwn) {
  const std::vector<RunRecord> runs{run("base", 0,
                                        {{"BM_a", "real_time", "s", 1.0, ""},
                                         {"BM_b", "real_time", "s", 2.0, ""},
                                         {"BM_a", "real_time", "s", 1.5, ""}},
                                        {{"BM_c", "error"}})};
  const std::vector<SampleSet> sets = collect_sample_sets(runs);
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[0].benchmark, "bench/BM_a");
  EXPECT_EQ(sets[0].values, (std::vector<double>{1.0, 1.5}));
  EXPECT_TRUE(sets[0].failures.empty());
  EXPECT_EQ(sets[1].benchmark, "bench/BM_b");
  EXPECT_EQ(sets[2].benchmark, "bench/BM_c");
  EXPECT_EQ(sets[2].failures.size(), 1u);
}

}  // namespace
}  // namespace perfguard::harness
