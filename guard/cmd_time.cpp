// perfguard time [hyperfine-style flags] CMD...: ad hoc timing of one or more commands. Reads
// the options, builds one trial per command, runs them interleaved through the harness's
// schedule, and prints or exports the report (docs/time.md).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "guard/count_report.hpp"
#include "guard/time_report.hpp"
#include "harness/callgrind.hpp"
#include "harness/command_line.hpp"
#include "harness/cpu_list.hpp"
#include "harness/journal.hpp"
#include "harness/process_trial.hpp"
#include "harness/schedule.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/progress_line.hpp"
#include "pipeline/run_control.hpp"
#include "pipeline/stop_rules.hpp"
#include "reports/stats_report.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {

using pipeline::InterruptCleanup;
using pipeline::ProgressLine;
using pipeline::rfc3339_now;
using pipeline::write_file_atomically;

namespace {

using std::chrono::nanoseconds;

// hyperfine's default: at least 10 runs and at least 3 seconds per command.
constexpr std::size_t kDefaultMinRuns = 10;
constexpr double kDefaultSecondsPerCommand = 3.0;
constexpr const char* kDefaultShell = "sh";
// All commands of `perfguard time` are variants of this one schedule benchmark.
constexpr const char* kBenchmarkId = "time";
// Counts under Callgrind settle after two runs when they agree; when they vary, this bounds
// the runs (each tens of times slower than a native one) unless --max-runs says otherwise.
constexpr std::size_t kDefaultMaxCountRuns = 30;

struct TimeOptions {
  std::vector<std::string> commands;
  std::size_t warmup = 0;
  std::optional<std::size_t> runs;
  std::optional<std::size_t> min_runs;
  std::optional<std::size_t> max_runs;
  std::optional<std::string> max_time;
  bool no_shell = false;
  std::optional<std::string> shell;
  std::optional<std::string> prepare;
  std::optional<std::string> setup;
  std::optional<std::string> cpu;
  std::optional<std::string> timeout;
  std::optional<std::string> export_json;
  std::optional<std::string> export_markdown;
  std::optional<std::string> journal;
  std::string threshold{kDefaultThresholdText};
  std::string metric = "wall_time";
  std::string confidence{budgets::kDefaultConfidenceText};
  bool fail_if_slower = false;
  bool ignore_failure = false;
  std::uint64_t seed = harness::kDefaultScheduleSeed;
};

nanoseconds to_nanoseconds(double seconds) {
  return std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(seconds));
}

double positive_duration(const std::string& flag, const std::string& text) {
  const double seconds = duration_flag(flag, text);
  if (seconds <= 0.0) throw UsageError(fmt::format("{} {}: must be longer than 0", flag, text));
  return seconds;
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

// Variant names key the samples journal: the commands themselves, numbered if one repeats
// (an A/A run times the same command twice).
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

int run_time(const TimeOptions& options) {
  TimeSettings settings;
  settings.threshold = threshold_flag("--threshold", options.threshold);
  const bool counts = is_count_metric_name(options.metric);
  const std::optional<TimeMetric> metric = parse_time_metric(options.metric);
  if (!metric && !counts) {
    throw UsageError(
        fmt::format("--metric '{}': expected wall_time, cpu_time, instructions or estimated_cycles",
                    options.metric));
  }
  if (counts) {
    for (const auto& [given, flag] : {std::pair(options.prepare.has_value(), "--prepare"),
                                      std::pair(options.setup.has_value(), "--setup"),
                                      std::pair(options.ignore_failure, "--ignore-failure")}) {
      if (given) {
        throw UsageError(
            fmt::format("{} does not apply with --metric {}: counted runs are the "
                        "command alone, under Callgrind",
                        flag, options.metric));
      }
    }
  }
  settings.metric = metric.value_or(TimeMetric::wall_time);
  settings.alpha = 1.0 - confidence_flag("--confidence", options.confidence);
  settings.seed = options.seed;
  settings.warmup = options.warmup;

  harness::ScheduleOptions schedule_options;
  schedule_options.warmup = options.warmup;
  schedule_options.alpha = settings.alpha;
  schedule_options.seed = options.seed;
  if (options.runs) {
    if (*options.runs == 0) throw UsageError("--runs 0: needs at least 1 run");
    // Comparisons from fewer runs than the ratio interval needs would call identical commands
    // regressed more often than the confidence promises.
    const std::size_t needed = stats::min_samples_for_ratio_ci(1.0 - settings.alpha);
    if (options.commands.size() >= 2 && *options.runs < needed) {
      throw UsageError(fmt::format(
          "--runs {}: at confidence {} comparing commands needs at least {} runs of each",
          *options.runs, options.confidence, needed));
    }
    schedule_options.min_runs = *options.runs;
    schedule_options.max_runs = *options.runs;
  } else {
    if (options.max_runs && *options.max_runs == 0)
      throw UsageError("--max-runs 0: needs at least 1 run");
    schedule_options.min_runs = options.min_runs.value_or(
        std::min(kDefaultMinRuns, options.max_runs.value_or(kDefaultMinRuns)));
    if (schedule_options.min_runs == 0) throw UsageError("--min-runs 0: needs at least 1 run");
    if (options.max_runs && *options.max_runs < schedule_options.min_runs) {
      throw UsageError(fmt::format("--max-runs {} is below --min-runs {}", *options.max_runs,
                                   schedule_options.min_runs));
    }
    schedule_options.max_runs = options.max_runs;
    if (counts) {
      // No time budget by default: counts settle by agreeing, not by accumulating runs.
      if (!schedule_options.max_runs)
        schedule_options.max_runs = std::max(kDefaultMaxCountRuns, schedule_options.min_runs);
    } else {
      settings.max_time = kDefaultSecondsPerCommand * static_cast<double>(options.commands.size());
    }
  }
  if (options.max_time) settings.max_time = positive_duration("--max-time", *options.max_time);
  if (settings.max_time) schedule_options.max_time = to_nanoseconds(*settings.max_time);
  settings.min_runs = schedule_options.min_runs;
  settings.max_runs = schedule_options.max_runs;
  if (options.timeout) settings.timeout = positive_duration("--timeout", *options.timeout);
  settings.pinned = options.cpu.has_value();
  settings.cpus = options.cpu ? cpu_flag("--cpu", *options.cpu) : harness::allowed_cpus();

  std::optional<std::vector<std::string>> shell;
  if (!options.no_shell && options.shell != "none") {
    const std::string text = options.shell.value_or(kDefaultShell);
    shell = harness::split_words(text);
    if (!shell || shell->empty())
      throw UsageError(fmt::format("--shell '{}': expected a shell such as bash", text));
    settings.shell = text;
  }
  const auto spec = [&](const std::string& command, const char* flag) {
    harness::ProcessSpec process;
    process.argv = command_argv(command, shell, flag);
    if (settings.timeout) process.timeout = to_nanoseconds(*settings.timeout);
    if (settings.pinned) process.cpus = settings.cpus;
    return process;
  };

  harness::SystemProcessRunner runner;
  std::vector<std::unique_ptr<harness::Trial>> trials;
  const std::vector<std::string> variants = variant_names(options.commands);
  harness::BenchmarkPlan plan{kBenchmarkId, {}, {}};
  for (std::size_t i = 0; i < options.commands.size(); ++i) {
    if (counts) {
      harness::CallgrindOptions trial;
      trial.command = spec(options.commands[i], "CMD");
      trial.estimate_cycles = options.metric == harness::kEstimatedCycles;
      trials.push_back(std::make_unique<harness::CallgrindTrial>(runner, std::move(trial)));
    } else {
      harness::ProcessTrialOptions trial;
      trial.command = spec(options.commands[i], "CMD");
      if (options.setup) trial.setup = spec(*options.setup, "--setup");
      if (options.prepare) trial.prepare = spec(*options.prepare, "--prepare");
      trial.ignore_exit_code = options.ignore_failure;
      trials.push_back(std::make_unique<harness::ProcessTrial>(runner, std::move(trial)));
    }
    plan.variants.push_back({variants[i], trials.back().get()});
  }
  if (counts) {
    plan.stop_rule = pipeline::time_stop_rule(variants, options.metric, settings.threshold);
    plan.first_look = budgets::kMinExactRuns;
  } else if (options.commands.size() > 1) {
    plan.stop_rule = pipeline::time_stop_rule(variants, std::string(to_string(settings.metric)),
                                              settings.threshold);
  }

  harness::Schedule schedule(schedule_options);
  std::ofstream journal_file;
  std::optional<harness::JournalWriter> journal;
  if (options.journal) {
    journal_file.open(*options.journal, std::ios::trunc);
    if (!journal_file) throw ExecutionError(fmt::format("cannot write {}", *options.journal));
    schedule.add_listener(journal.emplace(journal_file, *options.journal));
  }
  std::optional<ProgressLine> progress;
  if (::isatty(STDERR_FILENO) == 1)
    schedule.add_listener(
        progress.emplace(fmt::format("{} command{}", options.commands.size(),
                                     options.commands.size() == 1 ? "" : "s interleaved")));

  // Ctrl-C: the commands run in process groups of their own, out of the terminal's reach;
  // InterruptCleanup kills them, and everything they started, before perfguard ends.
  const InterruptCleanup on_interrupt([&options](int) {
    std::fprintf(stderr, "\nperfguard: interrupted%s%s\n",
                 options.journal ? "; the runs so far are in " : "",
                 options.journal ? options.journal->c_str() : "");
  });
  const std::vector<harness::BenchmarkPlan> plans{plan};
  const harness::ScheduleResult result = schedule.run(plans);
  progress.reset();
  if (result.benchmarks.front().stop_reason == harness::StopReason::failed) {
    throw_failure(result, options.commands, variants, options.ignore_failure);
  }

  if (counts) {
    const CountReport report =
        make_count_report(result, options.commands, variants, options.metric, settings);
    write_count_text(std::cout, report);
    std::cout.flush();
    if (options.export_json) {
      const reports::Json document = count_json(report, rfc3339_now());
      write_file_atomically(*options.export_json,
                            [&](std::ostream& out) { reports::write_json(out, document); });
    }
    if (options.export_markdown) {
      write_file_atomically(*options.export_markdown,
                            [&](std::ostream& out) { write_count_markdown(out, report); });
    }
    const bool slower = std::any_of(report.comparisons.begin(), report.comparisons.end(),
                                    [](const CountComparison& c) { return is_slower(c); });
    return options.fail_if_slower && slower ? kExitGateFailed : kExitGatePassed;
  }

  const TimeReport report = make_time_report(result, options.commands, variants, settings);
  write_time_text(std::cout, report);
  std::cout.flush();
  if (options.export_json) {
    const reports::Json document = time_json(report, rfc3339_now());
    write_file_atomically(*options.export_json,
                          [&](std::ostream& out) { reports::write_json(out, document); });
  }
  if (options.export_markdown) {
    write_file_atomically(*options.export_markdown,
                          [&](std::ostream& out) { write_time_markdown(out, report); });
  }
  const bool slower = std::any_of(report.comparisons.begin(), report.comparisons.end(),
                                  [](const TimedComparison& c) { return is_slower(c); });
  return options.fail_if_slower && slower ? kExitGateFailed : kExitGatePassed;
}

}  // namespace

Command add_time_command(CLI::App& app) {
  auto options = std::make_shared<TimeOptions>();
  CLI::App* sub = app.add_subcommand(
      "time", "Time commands like hyperfine; with several, compare each with the first");
  sub->footer(
      "Runs are interleaved: each round runs every command once, in a random order, so drift\n"
      "hits all alike. Without --runs, perfguard runs at least --min-runs and as many as fit in\n"
      "--max-time (default 3 s per command); with two or more commands it stops as soon as each\n"
      "comparison is settled, at a confidence that accounts for the repeated looks.\n"
      "Verdicts (each command vs. the first, ratio of medians): regressed, improved, unchanged,\n"
      "inconclusive. Exit 0; 1 with --fail-if-slower when a command is regressed or inconclusive\n"
      "(git bisect run); 2 on a usage error; 3 when a command fails, hangs past --timeout or\n"
      "cannot start. Details and the --export-json format: docs/time.md.");
  sub->add_option("CMD", options->commands, "Commands to time (through the shell unless -N)")
      ->required();
  sub->add_option("-w,--warmup", options->warmup,
                  "Untimed runs of each command before the first round")
      ->default_val(0)
      ->check(whole_number(0));
  CLI::Option* runs =
      sub->add_option("-r,--runs", options->runs, "Exactly this many runs per command")
          ->check(whole_number(0));
  CLI::Option* min_runs =
      sub->add_option("-m,--min-runs", options->min_runs, "At least this many runs (default 10)")
          ->check(whole_number(0));
  CLI::Option* max_runs =
      sub->add_option("-M,--max-runs", options->max_runs, "At most this many runs")
          ->check(whole_number(0));
  runs->excludes(min_runs)->excludes(max_runs);
  sub->add_option(
      "--max-time", options->max_time,
      "Stop starting rounds after this long, once --min-runs are done (default 3s per command)");
  CLI::Option* no_shell = sub->add_flag(
      "-N", options->no_shell, "Run commands without a shell (split like sh); --shell=none");
  CLI::Option* shell =
      sub->add_option("-S,--shell", options->shell, "The shell to run commands with (default sh)");
  no_shell->excludes(shell);
  sub->add_option("-p,--prepare", options->prepare,
                  "Run before every run (and warmup) of each command, untimed");
  sub->add_option("-s,--setup", options->setup, "Run once before each command's first run");
  sub->add_option("--cpu", options->cpu, "Pin the commands to these CPUs, e.g. 2 or 0-3,6");
  sub->add_option("--timeout", options->timeout,
                  "Kill a run (its whole process group) after this long, e.g. 30s");
  sub->add_flag("-i,--ignore-failure", options->ignore_failure,
                "Measure commands that exit non-zero instead of failing");
  sub->add_option("--export-json", options->export_json,
                  "Write all samples and statistics as JSON (hyperfine's fields)");
  sub->add_option("--export-markdown", options->export_markdown,
                  "Write the results as a Markdown table");
  sub->add_option("--journal", options->journal,
                  "Write every run to this samples.jsonl as it completes");
  sub->add_option("--threshold", options->threshold, "Largest slowdown that is not a regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--metric", options->metric,
                  "What the comparisons judge: wall_time, cpu_time (user + system: steadier "
                  "than wall time on a busy machine, for CPU-bound commands), or instructions / "
                  "estimated_cycles (counted under Callgrind: exact, whatever the load)")
      ->default_str("wall_time");
  sub->add_option("--confidence", options->confidence, "Overall confidence of the verdicts")
      ->default_str(std::string(budgets::kDefaultConfidenceText));
  sub->add_flag("--fail-if-slower", options->fail_if_slower,
                "Exit 1 when a command is regressed or inconclusive");
  sub->add_option("--seed", options->seed, "Seed of the order within rounds")
      ->check(whole_number(0, UINT64_MAX))
      ->default_val(harness::kDefaultScheduleSeed);
  return {sub, [options] { return run_time(*options); }};
}

}  // namespace perfguard::guard
