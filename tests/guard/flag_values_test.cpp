// End to end: numeric flags are checked as the config checks the same values, before anything
// runs, and the error names the flag as typed. No repository is needed: flags come first.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace perfguard::tests {
namespace {

struct Refused {
  std::vector<std::string> args;
  std::string message;  // part of standard error
};

void expect_refused(const std::vector<Refused>& cases) {
  for (const Refused& c : cases) {
    std::vector<std::string> argv = {PERFGUARD_BINARY};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const CommandResult r = run_command(argv);
    std::string shown;
    for (const std::string& a : c.args) shown += a + " ";
    EXPECT_EQ(r.exit_code, 2) << shown << r.out << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << shown << "\n" << r.err;
  }
}

TEST(FlagValues, CompareCountsDoNotWrap) {
  const std::vector<std::string> compare = {"compare", "--base", "HEAD", "--repo", "/nonexistent"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = compare;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_refused({
      {with({"--runs", "-1"}), "--runs: -1: expected a whole number from 1 to 1000000000"},
      {with({"--runs", "18446744073709551616"}), "--runs: 18446744073709551616: expected"},
      {with({"--runs", "+5"}), "--runs: +5: expected a whole number"},
      {with({"--min-runs", "-3"}), "--min-runs: -3: expected"},
      {with({"--max-runs", "1e9"}), "--max-runs: 1e9: expected"},
      {with({"--warmup", "-1"}), "--warmup: -1: expected a whole number from 0"},
      {with({"--seed", "-1"}), "--seed: -1: expected a whole number from 0 to 18446744073709551615"},
      {with({"--timeout", "0s"}), "--timeout 0s: expected a positive duration"},
      {with({"--max-time", "0ms"}), "--max-time 0ms: expected a positive duration"},
  });
}

// Too few runs for the interval to keep its promise: the flag typed is the one blamed, with
// the number needed (7 at 0.98, 6 at 0.95: stats::min_samples_for_ratio_ci).
TEST(FlagValues, TooFewRunsAreRefusedNamingTheFlagAndTheNumberNeeded) {
  const std::vector<std::string> compare = {"compare", "--base", "HEAD", "--repo", "/nonexistent"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = compare;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_refused({
      {with({"--runs", "1"}), "--runs 1: at confidence 0.98 a verdict needs at least 7 runs"},
      {with({"--runs", "2"}), "--runs 2: at confidence 0.98 a verdict needs at least 7 runs"},
      {with({"--min-runs", "3"}), "--min-runs 3: at confidence 0.98 a verdict needs at least 7"},
      {with({"--runs", "5", "--confidence", "0.95"}),
       "--runs 5: at confidence 0.95 a verdict needs at least 6 runs per side"},
      {{"time", "--runs", "3", "true", "false"},
       "--runs 3: at confidence 0.98 comparing commands needs at least 7 runs of each"},
      {{"time", "--runs", "-1", "true"}, "--runs: -1: expected a whole number"},
      {{"time", "--seed", "18446744073709551616", "true"}, "--seed: 18446744073709551616"},
  });
}

// `time` refuses a zero duration in the words `compare` and the config use.
TEST(FlagValues, TimeDurationsArePositive) {
  expect_refused({
      {{"time", "--timeout", "0s", "true"}, "--timeout 0s: expected a positive duration"},
      {{"time", "--max-time", "0ms", "true"}, "--max-time 0ms: expected a positive duration"},
      {{"time", "--max-time", "soon", "true"}, "--max-time soon: expected a duration such as"},
  });
}

}  // namespace
}  // namespace perfguard::tests
