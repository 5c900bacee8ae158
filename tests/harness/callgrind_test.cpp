// The Callgrind instrument: reading its output files, the cycle estimate, the command line,
// and real runs of a helper under valgrind.
#include "harness/callgrind.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/sanitizer.hpp"

namespace perfguard::harness {
namespace {

// As callgrind 3.19 writes it (shortened), with a second part as a client's
// CALLGRIND_DUMP_STATS would leave: the parts' summaries add up.
constexpr std::string_view kTwoParts = R"(# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 10925
part: 1
positions: line
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
summary: 234078 56818 23673 1596 1603 741 1594 1286 710
fl=(1) ???
fn=(1) 0x0000000000001ff0
0 9 3 1
totals: 234085 56821 23674 1597 1604 741 1595 1286 710
part: 2
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
summary: 1000 300 200 10 20 5 2 3 1
totals: 1000 300 200 10 20 5 2 3 1
)";

TEST(Callgrind, SummariesOfAllPartsAreSummed) {
  const std::optional<CallgrindEvents> events = parse_callgrind_totals(kTwoParts);
  ASSERT_TRUE(events.has_value());
  EXPECT_EQ(events->at("Ir"), 235078U);
  EXPECT_EQ(events->at("DLmw"), 711U);
  EXPECT_EQ(events->size(), 9U);
}

TEST(Callgrind, InstructionsOnlyWithoutCacheSimulation) {
  const auto events = parse_callgrind_totals("events: Ir\nsummary: 42\ntotals: 42\n");
  ASSERT_TRUE(events.has_value());
  EXPECT_EQ(events->at("Ir"), 42U);
  EXPECT_FALSE(estimated_cycles(*events).has_value());
}

TEST(Callgrind, MalformedFilesAreRefused) {
  EXPECT_FALSE(parse_callgrind_totals(""));
  EXPECT_FALSE(parse_callgrind_totals("events: Ir\n"));                  // no summary
  EXPECT_FALSE(parse_callgrind_totals("summary: 42\n"));                 // no events line
  EXPECT_FALSE(parse_callgrind_totals("events: Ir Dr\nsummary: 42\n"));  // too few values
  EXPECT_FALSE(parse_callgrind_totals("events: Ir\nsummary: -4\n"));
  EXPECT_FALSE(parse_callgrind_totals("events: Ir\nsummary: 4x\n"));
}

// By hand: accesses 1000 + 300 + 200 = 1500; L1 misses 10 + 20 + 5 = 35; LL misses
// 2 + 3 + 1 = 6; so L1 hits 1465, LL hits 29, RAM hits 6 and 1465 + 5 * 29 + 35 * 6 = 1820.
TEST(Callgrind, EstimatedCyclesByTheFormula) {
  const CallgrindEvents events{{"Ir", 1000}, {"Dr", 300}, {"Dw", 200}, {"I1mr", 10}, {"D1mr", 20},
                               {"D1mw", 5},  {"ILmr", 2}, {"DLmr", 3}, {"DLmw", 1}};
  EXPECT_EQ(estimated_cycles(events), 1820U);
  CallgrindEvents corrupt = events;
  corrupt["ILmr"] = 100;  // more LL misses than L1 misses
  EXPECT_FALSE(estimated_cycles(corrupt).has_value());
}

TEST(Callgrind, CommandLineTurnsAslrOffFixesTheEnvironmentAndFollowsChildren) {
  CallgrindOptions options;
  options.command.argv = {"./tool", "--fast"};
  options.command.environment = {{"MODE", "x"}};
  const std::vector<std::string> argv = callgrind_argv(options, "/tmp/d/callgrind.%p.out");
  ASSERT_GE(argv.size(), 6U);
  EXPECT_EQ(argv[0], "env");
  EXPECT_EQ(argv[1], "-i");
  EXPECT_EQ(argv[4], "LC_ALL=C");
  EXPECT_EQ(argv[5], "MODE=x");
  EXPECT_EQ(argv[6], "setarch");
  EXPECT_EQ(argv[7], "-R");
  EXPECT_EQ(argv[8], "valgrind");
  const auto has = [&](const std::string& word) {
    return std::find(argv.begin(), argv.end(), word) != argv.end();
  };
  EXPECT_TRUE(has("--tool=callgrind"));
  EXPECT_TRUE(has("--trace-children=yes"));
  EXPECT_TRUE(has("--callgrind-out-file=/tmp/d/callgrind.%p.out"));
  EXPECT_FALSE(has("--cache-sim=yes"));
  EXPECT_EQ(argv[argv.size() - 3], "--");
  EXPECT_EQ(argv.back(), "--fast");
  options.estimate_cycles = true;
  const std::vector<std::string> with_cache = callgrind_argv(options, "o");
  EXPECT_NE(std::find(with_cache.begin(), with_cache.end(), "--cache-sim=yes"), with_cache.end());
  EXPECT_NE(std::find(with_cache.begin(), with_cache.end(), "--LL=8388608,16,64"),
            with_cache.end());
}

double value_of(const Outcome& outcome, std::string_view metric) {
  for (const Observation& o : outcome.observations) {
    if (o.metric == metric) return o.value;
  }
  ADD_FAILURE() << "no " << metric;
  return 0.0;
}

CallgrindOptions helper(std::vector<std::string> args) {
  CallgrindOptions options;
  options.command.argv = {PG_HELPER_PATH};
  options.command.argv.insert(options.command.argv.end(), args.begin(), args.end());
  return options;
}

TEST(CallgrindRun, SameWorkSameCountMoreWorkMoreCount) {
  if (tests::kUnderAddressSanitizer) GTEST_SKIP() << tests::kValgrindCannotRunSanitized;
  SystemProcessRunner runner;
  CallgrindOptions options = helper({"work", "200000"});
  options.estimate_cycles = true;
  CallgrindTrial trial(runner, options);
  trial.setup();
  const Outcome first = trial.run();
  const Outcome second = trial.run();
  ASSERT_FALSE(first.failed()) << first.failures.front().reason;
  ASSERT_FALSE(second.failed()) << second.failures.front().reason;
  EXPECT_EQ(value_of(first, kInstructions), value_of(second, kInstructions));
  EXPECT_EQ(value_of(first, kEstimatedCycles), value_of(second, kEstimatedCycles));
  EXPECT_GT(value_of(first, kEstimatedCycles), value_of(first, kInstructions));

  CallgrindTrial more(runner, helper({"work", "400000"}));
  const Outcome doubled = more.run();
  ASSERT_FALSE(doubled.failed());
  // 200000 more iterations of the same loop: more instructions, and at least 2 per iteration.
  EXPECT_GT(value_of(doubled, kInstructions) - value_of(first, kInstructions), 400000.0);
}

TEST(CallgrindRun, ChildrenAreCountedToo) {
  if (tests::kUnderAddressSanitizer) GTEST_SKIP() << tests::kValgrindCannotRunSanitized;
  SystemProcessRunner runner;
  CallgrindTrial alone(runner, helper({"work", "200000"}));
  CallgrindOptions wrapped;
  wrapped.command.argv = {
      "/bin/sh", "-c",
      std::string(PG_HELPER_PATH) + " work 200000; " + PG_HELPER_PATH + " work 200000"};
  CallgrindTrial twice(runner, wrapped);
  const Outcome one = alone.run();
  const Outcome two = twice.run();
  ASSERT_FALSE(one.failed());
  ASSERT_FALSE(two.failed()) << two.failures.front().reason;
  EXPECT_GT(value_of(two, kInstructions), 2.0 * value_of(one, kInstructions));
}

TEST(CallgrindRun, FailingCommandIsAFailure) {
  if (tests::kUnderAddressSanitizer) GTEST_SKIP() << tests::kValgrindCannotRunSanitized;
  SystemProcessRunner runner;
  CallgrindTrial trial(runner, helper({"exit", "3"}));
  const Outcome outcome = trial.run();
  ASSERT_TRUE(outcome.failed());
  EXPECT_EQ(outcome.failures.front().reason, "exit 3");
  EXPECT_TRUE(outcome.observations.empty());
}

TEST(CallgrindRun, MissingValgrindIsAnExecutionErrorNamingThePackage) {
  SystemProcessRunner runner;
  CallgrindOptions options = helper({"work", "10"});
  options.valgrind = "/nonexistent/valgrind";
  CallgrindTrial trial(runner, options);
  try {
    trial.setup();
    FAIL() << "setup passed";
  } catch (const ExecutionError& e) {
    EXPECT_NE(std::string(e.what()).find("Debian package valgrind"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace perfguard::harness
