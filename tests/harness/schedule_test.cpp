// The schedule with scripted trials and a scripted clock: interleaving, warmups, planning,
// looks and their spending, failures -- and the A/A property that repeated looks keep the
// false-alarm rate at alpha.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/math/special_functions/erf.hpp>
#include <gtest/gtest.h>

#include "harness/schedule.hpp"
#include "stats/sequential.hpp"

namespace perfguard::harness {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

struct FakeClock {
  nanoseconds now{0};
  [[nodiscard]] Clock clock() {
    return [this] { return now; };
  }
};

// A trial whose runs take `duration` on the fake clock and produce what the script says.
class ScriptedTrial final : public Trial {
 public:
  using Script = std::function<Outcome(std::size_t call)>;
  ScriptedTrial(FakeClock& clock, nanoseconds duration, Script script)
      : clock_(clock), duration_(duration), script_(std::move(script)) {}
  void setup() override { ++setups_; }
  [[nodiscard]] Outcome run() override {
    clock_.now += duration_;
    return script_(calls_++);
  }
  [[nodiscard]] std::size_t calls() const { return calls_; }
  [[nodiscard]] std::size_t setups() const { return setups_; }
  void set_duration(nanoseconds duration) { duration_ = duration; }

 private:
  FakeClock& clock_;
  nanoseconds duration_;
  Script script_;
  std::size_t calls_ = 0;
  std::size_t setups_ = 0;
};

Outcome wall_time(double seconds) {
  Outcome outcome;
  outcome.observations = {{"", "wall_time", "s", seconds, ""}};
  return outcome;
}

Outcome failed(std::string reason) {
  Outcome outcome;
  outcome.failures = {{"", std::move(reason)}};
  return outcome;
}

ScriptedTrial::Script constant(double seconds) {
  return [seconds](std::size_t) { return wall_time(seconds); };
}

class Recorder final : public ScheduleListener {
 public:
  void on_run(const RunRecord& record) override { records.push_back(record); }
  void on_progress(const Progress& progress) override { progress_updates.push_back(progress); }
  void on_pace(const Pace& pace) override { paces.push_back(pace); }
  std::vector<RunRecord> records;
  std::vector<Progress> progress_updates;
  std::vector<Pace> paces;
};

ScheduleOptions fixed_runs(std::size_t runs) {
  ScheduleOptions options;
  options.min_runs = runs;
  options.max_runs = runs;
  return options;
}

TEST(PlannedLooks, GrowByHalfFromMinRunsToN) {
  EXPECT_EQ(planned_looks(10, 60), (std::vector<std::size_t>{10, 15, 23, 35, 53, 60}));
  EXPECT_EQ(planned_looks(2, 6), (std::vector<std::size_t>{2, 3, 5, 6}));
  EXPECT_EQ(planned_looks(1, 3), (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(planned_looks(10, 10), (std::vector<std::size_t>{10}));
  EXPECT_EQ(planned_looks(10, 4), (std::vector<std::size_t>{4}));
}

TEST(Schedule, EveryVariantRunsOncePerRound) {
  FakeClock clock;
  ScriptedTrial a1(clock, 1ms, constant(1.0)), a2(clock, 1ms, constant(2.0));
  ScriptedTrial b1(clock, 1ms, constant(3.0)), b2(clock, 1ms, constant(4.0));
  const std::vector<BenchmarkPlan> plans{{"a", {{"one", &a1}, {"two", &a2}}, {}},
                                         {"b", {{"one", &b1}, {"two", &b2}}, {}}};
  Schedule schedule(fixed_runs(5), clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans);

  ASSERT_EQ(recorder.records.size(), 20u);
  for (std::size_t round = 0; round < 5; ++round) {
    std::set<std::string> seen;
    for (std::size_t i = round * 4; i < round * 4 + 4; ++i) {
      EXPECT_EQ(recorder.records[i].run, round);
      seen.insert(recorder.records[i].benchmark + "/" + recorder.records[i].variant);
    }
    EXPECT_EQ(seen.size(), 4u) << "round " << round;
  }
  EXPECT_EQ(result.planned_runs, 5u);
  ASSERT_EQ(result.benchmarks.size(), 2u);
  for (const BenchmarkResult& benchmark : result.benchmarks) {
    EXPECT_EQ(benchmark.runs, 5u);
    EXPECT_EQ(benchmark.stop_reason, StopReason::planned_runs);
    // No stop rule: one look, the whole alpha.
    EXPECT_EQ(benchmark.looks, 1u);
    EXPECT_NEAR(*benchmark.confidence, 0.95, 1e-9);
  }
  const SampleSet* set = find_sample_set(result.benchmarks[1].samples, "b", "two", "wall_time");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->values, std::vector<double>(5, 4.0));
}

TEST(Schedule, OrderWithinRoundsIsRandomButSeeded) {
  const auto first_of_each_round = [](std::uint64_t seed) {
    FakeClock clock;
    ScriptedTrial x(clock, 1ms, constant(1.0)), y(clock, 1ms, constant(1.0)),
        z(clock, 1ms, constant(1.0));
    const std::vector<BenchmarkPlan> plans{{"b", {{"x", &x}, {"y", &y}, {"z", &z}}, {}}};
    ScheduleOptions options = fixed_runs(30);
    options.seed = seed;
    Schedule schedule(options, clock.clock());
    Recorder recorder;
    schedule.add_listener(recorder);
    (void)schedule.run(plans);
    std::string firsts;
    for (std::size_t i = 0; i < recorder.records.size(); i += 3)
      firsts += recorder.records[i].variant;
    return firsts;
  };
  const std::string order = first_of_each_round(1);
  EXPECT_EQ(order, first_of_each_round(1));
  EXPECT_NE(order, first_of_each_round(2));
  for (const char variant : std::string("xyz")) {
    EXPECT_NE(order.find(variant), std::string::npos)
        << "variant " << variant << " never ran first";
  }
}

TEST(Schedule, SetupOnceThenWarmupsThenSampledRuns) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, [](std::size_t call) { return wall_time(call < 2 ? 100.0 : 1.0); });
  ScriptedTrial b(clock, 1ms, [](std::size_t call) { return wall_time(call < 2 ? 100.0 : 2.0); });
  const std::vector<BenchmarkPlan> plans{{"w", {{"a", &a}, {"b", &b}}, {}}};
  ScheduleOptions options = fixed_runs(3);
  options.warmup = 2;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans);

  EXPECT_EQ(a.setups(), 1u);
  EXPECT_EQ(b.setups(), 1u);
  ASSERT_EQ(recorder.records.size(), 10u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(recorder.records[i].warmup);
  for (std::size_t i = 4; i < 10; ++i) EXPECT_FALSE(recorder.records[i].warmup);
  EXPECT_EQ(result.runs.size(), 10u);
  const SampleSet* set = find_sample_set(result.benchmarks[0].samples, "w", "a", "wall_time");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->values, (std::vector<double>{1.0, 1.0, 1.0}));
}

TEST(Schedule, LooksFollowThePlanWithSpentConfidence) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0)), b(clock, 1ms, constant(1.0));
  std::vector<Look> looks;
  const std::vector<BenchmarkPlan> plans{{"l", {{"a", &a}, {"b", &b}}, [&](const Look& look) {
                                            looks.push_back(look);
                                            looks.back().samples = {};  // not kept past the call
                                            return Decision::keep_sampling;
                                          }}};
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 60;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);

  const std::vector<double> fractions{10 / 60.0, 15 / 60.0, 23 / 60.0, 35 / 60.0, 53 / 60.0, 1.0};
  const std::vector<stats::LookBoundary> expected =
      stats::spending_boundaries(fractions, 0.05, stats::Spending::pocock);
  ASSERT_EQ(looks.size(), 5u);  // the sixth is the last look, which has nothing to decide
  const std::vector<std::size_t> runs{10, 15, 23, 35, 53};
  for (std::size_t k = 0; k < looks.size(); ++k) {
    EXPECT_EQ(looks[k].number, k + 1);
    EXPECT_EQ(looks[k].runs, runs[k]);
    EXPECT_EQ(looks[k].benchmark, "l");
    EXPECT_NEAR(looks[k].confidence, 1.0 - expected[k].nominal_alpha, 1e-12);
  }
  EXPECT_EQ(result.benchmarks[0].looks, 6u);
  EXPECT_EQ(result.benchmarks[0].runs, 60u);
  EXPECT_NEAR(*result.benchmarks[0].confidence, 1.0 - expected[5].nominal_alpha, 1e-12);
}

TEST(Schedule, StopsABenchmarkOnceItsRuleDecides) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0)), b(clock, 1ms, constant(2.0));
  ScriptedTrial c(clock, 1ms, constant(1.0)), d(clock, 1ms, constant(1.0));
  std::size_t samples_seen = 0;
  const std::vector<BenchmarkPlan> plans{
      {"decides",
       {{"a", &a}, {"b", &b}},
       [&](const Look& look) {
         samples_seen = find_sample_set(look.samples, "decides", "b", "wall_time")->values.size();
         return look.number == 2 ? Decision::stop : Decision::keep_sampling;
       }},
      {"undecided", {{"c", &c}, {"d", &d}}, [](const Look&) { return Decision::keep_sampling; }}};
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 60;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);

  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::decided);
  EXPECT_EQ(result.benchmarks[0].runs, 15u);
  EXPECT_EQ(samples_seen, 15u);
  EXPECT_EQ(a.calls(), 15u);
  EXPECT_EQ(result.benchmarks[1].stop_reason, StopReason::planned_runs);
  EXPECT_EQ(c.calls(), 60u);
}

TEST(Schedule, AFirstLookBeforeMinRunsLetsExactCountsStopAtTwo) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0)), b(clock, 1ms, constant(1.0));
  std::vector<std::size_t> looked_at;
  BenchmarkPlan plan{"counts", {{"a", &a}, {"b", &b}}, [&](const Look& look) {
                       looked_at.push_back(look.runs);
                       return look.runs == 2 ? Decision::stop : Decision::keep_sampling;
                     }};
  plan.first_look = 2;
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 60;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(std::vector<BenchmarkPlan>{plan});
  EXPECT_EQ(looked_at, std::vector<std::size_t>{2});
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::decided);
  EXPECT_EQ(a.calls(), 2u);
  // The early look spends alpha like any other: its level is Pocock's at 2/60.
  const std::vector<double> fractions{2 / 60.0};
  const std::vector<stats::LookBoundary> expected =
      stats::spending_boundaries(fractions, 0.05, stats::Spending::pocock);
  EXPECT_NEAR(*result.benchmarks[0].confidence, 1.0 - expected[0].nominal_alpha, 1e-12);
}

TEST(Schedule, AfterTheFirstLookTheUsualLooksFollow) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0)), b(clock, 1ms, constant(1.0));
  std::vector<std::size_t> looked_at;
  BenchmarkPlan plan{"counts", {{"a", &a}, {"b", &b}}, [&](const Look& look) {
                       looked_at.push_back(look.runs);
                       return Decision::keep_sampling;
                     }};
  plan.first_look = 2;
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 30;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(std::vector<BenchmarkPlan>{plan});
  EXPECT_EQ(looked_at, (std::vector<std::size_t>{2, 10, 15, 23}));
  EXPECT_EQ(result.benchmarks[0].looks, 5u);
}

TEST(Schedule, MaxTimePlansRunsAtTheWarmupPace) {
  FakeClock clock;
  ScriptedTrial a(clock, 10ms, constant(1.0)), b(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"t", {{"a", &a}, {"b", &b}}, {}}};
  ScheduleOptions options;
  options.warmup = 1;
  options.min_runs = 10;
  options.max_time = 1s;  // 20 ms a round: 50 rounds
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(result.planned_runs, 50u);
  EXPECT_EQ(result.benchmarks[0].runs, 50u);
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::planned_runs);
}

TEST(Schedule, MaxTimeCapsThePlanAtMaxRuns) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"t", {{"a", &a}}, {}}};
  ScheduleOptions options;
  options.min_runs = 3;
  options.max_runs = 7;
  options.max_time = 1s;
  Schedule schedule(options, clock.clock());
  EXPECT_EQ(schedule.run(plans).planned_runs, 7u);
}

TEST(Schedule, RunningOutOfTimeEndsWithALookThatSpendsTheRest) {
  FakeClock clock;
  ScriptedTrial a(clock, 10ms, constant(1.0)), b(clock, 10ms, constant(1.0));
  std::vector<double> confidences;
  const std::vector<BenchmarkPlan> plans{{"slow", {{"a", &a}, {"b", &b}}, [&](const Look& look) {
                                            confidences.push_back(look.confidence);
                                            // The machine slows down: the plan no longer fits.
                                            a.set_duration(1s);
                                            return Decision::keep_sampling;
                                          }}};
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_time = 2s;  // planned from the first round: 100 rounds
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);

  const BenchmarkResult& bench = result.benchmarks[0];
  EXPECT_EQ(result.planned_runs, 100u);
  EXPECT_EQ(bench.stop_reason, StopReason::max_time);
  EXPECT_LT(bench.runs, 100u);
  ASSERT_EQ(confidences.size(), 1u);  // the look at 10 runs; by 12 the time is up
  const std::vector<double> fractions{0.10, 1.0};
  const auto expected = stats::spending_boundaries(fractions, 0.05, stats::Spending::pocock);
  EXPECT_NEAR(*bench.confidence, 1.0 - expected[1].nominal_alpha, 1e-12);
  EXPECT_EQ(bench.looks, 2u);
}

TEST(Schedule, MinRunsComeBeforeTheTimeLimit) {
  FakeClock clock;
  ScriptedTrial a(clock, 1s, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"t", {{"a", &a}}, {}}};
  ScheduleOptions options;
  options.min_runs = 5;
  options.max_time = 1ms;
  Schedule schedule(options, clock.clock());
  EXPECT_EQ(schedule.run(plans).benchmarks[0].runs, 5u);
}

TEST(Schedule, AFailedRunStopsItsBenchmarkOnly) {
  FakeClock clock;
  ScriptedTrial good(clock, 1ms, constant(1.0));
  ScriptedTrial flaky(
      clock, 1ms, [](std::size_t call) { return call == 3 ? failed("exit 3") : wall_time(1.0); });
  ScriptedTrial other(clock, 1ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"broken", {{"good", &good}, {"flaky", &flaky}}, {}},
                                         {"fine", {{"other", &other}}, {}}};
  Schedule schedule(fixed_runs(8), clock.clock());
  const ScheduleResult result = schedule.run(plans);

  const BenchmarkResult& broken = result.benchmarks[0];
  EXPECT_EQ(broken.stop_reason, StopReason::failed);
  EXPECT_EQ(broken.runs, 3u);
  EXPECT_FALSE(broken.confidence.has_value());
  EXPECT_LE(good.calls(), 4u);
  const SampleSet* set = find_sample_set(broken.samples, "broken", "flaky", "wall_time");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->values.size(), 3u);
  ASSERT_EQ(set->failures.size(), 1u);
  EXPECT_EQ(set->failures[0].run, 3u);
  EXPECT_EQ(set->failures[0].reason, "exit 3");
  EXPECT_EQ(result.benchmarks[1].runs, 8u);
  EXPECT_EQ(result.benchmarks[1].stop_reason, StopReason::planned_runs);
}

TEST(Schedule, AFailedWarmupStopsItsBenchmarkBeforeAnyRun) {
  FakeClock clock;
  ScriptedTrial crash(clock, 1ms, [](std::size_t) { return failed("killed by SIGSEGV"); });
  const std::vector<BenchmarkPlan> plans{{"crash", {{"only", &crash}}, {}}};
  ScheduleOptions options = fixed_runs(5);
  options.warmup = 3;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(crash.calls(), 1u);
  ASSERT_EQ(recorder.records.size(), 1u);
  EXPECT_TRUE(recorder.records[0].warmup);
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::failed);
  EXPECT_EQ(result.benchmarks[0].runs, 0u);
  // The crash is in the benchmark's samples, so no verdict can miss it: one set without a
  // metric (nothing was measured), its failure marked as a warmup's.
  ASSERT_EQ(result.benchmarks[0].samples.size(), 1u);
  const SampleSet& set = result.benchmarks[0].samples[0];
  EXPECT_EQ(set.variant, "only");
  EXPECT_TRUE(set.metric.empty());
  EXPECT_TRUE(set.values.empty());
  ASSERT_EQ(set.failures.size(), 1u);
  EXPECT_EQ(set.failures[0].reason, "killed by SIGSEGV");
  EXPECT_EQ(set.failures[0].run, 0u);
  EXPECT_TRUE(set.failures[0].warmup);
}

// Warmups come from each benchmark's plan: 2 for "warm", none for "cold", the schedule's 1 for
// "default". Pass w runs the benchmarks that want more than w; their values are never samples.
TEST(Schedule, WarmupsPerBenchmark) {
  FakeClock clock;
  ScriptedTrial warm(clock, 1ms, constant(9.0));
  ScriptedTrial cold(clock, 1ms, constant(1.0));
  ScriptedTrial plain(clock, 1ms, constant(2.0));
  std::vector<BenchmarkPlan> plans{
      {"warm", {{"w", &warm}}, {}}, {"cold", {{"c", &cold}}, {}}, {"default", {{"d", &plain}}, {}}};
  plans[0].warmup = 2;
  plans[1].warmup = 0;
  ScheduleOptions options = fixed_runs(3);
  options.warmup = 1;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans);
  std::map<std::string, std::size_t> warmups;
  for (const RunRecord& record : recorder.records) {
    if (record.warmup) ++warmups[record.benchmark];
  }
  EXPECT_EQ(warmups["warm"], 2u);
  EXPECT_EQ(warmups.count("cold"), 0u);
  EXPECT_EQ(warmups["default"], 1u);
  // Every warmup comes before every measured run.
  const auto first_run = std::find_if(recorder.records.begin(), recorder.records.end(),
                                      [](const RunRecord& r) { return !r.warmup; });
  EXPECT_TRUE(
      std::all_of(first_run, recorder.records.end(), [](const RunRecord& r) { return !r.warmup; }));
  EXPECT_EQ(warm.calls(), 5u);
  EXPECT_EQ(cold.calls(), 3u);
  for (const BenchmarkResult& benchmark : result.benchmarks) {
    ASSERT_EQ(benchmark.samples.size(), 1u);
    EXPECT_EQ(benchmark.samples[0].values.size(), 3u) << benchmark.id;
  }
}

// With max_time, N comes from the pace of the warmup passes that took every benchmark: here
// the one pass both took (2 ms a benchmark, 4 ms a pass), not the second, "slow" alone took.
TEST(Schedule, MaxTimePlansAtThePaceOfFullWarmupPasses) {
  FakeClock clock;
  ScriptedTrial slow(clock, 2ms, constant(1.0));
  ScriptedTrial fast(clock, 2ms, constant(1.0));
  std::vector<BenchmarkPlan> plans{{"slow", {{"s", &slow}}, {}}, {"fast", {{"f", &fast}}, {}}};
  plans[0].warmup = 2;
  plans[1].warmup = 1;
  ScheduleOptions options;
  options.min_runs = 2;
  options.max_runs = 1000;
  options.max_time = 40ms;  // 10 rounds of 4 ms
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(result.planned_runs, 10u);
}

ScheduleOptions whole_phase(nanoseconds budget) {
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 60;
  options.max_time = budget;
  options.time_limit = TimeLimit::whole_phase;
  return options;
}

// Two benchmarks of two 10 ms variants: a warmup pass and every round take 40 ms. The budget
// counts from the first warmup and is checked before every run, so the schedule ends within
// one run (10 ms) of it, and both ran to the budget with equal runs per side.
TEST(Schedule, WholePhaseBudgetEndsWithinOneRunOfIt) {
  FakeClock clock;
  ScriptedTrial a1(clock, 10ms, constant(1.0)), a2(clock, 10ms, constant(1.0));
  ScriptedTrial b1(clock, 10ms, constant(1.0)), b2(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"a", {{"base", &a1}, {"candidate", &a2}}, {}},
                                         {"b", {{"base", &b1}, {"candidate", &b2}}, {}}};
  ScheduleOptions options = whole_phase(1005ms);
  options.warmup = 1;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);

  EXPECT_GE(clock.now, 1005ms);
  EXPECT_LE(clock.now, 1015ms);
  EXPECT_TRUE(result.out_of_time);
  EXPECT_EQ(result.planned_runs, 60u);  // N is max_runs: the budget, not N, ends it
  // 40 ms of warmups, then 24 whole rounds to 1000 ms; the 25th is cut after one run.
  for (const BenchmarkResult& bench : result.benchmarks) {
    EXPECT_EQ(bench.stop_reason, StopReason::max_time) << bench.id;
    EXPECT_EQ(bench.runs, 24u) << bench.id;
    ASSERT_EQ(bench.samples.size(), 2u);
    for (const SampleSet& set : bench.samples) EXPECT_EQ(set.values.size(), 24u) << bench.id;
    ASSERT_TRUE(bench.confidence.has_value());
  }
  // The cut round's one run is journaled all the same.
  EXPECT_EQ(result.runs.size(), 4u + 24u * 4u + 1u);
}

// 40 ms of warmups, five rounds to 240 ms, one run of the sixth to 250 ms: 5 runs per side,
// short of min_runs 10. No look is taken; the verdict is left to say "time ran out".
TEST(Schedule, WholePhaseBudgetShortOfMinRunsStopsOutOfTime) {
  FakeClock clock;
  ScriptedTrial a1(clock, 10ms, constant(1.0)), a2(clock, 10ms, constant(1.0));
  ScriptedTrial b1(clock, 10ms, constant(1.0)), b2(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"a", {{"base", &a1}, {"candidate", &a2}}, {}},
                                         {"b", {{"base", &b1}, {"candidate", &b2}}, {}}};
  ScheduleOptions options = whole_phase(250ms);
  options.warmup = 1;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans);

  EXPECT_EQ(clock.now, 250ms);
  EXPECT_TRUE(result.out_of_time);
  for (const BenchmarkResult& bench : result.benchmarks) {
    EXPECT_EQ(bench.stop_reason, StopReason::out_of_time) << bench.id;
    EXPECT_EQ(bench.runs, 5u) << bench.id;
    EXPECT_EQ(bench.looks, 0u);
    EXPECT_FALSE(bench.confidence.has_value());
    for (const SampleSet& set : bench.samples) EXPECT_EQ(set.values.size(), 5u) << bench.id;
  }
}

// A budget spent in the warmups leaves every benchmark at 0 runs.
TEST(Schedule, WholePhaseBudgetSpentInWarmups) {
  FakeClock clock;
  ScriptedTrial a1(clock, 10ms, constant(1.0)), a2(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"a", {{"base", &a1}, {"candidate", &a2}}, {}}};
  ScheduleOptions options = whole_phase(15ms);
  options.warmup = 3;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(clock.now, 20ms);
  EXPECT_TRUE(recorder.paces.empty());  // no warmup pass was complete
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::out_of_time);
  EXPECT_EQ(result.benchmarks[0].runs, 0u);
}

// "quick" settles at its first look (10 runs, 400 ms); the rounds then take 20 ms, and the
// 600 ms left go to "open": 30 more runs, 40 in all -- where a plan made from the first pace
// (1 s / 40 ms = 25 runs) would have stopped it at 25 with time to spare.
TEST(Schedule, TimeASettledBenchmarkLeavesGoesToTheOthers) {
  FakeClock clock;
  ScriptedTrial q1(clock, 10ms, constant(1.0)), q2(clock, 10ms, constant(1.0));
  ScriptedTrial o1(clock, 10ms, constant(1.0)), o2(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{
      {"quick", {{"base", &q1}, {"candidate", &q2}}, [](const Look&) { return Decision::stop; }},
      {"open", {{"base", &o1}, {"candidate", &o2}}, [](const Look&) {
         return Decision::keep_sampling;
       }}};
  Schedule schedule(whole_phase(1s), clock.clock());
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::decided);
  EXPECT_EQ(result.benchmarks[0].runs, 10u);
  EXPECT_EQ(result.benchmarks[1].stop_reason, StopReason::max_time);
  EXPECT_EQ(result.benchmarks[1].runs, 40u);
  EXPECT_EQ(clock.now, 1s);
}

// A whole-phase budget without max_runs plans N from the warmups' pace: the rounds what is
// left of it holds, within [min_planned_runs, max_planned_runs]. Two 10 ms variants: a warmup
// pass and a round take 20 ms, so a budget B holds (B - 20 ms) / 20 ms rounds after the
// warmups. Nothing settles here, so N (or the budget) ends the benchmark.
ScheduleOptions budget_planned(nanoseconds budget) {
  ScheduleOptions options;
  options.warmup = 1;
  options.min_runs = 10;
  options.max_time = budget;
  options.time_limit = TimeLimit::whole_phase;
  options.min_planned_runs = 60;
  options.max_planned_runs = 120;
  return options;
}

struct Planned {
  ScheduleResult result;
  std::vector<Pace> paces;
};

Planned run_unsettled(const ScheduleOptions& options) {
  FakeClock clock;
  ScriptedTrial a(clock, 10ms, constant(1.0)), b(clock, 10ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"open",
                                          {{"base", &a}, {"candidate", &b}},
                                          [](const Look&) { return Decision::keep_sampling; }}};
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  Planned planned{schedule.run(plans), recorder.paces};
  return planned;
}

TEST(Schedule, BudgetPlansNBetweenItsBounds) {
  // 2020 ms: 100 rounds after the warmups, inside [60, 120]; the 100th ends at the deadline.
  Planned within = run_unsettled(budget_planned(2020ms));
  EXPECT_EQ(within.result.planned_runs, 100u);
  EXPECT_EQ(within.result.benchmarks[0].runs, 100u);
  EXPECT_EQ(within.result.benchmarks[0].stop_reason, StopReason::planned_runs);
  ASSERT_EQ(within.paces.size(), 1u);
  EXPECT_EQ(within.paces[0].planned_runs, 100u);  // told with the pace

  // 1 s holds 49 rounds: N is the floor, 60, and the budget ends the benchmark at 49 with a
  // last look that spends what is left.
  Planned short_budget = run_unsettled(budget_planned(1s));
  EXPECT_EQ(short_budget.result.planned_runs, 60u);
  EXPECT_EQ(short_budget.result.benchmarks[0].runs, 49u);
  EXPECT_EQ(short_budget.result.benchmarks[0].stop_reason, StopReason::max_time);

  // 10 s holds 499 rounds: N is the cap, 120, past the 60 a fixed plan would stop at.
  Planned long_budget = run_unsettled(budget_planned(10s));
  EXPECT_EQ(long_budget.result.planned_runs, 120u);
  EXPECT_EQ(long_budget.result.benchmarks[0].runs, 120u);
  EXPECT_EQ(long_budget.result.benchmarks[0].stop_reason, StopReason::planned_runs);
  EXPECT_FALSE(long_budget.result.out_of_time);
  // Its looks are those of N = 120: 10, 15, 23, 35, 53, 80, then 120.
  EXPECT_EQ(long_budget.result.benchmarks[0].looks, 7u);
}

// max_runs, when given, is N: the planning bounds do not apply to it.
TEST(Schedule, MaxRunsIsNEvenWithPlanningBounds) {
  ScheduleOptions options = budget_planned(10s);
  options.max_runs = 30;
  Planned planned = run_unsettled(options);
  EXPECT_EQ(planned.result.planned_runs, 30u);
  EXPECT_EQ(planned.result.benchmarks[0].runs, 30u);
}

// A benchmark that settles stops at its first look whatever N the budget planned.
TEST(Schedule, ABudgetPlannedNStillStopsASettledBenchmarkAtTheFirstLook) {
  FakeClock clock;
  ScriptedTrial a(clock, 10ms, constant(1.0)), b(clock, 10ms, constant(2.0));
  const std::vector<BenchmarkPlan> plans{
      {"clear", {{"base", &a}, {"candidate", &b}}, [](const Look&) { return Decision::stop; }}};
  Schedule schedule(budget_planned(10s), clock.clock());
  const ScheduleResult result = schedule.run(plans);
  EXPECT_EQ(result.planned_runs, 120u);
  EXPECT_EQ(result.benchmarks[0].runs, 10u);
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::decided);
}

// The pace comes once: from the full warmup passes when there are any, else the first round.
TEST(Schedule, PaceIsToldOnceAfterTheWarmups) {
  FakeClock clock;
  ScriptedTrial a1(clock, 10ms, constant(1.0)), a2(clock, 5ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"a", {{"base", &a1}, {"candidate", &a2}}, {}}};
  ScheduleOptions options = fixed_runs(3);
  options.warmup = 2;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  (void)schedule.run(plans);
  ASSERT_EQ(recorder.paces.size(), 1u);
  EXPECT_EQ(recorder.paces[0].per_round, 15ms);
  EXPECT_EQ(recorder.paces[0].elapsed, 30ms);
  EXPECT_EQ(recorder.paces[0].rounds_done, 0u);
  EXPECT_TRUE(recorder.paces[0].from_warmups);
  EXPECT_EQ(recorder.paces[0].planned_runs, 3u);

  FakeClock cold_clock;
  ScriptedTrial c(cold_clock, 7ms, constant(1.0));
  Schedule cold(fixed_runs(3), cold_clock.clock());
  Recorder cold_recorder;
  cold.add_listener(cold_recorder);
  (void)cold.run(std::vector<BenchmarkPlan>{{"c", {{"only", &c}}, {}}});
  ASSERT_EQ(cold_recorder.paces.size(), 1u);
  EXPECT_EQ(cold_recorder.paces[0].per_round, 7ms);
  EXPECT_EQ(cold_recorder.paces[0].rounds_done, 1u);
  EXPECT_FALSE(cold_recorder.paces[0].from_warmups);
  EXPECT_EQ(cold_recorder.paces[0].planned_runs, 3u);
}

// Resuming: the runs of an interrupted schedule are taken over, the looks it took are taken
// again on the same samples, and only what is missing runs.
std::vector<RunRecord> measured(const std::string& id, const std::string& variant, std::size_t runs,
                                double value) {
  std::vector<RunRecord> records;
  for (std::size_t run = 0; run < runs; ++run)
    records.push_back({id, variant, run, false, wall_time(value)});
  return records;
}

TEST(Schedule, ResumeMeasuresOnlyWhatIsMissing) {
  FakeClock clock;
  ScriptedTrial base(clock, 1ms, constant(2.0)), candidate(clock, 1ms, constant(2.0));
  const std::vector<BenchmarkPlan> plans{{"t", {{"base", &base}, {"candidate", &candidate}}, {}}};
  std::vector<RunRecord> earlier = measured("t", "base", 7, 1.0);
  const std::vector<RunRecord> other = measured("t", "candidate", 6, 1.0);
  earlier.insert(earlier.end(), other.begin(), other.end());
  earlier.push_back({"t", "base", 0, true, wall_time(9.0)});  // a warmup: not a sample
  ScheduleOptions options = fixed_runs(10);
  options.warmup = 1;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  const ScheduleResult result = schedule.run(plans, earlier);

  EXPECT_EQ(result.reused_runs, 13u);
  // The pace tells the 6 rounds taken over, so an estimate counts only what is left.
  ASSERT_EQ(recorder.paces.size(), 1u);
  EXPECT_EQ(recorder.paces[0].rounds_done, 6u);
  // Round 6 is finished by the candidate alone, then rounds 7..9 by both; one warmup each.
  EXPECT_EQ(base.calls(), 1u + 3u);
  EXPECT_EQ(candidate.calls(), 1u + 4u);
  const BenchmarkResult& bench = result.benchmarks[0];
  EXPECT_EQ(bench.runs, 10u);
  EXPECT_EQ(bench.stop_reason, StopReason::planned_runs);
  const SampleSet* b = find_sample_set(bench.samples, "t", "base", "wall_time");
  const SampleSet* c = find_sample_set(bench.samples, "t", "candidate", "wall_time");
  ASSERT_NE(b, nullptr);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(b->values, (std::vector<double>{1, 1, 1, 1, 1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(c->values, (std::vector<double>{1, 1, 1, 1, 1, 1, 2, 2, 2, 2}));
  // The new runs are numbered on from the earlier ones.
  std::vector<std::size_t> candidate_runs;
  for (const RunRecord& r : recorder.records) {
    if (!r.warmup && r.variant == "candidate") candidate_runs.push_back(r.run);
  }
  EXPECT_EQ(candidate_runs, (std::vector<std::size_t>{6, 7, 8, 9}));
}

// A benchmark whose look at 10 runs settled before the interruption is settled again on the
// same samples, with the same confidence, and runs no more; the other goes on.
TEST(Schedule, ResumeRetakesTheLooksOfTheInterruptedRun) {
  FakeClock clock;
  ScriptedTrial s1(clock, 1ms, constant(1.0)), s2(clock, 1ms, constant(1.0));
  ScriptedTrial o1(clock, 1ms, constant(1.0)), o2(clock, 1ms, constant(1.0));
  std::vector<std::size_t> settled_looks;
  const std::vector<BenchmarkPlan> plans{{"settled",
                                          {{"base", &s1}, {"candidate", &s2}},
                                          [&](const Look& look) {
                                            settled_looks.push_back(look.runs);
                                            return Decision::stop;
                                          }},
                                         {"open",
                                          {{"base", &o1}, {"candidate", &o2}},
                                          [](const Look&) { return Decision::keep_sampling; }}};
  std::vector<RunRecord> earlier;
  for (const char* id : {"settled", "open"}) {
    for (const char* variant : {"base", "candidate"}) {
      const std::vector<RunRecord> runs = measured(id, variant, 12, 1.0);
      earlier.insert(earlier.end(), runs.begin(), runs.end());
    }
  }
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 20;
  Schedule schedule(options, clock.clock());
  const ScheduleResult result = schedule.run(plans, earlier);

  EXPECT_EQ(settled_looks, (std::vector<std::size_t>{10}));
  EXPECT_EQ(s1.calls() + s2.calls(), 0u);
  const BenchmarkResult& settled = result.benchmarks[0];
  EXPECT_EQ(settled.stop_reason, StopReason::decided);
  EXPECT_EQ(settled.runs, 10u);  // judged on the samples of its look
  for (const SampleSet& set : settled.samples) EXPECT_EQ(set.values.size(), 10u);
  const std::vector<double> fractions{0.5};
  EXPECT_NEAR(*settled.confidence,
              1.0 - stats::spending_boundaries(fractions, 0.05, options.spending)[0].nominal_alpha,
              1e-12);
  EXPECT_EQ(result.benchmarks[1].runs, 20u);
  EXPECT_EQ(o1.calls(), 8u);
  EXPECT_EQ(result.reused_runs, 20u + 24u);
}

// A failure in the journal stops its benchmark again: no more runs, the failure kept.
TEST(Schedule, ResumeKeepsAFailure) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"t", {{"only", &a}}, {}}};
  std::vector<RunRecord> earlier = measured("t", "only", 2, 1.0);
  earlier.push_back({"t", "only", 2, false, failed("killed by SIGSEGV")});
  Schedule schedule(fixed_runs(10), clock.clock());
  const ScheduleResult result = schedule.run(plans, earlier);
  EXPECT_EQ(a.calls(), 0u);
  EXPECT_EQ(result.benchmarks[0].stop_reason, StopReason::failed);
  ASSERT_EQ(result.benchmarks[0].samples.size(), 1u);
  EXPECT_EQ(result.benchmarks[0].samples[0].failures.size(), 1u);
}

TEST(Schedule, ProgressPrecedesEveryRun) {
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, constant(1.0));
  const std::vector<BenchmarkPlan> plans{{"p", {{"a", &a}}, {}}};
  ScheduleOptions options = fixed_runs(4);
  options.warmup = 1;
  Schedule schedule(options, clock.clock());
  Recorder recorder;
  schedule.add_listener(recorder);
  (void)schedule.run(plans);
  ASSERT_EQ(recorder.progress_updates.size(), 5u);
  EXPECT_TRUE(recorder.progress_updates[0].warmup);
  EXPECT_EQ(recorder.progress_updates[4].round, 4u);
  EXPECT_EQ(recorder.progress_updates[4].planned_runs, 4u);
}

// A/A: both variants draw from the same N(0, 1). A z-test on the means (known sigma, so the
// canonical joint distribution holds exactly) at each look's confidence, stopping at the first
// significant difference, must raise a false alarm in about alpha of the experiments.
double aa_false_alarm_rate(bool spend, int experiments) {
  std::mt19937_64 generator(2024);
  std::normal_distribution<double> normal;
  FakeClock clock;
  ScriptedTrial a(clock, 1ms, [&](std::size_t) { return wall_time(normal(generator)); });
  ScriptedTrial b(clock, 1ms, [&](std::size_t) { return wall_time(normal(generator)); });
  const auto differs = [spend](std::span<const SampleSet> samples, double confidence) {
    const SampleSet* x = find_sample_set(samples, "aa", "a", "wall_time");
    const SampleSet* y = find_sample_set(samples, "aa", "b", "wall_time");
    double mean_x = 0.0, mean_y = 0.0;
    for (const double v : x->values) mean_x += v / static_cast<double>(x->values.size());
    for (const double v : y->values) mean_y += v / static_cast<double>(y->values.size());
    const double level = spend ? confidence : 0.95;
    const double z = std::sqrt(2.0) * boost::math::erfc_inv(1.0 - level);
    const double se = std::sqrt(1.0 / static_cast<double>(x->values.size()) +
                                1.0 / static_cast<double>(y->values.size()));
    return std::abs(mean_y - mean_x) > z * se;
  };
  const std::vector<BenchmarkPlan> plans{{"aa", {{"a", &a}, {"b", &b}}, [&](const Look& look) {
                                            return differs(look.samples, look.confidence)
                                                       ? Decision::stop
                                                       : Decision::keep_sampling;
                                          }}};
  ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = 60;
  Schedule schedule(options, clock.clock());
  int alarms = 0;
  for (int experiment = 0; experiment < experiments; ++experiment) {
    const ScheduleResult result = schedule.run(plans);
    const BenchmarkResult& bench = result.benchmarks[0];
    if (differs(bench.samples, *bench.confidence)) ++alarms;
  }
  return static_cast<double>(alarms) / experiments;
}

TEST(Schedule, RepeatedLooksKeepTheFalseAlarmRateAtAlpha) {
  constexpr int kExperiments = 4000;  // standard error of a 5% rate: 0.0034
  EXPECT_NEAR(aa_false_alarm_rate(/*spend=*/true, kExperiments), 0.05, 0.012);
  // The same looks at a fixed 95% would cry wolf about twice as often.
  EXPECT_GT(aa_false_alarm_rate(/*spend=*/false, kExperiments), 0.09);
}

}  // namespace
}  // namespace perfguard::harness
