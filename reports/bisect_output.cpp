#include "reports/bisect_output.hpp"

#include <ostream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "reports/format.hpp"
#include "reports/json_helpers.hpp"

namespace perfguard::reports {

std::string_view to_string(StepOutcome outcome) noexcept {
  switch (outcome) {
    case StepOutcome::regressed: return "regressed";
    case StepOutcome::clean: return "clean";
    case StepOutcome::inconclusive: return "inconclusive";
    case StepOutcome::skipped: return "skipped";
  }
  return "skipped";
}

std::string_view to_string(BisectStatus status) noexcept {
  switch (status) {
    case BisectStatus::found: return "found";
    case BisectStatus::nothing_to_find: return "nothing_to_find";
    case BisectStatus::unsplit: return "unsplit";
  }
  return "unsplit";
}

int exit_code_of(BisectStatus status) noexcept {
  switch (status) {
    case BisectStatus::found: return 0;
    case BisectStatus::nothing_to_find: return kExitGateFailed;
    case BisectStatus::unsplit: return kExitExecution;
  }
  return kExitExecution;
}

namespace {

Json commit_json(const BisectCommit& commit) {
  Json out = Json::object();
  if (!commit.ref.empty()) out["ref"] = commit.ref;
  out["commit"] = commit.sha;
  out["subject"] = commit.subject;
  out["author"] = commit.author;
  out["date"] = commit.date;
  return out;
}

Json step_json(std::size_t number, const BisectStep& step) {
  return Json{{"step", number},
              {"commit", step.commit},
              {"attempt", step.attempt},
              {"outcome", std::string(to_string(step.outcome))},
              {"verdict", step.verdict},
              {"reason", step.reason},
              {"ratio", json_number(step.ratio)},
              {"ratio_ci", json_interval(step.ratio_ci)},
              {"confidence", step.confidence > 0.0 ? json_number(step.confidence) : Json(nullptr)},
              {"exact", step.exact},
              {"good_runs", step.good_runs},
              {"runs", step.runs},
              {"artifacts", step.artifacts.string()}};
}

// "+30.0% (CI +28.1…+32.4%)", "+30.0% (exact)", or "no ratio".
std::string ratio_text(const BisectStep& step) {
  if (!step.ratio) return "no ratio";
  if (step.exact) return change_text(*step.ratio) + " (exact)";
  if (!step.ratio_ci) return change_text(*step.ratio) + " (no interval)";
  return fmt::format("{} (CI {} at {})", change_text(*step.ratio),
                     change_interval_text(*step.ratio_ci), percent_text(step.confidence));
}

std::string commit_line(const BisectCommit& commit) {
  return fmt::format("{} {} ({}, {})", commit.sha.substr(0, 12), commit.subject, commit.author,
                     commit.date);
}

}  // namespace

Json bisect_json(const BisectResult& result) {
  Json culprit = nullptr;
  if (result.search.status == BisectStatus::found && result.search.culprit_step &&
      !result.range.empty()) {
    const BisectStep& step = *result.search.culprit_step;
    culprit = commit_json(result.range.front());
    culprit["ratio"] = json_number(step.ratio);
    culprit["ratio_ci"] = json_interval(step.ratio_ci);
    culprit["confidence"] = json_number(step.confidence);
    culprit["exact"] = step.exact;
  }
  Json range = Json::array();
  for (const BisectCommit& commit : result.range) range.push_back(commit_json(commit));
  Json steps = Json::array();
  for (std::size_t i = 0; i < result.search.steps.size(); ++i)
    steps.push_back(step_json(i + 1, result.search.steps[i]));
  return Json{{"schema", kBisectSchema},
              {"generated_at", result.generated_at},
              {"perfguard_version", PERFGUARD_VERSION},
              {"benchmark", result.benchmark},
              {"metric", result.metric},
              {"good", commit_json(result.good)},
              {"bad", commit_json(result.bad)},
              {"commits", result.path_length},
              {"status", std::string(to_string(result.search.status))},
              {"exit_code", exit_code_of(result.search.status)},
              {"why", json_text_or_null(result.search.why)},
              {"culprit", culprit},
              {"range", range},
              {"steps", steps}};
}

void write_bisect_json(std::ostream& out, const BisectResult& result) {
  out << bisect_json(result).dump(2) << '\n';
}

void write_bisect_text(std::ostream& out, const BisectResult& result) {
  const BisectSearch& search = result.search;
  out << fmt::format("bisect {} {}: {} commit{} after good {}\n", result.benchmark, result.metric,
                     result.path_length, result.path_length == 1 ? "" : "s",
                     result.good.sha.substr(0, 12));
  switch (search.status) {
    case BisectStatus::found:
      out << "first regressed commit: " << commit_line(result.range.front()) << '\n';
      if (search.culprit_step)
        out << "  against good: " << ratio_text(*search.culprit_step) << '\n';
      break;
    case BisectStatus::nothing_to_find:
      out << "nothing to find: " << search.why << '\n';
      break;
    case BisectStatus::unsplit:
      out << fmt::format("could not split the range: {}\nthe first regressed commit is one of {}:\n",
                         search.why, result.range.size());
      for (const BisectCommit& commit : result.range) out << "  " << commit_line(commit) << '\n';
      break;
  }
  out << "steps:\n";
  for (std::size_t i = 0; i < search.steps.size(); ++i) {
    const BisectStep& step = search.steps[i];
    out << fmt::format("  {:>2}. {} {:<12} {}", i + 1, step.commit.substr(0, 12), step.verdict,
                       ratio_text(step));
    if (step.runs > 0) out << fmt::format(", {}+{} runs", step.good_runs, step.runs);
    if (step.attempt > 1) out << ", retried with more runs";
    if (step.outcome == StepOutcome::skipped) out << " - skipped: " << step.reason;
    out << '\n';
  }
}

}  // namespace perfguard::reports
