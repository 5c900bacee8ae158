// build_digest and substitute (pipeline/builds.hpp). The digests are FNV-1a 64 worked out
// independently: the published test vectors (empty input: cbf29ce484222325) and Python's
//   h = 14695981039346656037; for c in data: h = ((h ^ c) * 1099511628211) % 2**64
// over each step's arguments, each followed by a NUL, and a newline after each step.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/builds.hpp"

namespace perfguard::pipeline {
namespace {

TEST(BuildDigest, NoStepsIsTheOffsetBasis) { EXPECT_EQ(build_digest({}), "cbf29ce484222325"); }

TEST(BuildDigest, MatchesAnIndependentFnv1a) {
  EXPECT_EQ(build_digest({{"a"}}), "e5d301190427176a");            // "a\0\n"
  EXPECT_EQ(build_digest({{"make", "-j2"}}), "fc6922e54e13da42");  // "make\0-j2\0\n"
}

// Argument and step boundaries count: the same characters split differently are other steps.
TEST(BuildDigest, BoundariesMatter) {
  EXPECT_NE(build_digest({{"ab"}}), build_digest({{"a", "b"}}));
  EXPECT_NE(build_digest({{"a", "b"}}), build_digest({{"a"}, {"b"}}));
  EXPECT_NE(build_digest({{"a"}, {"b"}}), build_digest({{"b"}, {"a"}}));
}

TEST(Substitute, BuildAndWorktreeAnywhereInAnArgument) {
  const RevisionPaths paths{"/w", "/b"};
  EXPECT_EQ(substitute({"{build}/tool", "--in={worktree}/data", "{build}{build}", "plain"}, paths),
            (std::vector<std::string>{"/b/tool", "--in=/w/data", "/b/b", "plain"}));
}

}  // namespace
}  // namespace perfguard::pipeline
