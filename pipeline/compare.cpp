#include "pipeline/compare.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/json_source.hpp"
#include "core/printable.hpp"
#include "harness/journal.hpp"
#include "history/change_report.hpp"
#include "pipeline/builds.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/host.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/progress_line.hpp"
#include "pipeline/record_history.hpp"
#include "pipeline/run_control.hpp"
#include "pipeline/run_identity.hpp"
#include "pipeline/sample_series.hpp"
#include "pipeline/selection.hpp"
#include "pipeline/settle.hpp"
#include "pipeline/time_budget.hpp"
#include "reports/artifacts.hpp"
#include "stats/compare.hpp"
#include "stats/sequential.hpp"

namespace perfguard::pipeline {
namespace {

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
void warn_about_inputs(const CompareRequest& request, Vcs& vcs, const budgets::Config& config,
                       const std::filesystem::path& top, const std::string& base_sha,
                       const std::string& candidate_sha, std::ostream& notes) {
  if (base_sha == candidate_sha) {
    notes << fmt::format(
        "perfguard: warning: --base {} and --candidate {} are the same commit {}: the gate "
        "compares that code with itself\n",
        printable(request.base), printable(request.candidate), base_sha.substr(0, 12));
  }
  const std::vector<std::string> changed = vcs.uncommitted_changes();
  if (changed.empty()) return;
  std::error_code ec;
  const std::filesystem::path config_path =
      std::filesystem::weakly_canonical(config.path, ec)
          .lexically_relative(std::filesystem::weakly_canonical(top, ec));
  const bool config_changed =
      std::find(changed.begin(), changed.end(), config_path.generic_string()) != changed.end();
  notes << fmt::format(
      "perfguard: warning: the working tree has uncommitted changes ({} file{}, e.g. {}): they "
      "are not measured, each side is built from its commit{}\n",
      changed.size(), changed.size() == 1 ? "" : "s", printable(changed.front()),
      config_changed ? fmt::format("; but the uncommitted {} is the config of both sides",
                                   printable(config_path.generic_string()))
                     : "");
}

std::string replay_prefix(const CompareRequest& request, const std::filesystem::path& top,
                          const std::string& base_sha, const std::string& candidate_sha) {
  return request.replay_prefix ? request.replay_prefix(top, base_sha, candidate_sha) : "";
}

// What a finished gate hands on to the history: the verdicts, the context its artifacts were
// written with, and the repository's top (where the default store lives).
struct JudgedRun {
  budgets::GateResult gate;
  reports::ArtifactContext context;
  std::filesystem::path top;
};

// Once Ctrl-C is pressed, the cleanup removes the worktrees under the run still going, which
// may then fail for that reason alone: such a run is not journaled, so that a --resume or a
// report on the journal does not take it for the benchmark's own failure.
class JournalUntilInterrupt final : public harness::ScheduleListener {
 public:
  JournalUntilInterrupt(harness::ScheduleListener& journal, const std::atomic<bool>& interrupted)
      : journal_(journal), interrupted_(interrupted) {}
  void on_run(const harness::RunRecord& record) override {
    if (!interrupted_.load()) journal_.on_run(record);
  }

 private:
  harness::ScheduleListener& journal_;
  const std::atomic<bool>& interrupted_;
};

// What shapes the runs and their verdicts, as run.json records it: a resumed run must match.
nlohmann::json run_settings(const CompareRequest& request, const harness::ScheduleOptions& schedule,
                            stats::RatioMethod ratio_method) {
  return {
      {"min_runs", schedule.min_runs},
      {"max_runs", schedule.max_runs ? nlohmann::json(*schedule.max_runs) : nullptr},
      {"max_time", schedule.max_time
                       ? nlohmann::json(std::chrono::duration<double>(*schedule.max_time).count())
                       : nullptr},
      {"warmup", request.plan.default_warmup},
      {"timeout", std::chrono::duration<double>(request.plan.default_timeout).count()},
      {"cpus", request.plan.cpus},
      {"schedule_seed", schedule.seed},
      {"spending", stats::to_string(schedule.spending)},
      {"confidence", request.gate.interval.confidence},
      {"threshold", request.gate.default_threshold},
      {"ratio_method", stats::to_string(ratio_method)},
      {"only", request.only ? nlohmann::json(*request.only) : nullptr}};
}

// run.json gets N once the schedule has planned it, so that a resumed run plans the same.
class RecordPlannedRuns final : public harness::ScheduleListener {
 public:
  RecordPlannedRuns(std::filesystem::path file, RunIdentity identity)
      : file_(std::move(file)), identity_(std::move(identity)) {}
  void on_run(const harness::RunRecord& /*record*/) override {}
  void on_pace(const harness::Pace& pace) override {
    identity_.planned_runs = pace.planned_runs;
    write_run_identity(file_, identity_);
  }

 private:
  std::filesystem::path file_;
  RunIdentity identity_;
};

// A journal whose last line an interruption cut short ends without a newline: cut it off, so
// that what a resumed run appends starts on a line of its own.
void drop_cut_last_line(const std::filesystem::path& journal) {
  const std::string text = read_text_file(journal.string());
  if (text.empty() || text.back() == '\n') return;
  const std::size_t keep = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  std::filesystem::resize_file(journal, keep);
}

JudgedRun compare_revisions(const CompareRequest& request, const CompareIo& io,
                            UnfinishedRun& unfinished,
                            const std::optional<RunIdentity>& interrupted) {
  Vcs& vcs = *io.vcs;
  harness::ProcessRunner& runner = *io.runner;
  std::ostream& notes = io.notes != nullptr ? *io.notes : std::cerr;
  const std::filesystem::path top = vcs.toplevel();
  const budgets::Config config =
      budgets::load_config(request.config.value_or(top / "perfguard.json").string());
  std::vector<budgets::BenchmarkSpec> selected = selected_benchmarks(config, request.only);
  std::vector<std::string> selected_ids;
  std::vector<std::string> skipped_benchmarks;
  for (const budgets::BenchmarkSpec& spec : config.benchmarks) {
    const bool chosen =
        std::any_of(selected.begin(), selected.end(),
                    [&](const budgets::BenchmarkSpec& s) { return s.id == spec.id; });
    (chosen ? selected_ids : skipped_benchmarks).push_back(spec.id);
  }
  const std::vector<budgets::BenchmarkSpec> before_narrowing = selected;
  narrow_to_case(selected, request.only);
  const bool narrowed_cases =
      std::any_of(selected.begin(), selected.end(), [&](const budgets::BenchmarkSpec& spec) {
        return std::any_of(before_narrowing.begin(), before_narrowing.end(),
                           [&](const budgets::BenchmarkSpec& b) {
                             return b.id == spec.id && b.filter != spec.filter;
                           });
      });
  SelectedBudgets rules = budgets_for_selection(config.budgets, request.only, selected_ids);
  reports::Selection selection =
      selection_record(request.only, std::move(skipped_benchmarks), rules.skipped, narrowed_cases);
  // Costs from the previous run in --out, read before this run's journal replaces it. One
  // Google Benchmark binary is sharded by its cases once they are listed, after the builds.
  const std::map<std::string, double> costs = request.shard
                                                  ? previous_costs(request.out / "samples.jsonl")
                                                  : std::map<std::string, double>{};
  const bool shard_by_cases = request.shard && shards_cases(selected, *request.shard);
  if (request.shard) {
    ShardSelection shard = shard_by_cases
                               ? ShardSelection{selected, rules.rules, {}}
                               : select_shard(selected, rules.rules, *request.shard, costs);
    selected = std::move(shard.selected);
    rules.rules = std::move(shard.rules);
    shard.record.index = request.shard->index;
    shard.record.count = request.shard->count;
    shard.record.config_digest = config_digest(read_text_file(config.path));
    selection.shard = std::move(shard.record);
  }
  unfinished.update([&](reports::ArtifactContext& c) { c.selection = selection; });
  budgets::Approvals approvals;
  if (config.approvals) {
    approvals = budgets::load_approvals(
        (std::filesystem::path(config.path).parent_path() / *config.approvals).string(),
        request.gate.today);
  }

  // Refs first: an unknown one is a usage error, before anything is created.
  // A ref is echoed on one line whatever it holds (a newline, escape codes).
  const std::optional<std::string> base_sha = vcs.resolve(request.base);
  if (!base_sha) {
    throw UsageError(
        fmt::format("--base {}: no such commit in {}", printable(request.base), top.string()));
  }
  const std::optional<std::string> candidate_sha = vcs.resolve(request.candidate);
  if (!candidate_sha) {
    throw UsageError(fmt::format("--candidate {}: no such commit in {}",
                                 printable(request.candidate), top.string()));
  }
  // The whole measuring phase gets the budget: --max-time, else the config's "max_time".
  harness::ScheduleOptions schedule_options = request.schedule;
  schedule_options.time_limit = harness::TimeLimit::whole_phase;
  if (!schedule_options.max_time && config.max_time_seconds) {
    schedule_options.max_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(*config.max_time_seconds));
  }
  // Without --max-runs, a budget plans N from the warmups' pace (kMinBudgetPlannedRuns says
  // within which bounds); without a budget N is the default.
  const bool budget_plans_runs = !schedule_options.max_runs && schedule_options.max_time;
  if (budget_plans_runs) {
    schedule_options.min_planned_runs = kMinBudgetPlannedRuns;
    schedule_options.max_planned_runs = kDefaultMaxRuns;
  } else if (!schedule_options.max_runs) {
    schedule_options.max_runs = kDefaultMaxRuns;
  }
  RunIdentity identity;
  identity.base = {request.base, *base_sha};
  identity.candidate = {request.candidate, *candidate_sha};
  identity.config_path = config.path;
  identity.config_text = read_text_file(config.path);
  identity.config_digest = config_digest(identity.config_text);
  identity.build_digest = build_digest(config.build);
  // --ratio-method, else the config's "ratio_method", else the default: for the verdicts and
  // the stop rule alike.
  budgets::GateSettings gate_settings = request.gate;
  gate_settings.method =
      request.ratio_method.value_or(config.ratio_method.value_or(budgets::kDefaultRatioMethod));
  PlanOptions plan_options = request.plan;
  plan_options.ratio_method = gate_settings.method;
  identity.settings = run_settings(request, schedule_options, gate_settings.method);
  if (interrupted) {
    if (const std::optional<std::string> why = plan_mismatch(*interrupted, identity))
      throw UsageError(fmt::format("--resume: {}; run again without --resume", *why));
  }
  warn_about_inputs(request, vcs, config, top, *base_sha, *candidate_sha, notes);
  if (selection.shard)
    selection.shard->replay = replay_prefix(request, top, *base_sha, *candidate_sha);
  unfinished.update([&](reports::ArtifactContext& c) {
    c.selection = selection;
    c.base.commit = *base_sha;
    c.candidate.commit = *candidate_sha;
    c.replay_prefix = replay_prefix(request, top, *base_sha, *candidate_sha);
    c.settings = gate_settings;
  });

  const std::filesystem::path state = top / ".perfguard";
  const RunLock lock(state / "lock");
  // A run killed before its cleanup (SIGKILL, a power cut) leaves its worktrees; under the
  // lock no other run is using any, so every one there is stale.
  for (const std::filesystem::path& stale : vcs.prune_worktrees(state / "worktrees"))
    notes << "perfguard: note: removed the stale worktree " << stale.string() << '\n';
  ignore_state_directory(state);
  const std::filesystem::path& out = request.out;
  ensure_directory(out);
  EventLog events(out / "events.jsonl", interrupted.has_value());
  events.record("resolved",
                {{"base", {{"ref", request.base}, {"commit", *base_sha}}},
                 {"candidate", {{"ref", request.candidate}, {"commit", *candidate_sha}}}});

  const Side base{kBase, {state / "worktrees" / *base_sha, state / "builds" / *base_sha}};
  const Side candidate{kCandidate,
                       {state / "worktrees" / *candidate_sha, state / "builds" / *candidate_sha}};
  std::vector<std::filesystem::path> worktrees;
  const auto remove_worktrees = [&] {
    if (request.keep_worktrees) return;
    for (const auto& path : worktrees) vcs.remove_worktree(path);
  };
  // Ctrl-C: remove the worktrees (with a runner of its own: the main one may be busy), keep
  // the journal, leave artifacts that say the run was interrupted, say so.
  std::atomic<bool> interrupting{false};
  const InterruptCleanup on_interrupt([&](int signal) {
    interrupting.store(true);
    if (!request.keep_worktrees) {
      if (io.cleanup_vcs != nullptr) {
        for (const auto& path : worktrees) io.cleanup_vcs->remove_worktree(path);
      } else {
        harness::SystemProcessRunner cleanup_runner;
        GitVcs cleanup_git(cleanup_runner, top);
        for (const auto& path : worktrees) cleanup_git.remove_worktree(path);
      }
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
      std::fprintf(stderr,
                   "\nperfguard: interrupted before any benchmark ran; worktrees removed\n");
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
  const std::string& digest = identity.build_digest;
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
  reports::Host host = read_host(request.plan.cpus);
  unfinished.update([&](reports::ArtifactContext& c) { c.host = host; });
  identity.host = host;
  if (interrupted) {
    if (const std::optional<std::string> why = build_mismatch(*interrupted, identity))
      throw UsageError(fmt::format("--resume: {}; run again without --resume", *why));
  }
  for (const std::string& warning : noise_warnings(host, runnable_after_build))
    notes << "perfguard: note: " << warning << '\n';

  if (shard_by_cases) {
    std::vector<std::string> cases =
        list_gbench_cases(selected.front(), base, runner, request.plan);
    for (std::string& name : list_gbench_cases(selected.front(), candidate, runner, request.plan))
      cases.push_back(std::move(name));
    ShardSelection shard =
        select_case_shard(selected.front(), cases, rules.rules, *request.shard, costs);
    selected = std::move(shard.selected);
    rules.rules = std::move(shard.rules);
    shard.record.config_digest = selection.shard->config_digest;
    shard.record.replay = selection.shard->replay;
    selection.shard = std::move(shard.record);
    unfinished.update([&](reports::ArtifactContext& c) { c.selection = selection; });
  }
  ComparePlan plan = plan_compare(selected, rules.rules, base, candidate, runner, plan_options);
  const std::filesystem::path journal_path = out / kJournalFile;
  // A resumed run takes over what the interrupted one measured, and appends to its journal.
  std::vector<harness::RunRecord> earlier;
  if (interrupted) {
    drop_cut_last_line(journal_path);
    earlier = read_run_records(journal_path);
    // Its runs are taken over at the N the interrupted run planned from its budget.
    if (budget_plans_runs && interrupted->planned_runs) {
      schedule_options.max_runs = *interrupted->planned_runs;
    } else if (budget_plans_runs && !earlier.empty()) {
      throw UsageError(fmt::format(
          "--resume: {} does not record the runs per side the time budget planned (the run "
          "was interrupted before they were planned); run again without --resume",
          (out / kRunFile).string()));
    }
  } else {
    write_run_identity(out / kRunFile, identity);
  }
  std::ofstream journal(journal_path, interrupted ? std::ios::app : std::ios::trunc);
  harness::JournalWriter journal_writer(journal, journal_path.string());
  harness::Schedule schedule(schedule_options);
  JournalUntilInterrupt journal_listener(journal_writer, interrupting);
  schedule.add_listener(journal_listener);
  ProgressLine progress(fmt::format("{} benchmark{}, base and candidate interleaved",
                                    plan.benchmarks.size(),
                                    plan.benchmarks.size() == 1 ? "" : "s"));
  EstimateNotes estimate(
      notes,
      {schedule_options.min_runs, budget_plans_runs ? std::nullopt : schedule_options.max_runs,
       schedule_options.max_time},
      [&] { progress.clear(); });
  schedule.add_listener(estimate);
  RecordPlannedRuns record_planned_runs(out / kRunFile, identity);
  schedule.add_listener(record_planned_runs);
  if (io.progress) schedule.add_listener(progress);
  if (interrupted) {
    events.record("resumed",
                  {{"from_journal", journal_path.string()}, {"journal_runs", earlier.size()}});
  }
  events.record("run", {{"benchmarks", plan.benchmarks.size()}, {"cpus", request.plan.cpus}});
  const auto measuring_started = std::chrono::steady_clock::now();
  const harness::ScheduleResult result = schedule.run(plan.benchmarks, earlier);
  progress.clear();
  events.record("measured", {{"seconds", std::chrono::duration<double>(
                                             std::chrono::steady_clock::now() - measuring_started)
                                             .count()},
                             {"out_of_time", result.out_of_time}});
  host.load_after = read_load_average();

  const std::vector<budgets::Measurement> measurements =
      to_measurements(result, selected, std::move(plan.file_sizes));
  budgets::GateResult gate = budgets::judge(measurements, rules.rules, approvals, gate_settings);
  events.record("verdict", {{"passed", gate.passed}, {"exit_code", gate.exit_code}});

  reports::ArtifactContext context;
  context.generated_at = rfc3339_now();
  context.host = host;
  context.base = {request.base, *base_sha};
  context.candidate = {request.candidate, *candidate_sha};
  context.settings = gate_settings;
  context.selection = selection;
  context.extra_settings = {
      {"command", "compare"},
      {"min_runs", request.schedule.min_runs},
      {"max_runs", budget_plans_runs || !schedule_options.max_runs
                       ? nlohmann::json(nullptr)
                       : nlohmann::json(*schedule_options.max_runs)},
      {"max_time",
       schedule_options.max_time
           ? nlohmann::json(std::chrono::duration<double>(*schedule_options.max_time).count())
           : nlohmann::json(nullptr)},
      {"planned_runs", result.planned_runs},
      {"schedule_seed", request.schedule.seed},
      {"spending", stats::to_string(request.schedule.spending)}};
  context.replay_prefix = replay_prefix(request, top, *base_sha, *candidate_sha);
  if (interrupted) {
    context.resumed = {{"from_journal", journal_path.string()},
                       {"samples_reused", result.reused_runs}};
  }
  unfinished.write_gate(gate, context, sample_series(measurements));
  return {std::move(gate), std::move(context), top};
}

}  // namespace

budgets::GateResult compare(const CompareRequest& request, CompareIo io) {
  PG_CHECK(io.runner != nullptr && io.vcs != nullptr);
  // --resume reads what it continues before anything is touched: without it, exit 2.
  std::optional<RunIdentity> interrupted;
  if (request.resume) {
    interrupted = read_run_identity(request.out / kRunFile);
    std::error_code ec;
    if (!std::filesystem::exists(request.out / kJournalFile, ec)) {
      throw UsageError(fmt::format("--resume: {} not found: nothing was measured to continue",
                                   (request.out / kJournalFile).string()));
    }
  }
  // What --out holds from an earlier run goes first: whatever happens next, a stale passing
  // gate cannot stand in for this run.
  invalidate_gate_artifacts(request.out);
  // A fresh run's run.json is written once it measures: until then an earlier run's must not
  // pass for this one's (report would judge that run's journal as this one's).
  if (!request.resume) {
    std::error_code ec;
    std::filesystem::remove(request.out / kRunFile, ec);
  }
  reports::ArtifactContext context;
  context.base = {request.base, ""};
  context.candidate = {request.candidate, ""};
  context.settings = request.gate;
  context.extra_settings = {{"command", "compare"}};
  UnfinishedRun unfinished(request.out, std::move(context));
  JudgedRun judged;
  try {
    judged = compare_revisions(request, io, unfinished, interrupted);
  } catch (const Error& e) {
    // A usage error (exit 2: config, refs, the lock) started nothing: the removed pair says
    // enough. A failure after that (git, a build, the output) leaves artifacts saying why.
    if (e.exit_code() != kExitUsage) unfinished.fail(e.what(), e.exit_code());
    throw;
  } catch (const std::exception& e) {
    unfinished.fail(e.what(), kExitExecution);
    throw;
  }
  // After the artifacts, the worktrees and the lock: a store that fails cannot touch them.
  if (request.record_history) {
    const std::string location =
        request.history_location.value_or((judged.top / history::kDefaultHistoryPath).string());
    record_in_history(location, judged.gate, judged.context, request.out.string(),
                      io.notes != nullptr ? *io.notes : std::cerr);
  }
  return std::move(judged.gate);
}

SystemIo::SystemIo(const std::filesystem::path& repo) : vcs_(runner_, repo) {}

CompareIo SystemIo::io() {
  CompareIo io;
  io.runner = &runner_;
  io.vcs = &vcs_;
  io.progress = isatty(STDERR_FILENO) != 0;
  return io;
}

budgets::GateResult compare(const CompareRequest& request) {
  SystemIo system(request.repo);
  return compare(request, system.io());
}

}  // namespace perfguard::pipeline
