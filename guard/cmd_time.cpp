// perfguard time [hyperfine-style flags] CMD...: ad hoc timing of one or more commands. Reads
// the options into a pipeline::TimeRequest, runs the session (pipeline/time_session.hpp), and
// prints or exports the report (docs/time.md).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/progress_line.hpp"
#include "pipeline/run_control.hpp"
#include "harness/command_line.hpp"
#include "harness/cpu_list.hpp"
#include "harness/schedule.hpp"
#include "pipeline/time_report.hpp"
#include "pipeline/time_session.hpp"
#include "reports/count_output.hpp"
#include "reports/stats_report.hpp"
#include "reports/time_output.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {

using pipeline::InterruptCleanup;
using pipeline::ProgressLine;
using pipeline::rfc3339_now;
using pipeline::write_file_atomically;

namespace {

// hyperfine's default: at least 10 runs and at least 3 seconds per command.
constexpr std::size_t kDefaultMinRuns = 10;
constexpr double kDefaultSecondsPerCommand = 3.0;
constexpr const char* kDefaultShell = "sh";
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
  std::optional<std::string> ratio_method;
  bool fail_if_slower = false;
  bool ignore_failure = false;
  std::uint64_t seed = harness::kDefaultScheduleSeed;
};

// The flags as a session: the metric, the run counts with hyperfine's defaults, the shell.
pipeline::TimeRequest time_request(const TimeOptions& options) {
  pipeline::TimeRequest request;
  request.commands = options.commands;
  reports::TimeSettings& settings = request.settings;
  settings.threshold = threshold_flag("--threshold", options.threshold);
  const bool counts = pipeline::is_count_metric_name(options.metric);
  const std::optional<reports::TimeMetric> metric = reports::parse_time_metric(options.metric);
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
    request.count_metric = options.metric;
  }
  settings.metric = metric.value_or(reports::TimeMetric::wall_time);
  settings.alpha = 1.0 - confidence_flag("--confidence", options.confidence);
  if (options.ratio_method)
    settings.ratio_method = ratio_method_flag("--ratio-method", *options.ratio_method);
  settings.seed = options.seed;
  settings.warmup = options.warmup;

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
    settings.min_runs = *options.runs;
    settings.max_runs = *options.runs;
  } else {
    if (options.max_runs && *options.max_runs == 0)
      throw UsageError("--max-runs 0: needs at least 1 run");
    settings.min_runs = options.min_runs.value_or(
        std::min(kDefaultMinRuns, options.max_runs.value_or(kDefaultMinRuns)));
    if (settings.min_runs == 0) throw UsageError("--min-runs 0: needs at least 1 run");
    if (options.max_runs && *options.max_runs < settings.min_runs) {
      throw UsageError(fmt::format("--max-runs {} is below --min-runs {}", *options.max_runs,
                                   settings.min_runs));
    }
    settings.max_runs = options.max_runs;
    if (counts) {
      // No time budget by default: counts settle by agreeing, not by accumulating runs.
      if (!settings.max_runs) settings.max_runs = std::max(kDefaultMaxCountRuns, settings.min_runs);
    } else {
      settings.max_time = kDefaultSecondsPerCommand * static_cast<double>(options.commands.size());
    }
  }
  if (options.max_time) settings.max_time = positive_duration_flag("--max-time", *options.max_time);
  if (options.timeout) settings.timeout = positive_duration_flag("--timeout", *options.timeout);
  settings.pinned = options.cpu.has_value();
  settings.cpus = options.cpu ? cpu_flag("--cpu", *options.cpu) : harness::allowed_cpus();

  if (!options.no_shell && options.shell != "none") {
    const std::string text = options.shell.value_or(kDefaultShell);
    request.shell = harness::split_words(text);
    if (!request.shell || request.shell->empty())
      throw UsageError(fmt::format("--shell '{}': expected a shell such as bash", text));
    settings.shell = text;
  }
  request.prepare = options.prepare;
  request.setup = options.setup;
  request.ignore_failure = options.ignore_failure;
  request.journal = options.journal;
  return request;
}

// One report's renderings (reports/time_output.hpp or reports/count_output.hpp).
struct Renderings {
  std::function<void(std::ostream&)> text;
  std::function<Json(const std::string& generated_at)> json;
  std::function<void(std::ostream&)> markdown;
};

// The report on standard output, the exports where the flags say; the exit code.
int write_report(const TimeOptions& options, const Renderings& report, bool slower) {
  report.text(std::cout);
  std::cout.flush();
  if (options.export_json) {
    const Json document = report.json(rfc3339_now());
    write_file_atomically(*options.export_json,
                          [&](std::ostream& out) { reports::write_json(out, document); });
  }
  if (options.export_markdown) write_file_atomically(*options.export_markdown, report.markdown);
  return options.fail_if_slower && slower ? kExitGateFailed : kExitGatePassed;
}

template <typename Comparison>
bool any_slower(const std::vector<Comparison>& comparisons) {
  return std::any_of(comparisons.begin(), comparisons.end(),
                     [](const Comparison& c) { return pipeline::is_slower(c); });
}

int run_time(const TimeOptions& options) {
  const pipeline::TimeRequest request = time_request(options);
  std::optional<ProgressLine> progress;
  std::vector<harness::ScheduleListener*> listeners;
  if (::isatty(STDERR_FILENO) == 1) {
    listeners.push_back(
        &progress.emplace(fmt::format("{} command{}", options.commands.size(),
                                      options.commands.size() == 1 ? "" : "s interleaved")));
  }
  // Ctrl-C: the commands run in process groups of their own, out of the terminal's reach;
  // InterruptCleanup kills them, and everything they started, before perfguard ends.
  const InterruptCleanup on_interrupt([&options](int) {
    std::fprintf(stderr, "\nperfguard: interrupted%s%s\n",
                 options.journal ? "; the runs so far are in " : "",
                 options.journal ? options.journal->c_str() : "");
  });
  const pipeline::TimeResults results = pipeline::run_time_session(request, listeners);
  progress.reset();
  if (const auto* counts = std::get_if<reports::CountReport>(&results)) {
    return write_report(options,
                        {[&](std::ostream& out) { reports::write_count_text(out, *counts); },
                         [&](const std::string& at) { return reports::count_json(*counts, at); },
                         [&](std::ostream& out) { reports::write_count_markdown(out, *counts); }},
                        any_slower(counts->comparisons));
  }
  const auto& times = std::get<reports::TimeReport>(results);
  return write_report(options,
                      {[&](std::ostream& out) { reports::write_time_text(out, times); },
                       [&](const std::string& at) { return reports::time_json(times, at); },
                       [&](std::ostream& out) { reports::write_time_markdown(out, times); }},
                      any_slower(times.comparisons));
}

}  // namespace

Command add_time_command(CLI::App& app) {
  auto options = std::make_shared<TimeOptions>();
  CLI::App* sub = app.add_subcommand(
      "time", "Time commands like hyperfine; with several, compare each with the first");
  sub->footer(fmt::format(
      "Runs are interleaved: each round runs every command once, in a random order, so drift\n"
      "hits all alike. Without --runs, perfguard runs at least --min-runs and as many as fit in\n"
      "--max-time (default 3 s per command); with two or more commands it stops as soon as each\n"
      "comparison is settled, at a confidence that accounts for the repeated looks.\n"
      "Verdicts, each command vs. the first: regressed, improved, unchanged, inconclusive.\n"
      "The ratio and its interval come from --ratio-method (default {}): the paired\n"
      "methods pair run i of each command (round i) and judge the per-round ratios;\n"
      "median_ratio judges the ratio of medians. Exit 0; 1 with --fail-if-slower when a\n"
      "command is regressed or inconclusive (git bisect run); 2 on a usage error; 3 when a\n"
      "command fails, hangs past --timeout or cannot start. Details and the --export-json\n"
      "format: docs/time.md.",
      stats::to_string(budgets::kDefaultRatioMethod)));
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
  sub->add_option(
      "--ratio-method", options->ratio_method,
      fmt::format("How each comparison's ratio and interval are reached: {} "
                  "(default {}; docs/time.md)",
                  stats::ratio_method_names(), stats::to_string(budgets::kDefaultRatioMethod)));
  sub->add_flag("--fail-if-slower", options->fail_if_slower,
                "Exit 1 when a command is regressed or inconclusive");
  sub->add_option("--seed", options->seed, "Seed of the order within rounds")
      ->check(whole_number(0, UINT64_MAX))
      ->default_val(harness::kDefaultScheduleSeed);
  return {sub, [options] { return run_time(*options); }};
}

}  // namespace perfguard::guard
