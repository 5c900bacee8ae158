#include "pipeline/bisect.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include <fmt/format.h>

#include "budgets/config.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "core/text.hpp"
#include "pipeline/builds.hpp"
#include "pipeline/output_files.hpp"
#include "reports/bisect_output.hpp"

namespace perfguard::pipeline {

namespace {

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

// Positions: 0 is good, i in 1..n is path[i - 1]; n is bad.
class Search {
 public:
  Search(const std::vector<std::string>& path, const JudgeCommit& judge)
      : path_(path), judge_(judge) {}

  BisectSearch run() {
    const std::size_t n = path_.size();
    const StepOutcome at_bad = measure(n);
    if (at_bad == StepOutcome::skipped) {
      throw ExecutionError(fmt::format("--bad {} could not be measured: {}",
                                       short_sha(path_.back()), result_.steps.back().reason));
    }
    if (at_bad != StepOutcome::regressed) {
      const BisectStep& step = result_.steps.back();
      result_.status = BisectStatus::nothing_to_find;
      result_.why = fmt::format("--bad {} is {} against --good, not regressed: {}",
                                short_sha(path_.back()), step.verdict, step.reason);
      return std::move(result_);
    }
    std::size_t clean = 0;  // the last position known clean (good)
    std::size_t regressed = n;  // the first position known regressed
    std::set<std::size_t> skipped;
    while (regressed - clean > 1) {
      const std::optional<std::size_t> next = pick(clean, regressed, skipped);
      if (!next) {
        return unsplit(clean, regressed,
                       "only commits that could not be measured are left between the last "
                       "clean and the first regressed commit");
      }
      switch (measure(*next)) {
        case StepOutcome::regressed: regressed = *next; break;
        case StepOutcome::clean: clean = *next; break;
        case StepOutcome::skipped: skipped.insert(*next); break;
        case StepOutcome::inconclusive: {
          const BisectStep& step = result_.steps.back();
          return unsplit(clean, regressed,
                         fmt::format("{} stayed inconclusive after {} tries: {}",
                                     short_sha(step.commit), step.attempt, step.reason));
        }
      }
    }
    result_.status = BisectStatus::found;
    result_.range = {path_[regressed - 1]};
    result_.culprit_step = result_.steps[last_step_.at(regressed)];
    return std::move(result_);
  }

 private:
  // The untested, unskipped position nearest the middle of (clean, regressed); the lower
  // one of two equally near, so the search is deterministic.
  static std::optional<std::size_t> pick(std::size_t clean, std::size_t regressed,
                                         const std::set<std::size_t>& skipped) {
    const std::size_t middle = clean + (regressed - clean) / 2;
    std::optional<std::size_t> best;
    for (std::size_t at = clean + 1; at < regressed; ++at) {
      if (skipped.contains(at)) continue;
      const auto distance = [middle](std::size_t p) { return p > middle ? p - middle : middle - p; };
      if (!best || distance(at) < distance(*best)) best = at;
    }
    return best;
  }

  // Judges a position; an inconclusive answer once more with more runs.
  StepOutcome measure(std::size_t position) {
    const std::string& commit = path_[position - 1];
    for (std::size_t attempt = 1;; ++attempt) {
      BisectStep step = judge_(commit, attempt);
      step.commit = commit;
      step.attempt = attempt;
      const StepOutcome outcome = step.outcome;
      last_step_[position] = result_.steps.size();
      result_.steps.push_back(std::move(step));
      if (outcome != StepOutcome::inconclusive || attempt == 2) return outcome;
    }
  }

  BisectSearch unsplit(std::size_t clean, std::size_t regressed, const std::string& why) {
    result_.status = BisectStatus::unsplit;
    result_.range.assign(path_.begin() + static_cast<std::ptrdiff_t>(clean),
                         path_.begin() + static_cast<std::ptrdiff_t>(regressed));
    result_.why = why;
    return std::move(result_);
  }

  const std::vector<std::string>& path_;
  const JudgeCommit& judge_;
  BisectSearch result_;
  std::map<std::size_t, std::size_t> last_step_;  // position -> its last step's index
};

// The benchmark --only names: exactly one of the config's (compare's own rule: a glob over
// the ids, or one Google Benchmark case "id/BM_x").
const budgets::BenchmarkSpec& only_benchmark(const budgets::Config& config,
                                             const std::string& only) {
  std::vector<const budgets::BenchmarkSpec*> matched;
  for (const budgets::BenchmarkSpec& spec : config.benchmarks) {
    if (budgets::glob_match(only, spec.id) || only.rfind(spec.id + "/", 0) == 0)
      matched.push_back(&spec);
  }
  if (matched.empty()) {
    throw UsageError(
        fmt::format("--only {}: matches no benchmark in {}", printable(only), config.path));
  }
  if (matched.size() > 1) {
    std::vector<std::string> ids;
    for (const auto* spec : matched) ids.push_back(spec->id);
    throw UsageError(fmt::format("--only {}: matches {} benchmarks ({}); bisect follows one",
                                 printable(only), matched.size(), join(ids, ", ")));
  }
  return *matched.front();
}

StepOutcome outcome_of(const budgets::Row& row) {
  using budgets::Verdict;
  switch (row.verdict) {
    // approved: regressed, and accepted for a release; the slowdown is still there to find.
    case Verdict::regressed:
    case Verdict::approved: return StepOutcome::regressed;
    case Verdict::unchanged:
    case Verdict::improved: return StepOutcome::clean;
    case Verdict::inconclusive: return StepOutcome::inconclusive;
    case Verdict::missing:
    case Verdict::error:
    case Verdict::new_: return StepOutcome::skipped;
    case Verdict::over_budget:
    case Verdict::insufficient:
    case Verdict::complexity_regressed: break;
  }
  // A verdict on top of the relative one: the relative rule alone decides here.
  if (!row.comparison) return StepOutcome::skipped;
  switch (budgets::judge_change(*row.comparison, row.threshold).verdict) {
    case Verdict::regressed: return StepOutcome::regressed;
    case Verdict::inconclusive: return StepOutcome::inconclusive;
    default: return StepOutcome::clean;
  }
}

reports::BisectCommit described(Vcs& vcs, const std::string& sha, const std::string& ref) {
  CommitInfo info = vcs.commit_info(sha);
  return {.ref = ref,
          .sha = sha,
          .subject = std::move(info.subject),
          .author = std::move(info.author),
          .date = std::move(info.date)};
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

BisectSearch bisect_path(const std::vector<std::string>& path, const JudgeCommit& judge) {
  PG_CHECK(!path.empty());
  return Search(path, judge).run();
}

BisectResult bisect(const BisectRequest& request, CompareIo io) {
  PG_CHECK(io.runner != nullptr && io.vcs != nullptr);
  PG_CHECK(request.compare.only.has_value());
  Vcs& vcs = *io.vcs;
  const std::filesystem::path top = vcs.toplevel();
  const std::optional<std::string> good = vcs.resolve(request.good);
  if (!good) {
    throw UsageError(
        fmt::format("--good {}: no such commit in {}", printable(request.good), top.string()));
  }
  const std::optional<std::string> bad = vcs.resolve(request.bad);
  if (!bad) {
    throw UsageError(
        fmt::format("--bad {}: no such commit in {}", printable(request.bad), top.string()));
  }
  if (*good == *bad) {
    throw UsageError(fmt::format("--good {} and --bad {} are the same commit {}",
                                 printable(request.good), printable(request.bad),
                                 short_sha(*good)));
  }
  const budgets::Config config = budgets::load_config(
      request.compare.config.value_or(top / "perfguard.json").string());
  const budgets::BenchmarkSpec& spec = only_benchmark(config, *request.compare.only);
  const std::string metric = request.metric.value_or(std::string(budgets::primary_metric(spec)));
  const std::vector<std::string> path = vcs.first_parent_path(*good, *bad);
  PG_CHECK(!path.empty() && path.back() == *bad);

  // Fail closed: a bisect.json left by an earlier run must not stand for this one.
  ensure_directory(request.out);
  std::error_code ec;
  std::filesystem::remove(request.out / "bisect.json", ec);
  for (const auto& entry : std::filesystem::directory_iterator(request.out, ec)) {
    if (entry.path().filename().string().rfind("step-", 0) == 0)
      std::filesystem::remove_all(entry.path(), ec);
  }

  std::size_t step_number = 0;
  const JudgeCommit judge = [&](const std::string& commit, std::size_t attempt) {
    ++step_number;
    CompareRequest step_request = request.compare;
    step_request.base = *good;
    step_request.candidate = commit;
    step_request.out = request.out / fmt::format("step-{:02}-{}", step_number, short_sha(commit));
    if (attempt > 1) step_request.schedule.max_runs = request.retry_max_runs;
    BisectStep step;
    step.artifacts = step_request.out;
    budgets::GateResult gate;
    try {
      gate = compare(step_request, io);
    } catch (const BuildFailed& e) {
      step.outcome = StepOutcome::skipped;
      step.verdict = "build_failed";
      step.reason = first_line(e.what());
      return step;
    }
    std::vector<const budgets::Row*> rows;
    std::vector<std::string> judged;
    for (const budgets::Row& row : gate.rows) {
      if (row.spec != spec.id) continue;
      judged.push_back(row.benchmark + " " + row.metric);
      if (row.metric == metric) rows.push_back(&row);
    }
    if (rows.empty()) {
      throw UsageError(fmt::format("--metric {}: {} has no judged row for it (judged: {})",
                                   metric, spec.id, join(judged, ", ")));
    }
    if (rows.size() > 1) {
      throw UsageError(fmt::format(
          "--only {}: {} has {} cases ({}); name one, e.g. --only {}",
          printable(*request.compare.only), spec.id, rows.size(), join(judged, ", "),
          rows.front()->benchmark));
    }
    const budgets::Row& row = *rows.front();
    step.outcome = outcome_of(row);
    step.verdict = std::string(budgets::to_string(row.verdict));
    step.reason = row.reason;
    step.confidence = row.confidence;
    step.exact = row.exact;
    if (row.comparison) {
      step.ratio = row.comparison->ratio;
      step.ratio_ci = row.comparison->ratio_ci;
      step.good_runs = row.comparison->base.n;
      step.runs = row.comparison->candidate.n;
    }
    return step;
  };

  BisectResult result;
  result.search = bisect_path(path, judge);
  result.good = described(vcs, *good, request.good);
  result.bad = described(vcs, *bad, request.bad);
  result.benchmark = spec.id;
  result.metric = metric;
  result.path_length = path.size();
  for (const std::string& commit : result.search.range)
    result.range.push_back(described(vcs, commit, ""));
  result.generated_at = rfc3339_now();
  write_file_atomically(request.out / "bisect.json", [&](std::ostream& out) {
    reports::write_bisect_json(out, result);
  });
  return result;
}

BisectResult bisect(const BisectRequest& request) {
  SystemIo system(request.compare.repo);
  return bisect(request, system.io());
}

}  // namespace perfguard::pipeline
