// The bisect search (pipeline::bisect_path) with a fake judge: which commits it measures, in
// which order, and what it answers -- the culprit at either end of the range, skipped commits,
// inconclusive ones, nothing to find. And FakeVcs's first-parent path, which the search walks.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pipeline/bisect.hpp"
#include "pipeline/vcs.hpp"
#include "reports/artifact_schema.hpp"
#include "reports/bisect_output.hpp"

namespace perfguard::tests {
namespace {

using pipeline::BisectSearch;
using pipeline::BisectStatus;
using pipeline::BisectStep;
using pipeline::StepOutcome;

// c1 .. cN, oldest first (good, c0, is not on the path).
std::vector<std::string> commits(int n) {
  std::vector<std::string> path;
  for (int i = 1; i <= n; ++i) path.push_back("c" + std::to_string(i));
  return path;
}

// A history whose benchmark regressed at `culprit`: commits before it are clean, it and later
// ones regressed; except those in `broken` (do not build) and `noisy` (inconclusive on every
// try). Records every call.
struct FakeJudge {
  int culprit = 0;  // index into the path, 1-based like the commit names
  std::set<std::string> broken;
  std::set<std::string> noisy;
  std::map<std::string, StepOutcome> fixed;  // overrides for single commits
  std::vector<std::string> calls;            // "c5#1", "c5#2"

  pipeline::JudgeCommit judge() {
    return [this](const std::string& commit, std::size_t attempt) {
      calls.push_back(commit + "#" + std::to_string(attempt));
      BisectStep step;
      if (broken.contains(commit)) {
        step.outcome = StepOutcome::skipped;
        step.verdict = "build_failed";
        step.reason = "build step 1 of 1 (make) failed";
        return step;
      }
      if (noisy.contains(commit)) {
        step.outcome = StepOutcome::inconclusive;
        step.verdict = "inconclusive";
        step.reason = "too noisy";
        return step;
      }
      const auto found = fixed.find(commit);
      const int index = std::stoi(commit.substr(1));
      step.outcome = found != fixed.end() ? found->second
                     : index >= culprit   ? StepOutcome::regressed
                                          : StepOutcome::clean;
      step.verdict = step.outcome == StepOutcome::regressed ? "regressed" : "unchanged";
      step.ratio = step.outcome == StepOutcome::regressed ? 1.3 : 1.0;
      return step;
    };
  }
};

// Every culprit position on paths of 1 to 17 commits: found, and in at most
// ceil(log2(n)) steps after bad's (binary search over n candidates).
TEST(BisectPath, FindsEveryCulpritPosition) {
  for (int n = 1; n <= 17; ++n) {
    for (int culprit = 1; culprit <= n; ++culprit) {
      FakeJudge fake{.culprit = culprit, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
      const BisectSearch search = pipeline::bisect_path(commits(n), fake.judge());
      ASSERT_EQ(search.status, BisectStatus::found) << n << " " << culprit;
      ASSERT_EQ(search.range, std::vector<std::string>{"c" + std::to_string(culprit)})
          << n << " " << culprit;
      ASSERT_TRUE(search.culprit_step.has_value());
      EXPECT_EQ(search.culprit_step->commit, "c" + std::to_string(culprit));
      EXPECT_EQ(search.culprit_step->outcome, StepOutcome::regressed);
      int log2_ceiling = 0;
      while ((1 << log2_ceiling) < n) ++log2_ceiling;
      EXPECT_LE(search.steps.size(), static_cast<std::size_t>(1 + log2_ceiling)) << n;
      EXPECT_EQ(search.steps.front().commit, "c" + std::to_string(n));  // bad first
    }
  }
}

// The first commit after good is the culprit: the search ends at the lower end of the
// range, never at good itself.
TEST(BisectPath, CulpritRightAfterGood) {
  FakeJudge fake{.culprit = 1, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(search.range, std::vector<std::string>{"c1"});
  // c8 (bad), then 4, 2, 1 by halving (0, 8) -> (0, 4) -> (0, 2) -> (0, 1).
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"c8#1", "c4#1", "c2#1", "c1#1"}));
}

// bad itself is the culprit: every commit before it is clean.
TEST(BisectPath, CulpritIsBad) {
  FakeJudge fake{.culprit = 8, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(search.range, std::vector<std::string>{"c8"});
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"c8#1", "c4#1", "c6#1", "c7#1"}));
  // The culprit's step is bad's own measurement, the first.
  EXPECT_EQ(search.culprit_step->commit, "c8");
}

TEST(BisectPath, OneCommitNeedsOnlyBad) {
  FakeJudge fake{.culprit = 1, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(1), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(fake.calls, std::vector<std::string>{"c1#1"});
}

TEST(BisectPath, BadNotRegressedIsNothingToFind) {
  FakeJudge fake{.culprit = 99, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(6), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::nothing_to_find);
  EXPECT_EQ(reports::exit_code_of(search.status), 1);
  EXPECT_EQ(fake.calls, std::vector<std::string>{"c6#1"});
  EXPECT_NE(search.why.find("unchanged"), std::string::npos) << search.why;
  EXPECT_TRUE(search.range.empty());
}

// bad inconclusive twice: not shown regressed, so nothing to find, saying so.
TEST(BisectPath, BadInconclusiveIsNothingToFindAfterRetry) {
  FakeJudge fake{.culprit = 1, .broken = {}, .noisy = {"c6"}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(6), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::nothing_to_find);
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"c6#1", "c6#2"}));
  EXPECT_NE(search.why.find("inconclusive"), std::string::npos) << search.why;
}

TEST(BisectPath, BadThatDoesNotBuildIsAnError) {
  FakeJudge fake{.culprit = 1, .broken = {"c6"}, .noisy = {}, .fixed = {}, .calls = {}};
  EXPECT_THROW((void)pipeline::bisect_path(commits(6), fake.judge()), ExecutionError);
}

// A commit that does not build is skipped and its neighbour measured instead (git bisect
// skip): the culprit is still found when it is not the skipped one.
TEST(BisectPath, SkipsACommitThatDoesNotBuild) {
  FakeJudge fake{.culprit = 6, .broken = {"c4"}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(search.range, std::vector<std::string>{"c6"});
  // (0, 8): middle c4 is broken, next nearest c3 (lower first at equal distance) is clean,
  // then (3, 8): c5 clean, (5, 8): c6 regressed, (5, 6): found.
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"c8#1", "c4#1", "c3#1", "c5#1", "c6#1"}));
  EXPECT_EQ(search.steps[1].outcome, StepOutcome::skipped);
  EXPECT_EQ(search.steps[1].verdict, "build_failed");
}

// The skipped commit may be the culprit: with only skipped commits between the last clean
// and the first regressed one, the answer is the range, not a guess.
TEST(BisectPath, OnlySkippedCommitsLeftIsUnsplit) {
  FakeJudge fake{.culprit = 4, .broken = {"c4"}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::unsplit);
  EXPECT_EQ(reports::exit_code_of(search.status), 3);
  // c3 clean, c5 regressed, c4 skipped: it is c4 or c5.
  EXPECT_EQ(search.range, (std::vector<std::string>{"c4", "c5"}));
  EXPECT_NE(search.why.find("could not be measured"), std::string::npos) << search.why;
  EXPECT_FALSE(search.culprit_step.has_value());
}

// Several broken commits in a row: every one is tried before giving up.
TEST(BisectPath, SkipsARunOfBrokenCommits) {
  FakeJudge fake{.culprit = 7, .broken = {"c3", "c4", "c5"}, .noisy = {}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(search.range, std::vector<std::string>{"c7"});
}

// An inconclusive commit is measured once more; if that settles it the search goes on.
TEST(BisectPath, InconclusiveRetriedThenSettled) {
  FakeJudge fake{.culprit = 3, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  std::size_t calls_on_c4 = 0;
  const auto base = fake.judge();
  const pipeline::JudgeCommit judge = [&](const std::string& commit, std::size_t attempt) {
    if (commit == "c4" && ++calls_on_c4 == 1) {
      BisectStep step;
      step.outcome = StepOutcome::inconclusive;
      step.verdict = "inconclusive";
      return step;
    }
    return base(commit, attempt);
  };
  const BisectSearch search = pipeline::bisect_path(commits(8), judge);
  EXPECT_EQ(search.status, BisectStatus::found);
  EXPECT_EQ(search.range, std::vector<std::string>{"c3"});
  ASSERT_GE(fake.calls.size(), 2U);
  EXPECT_EQ(fake.calls[1], "c4#2");  // the retry, at attempt 2
  EXPECT_EQ(search.steps[1].attempt, 1U);
  EXPECT_EQ(search.steps[2].attempt, 2U);
}

// Still inconclusive after the retry: stop, naming the range that could not be split.
TEST(BisectPath, InconclusiveTwiceStopsWithTheRange) {
  FakeJudge fake{.culprit = 3, .broken = {}, .noisy = {"c4"}, .fixed = {}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.status, BisectStatus::unsplit);
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"c8#1", "c4#1", "c4#2"}));
  EXPECT_EQ(search.range, commits(8));  // nothing was split: c1 .. c8
  EXPECT_NE(search.why.find("c4 stayed inconclusive after 2 tries"), std::string::npos)
      << search.why;
}

// An improvement is "after it", like unchanged.
TEST(BisectPath, ImprovedCountsAsClean) {
  FakeJudge fake{
      .culprit = 6, .broken = {}, .noisy = {}, .fixed = {{"c4", StepOutcome::clean}}, .calls = {}};
  const BisectSearch search = pipeline::bisect_path(commits(8), fake.judge());
  EXPECT_EQ(search.range, std::vector<std::string>{"c6"});
}

reports::BisectResult described(BisectSearch search) {
  reports::BisectResult result;
  result.benchmark = "tool.run";
  result.metric = "wall_time";
  result.generated_at = "2026-12-02T02:00:00Z";
  result.good = {
      .ref = "v1", .sha = "a000000", .subject = "good", .author = "A <a@x>", .date = "d"};
  result.bad = {
      .ref = "HEAD", .sha = "a000008", .subject = "bad", .author = "A <a@x>", .date = "d"};
  result.path_length = 8;
  for (const std::string& commit : search.range)
    result.range.push_back({.ref = "",
                            .sha = "abcdef0" + commit.substr(1),
                            .subject = commit,
                            .author = "A <a@x>",
                            .date = "d"});
  for (BisectStep& step : search.steps) step.commit = "abcdef0" + step.commit.substr(1);
  result.search = std::move(search);
  return result;
}

// bisect.json of each outcome conforms to reports/schema/bisect.schema.json.
TEST(BisectJson, EveryStatusConformsToTheSchema) {
  for (const FakeJudge& setup :
       {FakeJudge{.culprit = 5, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}},
        FakeJudge{.culprit = 99, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}},
        FakeJudge{.culprit = 4, .broken = {"c4"}, .noisy = {}, .fixed = {}, .calls = {}},
        FakeJudge{.culprit = 3, .broken = {}, .noisy = {"c4"}, .fixed = {}, .calls = {}}}) {
    FakeJudge fake = setup;
    reports::BisectResult result = described(pipeline::bisect_path(commits(8), fake.judge()));
    for (BisectStep& step : result.search.steps) {
      if (step.ratio) {
        step.ratio_ci = stats::Interval{*step.ratio - 0.01, *step.ratio + 0.01};
        step.confidence = 0.98;
      }
    }
    if (result.search.culprit_step) {
      result.search.culprit_step->confidence = 0.98;
      result.search.culprit_step->ratio_ci = stats::Interval{1.29, 1.31};
    }
    const Json doc = reports::bisect_json(result);
    const auto violation = reports::schema_violation(doc, reports::kBisectSchema);
    EXPECT_FALSE(violation.has_value()) << violation->text() << "\n" << doc.dump(2);
    EXPECT_EQ(doc["exit_code"], reports::exit_code_of(result.search.status));
  }
}

// The schema holds a found result to its culprit: one without is refused.
TEST(BisectJson, SchemaRefusesFoundWithoutCulprit) {
  FakeJudge fake{.culprit = 5, .broken = {}, .noisy = {}, .fixed = {}, .calls = {}};
  Json doc = reports::bisect_json(described(pipeline::bisect_path(commits(8), fake.judge())));
  ASSERT_EQ(doc["status"], "found");
  doc["culprit"] = nullptr;
  EXPECT_TRUE(reports::schema_violation(doc, reports::kBisectSchema).has_value());
}

TEST(FakeVcsHistory, FirstParentPathOldestFirst) {
  pipeline::FakeVcs vcs("/repo");
  vcs.set_parent("c1", "c0");
  vcs.set_parent("c2", "c1");
  vcs.set_parent("c3", "c2");
  EXPECT_EQ(vcs.first_parent_path("c0", "c3"), (std::vector<std::string>{"c1", "c2", "c3"}));
  EXPECT_EQ(vcs.first_parent_path("c2", "c3"), std::vector<std::string>{"c3"});
}

TEST(FakeVcsHistory, GoodNotAnAncestorIsAUsageError) {
  pipeline::FakeVcs vcs("/repo");
  vcs.set_parent("c1", "c0");
  vcs.set_parent("c2", "c1");
  try {
    (void)vcs.first_parent_path("c2", "c1");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--good c2 is not an ancestor of --bad c1");
  }
}

}  // namespace
}  // namespace perfguard::tests
