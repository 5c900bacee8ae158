// The verdict rules of docs/design.md. Read top to bottom: the relative rule, then one row per
// benchmark x metric (failures, missing data, deterministic and statistical comparisons,
// approvals), then absolute budgets, then the gate.
#include "budgets/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "budgets/families.hpp"
#include "budgets/units.hpp"
#include "core/check.hpp"
#include "core/natural_order.hpp"

namespace perfguard::budgets {
namespace {

// A ratio as a signed percentage change: 1.081 -> "+8.1%".
std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }

std::string ci_text(const stats::Interval& ci) {
  return fmt::format("CI {:+.1f}…{:+.1f}%", (ci.lo - 1.0) * 100.0, (ci.hi - 1.0) * 100.0);
}

std::string percent(double fraction) { return fmt::format("{:g}%", fraction * 100.0); }

}  // namespace

std::string_view to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::improved:
      return "improved";
    case Verdict::approved:
      return "approved";
    case Verdict::new_:
      return "new";
    case Verdict::regressed:
      return "regressed";
    case Verdict::complexity_regressed:
      return "complexity_regressed";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::over_budget:
      return "over_budget";
    case Verdict::insufficient:
      return "insufficient";
    case Verdict::missing:
      return "missing";
    case Verdict::error:
      return "error";
  }
  return "error";
}

bool passes(Verdict verdict) noexcept {
  return verdict == Verdict::unchanged || verdict == Verdict::improved ||
         verdict == Verdict::approved || verdict == Verdict::new_;
}

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::none:
      return "";
    case Severity::p0:
      return "P0";
    case Severity::p1:
      return "P1";
    case Severity::p2:
      return "P2";
  }
  return "";
}

std::string_view to_string(BudgetStatus status) noexcept {
  switch (status) {
    case BudgetStatus::pass:
      return "pass";
    case BudgetStatus::over_budget:
      return "over_budget";
    case BudgetStatus::insufficient:
      return "insufficient";
    case BudgetStatus::missing:
      return "missing";
  }
  return "missing";
}

std::string_view to_string(ApprovalUse use) noexcept {
  switch (use) {
    case ApprovalUse::used:
      return "used";
    case ApprovalUse::unused:
      return "unused";
    case ApprovalUse::invalid:
      return "invalid";
  }
  return "invalid";
}

// ---- The relative rule ---------------------------------------------------------------------

namespace {

// The rule itself, on a ratio and its interval.
Verdict classify(double r, const stats::Interval& ci, double threshold) {
  if (ci.lo > 1.0 && r > 1.0 + threshold) return Verdict::regressed;
  if (ci.hi < 1.0 && r < 1.0 / (1.0 + threshold)) return Verdict::improved;
  if (ci.hi > 1.0 + threshold) return Verdict::inconclusive;
  return Verdict::unchanged;
}

// What follows the observation in a reason: "median +8.1% (CI +5.2…+11.0%)" + " > 5% threshold".
std::string rule_tail(Verdict verdict, double threshold) {
  const std::string limit = percent(threshold);
  switch (verdict) {
    case Verdict::regressed:
      return fmt::format(" > {} threshold", limit);
    case Verdict::improved:
      return fmt::format(": faster beyond the {} threshold", limit);
    case Verdict::inconclusive:
      return fmt::format(": too noisy to rule out a regression beyond {}", limit);
    default:
      return fmt::format(" within the {} threshold", limit);
  }
}

}  // namespace

std::optional<std::size_t> runs_to_settle(double ratio, const stats::Interval& ci,
                                          double threshold, std::size_t n) {
  PG_CHECK(threshold > 0.0 && n >= 1 && ratio > 0.0 && ci.lo > 0.0);
  const double centre = std::log(ratio);
  const double line = std::log1p(threshold);
  // Unchanged: the upper end below 1 + T. Regressed: the lower end above 1 with the centre
  // beyond 1 + T. Whichever needs fewer runs.
  double factor = std::numeric_limits<double>::infinity();
  if (centre < line) factor = std::pow((std::log(ci.hi) - centre) / (line - centre), 2.0);
  if (centre > line) factor = std::pow((centre - std::log(ci.lo)) / centre, 2.0);
  const double runs = std::ceil(static_cast<double>(n) * factor);
  if (!(runs <= static_cast<double>(kMaxRunsToSettle))) return std::nullopt;
  return std::max(static_cast<std::size_t>(runs), n);
}

Judgement judge_change(std::optional<double> ratio, std::optional<stats::Interval> ratio_ci,
                       double threshold) {
  PG_CHECK(threshold > 0.0);
  if (!ratio) return {Verdict::inconclusive, "base median is 0: the ratio is undefined"};
  if (!ratio_ci) {
    return {Verdict::inconclusive,
            fmt::format("median {} but no confidence interval (too few samples, or a base "
                        "median that can be 0)",
                        change(*ratio))};
  }
  const Verdict verdict = classify(*ratio, *ratio_ci, threshold);
  return {verdict, fmt::format("median {} ({}){}", change(*ratio), ci_text(*ratio_ci),
                               rule_tail(verdict, threshold))};
}

namespace {

// What would settle an inconclusive row: the runs at this noise, and the other ways.
std::string settle_hint(const stats::Comparison& comparison, double threshold) {
  const std::size_t n = stats::is_paired(comparison.method)
                            ? comparison.paired_rounds
                            : std::min(comparison.base.n, comparison.candidate.n);
  std::string runs = "more runs";
  if (comparison.ratio && comparison.ratio_ci && n > 0 && comparison.ratio_ci->lo > 0.0) {
    if (const std::optional<std::size_t> needed =
            runs_to_settle(*comparison.ratio, *comparison.ratio_ci, threshold, n)) {
      runs = fmt::format("about {} runs per side (interval width as 1/sqrt(n))", *needed);
    }
  }
  return fmt::format(
      "; would settle it: {}, or CPU time for a CPU-bound command (time --metric cpu_time, "
      "\"measure\" in perfguard.json), instruction counts (the callgrind metric), a quieter "
      "host, more time (--max-time, --max-runs)",
      runs);
}

}  // namespace

Judgement judge_change(const stats::Comparison& comparison, double threshold) {
  const bool paired = stats::is_paired(comparison.method);
  if (paired && !comparison.ratio) {
    return {Verdict::inconclusive,
            "a round measured 0 on one side: its per-round ratio is undefined"};
  }
  if (comparison.ratio && comparison.ratio_ci_needs > 0) {
    if (paired) {
      return {Verdict::inconclusive,
              fmt::format("paired median {} from {} rounds: too few for the interval at this "
                          "confidence, which needs at least {} rounds",
                          change(*comparison.ratio), comparison.paired_rounds,
                          comparison.ratio_ci_needs)};
    }
    return {Verdict::inconclusive,
            fmt::format("median {} from {} base and {} candidate runs: too few for the "
                        "interval at this confidence, which needs at least {} per side",
                        change(*comparison.ratio), comparison.base.n, comparison.candidate.n,
                        comparison.ratio_ci_needs)};
  }
  Judgement judgement = judge_change(comparison.ratio, comparison.ratio_ci, threshold);
  if (paired && comparison.ratio && comparison.ratio_ci) {
    // "paired median +8.1% (CI +5.2…+11.0%, 23 rounds)": the per-round ratios were judged.
    const std::string unpaired =
        comparison.unpaired_runs == 0
            ? ""
            : fmt::format(", {} unpaired run{} dropped", comparison.unpaired_runs,
                          comparison.unpaired_runs == 1 ? "" : "s");
    judgement.reason = fmt::format("paired median {} ({}, {} rounds{}){}",
                                   change(*comparison.ratio), ci_text(*comparison.ratio_ci),
                                   comparison.paired_rounds, unpaired,
                                   rule_tail(judgement.verdict, threshold));
  }
  if (judgement.verdict == Verdict::inconclusive && comparison.ratio_ci) {
    judgement.reason += settle_hint(comparison, threshold);
  }
  return judgement;
}

namespace {

// ---- Which rules apply ---------------------------------------------------------------------

// A rule applies to a measurement when its glob matches the config's benchmark id and it names
// the measurement's metric (no metric: the benchmark's primary one).
bool applies(const BudgetRule& rule, const Measurement& m) {
  if (!glob_match(rule.benchmark, m.spec)) return false;
  return rule.metric ? *rule.metric == m.metric : m.primary;
}

// The most specific matching rule of one kind; on equal specificity the first in the file.
const BudgetRule* most_specific(std::span<const BudgetRule> rules, const Measurement& m,
                                bool (*kind)(const BudgetRule&)) {
  const BudgetRule* best = nullptr;
  for (const BudgetRule& rule : rules) {
    if (!kind(rule) || !applies(rule, m)) continue;
    if (best == nullptr || glob_specificity(rule.benchmark) > glob_specificity(best->benchmark))
      best = &rule;
  }
  return best;
}

bool is_relative(const BudgetRule& rule) { return rule.max_regression.has_value(); }

// Primary metrics always get a row; others only when a relative rule names them.
bool judged_relatively(std::span<const BudgetRule> rules, const Measurement& m) {
  if (m.primary) return true;
  return std::any_of(rules.begin(), rules.end(), [&](const BudgetRule& rule) {
    return is_relative(rule) && rule.metric && applies(rule, m);
  });
}

// ---- One row -------------------------------------------------------------------------------

std::string failures_text(std::string_view side, const std::vector<std::string>& failures) {
  if (failures.empty()) return "";
  std::string text = fmt::format("{}: {}", side, failures.front());
  if (failures.size() > 1) text += fmt::format(" (+{} more failed runs)", failures.size() - 1);
  return text;
}

// A side that ran but failed is an error. A benchmark only the candidate has is new: there is
// nothing to regress from. One the candidate lacks is missing (an approval may accept that).
std::optional<Judgement> judge_presence(const Measurement& m) {
  const std::string base = m.base ? failures_text("base", m.base->failures) : "";
  const std::string candidate =
      m.candidate ? failures_text("candidate", m.candidate->failures) : "";
  if (!base.empty() || !candidate.empty()) {
    return Judgement{Verdict::error, base.empty()        ? candidate
                                     : candidate.empty() ? base
                                                         : base + "; " + candidate};
  }
  const bool no_base = !m.base || m.base->values.empty();
  const bool no_candidate = !m.candidate || m.candidate->values.empty();
  if (no_base && no_candidate) return Judgement{Verdict::missing, "no samples on either side"};
  if (no_base) return Judgement{Verdict::new_, "new: only the candidate has this benchmark"};
  if (no_candidate)
    return Judgement{Verdict::missing,
                     "no candidate samples: the benchmark is gone from the candidate"};
  return std::nullopt;
}

// Deterministic metrics (file sizes) need no statistics: the ratio is exact, its interval a point.
Judgement judge_deterministic(stats::Comparison& comparison, double threshold) {
  if (comparison.base.median == 0.0 && comparison.candidate.median == 0.0) {
    return {Verdict::unchanged, "0 on both sides"};
  }
  if (!comparison.ratio) return judge_change(comparison, threshold);
  const double r = *comparison.ratio;
  comparison.ratio_ci = stats::Interval{r, r};
  const Verdict verdict = classify(r, *comparison.ratio_ci, threshold);
  // Below 1%, a threshold is compared with hundredths of a percent: show them.
  const std::string shown =
      threshold < 0.01 ? fmt::format("{:+.2f}%", (r - 1.0) * 100.0) : change(r);
  return {verdict, fmt::format("exactly {}{}", shown, rule_tail(verdict, threshold))};
}

// A regression is approved when a valid approval for this benchmark and metric allows its ratio.
// With several, one that covers the ratio applies (the tightest, so the row names the closest
// terms); when none does, the row names the most generous one it exceeds.
void apply_approval(Row& row, const Approvals& approvals) {
  const double r = *row.comparison->ratio;
  const Approval* covering = nullptr;
  const Approval* widest = nullptr;
  for (const Approval& approval : approvals.valid) {
    if (approval.removed || approval.benchmark != row.benchmark || approval.metric != row.metric)
      continue;
    if (r <= approval.max_ratio && (covering == nullptr || approval.max_ratio < covering->max_ratio))
      covering = &approval;
    if (widest == nullptr || approval.max_ratio > widest->max_ratio) widest = &approval;
  }
  if (widest == nullptr) return;
  const Approval& approval = covering != nullptr ? *covering : *widest;
  const std::string terms = fmt::format(
      "approval up to {} by {} ({}) until {}: {}", change(approval.max_ratio), approval.approver,
      approval.ticket, format_date(approval.expires), approval.reason);
  if (covering != nullptr) {
    row.verdict = Verdict::approved;
    row.reason += "; " + terms;
    row.approval = approval;
  } else {
    row.reason += fmt::format("; exceeds the {}", terms);
  }
}

// A benchmark gone from the candidate is approved when a valid approval accepts its removal.
void apply_removal(Row& row, const Approvals& approvals) {
  for (const Approval& approval : approvals.valid) {
    if (!approval.removed || approval.benchmark != row.benchmark || approval.metric != row.metric)
      continue;
    row.verdict = Verdict::approved;
    row.reason = fmt::format("removed from the candidate; removal approved by {} ({}) until {}: {}",
                             approval.approver, approval.ticket, format_date(approval.expires),
                             approval.reason);
    row.approval = approval;
    return;
  }
}

Severity severity_of(const Row& row) {
  switch (row.verdict) {
    case Verdict::error:
    case Verdict::over_budget:
      return Severity::p0;
    case Verdict::regressed:
      return *row.comparison->ratio >= 1.0 + 2.0 * row.threshold ? Severity::p1 : Severity::p2;
    case Verdict::complexity_regressed:
      return Severity::p1;
    case Verdict::inconclusive:
    case Verdict::insufficient:
    case Verdict::missing:
      return Severity::p2;
    case Verdict::unchanged:
    case Verdict::improved:
    case Verdict::approved:
    case Verdict::new_:
      return Severity::none;
  }
  return Severity::p2;
}

bool is_exact(const Measurement& m) {
  if (m.deterministic) return true;
  return m.counted && m.base && m.candidate && counts_agree(m.base->values, m.candidate->values);
}

// Exact values need no interval, and values without rounds cannot be paired.
stats::RatioMethod ratio_method_for(const Measurement& m, const GateSettings& settings) {
  return m.rounds && !is_exact(m) ? settings.method : stats::RatioMethod::median_ratio;
}

// Why counts that should have been exact were judged statistically.
std::string varying_counts_note(const Measurement& m) {
  const auto distinct = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return static_cast<std::size_t>(std::unique(values.begin(), values.end()) - values.begin());
  };
  const std::vector<double>& base = m.base->values;
  const std::vector<double>& candidate = m.candidate->values;
  if (base.size() < kMinExactRuns || candidate.size() < kMinExactRuns) {
    return fmt::format("not exact: counts need {} runs per side to be judged exactly",
                       kMinExactRuns);
  }
  return fmt::format(
      "not exact: counts varied between runs (base {} distinct in {} runs, candidate {} in {}), "
      "so judged statistically; time-dependent code, threads or uninitialised reads make "
      "counts vary",
      distinct(base), base.size(), distinct(candidate), candidate.size());
}

Row judge_row(const Measurement& m, std::span<const BudgetRule> rules, const Approvals& approvals,
              const GateSettings& settings) {
  Row row;
  row.spec = m.spec;
  row.benchmark = m.benchmark;
  row.metric = m.metric;
  row.unit = m.unit;
  row.label = m.label;
  row.threshold = relative_threshold(rules, m, settings.default_threshold);
  stats::IntervalOptions interval = settings.interval;
  if (m.confidence) interval.confidence = *m.confidence;
  row.confidence = interval.confidence;
  if (m.base) row.base_failures = m.base->failures;
  if (m.candidate) row.candidate_failures = m.candidate->failures;

  const bool failed = !row.base_failures.empty() || !row.candidate_failures.empty();
  if (!m.cut_short.empty() && !failed) {
    // Too few runs for a verdict: what they show so far is told, never passed.
    row.verdict = Verdict::inconclusive;
    row.reason = m.cut_short;
    if (m.base && m.candidate && !m.base->values.empty() && !m.candidate->values.empty()) {
      row.comparison = stats::compare(m.base->values, m.candidate->values, interval,
                                      ratio_method_for(m, settings));
      if (row.comparison) {
        row.reason += "; so far " + judge_change(*row.comparison, row.threshold).reason;
      }
    }
  } else if (const std::optional<Judgement> absent = judge_presence(m)) {
    row.verdict = absent->verdict;
    row.reason = absent->reason;
    if (row.verdict == Verdict::missing && m.base && !m.base->values.empty()) {
      row.removed = true;
      apply_removal(row, approvals);
    }
  } else {
    row.exact = is_exact(m);
    row.comparison = stats::compare(m.base->values, m.candidate->values, interval,
                                    ratio_method_for(m, settings));
    PG_CHECK(row.comparison.has_value());
    const Judgement judgement = row.exact ? judge_deterministic(*row.comparison, row.threshold)
                                          : judge_change(*row.comparison, row.threshold);
    row.verdict = judgement.verdict;
    row.reason = judgement.reason;
    if (m.counted && !row.exact) row.reason += "; " + varying_counts_note(m);
    if (row.verdict == Verdict::regressed) apply_approval(row, approvals);
  }
  row.severity = severity_of(row);
  return row;
}

// ---- Absolute budgets ----------------------------------------------------------------------

bool is_absolute(const BudgetRule& rule) { return rule.max.has_value(); }

BudgetResult check_budget(const BudgetRule& rule, const Measurement& m,
                          const GateSettings& settings) {
  const Statistic statistic = rule.statistic.value_or(Statistic::median);
  BudgetResult result;
  result.benchmark = m.benchmark;
  result.metric = m.metric;
  result.unit = m.unit;
  result.statistic = statistic;
  result.limit = *rule.max;
  result.rule = rule.location;
  const std::string name(to_string(statistic));
  const std::string limit = format_quantity(*rule.max, m.unit);
  if (!m.candidate || m.candidate->values.empty()) {
    result.status = BudgetStatus::missing;
    result.reason = fmt::format("no candidate samples to check {} <= {}", name, limit);
    result.severity = Severity::p2;
    return result;
  }
  const std::vector<double>& values = m.candidate->values;
  const double p = quantile_of(statistic).value_or(-1.0);  // mean, max: no quantile
  // Every statistic of exact values is the value itself: no minimum sample size.
  const bool exact = is_exact(m);
  if (!exact && p > 0.0 && p != 0.5 && values.size() < stats::min_samples_for_quantile(p)) {
    result.status = BudgetStatus::insufficient;
    result.reason = fmt::format("{} needs at least {} samples, have {}", name,
                                stats::min_samples_for_quantile(p), values.size());
    result.severity = Severity::p2;
    return result;
  }
  if (statistic == Statistic::mean) {
    result.actual = stats::mean(values);
  } else if (statistic == Statistic::max) {
    result.actual = *std::max_element(values.begin(), values.end());
  } else {
    result.actual = stats::quantile(values, p);
    if (!exact) result.actual_ci = stats::quantile_ci(values, p, settings.interval);
  }
  const std::string actual = format_quantity(*result.actual, m.unit);
  if (*result.actual <= *rule.max && !m.cut_short.empty()) {
    // Within budget so far, on fewer runs than a verdict needs: not a pass.
    result.status = BudgetStatus::insufficient;
    result.reason = fmt::format("{}; {} {} <= {} so far", m.cut_short, name, actual, limit);
    result.severity = Severity::p2;
  } else if (*result.actual <= *rule.max) {
    result.status = BudgetStatus::pass;
    result.reason = fmt::format("{} {} <= {} budget", name, actual, limit);
  } else {
    result.status = BudgetStatus::over_budget;
    result.reason = fmt::format("{} {} > {} budget", name, actual, limit);
    result.severity = Severity::p0;
  }
  return result;
}

// Per statistic, the most specific absolute rule that applies.
std::vector<BudgetResult> check_budgets(std::span<const BudgetRule> rules, const Measurement& m,
                                        const GateSettings& settings) {
  std::vector<BudgetResult> results;
  for (const Statistic statistic : {Statistic::median, Statistic::mean, Statistic::p90,
                                    Statistic::p95, Statistic::p99, Statistic::max}) {
    const BudgetRule* best = nullptr;
    for (const BudgetRule& rule : rules) {
      if (!is_absolute(rule) || rule.statistic.value_or(Statistic::median) != statistic ||
          !applies(rule, m))
        continue;
      if (best == nullptr || glob_specificity(rule.benchmark) > glob_specificity(best->benchmark))
        best = &rule;
    }
    if (best != nullptr) results.push_back(check_budget(*best, m, settings));
  }
  return results;
}

// A row that passes on its own still fails when one of its budgets does.
void fold_budgets_into_row(Row& row, const std::vector<BudgetResult>& budgets) {
  for (const BudgetResult& budget : budgets) {
    if (budget.status == BudgetStatus::pass || !passes(row.verdict)) continue;
    row.verdict = budget.status == BudgetStatus::over_budget    ? Verdict::over_budget
                  : budget.status == BudgetStatus::insufficient ? Verdict::insufficient
                                                                : Verdict::missing;
    row.reason = budget.reason + "; " + row.reason;
    row.severity = budget.severity;
  }
}

// A budget that applies to nothing measured is `missing`, never dropped: it names a benchmark
// (or metric) the gate was meant to judge. Relative rules become a row, absolute ones a budget
// result; the metric is the rule's, or "" for "the benchmark's primary metric".
void add_unmatched_budgets(std::span<const Measurement> measurements,
                           std::span<const BudgetRule> rules, GateResult& gate) {
  for (const BudgetRule& rule : rules) {
    // A complexity budget names a family, not a measurement: judge_families reports one that
    // matches no family.
    if (rule.complexity) continue;
    const bool matched = std::any_of(measurements.begin(), measurements.end(),
                                     [&](const Measurement& m) { return applies(rule, m); });
    if (matched) continue;
    const std::string reason =
        fmt::format("nothing measured matches the budget for \"{}\"{}", rule.benchmark,
                    rule.metric ? " " + *rule.metric : "");
    if (is_relative(rule)) {
      Row row;
      row.spec = row.benchmark = rule.benchmark;
      row.metric = rule.metric.value_or("");
      row.threshold = *rule.max_regression;
      row.verdict = Verdict::missing;
      row.reason = fmt::format("{} ({})", reason, rule.location.to_string());
      row.severity = Severity::p2;
      gate.rows.push_back(std::move(row));
    } else {
      BudgetResult result;
      result.benchmark = rule.benchmark;
      result.metric = rule.metric.value_or("");
      result.statistic = rule.statistic.value_or(Statistic::median);
      result.limit = *rule.max;
      result.status = BudgetStatus::missing;
      result.reason = reason;
      result.severity = Severity::p2;
      result.rule = rule.location;
      gate.budgets.push_back(std::move(result));
    }
  }
}

// ---- Approvals -----------------------------------------------------------------------------

std::vector<ApprovalNote> approval_notes(const Approvals& approvals, const std::vector<Row>& rows,
                                         const std::chrono::year_month_day& today,
                                         GateResult& gate) {
  std::vector<ApprovalNote> notes;
  for (const Approval& approval : approvals.valid) {
    const auto covers = [&](const std::optional<Approval>& used_approval) {
      return used_approval && used_approval->location.line == approval.location.line &&
             used_approval->location.column == approval.location.column &&
             used_approval->benchmark == approval.benchmark &&
             used_approval->metric == approval.metric;
    };
    const bool used = std::any_of(rows.begin(), rows.end(),
                                  [&](const Row& row) { return covers(row.approval); }) ||
                      std::any_of(gate.families.begin(), gate.families.end(),
                                  [&](const FamilyRow& family) { return covers(family.approval); });
    // A regression beyond the approval's limit did match it: the failing row says so, and
    // "matched no regression" would be false.
    const bool exceeded = !used && !approval.removed && std::any_of(rows.begin(), rows.end(), [&](const Row& row) {
      return row.verdict == Verdict::regressed && row.benchmark == approval.benchmark &&
             row.metric == approval.metric;
    });
    const int left = days_left(approval, today);
    ApprovalNote note;
    note.use = used ? ApprovalUse::used : ApprovalUse::unused;
    note.benchmark = approval.benchmark;
    note.metric = approval.metric;
    note.days_left = left;
    note.location = approval.location;
    if (used) {
      note.message = fmt::format("approval {} covers {} {}", approval.ticket, approval.benchmark,
                                 approval.metric);
    } else if (exceeded) {
      note.message = fmt::format("approval {} for {} {} is exceeded by the regression (up to {})",
                                 approval.ticket, approval.benchmark, approval.metric,
                                 change(approval.max_ratio));
    } else {
      note.message = fmt::format("approval {} for {} {} matched no {}", approval.ticket,
                                 approval.benchmark, approval.metric,
                                 approval.removed ? "removed benchmark" : "regression");
      gate.warnings.push_back(note.message);
    }
    if (left <= kExpiryWarningDays) {
      gate.warnings.push_back(fmt::format(
          "approval {} for {} {} expires in {} day{} ({})", approval.ticket, approval.benchmark,
          approval.metric, left, left == 1 ? "" : "s", format_date(approval.expires)));
    }
    notes.push_back(std::move(note));
  }
  for (const InvalidApproval& invalid : approvals.invalid) {
    ApprovalNote note;
    note.use = ApprovalUse::invalid;
    note.benchmark = invalid.benchmark;
    note.location = invalid.location;
    note.message = fmt::format(
        "{}: approval #{}{} is invalid: {}", invalid.location.to_string(), invalid.index + 1,
        invalid.benchmark.empty() ? "" : " (" + invalid.benchmark + ")", invalid.reason);
    gate.failures.push_back(note.message);
    notes.push_back(std::move(note));
  }
  return notes;
}

}  // namespace

// ---- The gate ------------------------------------------------------------------------------

bool counts_agree(std::span<const double> base, std::span<const double> candidate) noexcept {
  const auto constant = [](std::span<const double> values) {
    return values.size() >= kMinExactRuns &&
           std::all_of(values.begin(), values.end(),
                       [&](double value) { return value == values.front(); });
  };
  return constant(base) && constant(candidate);
}

double relative_threshold(std::span<const BudgetRule> rules, const Measurement& m,
                          double default_threshold) {
  const BudgetRule* relative = most_specific(rules, m, is_relative);
  return relative ? *relative->max_regression : default_threshold;
}

// The verdict judge_change(stats::compare(...)) would give, computing only what the relative
// rule reads: the two medians and the ratio interval, not the summaries' quantile intervals nor
// the tests, which an adaptive schedule would otherwise pay for at every look. Each missing
// piece is inconclusive there too: an empty side, too few runs for the interval, a base median
// of 0.
bool settled(std::span<const double> base, std::span<const double> candidate, double confidence,
             double threshold, stats::RatioMethod method) {
  PG_CHECK(threshold > 0.0);
  if (base.empty() || candidate.empty()) return false;
  if (stats::is_paired(method)) {
    const stats::PairedRatio paired = stats::paired_ratio(
        base, candidate, confidence,
        method == stats::RatioMethod::paired_sign ? stats::PairedInterval::sign
                                                  : stats::PairedInterval::signed_rank);
    return paired.ratio && paired.ci &&
           classify(*paired.ratio, *paired.ci, threshold) != Verdict::inconclusive;
  }
  if (std::min(base.size(), candidate.size()) < stats::min_samples_for_ratio_ci(confidence)) {
    return false;
  }
  const double base_median = *stats::median(base);
  if (base_median == 0.0) return false;
  const double ratio = *stats::median(candidate) / base_median;
  stats::IntervalOptions options;
  options.confidence = confidence;
  const std::optional<stats::Interval> ci = stats::median_ratio_ci(base, candidate, options);
  return ci && classify(ratio, *ci, threshold) != Verdict::inconclusive;
}

GateResult judge(std::span<const Measurement> measurements, std::span<const BudgetRule> rules,
                 const Approvals& approvals, const GateSettings& settings) {
  GateResult gate;
  for (const Measurement& m : measurements) {
    std::vector<BudgetResult> budgets = check_budgets(rules, m, settings);
    if (judged_relatively(rules, m)) {
      Row row = judge_row(m, rules, approvals, settings);
      fold_budgets_into_row(row, budgets);
      gate.rows.push_back(std::move(row));
    }
    for (BudgetResult& budget : budgets) gate.budgets.push_back(std::move(budget));
  }
  add_unmatched_budgets(measurements, rules, gate);

  // Failing rows first, most severe first; then by id in natural order (BM_x/2 before
  // BM_x/10), so reports are stable and read as the benchmarks are numbered.
  const auto rank = [](const Row& row) {
    return passes(row.verdict) ? 9 : static_cast<int>(row.severity);
  };
  std::stable_sort(gate.rows.begin(), gate.rows.end(), [&](const Row& a, const Row& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.benchmark != b.benchmark) return natural_less(a.benchmark, b.benchmark);
    return a.metric < b.metric;
  });

  for (const Row& row : gate.rows) {
    ++gate.counts[std::string(to_string(row.verdict))];
    if (!passes(row.verdict)) {
      gate.failures.push_back(fmt::format("{}{}: {}: {}", row.benchmark,
                                          row.metric.empty() ? "" : " " + row.metric,
                                          to_string(row.verdict), row.reason));
    }
  }
  for (const BudgetResult& budget : gate.budgets) {
    if (budget.status != BudgetStatus::pass) {
      gate.failures.push_back(fmt::format(
          "{}{}: budget {}: {} ({})", budget.benchmark,
          budget.metric.empty() ? "" : " " + budget.metric, to_string(budget.status),
          budget.reason, budget.rule.to_string()));
    }
  }
  // Complexity families, beside the per-case rows (budgets/families.hpp).
  FamilyJudgement families = judge_families(measurements, rules, approvals, settings);
  gate.families = std::move(families.families);
  for (const FamilyRow& family : gate.families) {
    if (!passes(family.verdict)) {
      gate.failures.push_back(fmt::format("{} {} (family): {}: {}", family.family, family.metric,
                                          to_string(family.verdict), family.reason));
    }
  }
  for (std::string& line : families.not_sized) gate.warnings.push_back(std::move(line));
  for (const BudgetRule* rule : families.unmatched_rules) {
    gate.failures.push_back(fmt::format(
        "complexity budget {} ({}): matches no family measured with at least {} sizes on both "
        "sides",
        rule->benchmark, rule->location.to_string(), stats::kMinFamilySizes));
  }
  gate.approvals = approval_notes(approvals, gate.rows, settings.today, gate);

  // Missing data is never a pass: a gate with nothing to judge fails too.
  if (gate.rows.empty()) gate.failures.emplace_back("no benchmark was judged");
  gate.passed = gate.failures.empty();
  const bool crashed = std::any_of(gate.rows.begin(), gate.rows.end(),
                                   [](const Row& row) { return row.verdict == Verdict::error; });
  gate.exit_code = gate.passed ? 0 : crashed ? 3 : 1;
  return gate;
}

}  // namespace perfguard::budgets
