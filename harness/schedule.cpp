#include "harness/schedule.hpp"

#include <algorithm>
#include <cmath>
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

ScheduleResult Schedule::run(std::span<const BenchmarkPlan> benchmarks) {
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

  const auto active_count = [&] {
    return static_cast<std::size_t>(
        std::count_if(running.begin(), running.end(), [](const Running& r) { return r.active(); }));
  };
  // One pass over every variant of every running benchmark, in a fresh random order.
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
      const Progress progress{warmup, index + 1, planned, active_count(),
                              warmup ? nanoseconds{0} : clock_() - start};
      for (ScheduleListener* listener : listeners_) listener->on_progress(progress);
      const Variant& variant = bench.plan->variants[slot.variant];
      RunRecord record{bench.plan->id, variant.name, index, warmup, variant.trial->run()};
      for (ScheduleListener* listener : listeners_) listener->on_run(record);
      if (record.outcome.failed()) bench.stopped = StopReason::failed;
      // A failed warmup is kept for its failure (collect_sample_sets skips warmups' values).
      if (!warmup || record.outcome.failed()) bench.records.push_back(record);
      result.runs.push_back(std::move(record));
    }
  };
  // N from the pace of one round, clamped to [min_runs, max_runs].
  const auto plan_runs = [&](nanoseconds per_round) {
    std::size_t n = options_.max_runs.value_or(0);
    if (options_.max_time) {
      const double rounds = static_cast<double>(options_.max_time->count()) /
                            static_cast<double>(std::max<nanoseconds::rep>(per_round.count(), 1));
      n = std::max(options_.min_runs, static_cast<std::size_t>(std::min(rounds, 1e9)));
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
  const nanoseconds warmup_start = clock_();
  nanoseconds full_passes{0};
  for (std::size_t w = 0; w < most && active_count() > 0; ++w) {
    pass(true, w);
    if (w + 1 == full) full_passes = clock_() - warmup_start;
  }
  if (full > 0 && options_.max_time) {
    planned = plan_runs(full_passes / static_cast<nanoseconds::rep>(full));
  } else if (!options_.max_time) {
    planned = *options_.max_runs;
  }

  start = clock_();
  for (std::size_t round = 0; active_count() > 0; ++round) {
    pass(false, round);
    const std::size_t runs = round + 1;
    const nanoseconds elapsed = clock_() - start;
    if (planned == 0) planned = plan_runs(elapsed);
    const bool out_of_time =
        options_.max_time && elapsed >= *options_.max_time && runs >= options_.min_runs;
    for (Running& bench : running) {
      if (!bench.active()) continue;
      bench.runs = runs;
      if (bench.looks.empty()) {
        bench.looks = planned_looks(options_.min_runs, planned);
        // A fixed run count (min_runs == max_runs) has no early stop, and no early look.
        const bool fixed = options_.max_runs && *options_.max_runs == options_.min_runs;
        const std::optional<std::size_t> first = bench.plan->first_look;
        if (!fixed && first && *first >= 1 && *first < bench.looks.front())
          bench.looks.insert(bench.looks.begin(), *first);
      }
      if (runs >= planned || out_of_time) {
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

  result.planned_runs = planned;
  for (Running& bench : running) {
    result.benchmarks.push_back({bench.plan->id, collect_sample_sets(bench.records), bench.runs,
                                 bench.fractions.size(), bench.confidence, *bench.stopped});
  }
  return result;
}

}  // namespace perfguard::harness
