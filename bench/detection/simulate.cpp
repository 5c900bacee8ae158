// A/A and A/B by simulation: the real schedule, stop rule and verdict of `perfguard time`,
// with each run drawn from a pool of real wall times of the workload instead of spawned. A few
// thousand trials take seconds, so the false-alarm rate is pinned down to a fraction of a
// percent, which the real trials of run.py cannot do in a quarter of an hour. What it leaves
// out is drift and correlation between consecutive runs; the real trials have those.
//
//   detection_simulate [--metric wall_time|cpu_time] POOL.json [TRIALS [SLOWDOWN_PERCENT
//                      [THRESHOLD [ALPHA [SPENDING]]]]]
// POOL.json is a `perfguard time --export-json` (or hyperfine) file: its first command's times,
// and for --metric cpu_time its user_times and system_times (perfguard's export has them): a
// run draws one index and takes that run's wall, user and system times together.
// Defaults: 2000 trials, 5 (%), 2%, 0.02 (perfguard's default confidence 0.98), pocock (or obrien_fleming: how the alternative
// spending function would have fared).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "budgets/units.hpp"
#include "budgets/verdict.hpp"
#include "harness/schedule.hpp"
#include "pipeline/stop_rules.hpp"
#include "pipeline/time_report.hpp"
#include "reports/time_output.hpp"
#include "stats/sequential.hpp"

namespace {

using namespace perfguard;

// Real runs: wall time, and user and system CPU time when the pool has them.
struct Pool {
  std::vector<double> wall;
  std::vector<double> user;
  std::vector<double> system;
};

// A run takes a run drawn from the pool (its times `factor`), on a clock that moves by its wall.
class PoolTrial final : public harness::Trial {
 public:
  PoolTrial(const Pool& pool, double factor, std::mt19937_64& generator,
            std::chrono::nanoseconds& clock)
      : pool_(pool), factor_(factor), generator_(generator), clock_(clock) {}

  [[nodiscard]] harness::Outcome run() override {
    std::uniform_int_distribution<std::size_t> pick(0, pool_.wall.size() - 1);
    const std::size_t i = pick(generator_);
    const double seconds = pool_.wall[i] * factor_;
    clock_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(seconds));
    harness::Outcome outcome;
    outcome.observations = {{"", std::string(harness::kWallTime), "s", seconds, ""}};
    if (!pool_.user.empty()) {
      outcome.observations.push_back(
          {"", std::string(harness::kUserTime), "s", pool_.user[i] * factor_, ""});
      outcome.observations.push_back(
          {"", std::string(harness::kSysTime), "s", pool_.system[i] * factor_, ""});
    }
    return outcome;
  }

 private:
  const Pool& pool_;
  double factor_;
  std::mt19937_64& generator_;
  std::chrono::nanoseconds& clock_;
};

struct Tally {
  std::map<std::string, int> verdicts;
  std::map<std::size_t, int> alarms_by_look;  // regressed or improved, by the look that ended it
  double runs = 0.0;
};

// `perfguard time -N A B` with its defaults: at least 10 runs, 3 s per command.
struct Settings {
  int trials = 2000;
  double threshold = 0.02;
  double alpha = 1.0 - budgets::kDefaultConfidence;
  stats::Spending spending = stats::Spending::pocock;
  reports::TimeMetric metric = reports::TimeMetric::wall_time;
};

Tally simulate(const Pool& pool, double factor, const Settings& settings) {
  std::mt19937_64 generator(42);
  std::chrono::nanoseconds now{0};
  PoolTrial a(pool, 1.0, generator, now);
  PoolTrial b(pool, factor, generator, now);
  const std::vector<std::string> names{"A", "B"};
  const std::vector<harness::BenchmarkPlan> plans{
      {"time",
       {{"A", &a}, {"B", &b}},
       pipeline::time_stop_rule(names, std::string(reports::to_string(settings.metric)),
                                settings.threshold)}};
  harness::ScheduleOptions options;
  options.min_runs = 10;
  options.max_time = std::chrono::seconds(6);
  options.alpha = settings.alpha;
  options.spending = settings.spending;
  reports::TimeSettings time_settings;
  time_settings.threshold = settings.threshold;
  time_settings.alpha = settings.alpha;
  time_settings.metric = settings.metric;
  harness::Schedule schedule(options, [&now] { return now; });
  Tally tally;
  for (int trial = 0; trial < settings.trials; ++trial) {
    const harness::ScheduleResult result = schedule.run(plans);
    const reports::TimeReport report =
        pipeline::make_time_report(result, names, names, time_settings);
    const budgets::Verdict verdict = report.comparisons.at(0).judgement.verdict;
    ++tally.verdicts[std::string(budgets::to_string(verdict))];
    if (verdict == budgets::Verdict::regressed || verdict == budgets::Verdict::improved) {
      ++tally.alarms_by_look[report.looks];
    }
    tally.runs += static_cast<double>(report.runs) / settings.trials;
  }
  return tally;
}

void print(const char* scenario, const Tally& tally, int trials) {
  std::string verdicts;
  for (const auto& [verdict, count] : tally.verdicts) {
    verdicts +=
        fmt::format("{}{} {:.2f}%", verdicts.empty() ? "" : ", ", verdict, 100.0 * count / trials);
  }
  std::string looks;
  for (const auto& [look, count] : tally.alarms_by_look) {
    looks += fmt::format("{}{}: {}", looks.empty() ? "" : ", ", look, count);
  }
  fmt::print("  {}: {}; runs/command mean {:.1f}; regressed or improved by look {{{}}}\n", scenario,
             verdicts, tally.runs, looks);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "--metric") {
    const std::optional<reports::TimeMetric> metric = reports::parse_time_metric(args[1]);
    if (!metric) {
      std::fprintf(stderr, "detection_simulate: --metric %s: expected wall_time or cpu_time\n",
                   args[1].c_str());
      return 2;
    }
    settings.metric = *metric;
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty()) {
    std::fprintf(stderr,
                 "usage: detection_simulate [--metric wall_time|cpu_time] POOL.json [TRIALS "
                 "[SLOWDOWN%% [THRESHOLD [ALPHA [pocock|obrien_fleming]]]]]\n");
    return 2;
  }
  std::ifstream in(args[0]);
  const nlohmann::json first = nlohmann::json::parse(in).at("results").at(0);
  Pool pool;
  pool.wall = first.at("times").get<std::vector<double>>();
  if (settings.metric == reports::TimeMetric::cpu_time) {
    pool.user = first.at("user_times").get<std::vector<double>>();
    pool.system = first.at("system_times").get<std::vector<double>>();
    if (pool.user.size() != pool.wall.size() || pool.system.size() != pool.wall.size()) {
      std::fprintf(stderr, "detection_simulate: %s: user_times and system_times must match times\n",
                   args[0].c_str());
      return 2;
    }
  }
  // args: POOL.json [TRIALS [SLOWDOWN% [THRESHOLD [ALPHA [SPENDING]]]]]
  if (args.size() > 1) settings.trials = std::stoi(args[1]);
  const double slowdown = args.size() > 2 ? std::stod(args[2]) : 5.0;
  if (args.size() > 3)
    settings.threshold = budgets::parse_percentage(args[3]).value_or(settings.threshold);
  if (args.size() > 4) settings.alpha = std::stod(args[4]);
  if (args.size() > 5 && args[5] == "obrien_fleming") {
    settings.spending = stats::Spending::obrien_fleming;
  }

  fmt::print(
      "simulation: {} trials each, runs drawn from {} real times, {}, threshold {:g}%, alpha "
      "{:g}, {}\n",
      settings.trials, pool.wall.size(), reports::to_string(settings.metric),
      settings.threshold * 100.0, settings.alpha,
      settings.spending == stats::Spending::pocock ? "Pocock-type spending"
                                                   : "O'Brien-Fleming-type spending");
  print("A/A", simulate(pool, 1.0, settings), settings.trials);
  print(fmt::format("A/B +{:g}%", slowdown).c_str(),
        simulate(pool, 1.0 + slowdown / 100.0, settings), settings.trials);
  return 0;
}
