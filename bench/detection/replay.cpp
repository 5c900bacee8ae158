// Paired rounds replayed (README.md, "Paired rounds"): the real schedule, stop rule and verdict
// of `perfguard compare`, fed with rounds recorded on this machine by record_rounds.py instead
// of spawned runs, once per ratio method. A trial starts at a random round of the recording and
// replays the rounds that follow it, in their recorded order (wrapping at the end): a burst of
// a neighbour that spanned several rounds spans them in the replay too, and base and
// candidate of a replayed round are the two runs that shared that round's neighbours.
//
//   detection_replay [OPTIONS] POOL.json...
//     --metric wall|cpu      the time judged (default wall)
//     --trials N             trials per pool and method (default 1000)
//     --threshold T          the verdict's threshold, a fraction (default 0.05, compare's)
//     --max-runs N           runs per side at most (default 60, compare's)
//     --methods A,B,...      which methods (default the product's: median_ratio, paired_sign,
//                            paired_signed_rank); also q25_ratio, q10_ratio (ratio of lower
//                            quantiles, exact bootstrap interval) and hybrid (paired sign and
//                            median ratio, each at half the alpha, intervals intersected)
//     --reorder              A/A recordings only: replay each round with its two runs swapped
//                            with probability 1/2 -- the same machine history under a fresh
//                            random order within each round, as perfguard would draw it
//     --null N               instead: N trials of the null built from each pool -- its rounds
//                            drawn independently, each with base and candidate swapped with
//                            probability 1/2 (identical code run in a random order makes that
//                            swap invisible) -- and `regressed` tallied by the look that
//                            ended the trial, next to the spending bound a(t_k) / 2.
// Prints one line per pool and method: verdicts, red gates (any verdict that does not pass),
// runs per side (mean, median) and seconds of runs until the verdict (median).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "budgets/verdict.hpp"
#include "harness/schedule.hpp"
#include "pipeline/stop_rules.hpp"
#include "stats/compare.hpp"
#include "stats/descriptive.hpp"
#include "stats/exact_bootstrap.hpp"
#include "stats/paired.hpp"
#include "stats/sequential.hpp"

namespace {

using namespace perfguard;

struct Round {
  double base = 0.0;
  double candidate = 0.0;
  double seconds = 0.0;  // wall time of both runs: what the round cost
};

struct Pool {
  std::string name;
  std::vector<Round> rounds;
};

// How a trial takes its rounds.
enum class Draw {
  recorded,   // the rounds that follow a random start, as recorded
  reordered,  // the same, each round's two runs swapped with probability 1/2: for an A/A
              // recording, a fresh random order within each round on the same machine history
  null,       // rounds drawn independently, each swapped with probability 1/2
};

// The rounds of one trial.
class RoundSource {
 public:
  RoundSource(const Pool& pool, std::mt19937_64& generator, Draw draw)
      : pool_(pool), generator_(generator), draw_(draw) {}
  void restart() {
    start_ = std::uniform_int_distribution<std::size_t>(0, pool_.rounds.size() - 1)(generator_);
    drawn_.clear();
  }
  // Round k of this trial.
  const Round& at(std::size_t k) {
    if (draw_ == Draw::recorded) return pool_.rounds[(start_ + k) % pool_.rounds.size()];
    while (drawn_.size() <= k) {
      const std::size_t index =
          draw_ == Draw::null
              ? std::uniform_int_distribution<std::size_t>(0, pool_.rounds.size() - 1)(generator_)
              : (start_ + drawn_.size()) % pool_.rounds.size();
      Round r = pool_.rounds[index];
      if (std::bernoulli_distribution(0.5)(generator_)) std::swap(r.base, r.candidate);
      drawn_.push_back(r);
    }
    return drawn_[k];
  }

 private:
  const Pool& pool_;
  std::mt19937_64& generator_;
  Draw draw_;
  std::size_t start_ = 0;
  std::vector<Round> drawn_;
};

// One side of the replay: its k-th run returns its value of round k, and moves the clock by
// half the round's cost (the other side moves it by the other half).
class ReplayTrial final : public harness::Trial {
 public:
  ReplayTrial(RoundSource& source, bool base, std::chrono::nanoseconds& clock)
      : source_(source), base_(base), clock_(clock) {}
  void restart() { next_ = 0; }
  [[nodiscard]] harness::Outcome run() override {
    const Round& round = source_.at(next_++);
    clock_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(round.seconds / 2.0));
    harness::Outcome outcome;
    outcome.observations = {{"", std::string(harness::kWallTime), "s",
                             base_ ? round.base : round.candidate, ""}};
    return outcome;
  }

 private:
  RoundSource& source_;
  bool base_;
  std::chrono::nanoseconds& clock_;
  std::size_t next_ = 0;
};


// A way to judge a trial: the product's (stats::compare with a RatioMethod, the stop rule of
// pipeline/stop_rules.cpp) or a candidate method tried here first, given as a ratio and its
// interval from the two sides' values (value i of each is round i) at a confidence.
struct Estimate {
  std::optional<double> ratio;
  std::optional<stats::Interval> ci;
};
using Estimator =
    std::function<Estimate(std::span<const double>, std::span<const double>, double)>;
struct Method {
  std::string name;
  std::optional<stats::RatioMethod> product;
  Estimator estimate;  // when not the product's
};

// The ratio of the two sides' p-quantiles (the least disturbed runs, for small p) with its
// exact bootstrap interval: the median-ratio machinery at another quantile.
Estimate quantile_ratio(std::span<const double> b, std::span<const double> c, double p,
                        double confidence) {
  Estimate e;
  const std::optional<double> qb = stats::quantile(b, p);
  const std::optional<double> qc = stats::quantile(c, p);
  if (!qb || !qc || *qb <= 0.0) return e;
  e.ratio = *qc / *qb;
  if (std::min(b.size(), c.size()) >= stats::min_samples_for_ratio_ci(confidence))
    e.ci = stats::exact_quantile_ratio_ci(b, c, p, confidence);
  return e;
}

// Both the paired sign interval and the median-ratio interval, each at half the alpha, and
// their intersection (a union bound: both cover at once with at least the confidence asked,
// where both estimate the same shift); the centre is the paired one.
Estimate hybrid(std::span<const double> b, std::span<const double> c, double confidence) {
  Estimate e;
  const double half = 1.0 - (1.0 - confidence) / 2.0;
  const stats::PairedRatio paired = stats::paired_ratio(b, c, half);
  e.ratio = paired.ratio;
  if (!paired.ci || std::min(b.size(), c.size()) < stats::min_samples_for_ratio_ci(half))
    return e;
  const std::optional<stats::Interval> medians = stats::exact_median_ratio_ci(b, c, half);
  if (!medians) return e;
  const stats::Interval both{std::max(paired.ci->lo, medians->lo),
                             std::min(paired.ci->hi, medians->hi)};
  if (both.lo <= both.hi) e.ci = both;
  return e;
}

std::vector<Method> all_methods() {
  std::vector<Method> methods;
  for (const stats::RatioMethod m :
       {stats::RatioMethod::median_ratio, stats::RatioMethod::paired_sign,
        stats::RatioMethod::paired_signed_rank})
    methods.push_back({std::string(stats::to_string(m)), m, {}});
  for (const double p : {0.25, 0.1}) {
    methods.push_back({fmt::format("q{:.0f}_ratio", 100 * p), std::nullopt,
                       [p](std::span<const double> b, std::span<const double> c, double conf) {
                         return quantile_ratio(b, c, p, conf);
                       }});
  }
  methods.push_back({"hybrid", std::nullopt, hybrid});
  return methods;
}

struct Settings {
  bool cpu = false;
  int trials = 1000;
  double threshold = 0.05;
  std::size_t max_runs = 60;
  int null_trials = 0;
  bool reorder = false;  // Draw::reordered (A/A recordings only)
  std::vector<std::string> methods;  // by name; empty: the product's three
};

struct Tally {
  std::map<std::string, int> verdicts;
  int red = 0;
  std::vector<double> runs;
  std::vector<double> seconds;
  std::map<std::size_t, int> regressed_by_runs;  // null: `regressed`, by the runs it stopped at
};

double median_of(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x.empty() ? 0.0 : x[x.size() / 2];
}

// The verdict of a method on the two sides' values at `confidence`.
budgets::Verdict verdict_of(const Method& method, std::span<const double> b,
                            std::span<const double> c, double confidence, double threshold) {
  if (method.product) {
    stats::IntervalOptions interval;
    interval.confidence = confidence;
    const std::optional<stats::Comparison> comparison =
        stats::compare(b, c, interval, *method.product);
    return budgets::judge_change(*comparison, threshold).verdict;
  }
  const Estimate e = method.estimate(b, c, confidence);
  return budgets::judge_change(e.ratio, e.ci, threshold).verdict;
}

Tally simulate(const Pool& pool, const Method& method, const Settings& settings, bool null) {
  std::mt19937_64 generator(20261202);
  std::chrono::nanoseconds now{0};
  RoundSource source(pool, generator,
                     null ? Draw::null : settings.reorder ? Draw::reordered : Draw::recorded);
  ReplayTrial base(source, true, now);
  ReplayTrial candidate(source, false, now);
  const std::vector<std::string> names{"base", "candidate"};
  const std::string wall(harness::kWallTime);
  harness::StopRule rule;
  if (method.product) {
    rule = pipeline::time_stop_rule(names, wall, settings.threshold, *method.product);
  } else {
    // budgets::settled's question for a method the product does not have: is it still
    // inconclusive at this look's level?
    rule = [&method, &settings, wall](const harness::Look& look) {
      const harness::SampleSet* b =
          harness::find_sample_set(look.samples, look.benchmark, "base", wall);
      const harness::SampleSet* c =
          harness::find_sample_set(look.samples, look.benchmark, "candidate", wall);
      if (b == nullptr || c == nullptr) return harness::Decision::keep_sampling;
      return verdict_of(method, b->values, c->values, look.confidence, settings.threshold) ==
                     budgets::Verdict::inconclusive
                 ? harness::Decision::keep_sampling
                 : harness::Decision::stop;
    };
  }
  const std::vector<harness::BenchmarkPlan> plans{
      {"replay", {{"base", &base}, {"candidate", &candidate}}, rule}};
  harness::ScheduleOptions options;
  options.min_runs = 10;
  options.max_runs = settings.max_runs;
  options.alpha = 1.0 - budgets::kDefaultConfidence;
  harness::Schedule schedule(options, [&now] { return now; });
  Tally tally;
  const int trials = null ? settings.null_trials : settings.trials;
  for (int trial = 0; trial < trials; ++trial) {
    source.restart();
    base.restart();
    candidate.restart();
    const std::chrono::nanoseconds started = now;
    const harness::ScheduleResult result = schedule.run(plans);
    const harness::BenchmarkResult& benchmark = result.benchmarks.front();
    const harness::SampleSet* b =
        harness::find_sample_set(benchmark.samples, "replay", "base", wall);
    const harness::SampleSet* c =
        harness::find_sample_set(benchmark.samples, "replay", "candidate", wall);
    const budgets::Verdict verdict =
        verdict_of(method, b->values, c->values,
                   benchmark.confidence.value_or(budgets::kDefaultConfidence), settings.threshold);
    ++tally.verdicts[std::string(budgets::to_string(verdict))];
    if (!budgets::passes(verdict)) ++tally.red;
    if (verdict == budgets::Verdict::regressed) ++tally.regressed_by_runs[benchmark.runs];
    tally.runs.push_back(static_cast<double>(benchmark.runs));
    tally.seconds.push_back(std::chrono::duration<double>(now - started).count());
  }
  return tally;
}

Pool read_pool(const std::string& path, bool cpu) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  const nlohmann::json doc = nlohmann::json::parse(in);
  Pool pool;
  pool.name = doc.at("label").get<std::string>();
  const char* key = cpu ? "cpu" : "wall";
  for (const nlohmann::json& r : doc.at("rounds")) {
    const double b = r.at("base").at("wall").get<double>();
    const double c = r.at("candidate").at("wall").get<double>();
    pool.rounds.push_back({r.at("base").at(key).get<double>(),
                           r.at("candidate").at(key).get<double>(), b + c});
  }
  if (pool.rounds.empty()) throw std::runtime_error(path + ": no rounds");
  return pool;
}

void print(const Pool& pool, const Method& method, const Tally& tally, int trials) {
  std::string verdicts;
  for (const auto& [verdict, count] : tally.verdicts) {
    verdicts += fmt::format("{}{} {:.1f}%", verdicts.empty() ? "" : ", ", verdict,
                            100.0 * count / trials);
  }
  double mean_runs = 0.0;
  for (const double r : tally.runs) mean_runs += r / static_cast<double>(tally.runs.size());
  fmt::print("{:<16} {:<18} red {:5.1f}%  {}; runs/side mean {:.1f} median {:.0f}; seconds "
             "median {:.1f}\n",
             pool.name, method.name, 100.0 * tally.red / trials, verdicts,
             mean_runs, median_of(tally.runs), median_of(tally.seconds));
}

// The null: regressed by the look that ended the trial, cumulative, against a(t_k) / 2.
void print_null(const Pool& pool, const Method& method, const Tally& tally,
                const Settings& settings) {
  fmt::print("{:<16} {:<18} null, {} trials: regressed by look (runs: cumulative rate <= "
             "bound a(t)/2)\n",
             pool.name, method.name, settings.null_trials);
  const double alpha = 1.0 - budgets::kDefaultConfidence;
  int cumulative = 0;
  std::string line;
  std::vector<std::size_t> looks;
  for (const double r : tally.runs) looks.push_back(static_cast<std::size_t>(r));
  std::sort(looks.begin(), looks.end());
  looks.erase(std::unique(looks.begin(), looks.end()), looks.end());
  bool within = true;
  for (const std::size_t runs : looks) {
    const auto found = tally.regressed_by_runs.find(runs);
    if (found != tally.regressed_by_runs.end()) cumulative += found->second;
    const double rate = static_cast<double>(cumulative) / settings.null_trials;
    const double bound =
        stats::spent_alpha(stats::Spending::pocock, alpha,
                           std::min(1.0, static_cast<double>(runs) /
                                             static_cast<double>(settings.max_runs))) /
        2.0;
    within = within && rate <= bound;
    line += fmt::format("  {}: {:.3f}% <= {:.3f}%", runs, 100.0 * rate, 100.0 * bound);
  }
  fmt::print("   {}  -> {}\n", line, within ? "within the bound at every look" : "OVER THE BOUND");
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  std::vector<std::string> paths;
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size()) throw std::runtime_error(args[i] + " needs a value");
        return args[++i];
      };
      if (args[i] == "--metric") {
        const std::string& m = value();
        if (m != "wall" && m != "cpu") throw std::runtime_error("--metric: wall or cpu");
        settings.cpu = m == "cpu";
      } else if (args[i] == "--trials") {
        settings.trials = std::stoi(value());
      } else if (args[i] == "--threshold") {
        settings.threshold = std::stod(value());
      } else if (args[i] == "--max-runs") {
        settings.max_runs = static_cast<std::size_t>(std::stoul(value()));
      } else if (args[i] == "--methods") {
        std::string list = value();
        for (std::size_t at = 0; at <= list.size();) {
          const std::size_t comma = std::min(list.find(',', at), list.size());
          settings.methods.push_back(list.substr(at, comma - at));
          at = comma + 1;
        }
      } else if (args[i] == "--reorder") {
        settings.reorder = true;
      } else if (args[i] == "--null") {
        settings.null_trials = std::stoi(value());
      } else {
        paths.push_back(args[i]);
      }
    }
    if (paths.empty()) throw std::runtime_error("usage: detection_replay [OPTIONS] POOL.json...");
    std::vector<Method> methods;
    for (Method& m : all_methods()) {
      const bool wanted =
          settings.methods.empty()
              ? m.product.has_value()
              : std::find(settings.methods.begin(), settings.methods.end(), m.name) !=
                    settings.methods.end();
      if (wanted) methods.push_back(std::move(m));
    }
    if (methods.size() != std::max<std::size_t>(settings.methods.size(), 1) &&
        !settings.methods.empty())
      throw std::runtime_error("--methods: unknown method name");
    for (const std::string& path : paths) {
      const Pool pool = read_pool(path, settings.cpu);
      for (const Method& method : methods) {
        if (settings.null_trials > 0) {
          print_null(pool, method, simulate(pool, method, settings, true), settings);
        } else {
          print(pool, method, simulate(pool, method, settings, false), settings.trials);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "detection_replay: %s\n", e.what());
    return 2;
  }
  return 0;
}
