// perfguard compare --base REF --candidate REF: the gate. Worktrees, builds, interleaved runs,
// verdicts, artifacts.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "guard/builds.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "guard/compare_plan.hpp"
#include "guard/gate_output.hpp"
#include "guard/host.hpp"
#include "guard/output_files.hpp"
#include "guard/progress_line.hpp"
#include "guard/run_control.hpp"
#include "guard/sample_series.hpp"
#include "guard/settle.hpp"
#include "guard/selection.hpp"
#include "guard/vcs.hpp"
#include "harness/cpu_list.hpp"
#include "harness/journal.hpp"
#include "harness/process_runner.hpp"
#include "harness/schedule.hpp"
#include "reports/artifacts.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {
namespace {

struct CompareOptions {
  std::string base;
  std::string candidate = "HEAD";
  std::string repo = ".";
  std::optional<std::string> config;
  std::string out = "perfguard-reports";
  std::optional<std::string> only;
  std::optional<std::size_t> runs;
  std::size_t min_runs = 10;
  std::size_t max_runs = 60;
  std::optional<std::string> max_time;
  std::optional<std::string> cpu;
  std::string timeout = "60s";
  std::size_t warmup = 1;
  std::string threshold{kDefaultThresholdText};
  std::string confidence{budgets::kDefaultConfidenceText};
  std::uint64_t seed = harness::kDefaultScheduleSeed;
  bool keep_worktrees = false;
};

// Checked flag values, all in one place before anything slow starts.
struct Settings {
  harness::ScheduleOptions schedule;
  budgets::GateSettings gate;
  PlanOptions plan;
};

Settings settings_of(const CompareOptions& options) {
  Settings s;
  s.gate.default_threshold = threshold_flag("--threshold", options.threshold);
  s.gate.interval.confidence = confidence_flag("--confidence", options.confidence);
  s.gate.today = budgets::today_utc();
  s.schedule.alpha = 1.0 - s.gate.interval.confidence;
  s.schedule.seed = options.seed;
  s.schedule.min_runs = options.runs.value_or(options.min_runs);
  s.schedule.max_runs = options.runs.value_or(options.max_runs);
  // Fewer runs than the ratio interval needs at this confidence would call identical code
  // regressed more often than the confidence promises: refused, with the number needed.
  const std::size_t needed = stats::min_samples_for_ratio_ci(s.gate.interval.confidence);
  const auto refuse_below = [&](const char* flag, std::size_t runs) {
    if (runs < needed) {
      throw UsageError(fmt::format(
          "{} {}: at confidence {} a verdict needs at least {} runs per side", flag, runs,
          options.confidence, needed));
    }
  };
  if (options.runs) {
    refuse_below("--runs", *options.runs);
  } else {
    refuse_below("--min-runs", options.min_runs);
    if (options.max_runs < options.min_runs) {
      throw UsageError(fmt::format("--max-runs {} is below --min-runs {}", options.max_runs,
                                   options.min_runs));
    }
  }
  if (options.max_time) {
    s.schedule.max_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(positive_duration_flag("--max-time", *options.max_time)));
  }
  // One CPU by default, the last one: CPU 0 takes most interrupts and housekeeping.
  s.plan.cpus = options.cpu ? cpu_flag("--cpu", *options.cpu)
                            : std::vector<int>{harness::allowed_cpus().back()};
  s.plan.default_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(positive_duration_flag("--timeout", options.timeout)));
  s.plan.default_warmup = options.warmup;
  s.plan.default_threshold = s.gate.default_threshold;
  return s;
}

std::vector<budgets::BenchmarkSpec> selected_benchmarks(const budgets::Config& config,
                                                        const std::optional<std::string>& only) {
  std::vector<budgets::BenchmarkSpec> selected;
  for (const budgets::BenchmarkSpec& spec : config.benchmarks) {
    // --only names a benchmark, or one Google Benchmark case of it ("micro/BM_parse").
    if (!only || budgets::glob_match(*only, spec.id) || only->rfind(spec.id + "/", 0) == 0)
      selected.push_back(spec);
  }
  if (selected.empty())
    throw UsageError(fmt::format("--only {}: matches no benchmark in {}", *only, config.path));
  return selected;
}

// A case filter for "--only micro/BM_parse": narrows that gbench binary to the one case.
void narrow_to_case(std::vector<budgets::BenchmarkSpec>& selected,
                    const std::optional<std::string>& only) {
  if (!only) return;
  for (budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind == budgets::BenchmarkKind::gbench && only->rfind(spec.id + "/", 0) == 0) {
      spec.filter = "^" + only->substr(spec.id.size() + 1) + "$";
    }
  }
}

// A replay works from any directory (absolute --repo, --config and --out), writes into a
// folder of its own (<out>/replay, never over the gate's reports), and samples as the gate
// did (the run-shaping flags that were given). Flags added after it override these.
std::string replay_prefix(const CompareOptions& options, const std::filesystem::path& top,
                          const std::string& base, const std::string& candidate) {
  const auto absolute = [](const std::string& path) {
    return reports::shell_quote(std::filesystem::absolute(path).lexically_normal().string());
  };
  std::string command =
      fmt::format("perfguard compare --base {} --candidate {} --repo {}", base.substr(0, 12),
                  candidate.substr(0, 12), reports::shell_quote(top.string()));
  if (options.config) command += " --config " + absolute(*options.config);
  command += " --out " + absolute((std::filesystem::path(options.out) / "replay").string());
  if (options.runs) {
    command += fmt::format(" --runs {}", *options.runs);
  } else {
    const CompareOptions defaults;
    if (options.min_runs != defaults.min_runs)
      command += fmt::format(" --min-runs {}", options.min_runs);
    if (options.max_runs != defaults.max_runs)
      command += fmt::format(" --max-runs {}", options.max_runs);
  }
  if (options.max_time) command += " --max-time " + reports::shell_quote(*options.max_time);
  if (options.cpu) command += " --cpu " + reports::shell_quote(*options.cpu);
  if (options.timeout != CompareOptions().timeout)
    command += " --timeout " + reports::shell_quote(options.timeout);
  if (options.warmup != CompareOptions().warmup)
    command += fmt::format(" --warmup {}", options.warmup);
  if (options.seed != harness::kDefaultScheduleSeed)
    command += fmt::format(" --seed {}", options.seed);
  command += judgement_flags(options.threshold, options.confidence);
  return command;
}

// The artifacts a run leaves when it ends before its gate is judged: an error or an interrupt,
// which may arrive on the interrupt thread while the main thread writes. One writer at a time,
// so the last artifacts written agree with the exit status.
class UnfinishedRun {
 public:
  UnfinishedRun(std::filesystem::path out, reports::ArtifactContext context)
      : out_(std::move(out)), context_(std::move(context)) {}

  // Refs resolved, host read: later failures record them.
  void update(const std::function<void(reports::ArtifactContext&)>& change) {
    const std::lock_guard<std::mutex> lock(mutex_);
    change(context_);
  }

  void write_gate(const budgets::GateResult& gate, const reports::ArtifactContext& context,
                  std::span<const reports::SampleSeries> samples) {
    const std::lock_guard<std::mutex> lock(mutex_);
    write_gate_artifacts(out_, gate, context, samples);
  }

  void fail(const std::string& why, int exit_code) noexcept {
    const std::lock_guard<std::mutex> lock(mutex_);
    context_.generated_at = rfc3339_now();
    write_unfinished_artifacts(out_, context_, why, exit_code);
  }

 private:
  std::mutex mutex_;
  std::filesystem::path out_;
  reports::ArtifactContext context_;
};

// What the user may not expect: each side is built from its commit, so uncommitted changes
// are not measured -- but the config and approvals are read from the working tree, for both
// sides. And comparing a commit with itself measures only noise.
void warn_about_inputs(const CompareOptions& options, Vcs& vcs, const budgets::Config& config,
                       const std::filesystem::path& top, const std::string& base_sha,
                       const std::string& candidate_sha) {
  if (base_sha == candidate_sha) {
    std::cerr << fmt::format(
        "perfguard: warning: --base {} and --candidate {} are the same commit {}: the gate "
        "compares that code with itself\n",
        printable(options.base), printable(options.candidate), base_sha.substr(0, 12));
  }
  const std::vector<std::string> changed = vcs.uncommitted_changes();
  if (changed.empty()) return;
  std::error_code ec;
  const std::filesystem::path config_path =
      std::filesystem::weakly_canonical(config.path, ec).lexically_relative(
          std::filesystem::weakly_canonical(top, ec));
  const bool config_changed =
      std::find(changed.begin(), changed.end(), config_path.generic_string()) != changed.end();
  std::cerr << fmt::format(
      "perfguard: warning: the working tree has uncommitted changes ({} file{}, e.g. {}): they "
      "are not measured, each side is built from its commit{}\n",
      changed.size(), changed.size() == 1 ? "" : "s", printable(changed.front()),
      config_changed ? fmt::format("; but the uncommitted {} is the config of both sides",
                                   printable(config_path.generic_string()))
                     : "");
}

int compare_revisions(const CompareOptions& options, const Settings& settings,
                      UnfinishedRun& unfinished) {
  harness::SystemProcessRunner runner;
  GitVcs vcs(runner, options.repo);
  const std::filesystem::path top = vcs.toplevel();
  const budgets::Config config =
      budgets::load_config(options.config.value_or((top / "perfguard.json").string()));
  std::vector<budgets::BenchmarkSpec> selected = selected_benchmarks(config, options.only);
  std::vector<std::string> selected_ids;
  std::vector<std::string> skipped_benchmarks;
  for (const budgets::BenchmarkSpec& spec : config.benchmarks) {
    const bool chosen = std::any_of(selected.begin(), selected.end(),
                                    [&](const budgets::BenchmarkSpec& s) { return s.id == spec.id; });
    (chosen ? selected_ids : skipped_benchmarks).push_back(spec.id);
  }
  const std::vector<budgets::BenchmarkSpec> before_narrowing = selected;
  narrow_to_case(selected, options.only);
  const bool narrowed_cases = std::any_of(
      selected.begin(), selected.end(), [&](const budgets::BenchmarkSpec& spec) {
        return std::any_of(before_narrowing.begin(), before_narrowing.end(),
                           [&](const budgets::BenchmarkSpec& b) {
                             return b.id == spec.id && b.filter != spec.filter;
                           });
      });
  const SelectedBudgets rules = budgets_for_selection(config.budgets, options.only, selected_ids);
  const reports::Selection selection = selection_record(
      options.only, std::move(skipped_benchmarks), rules.skipped, narrowed_cases);
  unfinished.update([&](reports::ArtifactContext& c) { c.selection = selection; });
  budgets::Approvals approvals;
  if (config.approvals) {
    approvals = budgets::load_approvals(
        (std::filesystem::path(config.path).parent_path() / *config.approvals).string(),
        settings.gate.today);
  }

  // Refs first: an unknown one is a usage error, before anything is created.
  // A ref is echoed on one line whatever it holds (a newline, escape codes).
  const std::optional<std::string> base_sha = vcs.resolve(options.base);
  if (!base_sha) {
    throw UsageError(fmt::format("--base {}: no such commit in {}", printable(options.base),
                                 top.string()));
  }
  const std::optional<std::string> candidate_sha = vcs.resolve(options.candidate);
  if (!candidate_sha) {
    throw UsageError(fmt::format("--candidate {}: no such commit in {}",
                                 printable(options.candidate), top.string()));
  }
  warn_about_inputs(options, vcs, config, top, *base_sha, *candidate_sha);
  unfinished.update([&](reports::ArtifactContext& c) {
    c.base.commit = *base_sha;
    c.candidate.commit = *candidate_sha;
    c.replay_prefix = replay_prefix(options, top, *base_sha, *candidate_sha);
  });

  const std::filesystem::path state = top / ".perfguard";
  const RunLock lock(state / "lock");
  // A run killed before its cleanup (SIGKILL, a power cut) leaves its worktrees; under the
  // lock no other run is using any, so every one there is stale.
  for (const std::filesystem::path& stale : vcs.prune_worktrees(state / "worktrees"))
    std::cerr << "perfguard: note: removed the stale worktree " << stale.string() << '\n';
  ignore_state_directory(state);
  const std::filesystem::path out = options.out;
  ensure_directory(out);
  EventLog events(out / "events.jsonl");
  events.record("resolved",
                {{"base", {{"ref", options.base}, {"commit", *base_sha}}},
                 {"candidate", {{"ref", options.candidate}, {"commit", *candidate_sha}}}});

  const Side base{kBase, {state / "worktrees" / *base_sha, state / "builds" / *base_sha}};
  const Side candidate{kCandidate,
                       {state / "worktrees" / *candidate_sha, state / "builds" / *candidate_sha}};
  std::vector<std::filesystem::path> worktrees;
  const auto remove_worktrees = [&] {
    if (options.keep_worktrees) return;
    for (const auto& path : worktrees) vcs.remove_worktree(path);
  };
  // Ctrl-C: remove the worktrees (with a runner of its own: the main one may be busy), keep
  // the journal, leave artifacts that say the run was interrupted, say so.
  const InterruptCleanup on_interrupt([&](int signal) {
    harness::SystemProcessRunner cleanup_runner;
    GitVcs cleanup_vcs(cleanup_runner, top);
    if (!options.keep_worktrees) {
      for (const auto& path : worktrees) cleanup_vcs.remove_worktree(path);
    }
    events.record("interrupted", {{"signal", signal}});
    unfinished.fail(fmt::format("interrupted by {} before the gate was judged",
                                signal == SIGINT ? "SIGINT" : "SIGTERM"),
                    128 + signal);
    const std::filesystem::path journal = out / "samples.jsonl";
    std::error_code ec;
    if (std::filesystem::exists(journal, ec)) {
      std::fprintf(stderr, "\nperfguard: interrupted; worktrees removed, samples so far in %s\n",
                   journal.c_str());
    } else {
      std::fprintf(stderr, "\nperfguard: interrupted before any benchmark ran; worktrees removed\n");
    }
  });
  struct Cleanup {
    std::function<void()> run;
    ~Cleanup() { run(); }
  } cleanup{remove_worktrees};

  for (const Side* side : {&base, &candidate}) {
    if (std::find(worktrees.begin(), worktrees.end(), side->paths.worktree) != worktrees.end())
      continue;
    vcs.add_worktree(side == &base ? *base_sha : *candidate_sha, side->paths.worktree);
    worktrees.push_back(side->paths.worktree);
    events.record("worktree", {{"side", side->name}, {"path", side->paths.worktree.string()}});
  }
  const std::string digest = build_digest(config.build);
  const double cpu_before_builds = children_cpu_seconds();
  for (const Side* side : {&base, &candidate}) {
    const auto started = std::chrono::steady_clock::now();
    const BuildOutcome outcome = build_revision(runner, config.build, side->paths, digest);
    events.record(
        "build",
        {{"side", side->name},
         {"outcome", outcome == BuildOutcome::reused ? "reused" : "built"},
         {"seconds",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()},
         {"log", (side->paths.build / "build.log").string()}});
  }

  // After a build of its own, perfguard lets the machine settle (bounded) and judges how busy
  // it is from what remains, not from a load average that still counts the compiler.
  std::optional<double> runnable_after_build;
  if (children_cpu_seconds() - cpu_before_builds >= kBuildCpuWorthSettling) {
    const Settled settled = settle(std::thread::hardware_concurrency(), sample_runnable,
                                   [](std::chrono::seconds s) { std::this_thread::sleep_for(s); });
    runnable_after_build = settled.runnable;
    events.record("settle", {{"waited_seconds", settled.waited.count()},
                             {"runnable", settled.runnable ? nlohmann::json(*settled.runnable)
                                                           : nlohmann::json(nullptr)}});
  }
  reports::Host host = read_host(settings.plan.cpus);
  unfinished.update([&](reports::ArtifactContext& c) { c.host = host; });
  for (const std::string& warning : noise_warnings(host, runnable_after_build))
    std::cerr << "perfguard: note: " << warning << '\n';

  ComparePlan plan = plan_compare(selected, rules.rules, base, candidate, runner, settings.plan);
  std::ofstream journal(out / "samples.jsonl", std::ios::trunc);
  harness::JournalWriter journal_writer(journal, (out / "samples.jsonl").string());
  harness::Schedule schedule(settings.schedule);
  schedule.add_listener(journal_writer);
  ProgressLine progress(fmt::format("{} benchmark{}, base and candidate interleaved",
                                    plan.benchmarks.size(),
                                    plan.benchmarks.size() == 1 ? "" : "s"));
  if (isatty(STDERR_FILENO) != 0) schedule.add_listener(progress);
  events.record("run", {{"benchmarks", plan.benchmarks.size()}, {"cpus", settings.plan.cpus}});
  const harness::ScheduleResult result = schedule.run(plan.benchmarks);
  progress.clear();
  host.load_after = read_load_average();

  const std::vector<budgets::Measurement> measurements =
      to_measurements(result, selected, std::move(plan.file_sizes));
  const budgets::GateResult gate =
      budgets::judge(measurements, rules.rules, approvals, settings.gate);
  events.record("verdict", {{"passed", gate.passed}, {"exit_code", gate.exit_code}});

  reports::ArtifactContext context;
  context.generated_at = rfc3339_now();
  context.host = host;
  context.base = {options.base, *base_sha};
  context.candidate = {options.candidate, *candidate_sha};
  context.settings = settings.gate;
  context.selection = selection;
  context.extra_settings = {{"command", "compare"},
                            {"min_runs", settings.schedule.min_runs},
                            {"max_runs", *settings.schedule.max_runs},
                            {"planned_runs", result.planned_runs},
                            {"schedule_seed", settings.schedule.seed},
                            {"spending", "pocock"}};
  context.replay_prefix = replay_prefix(options, top, *base_sha, *candidate_sha);
  unfinished.write_gate(gate, context, sample_series(measurements));
  print_gate_summary(std::cout, gate, out);
  return gate.exit_code;
}

int run_compare(const CompareOptions& options) {
  const Settings settings = settings_of(options);
  // What --out holds from an earlier run goes first: whatever happens next, a stale passing
  // gate cannot stand in for this run.
  invalidate_gate_artifacts(options.out);
  reports::ArtifactContext context;
  context.base = {options.base, ""};
  context.candidate = {options.candidate, ""};
  context.settings = settings.gate;
  context.extra_settings = {{"command", "compare"}};
  UnfinishedRun unfinished(options.out, std::move(context));
  try {
    return compare_revisions(options, settings, unfinished);
  } catch (const Error& e) {
    // A usage error (exit 2: config, refs, the lock) started nothing: the removed pair says
    // enough. A failure after that (git, a build, the output) leaves artifacts saying why.
    if (e.exit_code() != kExitUsage) unfinished.fail(e.what(), e.exit_code());
    throw;
  } catch (const std::exception& e) {
    unfinished.fail(e.what(), kExitExecution);
    throw;
  }
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* sub = app.add_subcommand("compare", "The gate: is the candidate slower than the base?");
  sub->footer(
      "Checks both revisions out in git worktrees (.perfguard/worktrees/<sha>), builds them with "
      "the\n"
      "config's build steps (.perfguard/builds/<sha>, reused while the commit and steps are "
      "unchanged),\n"
      "runs every benchmark on both sides in interleaved, randomized rounds pinned to one CPU, "
      "stops\n"
      "each once its verdict is settled (alpha spent across looks), and writes the reports into "
      "--out.\n"
      "Exit 0 gate passed, 1 gate failed, 2 usage/config error (unknown ref), 3 git/build failure "
      "or\n"
      "a benchmark that crashed or hung, 130/143 interrupted. The previous reports in --out are "
      "removed\n"
      "first; a run that fails or is interrupted leaves a failing gate saying why. The config "
      "and\n"
      "approvals are read from the working tree for both sides; the code is each side's commit.");
  sub->add_option("--base", options->base, "The revision to compare against (a tag, branch or SHA)")
      ->required();
  sub->add_option("--candidate", options->candidate, "The revision under test")
      ->default_str("HEAD");
  sub->add_option("--repo", options->repo, "A folder inside the repository")->default_str(".");
  sub->add_option("--config", options->config,
                  "Config file (default: perfguard.json at the repository top)");
  sub->add_option("--out", options->out, "Folder for the reports")
      ->default_str("perfguard-reports");
  sub->add_option("--only", options->only,
                  "Only benchmarks matching this glob (or one case: micro/BM_x)");
  sub->add_option("--runs", options->runs,
                  "Exactly this many runs per side (no adaptive stopping)")
      ->check(whole_number(1));
  sub->add_option("--min-runs", options->min_runs, "Runs per side before the first look")
      ->default_val(10)
      ->check(whole_number(1));
  sub->add_option("--max-runs", options->max_runs, "At most this many runs per side")
      ->default_val(60)
      ->check(whole_number(1));
  sub->add_option("--max-time", options->max_time, "Stop measuring after this long (e.g. 2m)");
  sub->add_option("--cpu", options->cpu, "CPUs to pin benchmarks to (default: the last CPU)");
  sub->add_option("--timeout", options->timeout, "Kill a run after this long")->default_str("60s");
  sub->add_option("--warmup", options->warmup, "Warmup runs per side unless the config sets them")
      ->default_val(1)
      ->check(whole_number(0));
  sub->add_option("--threshold", options->threshold,
                  "Threshold where no budget sets max_regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--confidence", options->confidence, "Overall confidence level")
      ->default_str(std::string(budgets::kDefaultConfidenceText));
  sub->add_option("--seed", options->seed, "Seed of the run order within rounds")
      ->check(whole_number(0, UINT64_MAX));
  sub->add_flag("--keep-worktrees", options->keep_worktrees,
                "Leave the worktrees in place afterwards");
  // A replay printed in the reports carries these flags; one written again after it wins.
  for (const char* flag : {"--base", "--candidate", "--repo", "--config", "--out", "--runs",
                           "--min-runs", "--max-runs", "--max-time", "--cpu", "--timeout",
                           "--warmup", "--threshold", "--confidence", "--seed"}) {
    sub->get_option(flag)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  return {sub, [options] { return run_compare(*options); }};
}

}  // namespace perfguard::guard
