#pragma once
// The schedule: several benchmarks x several variants, interleaved, randomized and adaptive.
//
// Rounds. Each round runs every variant of every benchmark still running once, in an order
// shuffled anew each round from a seeded generator, so that drift (a warming CPU, a background
// job, a filling cache) hits all variants alike instead of whichever always runs second. Before
// the first round each variant runs its benchmark's warmups (BenchmarkPlan::warmup, else
// ScheduleOptions::warmup), in passes shuffled like rounds; warmups are journaled, never
// sampled. A warmup that fails stops its benchmark like a failed run: its failure is in the
// benchmark's samples (Failure::warmup), so a crash in a warmup is never hidden.
//
// Planned runs N: max_runs, or -- with max_time -- as many rounds as max_time holds at the pace
// of the warmup passes every benchmark took part in (or of the first round without such
// passes), at least min_runs and min_planned_runs, at most max_planned_runs and max_runs;
// hyperfine sizes its runs the same way. max_time counts from the first measured round.
// N is fixed once, from that pace, before the first look: the looks spend alpha over the
// fraction runs / N, which would not hold if N grew with the data.
//
// A whole-phase budget (TimeLimit::whole_phase, `perfguard compare --max-time`) bounds
// everything instead, from the first warmup to the last run: before each warmup and run the
// clock is read, and once the budget is spent nothing more starts, so it is overrun by at most
// the run in flight. N is then max_runs; without it, what is left of the budget holds at the
// pace plus the rounds done, within [max(min_runs, min_planned_runs), max_planned_runs]. A
// benchmark whose verdict settles stops and the rounds that remain, shorter now, go to the
// unsettled ones. A round the budget cut leaves out the benchmarks it reached on some
// variants only (their runs stay in result.runs, the journal): the sides keep equal runs. A
// benchmark still short of min_runs when the budget runs out stops as out_of_time, with no
// look: its verdict cannot be trusted, and the gate says so (inconclusive, never a pass).
//
// Looks. A benchmark is looked at after min_runs rounds, then each time its run count has grown
// by half (10, 15, 23, 35, 53, ...), and at N. At an interim look its stop rule decides whether
// the question is settled; the rule is told the confidence to test at, from Lan-DeMets error
// spending over the information fraction runs / N (stats/sequential.hpp, Pocock-type by
// default), so that looking early and often does not inflate false alarms. The last look --
// at N, or the first round end past max_time once min_runs are done -- spends what is left (its
// fraction is 1); its confidence is reported for the final verdict. A run that fails stops its
// benchmark at once: the verdict is an error, and more runs would only spend time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/sample_set.hpp"
#include "harness/trial.hpp"
#include "stats/sequential.hpp"

namespace perfguard::harness {

enum class Decision { keep_sampling, stop };

// What a stop rule sees at an interim look.
struct Look {
  std::string_view benchmark;
  std::span<const SampleSet> samples;  // every set of this benchmark so far (all variants, metrics)
  std::size_t number = 0;              // 1-based
  std::size_t runs = 0;                // measured runs per variant so far
  double confidence = 0.0;             // the level to test at in this look
};

using StopRule = std::function<Decision(const Look&)>;

struct Variant {
  std::string name;        // the SampleSet's variant ("base", "candidate", a command)
  Trial* trial = nullptr;  // not owned; outlives the schedule run
};

struct BenchmarkPlan {
  std::string id;
  std::vector<Variant> variants;
  // Empty: nothing settles early, so there are no interim looks; the benchmark runs to N and its
  // one look spends all of alpha.
  StopRule stop_rule;
  // An extra interim look before min_runs, at this many runs: exact counts settle after two
  // runs per variant, where timings need many. The look spends its share of alpha like any.
  // Not taken when the run count is fixed (min_runs == max_runs).
  std::optional<std::size_t> first_look = std::nullopt;
  // Warmup runs per variant before its first measured run; nullopt: ScheduleOptions::warmup.
  std::optional<std::size_t> warmup = std::nullopt;
};

inline constexpr std::uint64_t kDefaultScheduleSeed = 0x5eed'2bad'cafe'f00dULL;
// Interim looks come when the run count has grown by this factor: few enough looks that the
// spending leaves each a useful level, often enough to stop soon after the answer is clear.
inline constexpr double kLookGrowth = 1.5;

// What max_time bounds (see the top of this file).
enum class TimeLimit {
  after_min_runs,  // the rounds after min_runs, which always run (`perfguard time`, hyperfine)
  whole_phase,     // warmups and every round (`perfguard compare`)
};

struct ScheduleOptions {
  std::size_t warmup = 0;  // per variant, unless its BenchmarkPlan sets one
  std::size_t min_runs = 10;
  std::optional<std::size_t> max_runs;
  std::optional<std::chrono::nanoseconds> max_time;  // at least one of max_runs, max_time
  TimeLimit time_limit = TimeLimit::after_min_runs;
  // Bounds of an N planned from max_time (see the top of this file); an N from max_runs is
  // not bounded by them. max_planned_runs, when set, is at least min_runs and min_planned_runs.
  std::size_t min_planned_runs = 0;
  std::optional<std::size_t> max_planned_runs;
  double alpha = 0.05;                               // two-sided, spent across the looks
  // Pocock-type: it spends early, so clear results stop early. On A/A and +5% A/B trials
  // (bench/detection/README.md) it raised fewer false alarms than O'Brien-Fleming-type
  // (1.30% vs 1.54% regressed) and detected nearly as much (98.6% vs 99.3%) with 30% fewer runs.
  stats::Spending spending = stats::Spending::pocock;
  std::uint64_t seed = kDefaultScheduleSeed;  // of the order within rounds
};

enum class StopReason {
  decided,       // the stop rule settled it at an interim look
  planned_runs,  // reached N
  max_time,      // the time budget ran out after min_runs: the last look judged it
  out_of_time,   // a whole-phase budget ran out before min_runs: too few runs to judge
  failed,        // a run failed
};

[[nodiscard]] std::string_view to_string(StopReason reason) noexcept;

struct BenchmarkResult {
  std::string id;
  std::vector<SampleSet> samples;
  std::size_t runs = 0;   // complete rounds: measured runs per variant (those judged)
  std::size_t looks = 0;  // including the last
  // The level the last look tested at: the one to judge the final samples at. nullopt when a
  // failure stopped the benchmark before any look.
  std::optional<double> confidence;
  StopReason stop_reason = StopReason::planned_runs;
};

struct ScheduleResult {
  std::vector<BenchmarkResult> benchmarks;  // in the order given
  std::vector<RunRecord> runs;              // every warmup and run, in execution order
  std::size_t planned_runs = 0;             // N; 0 if nothing was measured
  bool out_of_time = false;                 // the time budget ended the schedule
  std::size_t reused_runs = 0;              // measured runs taken over from `earlier` (run())
};

// How fast a round goes, known once: after the warmup passes that took every benchmark (the
// measured rounds are that long), else after the first round. What an estimate of the time
// measuring will take is made from.
struct Pace {
  std::chrono::nanoseconds per_round{0};  // one run of every variant of every benchmark
  std::chrono::nanoseconds elapsed{0};    // since the first warmup (or round) began
  // Rounds done already: the first (when it gave the pace), and those a resumed schedule took
  // over (the fewest of any benchmark still running).
  std::size_t rounds_done = 0;
  bool from_warmups = false;
  // N, planned by the time the pace is told (from max_runs, or from this pace and max_time).
  std::size_t planned_runs = 0;
};

struct Progress {
  bool warmup = false;
  std::size_t round = 0;                // 1-based round (or warmup) in progress
  std::size_t planned_runs = 0;         // N, 0 until known
  std::size_t active = 0;               // benchmarks still running
  std::chrono::nanoseconds elapsed{0};  // since the first measured round began
};

class ScheduleListener {
 public:
  virtual ~ScheduleListener() = default;
  // After every warmup and run, as soon as it is done (the journal writes it then).
  virtual void on_run(const RunRecord& record) = 0;
  // Before every run.
  virtual void on_progress(const Progress& /*progress*/) {}
  // Once, when the pace of a round is known and N planned: after the warmups (or the first
  // round), before the next run.
  virtual void on_pace(const Pace& /*pace*/) {}
};

// A monotonic clock: time since an arbitrary epoch. Tests inject a scripted one.
using Clock = std::function<std::chrono::nanoseconds()>;
[[nodiscard]] std::chrono::nanoseconds steady_now();

// The run counts of the looks: min_runs, then growing by kLookGrowth (at least by 1), then N.
// min_runs above N is clipped to N. Requires min_runs >= 1 and N >= 1.
[[nodiscard]] std::vector<std::size_t> planned_looks(std::size_t min_runs,
                                                     std::size_t planned_runs);

class Schedule {
 public:
  // Requires min_runs >= 1, max_runs >= min_runs, at least one of max_runs and max_time,
  // max_planned_runs >= max(min_runs, min_planned_runs), and 0 < alpha < 1: the command line
  // validates these before a schedule exists.
  explicit Schedule(ScheduleOptions options, Clock clock = steady_now);

  // Listeners must outlive run().
  void add_listener(ScheduleListener& listener) { listeners_.push_back(&listener); }

  // Runs the plans to their stops. Every benchmark needs at least one variant, ids must be
  // unique. Throws what trials throw (perfguard::ExecutionError: a setup failed, a command
  // could not be started); what was measured until then is already with the listeners.
  //
  // `earlier`: the runs an interrupted schedule of the same plans and options journaled (its
  // warmups' values are ignored, their failures kept). Each benchmark takes them over: its
  // complete rounds count as runs, a round left half done is finished by the variants it had
  // not reached, the looks the interrupted schedule took are taken again on the same samples
  // (so a benchmark that had settled, failed or reached N is done), and the rest is measured
  // after the usual warmups. Listeners hear only of the new runs. Needs N known before any
  // round: max_runs set, and no max_time unless it is a whole-phase one.
  [[nodiscard]] ScheduleResult run(std::span<const BenchmarkPlan> benchmarks,
                                   std::span<const RunRecord> earlier = {});

 private:
  // The confidence of a look depends only on the fractions of the looks so far, which the
  // benchmarks of a schedule share; the numerical integration behind it is worth not repeating.
  [[nodiscard]] double look_confidence(const std::vector<double>& fractions);

  ScheduleOptions options_;
  Clock clock_;
  std::vector<ScheduleListener*> listeners_;
  std::map<std::vector<double>, double> confidence_cache_;
};

}  // namespace perfguard::harness
