#include "harness/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <random>
#include <utility>

#include "core/check.hpp"

namespace perfguard::harness {
namespace {

using std::chrono::nanoseconds;

// One benchmark's state while the schedule runs.
struct Running {
  const BenchmarkPlan* plan = nullptr;
  std::vector<RunRecord> records;  // measured runs, and a warmup that failed
  std::vector<std::size_t> looks;  // planned look run counts, once N is known
  std::size_t next_look = 0;
  std::vector<double> fractions;  // information fraction of each look taken
  std::optional<double> confidence;
  std::optional<StopReason> stopped;
  std::size_t runs = 0;
  std::size_t offset = 0;  // complete rounds an interrupted schedule measured before this one

  [[nodiscard]] bool active() const noexcept { return !stopped.has_value(); }
};

struct Slot {
  std::size_t benchmark = 0;
  std::size_t variant = 0;
};

}  // namespace

std::string_view to_string(StopReason reason) noexcept {
  switch (reason) {
    case StopReason::decided:
      return "decided";
    case StopReason::planned_runs:
      return "planned_runs";
    case StopReason::max_time:
      return "max_time";
    case StopReason::out_of_time:
      return "out_of_time";
    case StopReason::failed:
      return "failed";
  }
  return "unknown";
}

nanoseconds steady_now() {
  return std::chrono::duration_cast<nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

std::vector<std::size_t> planned_looks(std::size_t min_runs, std::size_t planned_runs) {
  PG_CHECK(min_runs >= 1 && planned_runs >= 1);
  std::vector<std::size_t> looks;
  for (std::size_t n = std::min(min_runs, planned_runs); n < planned_runs;) {
    looks.push_back(n);
    n = std::max(n + 1, static_cast<std::size_t>(std::ceil(static_cast<double>(n) * kLookGrowth)));
  }
  looks.push_back(planned_runs);
  return looks;
}

Schedule::Schedule(ScheduleOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {
  PG_CHECK(options_.min_runs >= 1);
  PG_CHECK(options_.max_runs || options_.max_time);
  PG_CHECK(!options_.max_runs || *options_.max_runs >= options_.min_runs);
  PG_CHECK(!options_.max_planned_runs ||
           *options_.max_planned_runs >= std::max(options_.min_runs, options_.min_planned_runs));
  PG_CHECK(options_.alpha > 0.0 && options_.alpha < 1.0);
}

double Schedule::look_confidence(const std::vector<double>& fractions) {
  const auto cached = confidence_cache_.find(fractions);
  if (cached != confidence_cache_.end()) return cached->second;
  const std::vector<stats::LookBoundary> boundaries =
      stats::spending_boundaries(fractions, options_.alpha, options_.spending);
  const double confidence = 1.0 - boundaries.back().nominal_alpha;
  confidence_cache_.emplace(fractions, confidence);
  return confidence;
}

ScheduleResult Schedule::run(std::span<const BenchmarkPlan> benchmarks,
                             std::span<const RunRecord> earlier) {
  ScheduleResult result;
  std::vector<Running> running(benchmarks.size());
  for (std::size_t b = 0; b < benchmarks.size(); ++b) {
    PG_CHECK(!benchmarks[b].variants.empty());
    for (std::size_t other = 0; other < b; ++other)
      PG_CHECK(benchmarks[other].id != benchmarks[b].id);
    running[b].plan = &benchmarks[b];
  }
  for (const BenchmarkPlan& plan : benchmarks) {
    for (const Variant& variant : plan.variants) {
      PG_CHECK(variant.trial != nullptr);
      variant.trial->setup();
    }
  }

  std::mt19937_64 generator(options_.seed);
  nanoseconds start{0};
  std::size_t planned = 0;
  // Resuming needs N before any round: max_runs, unless a budget of rounds plans it.
  PG_CHECK(
      earlier.empty() ||
      (options_.max_runs && (!options_.max_time || options_.time_limit == TimeLimit::whole_phase)));
  // A whole-phase budget: nothing starts once the clock passes the deadline.
  const bool whole = options_.max_time && options_.time_limit == TimeLimit::whole_phase;
  nanoseconds deadline{0};
  bool out_of_time = false;
  const auto time_is_up = [&] {
    if (whole && !out_of_time && clock_() >= deadline) out_of_time = true;
    return out_of_time;
  };

  const auto active_count = [&] {
    return static_cast<std::size_t>(
        std::count_if(running.begin(), running.end(), [](const Running& r) { return r.active(); }));
  };
  // One pass over every variant of every running benchmark, in a fresh random order; a
  // whole-phase budget that runs out ends it early.
  const auto pass = [&](bool warmup, std::size_t index) {
    std::vector<Slot> order;
    for (std::size_t b = 0; b < running.size(); ++b) {
      if (!running[b].active()) continue;
      if (warmup && running[b].plan->warmup.value_or(options_.warmup) <= index) continue;
      for (std::size_t v = 0; v < running[b].plan->variants.size(); ++v) order.push_back({b, v});
    }
    std::shuffle(order.begin(), order.end(), generator);
    for (const Slot& slot : order) {
      Running& bench = running[slot.benchmark];
      if (!bench.active()) continue;  // failed earlier in this pass
      const Variant& variant = bench.plan->variants[slot.variant];
      const std::size_t run = warmup ? index : bench.offset + index;
      // A round an interrupted schedule left half done: only the variants it did not reach.
      if (!warmup &&
          std::any_of(bench.records.begin(), bench.records.end(), [&](const RunRecord& r) {
            return !r.warmup && r.variant == variant.name && r.run == run;
          })) {
        continue;
      }
      if (time_is_up()) return;
      const Progress progress{warmup, index + 1, planned, active_count(),
                              warmup ? nanoseconds{0} : clock_() - start};
      for (ScheduleListener* listener : listeners_) listener->on_progress(progress);
      RunRecord record{bench.plan->id, variant.name, run, warmup, variant.trial->run()};
      for (ScheduleListener* listener : listeners_) listener->on_run(record);
      if (record.outcome.failed()) bench.stopped = StopReason::failed;
      // A failed warmup is kept for its failure (collect_sample_sets skips warmups' values).
      if (!warmup || record.outcome.failed()) bench.records.push_back(record);
      result.runs.push_back(std::move(record));
    }
  };
  // N from the pace of one round: the rounds the budget holds (what is left of it, for a
  // whole-phase one, plus the rounds done), clamped to [max(min_runs, min_planned_runs),
  // max_planned_runs], then to max_runs.
  const auto plan_runs = [&](nanoseconds per_round, std::size_t rounds_done) {
    if (whole && options_.max_runs) return *options_.max_runs;
    std::size_t n = options_.max_runs.value_or(0);
    if (options_.max_time) {
      const nanoseconds budget =
          whole ? std::max(deadline - clock_(), nanoseconds{0}) : *options_.max_time;
      const double rounds = static_cast<double>(budget.count()) /
                            static_cast<double>(std::max<nanoseconds::rep>(per_round.count(), 1));
      n = std::max({options_.min_runs, options_.min_planned_runs,
                    static_cast<std::size_t>(std::min(rounds, 1e9)) + (whole ? rounds_done : 0)});
      if (options_.max_planned_runs) n = std::min(n, *options_.max_planned_runs);
      if (options_.max_runs) n = std::min(n, *options_.max_runs);
    }
    return n;
  };
  // Takes a look at the information fraction; returns the level to test at.
  const auto look = [&](Running& bench, double fraction) {
    bench.fractions.push_back(fraction);
    bench.confidence = look_confidence(bench.fractions);
    return *bench.confidence;
  };
  const auto plan_looks = [&](Running& bench) {
    bench.looks = planned_looks(options_.min_runs, std::max<std::size_t>(planned, 1));
    // A fixed run count (min_runs == max_runs) has no early stop, and no early look.
    const bool fixed = options_.max_runs && *options_.max_runs == options_.min_runs;
    const std::optional<std::size_t> first = bench.plan->first_look;
    if (!fixed && first && *first >= 1 && *first < bench.looks.front())
      bench.looks.insert(bench.looks.begin(), *first);
  };
  // Takes over what an interrupted schedule measured of this benchmark, and the looks it
  // took: the same samples give the same decisions, so a benchmark that had settled is done.
  const auto resume = [&](Running& bench) {
    for (const RunRecord& r : earlier) {
      if (r.benchmark != bench.plan->id) continue;
      const bool known = std::any_of(bench.plan->variants.begin(), bench.plan->variants.end(),
                                     [&](const Variant& v) { return v.name == r.variant; });
      if (!known || (r.warmup && !r.outcome.failed())) continue;
      bench.records.push_back(r);
      if (r.outcome.failed()) bench.stopped = StopReason::failed;
    }
    std::size_t complete = SIZE_MAX;
    for (const Variant& variant : bench.plan->variants) {
      complete = std::min(complete,
                          static_cast<std::size_t>(std::count_if(
                              bench.records.begin(), bench.records.end(), [&](const RunRecord& r) {
                                return !r.warmup && r.variant == variant.name;
                              })));
    }
    bench.offset = bench.runs = complete;
    if (!bench.active() || complete == 0) return;
    plan_looks(bench);
    while (bench.next_look < bench.looks.size() && bench.looks[bench.next_look] <= complete) {
      const std::size_t runs = bench.looks[bench.next_look];
      if (runs >= planned) break;
      if (!bench.plan->stop_rule) break;
      ++bench.next_look;
      const double confidence =
          look(bench, static_cast<double>(runs) / static_cast<double>(planned));
      std::vector<RunRecord> so_far;
      std::copy_if(bench.records.begin(), bench.records.end(), std::back_inserter(so_far),
                   [&](const RunRecord& r) { return r.warmup || r.run < runs; });
      const std::vector<SampleSet> samples = collect_sample_sets(so_far);
      const Look interim{bench.plan->id, samples, bench.fractions.size(), runs, confidence};
      if (bench.plan->stop_rule(interim) == Decision::stop) {
        bench.stopped = StopReason::decided;
        bench.runs = runs;
        break;
      }
    }
    if (bench.active() && complete >= planned) {
      bench.runs = planned;
      look(bench, 1.0);
      bench.stopped = StopReason::planned_runs;
    }
    // A benchmark that is done keeps the rounds it was judged on: the sides stay equal.
    if (!bench.active()) {
      std::erase_if(bench.records,
                    [&](const RunRecord& r) { return !r.warmup && r.run >= bench.runs; });
    }
    result.reused_runs += static_cast<std::size_t>(std::count_if(
        bench.records.begin(), bench.records.end(), [](const RunRecord& r) { return !r.warmup; }));
  };
  const auto tell_pace = [&](Pace pace) {
    std::size_t taken_over = SIZE_MAX;
    for (const Running& bench : running) {
      if (bench.active()) taken_over = std::min(taken_over, bench.offset);
    }
    if (taken_over != SIZE_MAX) pace.rounds_done += taken_over;
    for (ScheduleListener* listener : listeners_) listener->on_pace(pace);
  };

  // Warmup pass w runs the benchmarks that want more than w warmups. The first `full` passes
  // take every benchmark, like a round: their pace plans N.
  const auto warmups = [&](const Running& bench) {
    return bench.plan->warmup.value_or(options_.warmup);
  };
  std::size_t most = 0;
  std::size_t full = running.empty() ? 0 : warmups(running.front());
  for (const Running& bench : running) {
    most = std::max(most, warmups(bench));
    full = std::min(full, warmups(bench));
  }
  if (!earlier.empty()) {
    planned = *options_.max_runs;
    for (Running& bench : running) resume(bench);
  }

  const nanoseconds warmup_start = clock_();
  if (whole) deadline = warmup_start + *options_.max_time;
  nanoseconds full_passes{0};
  bool pace_known = false;
  for (std::size_t w = 0; w < most && active_count() > 0 && !out_of_time; ++w) {
    pass(true, w);
    if (w + 1 == full && !out_of_time) {
      full_passes = clock_() - warmup_start;
      pace_known = true;
    }
  }
  if (whole && options_.max_runs) {
    planned = *options_.max_runs;
  } else if (pace_known && options_.max_time) {
    planned = plan_runs(full_passes / static_cast<nanoseconds::rep>(full), 0);
  } else if (!options_.max_time) {
    planned = *options_.max_runs;
  }
  // Told once N is planned from it, so that an estimate can name N.
  if (pace_known) {
    tell_pace({full_passes / static_cast<nanoseconds::rep>(full), clock_() - warmup_start, 0, true,
               planned});
  }

  start = clock_();
  for (std::size_t round = 0; active_count() > 0; ++round) {
    if (!out_of_time) pass(false, round);
    const bool cut = out_of_time;  // the budget ran out before the round was complete
    const nanoseconds elapsed = clock_() - start;
    if (planned == 0 && !cut) planned = plan_runs(elapsed, round + 1);
    if (!cut && !pace_known) {
      pace_known = true;
      tell_pace({elapsed, clock_() - warmup_start, 1, false, planned});
    }
    const bool last_round = whole ? time_is_up()
                                  : options_.max_time && elapsed >= *options_.max_time &&
                                        round + 1 >= options_.min_runs;
    for (Running& bench : running) {
      if (!bench.active()) continue;
      bench.runs = bench.offset + round + 1;
      if (cut) {
        // Only rounds every variant completed are judged: the sides keep equal runs.
        const auto in_round = [&](const RunRecord& r) {
          return !r.warmup && r.run == bench.offset + round;
        };
        const auto done = static_cast<std::size_t>(
            std::count_if(bench.records.begin(), bench.records.end(), in_round));
        if (done < bench.plan->variants.size()) {
          std::erase_if(bench.records, in_round);
          bench.runs = bench.offset + round;
        }
      }
      if (last_round && bench.runs < options_.min_runs) {
        bench.stopped = StopReason::out_of_time;
        continue;
      }
      if (bench.looks.empty()) plan_looks(bench);
      const std::size_t runs = bench.runs;
      if (runs >= planned || last_round) {
        look(bench, 1.0);
        bench.stopped = runs >= planned ? StopReason::planned_runs : StopReason::max_time;
        continue;
      }
      // Without a rule nothing can stop early, and a look would spend alpha for nothing.
      if (!bench.plan->stop_rule) continue;
      if (bench.next_look >= bench.looks.size() || runs != bench.looks[bench.next_look]) continue;
      ++bench.next_look;
      const double confidence =
          look(bench, static_cast<double>(runs) / static_cast<double>(planned));
      const std::vector<SampleSet> samples = collect_sample_sets(bench.records);
      const Look interim{bench.plan->id, samples, bench.fractions.size(), runs, confidence};
      if (bench.plan->stop_rule(interim) == Decision::stop) bench.stopped = StopReason::decided;
    }
  }

  result.out_of_time = out_of_time;
  result.planned_runs = planned;
  for (Running& bench : running) {
    result.benchmarks.push_back({bench.plan->id, collect_sample_sets(bench.records), bench.runs,
                                 bench.fractions.size(), bench.confidence, *bench.stopped});
  }
  return result;
}

}  // namespace perfguard::harness
