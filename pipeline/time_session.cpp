#include "pipeline/time_session.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "core/error.hpp"
#include "harness/callgrind.hpp"
#include "harness/command_line.hpp"
#include "harness/journal.hpp"
#include "harness/process_trial.hpp"
#include "pipeline/stop_rules.hpp"
#include "pipeline/time_report.hpp"

namespace perfguard::pipeline {
namespace {

using std::chrono::nanoseconds;

// All commands of `perfguard time` are variants of this one schedule benchmark.
constexpr const char* kBenchmarkId = "time";

nanoseconds to_nanoseconds(double seconds) {
  return std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(seconds));
}

// A command string as argv: through the shell (hyperfine's default), or split without one (-N).
std::vector<std::string> command_argv(const std::string& command,
                                      const std::optional<std::vector<std::string>>& shell,
                                      const char* flag) {
  if (shell) {
    std::vector<std::string> argv = *shell;
    argv.emplace_back("-c");
    argv.push_back(command);
    return argv;
  }
  const std::optional<std::vector<std::string>> words = harness::split_words(command);
  if (!words) {
    throw UsageError(
        fmt::format("{} '{}': unbalanced quotes or a trailing backslash (-N splits it like sh)",
                    flag, command));
  }
  if (words->empty())
    throw UsageError(fmt::format("{}: an empty command needs a shell; drop -N", flag));
  return *words;
}

// The first failed run, as the error that ends the command (exit 3).
[[noreturn]] void throw_failure(const harness::ScheduleResult& result,
                                const std::vector<std::string>& commands,
                                const std::vector<std::string>& variants, bool ignore_failure) {
  for (const harness::RunRecord& run : result.runs) {
    if (!run.outcome.failed()) continue;
    const auto index = static_cast<std::size_t>(
        std::find(variants.begin(), variants.end(), run.variant) - variants.begin());
    const bool exit_status = run.outcome.exit_code.has_value() && *run.outcome.exit_code != 0;
    throw ExecutionError(fmt::format(
        "command '{}' failed in {} {}: {}{}", commands.at(index), run.warmup ? "warmup" : "run",
        run.run + 1, run.outcome.failures.front().reason,
        exit_status && !ignore_failure ? " (--ignore-failure measures it anyway)" : ""));
  }
  throw ExecutionError("a run failed");
}

}  // namespace

std::vector<std::string> variant_names(const std::vector<std::string>& commands) {
  bool repeated = false;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) repeated = repeated || commands[i] == commands[j];
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    names.push_back(repeated ? fmt::format("#{} {}", i + 1, commands[i]) : commands[i]);
  }
  return names;
}

TimeResults run_time_session(const TimeRequest& request,
                             std::span<harness::ScheduleListener* const> listeners) {
  const reports::TimeSettings& settings = request.settings;
  harness::ScheduleOptions schedule_options;
  schedule_options.warmup = settings.warmup;
  schedule_options.alpha = settings.alpha;
  schedule_options.seed = settings.seed;
  schedule_options.min_runs = settings.min_runs;
  schedule_options.max_runs = settings.max_runs;
  if (settings.max_time) schedule_options.max_time = to_nanoseconds(*settings.max_time);

  const auto spec = [&](const std::string& command, const char* flag) {
    harness::ProcessSpec process;
    process.argv = command_argv(command, request.shell, flag);
    if (settings.timeout) process.timeout = to_nanoseconds(*settings.timeout);
    if (settings.pinned) process.cpus = settings.cpus;
    return process;
  };

  harness::SystemProcessRunner runner;
  std::vector<std::unique_ptr<harness::Trial>> trials;
  const std::vector<std::string> variants = variant_names(request.commands);
  harness::BenchmarkPlan plan{kBenchmarkId, {}, {}};
  for (std::size_t i = 0; i < request.commands.size(); ++i) {
    if (request.count_metric) {
      harness::CallgrindOptions trial;
      trial.command = spec(request.commands[i], "CMD");
      trial.estimate_cycles = *request.count_metric == harness::kEstimatedCycles;
      trials.push_back(std::make_unique<harness::CallgrindTrial>(runner, std::move(trial)));
    } else {
      harness::ProcessTrialOptions trial;
      trial.command = spec(request.commands[i], "CMD");
      if (request.setup) trial.setup = spec(*request.setup, "--setup");
      if (request.prepare) trial.prepare = spec(*request.prepare, "--prepare");
      trial.ignore_exit_code = request.ignore_failure;
      trials.push_back(std::make_unique<harness::ProcessTrial>(runner, std::move(trial)));
    }
    plan.variants.push_back({variants[i], trials.back().get()});
  }
  if (request.count_metric) {
    plan.stop_rule =
        time_stop_rule(variants, *request.count_metric, settings.threshold, settings.ratio_method);
    plan.first_look = budgets::kMinExactRuns;
  } else if (request.commands.size() > 1) {
    plan.stop_rule = time_stop_rule(variants, std::string(reports::to_string(settings.metric)),
                                    settings.threshold, settings.ratio_method);
  }

  harness::Schedule schedule(schedule_options);
  std::ofstream journal_file;
  std::optional<harness::JournalWriter> journal;
  if (request.journal) {
    journal_file.open(*request.journal, std::ios::trunc);
    if (!journal_file) throw ExecutionError(fmt::format("cannot write {}", *request.journal));
    schedule.add_listener(journal.emplace(journal_file, *request.journal));
  }
  for (harness::ScheduleListener* listener : listeners) schedule.add_listener(*listener);

  const std::vector<harness::BenchmarkPlan> plans{plan};
  const harness::ScheduleResult result = schedule.run(plans);
  if (result.benchmarks.front().stop_reason == harness::StopReason::failed) {
    throw_failure(result, request.commands, variants, request.ignore_failure);
  }
  if (request.count_metric) {
    return make_count_report(result, request.commands, variants, *request.count_metric, settings);
  }
  return make_time_report(result, request.commands, variants, settings);
}

}  // namespace perfguard::pipeline
