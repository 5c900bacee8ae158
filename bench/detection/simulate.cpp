// A/A and A/B by simulation: the real schedule, stop rule and verdict of `perfguard time`,
// with each run drawn from a pool of real wall times of the workload instead of spawned. A few
// thousand trials take seconds, so the false-alarm rate is pinned down to a fraction of a
// percent, which the real trials of run.py cannot do in a quarter of an hour. What it leaves
// out is drift and correlation between consecutive runs; the real trials have those.
//
//   detection_simulate POOL.json [TRIALS [SLOWDOWN_PERCENT [THRESHOLD [ALPHA [SPENDING]]]]]
// POOL.json is a `perfguard time --export-json` (or hyperfine) file: its first command's times.
// Defaults: 2000 trials, 5 (%), 2%, 0.02 (perfguard's default confidence 0.98), pocock (or obrien_fleming: how the alternative
// spending function would have fared).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "budgets/units.hpp"
#include "budgets/verdict.hpp"
#include "guard/time_report.hpp"
#include "harness/schedule.hpp"
#include "stats/sequential.hpp"

namespace {

using namespace perfguard;

// A run takes a time drawn from the pool (times `factor`), on a clock that moves by as much.
class PoolTrial final : public harness::Trial {
 public:
  PoolTrial(const std::vector<double>& pool, double factor, std::mt19937_64& generator,
            std::chrono::nanoseconds& clock)
      : pool_(pool), factor_(factor), generator_(generator), clock_(clock) {}

  [[nodiscard]] harness::Outcome run() override {
    std::uniform_int_distribution<std::size_t> pick(0, pool_.size() - 1);
    const double seconds = pool_[pick(generator_)] * factor_;
    clock_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(seconds));
    harness::Outcome outcome;
    outcome.observations = {{"", std::string(harness::kWallTime), "s", seconds}};
    return outcome;
  }

 private:
  const std::vector<double>& pool_;
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
};

Tally simulate(const std::vector<double>& pool, double factor, const Settings& settings) {
  std::mt19937_64 generator(42);
  std::chrono::nanoseconds now{0};
  PoolTrial a(pool, 1.0, generator, now);
  PoolTrial b(pool, factor, generator, now);
  const std::vector<std::string> names{"A", "B"};
  const std::vector<harness::BenchmarkPlan> plans{
      {"time", {{"A", &a}, {"B", &b}}, guard::comparisons_settled(names, settings.threshold)}};
  harness::ScheduleOptions options;
  options.min_runs = 10;
  options.max_time = std::chrono::seconds(6);
  options.alpha = settings.alpha;
  options.spending = settings.spending;
  guard::TimeSettings time_settings;
  time_settings.threshold = settings.threshold;
  time_settings.alpha = settings.alpha;
  harness::Schedule schedule(options, [&now] { return now; });
  Tally tally;
  for (int trial = 0; trial < settings.trials; ++trial) {
    const harness::ScheduleResult result = schedule.run(plans);
    const guard::TimeReport report = guard::make_time_report(result, names, names, time_settings);
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
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: detection_simulate POOL.json [TRIALS [SLOWDOWN%% [THRESHOLD [ALPHA "
                 "[pocock|obrien_fleming]]]]]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  const auto pool =
      nlohmann::json::parse(in).at("results").at(0).at("times").get<std::vector<double>>();
  Settings settings;
  if (argc > 2) settings.trials = std::stoi(argv[2]);
  const double slowdown = argc > 3 ? std::stod(argv[3]) : 5.0;
  if (argc > 4)
    settings.threshold = budgets::parse_percentage(argv[4]).value_or(settings.threshold);
  if (argc > 5) settings.alpha = std::stod(argv[5]);
  if (argc > 6 && std::string(argv[6]) == "obrien_fleming") {
    settings.spending = stats::Spending::obrien_fleming;
  }

  fmt::print(
      "simulation: {} trials each, runs drawn from {} real times, threshold {:g}%, alpha {:g}, "
      "{}\n",
      settings.trials, pool.size(), settings.threshold * 100.0, settings.alpha,
      settings.spending == stats::Spending::pocock ? "Pocock-type spending"
                                                   : "O'Brien-Fleming-type spending");
  print("A/A", simulate(pool, 1.0, settings), settings.trials);
  print(fmt::format("A/B +{:g}%", slowdown).c_str(),
        simulate(pool, 1.0 + slowdown / 100.0, settings), settings.trials);
  return 0;
}
