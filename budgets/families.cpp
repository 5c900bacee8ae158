// Complexity families: detection, the fit on each side, the family verdict. The relative rule
// and approvals are the ones of verdict.cpp; this file adds what is particular to families.
#include "budgets/families.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "budgets/units.hpp"

namespace perfguard::budgets {
namespace {

constexpr std::string_view kFlagSuffixes[] = {"real_time", "process_time", "manual_time"};
constexpr std::string_view kValueSuffixes[] = {
    "threads:", "iterations:", "repeats:", "min_time:", "min_warmup_time:"};

bool is_suffix(std::string_view part) {
  for (const std::string_view flag : kFlagSuffixes) {
    if (part == flag) return true;
  }
  for (const std::string_view prefix : kValueSuffixes) {
    if (part.starts_with(prefix)) return true;
  }
  return false;
}

// An integer >= 1, bare or named ("size:64").
std::optional<double> size_of(std::string_view part) {
  const std::size_t colon = part.rfind(':');
  if (colon != std::string_view::npos) {
    if (colon == 0) return std::nullopt;
    part = part.substr(colon + 1);
  }
  if (part.empty() || part.size() > 15) return std::nullopt;
  double value = 0.0;
  for (const char ch : part) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10.0 + (ch - '0');
  }
  return value >= 1.0 ? std::optional<double>(value) : std::nullopt;
}

std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }

std::string size_text(double n) { return fmt::format("{:g}", n); }

struct Member {
  const Measurement* m = nullptr;
  double size = 0.0;
};

// The runs of each side, by size, for the fit.
std::vector<stats::SizeRuns> side_runs(const std::vector<Member>& members, bool base) {
  std::vector<stats::SizeRuns> out;
  for (const Member& member : members) {
    const SideSamples& side = base ? *member.m->base : *member.m->candidate;
    out.push_back({member.size, side.values});
  }
  return out;
}

bool usable(const Measurement& m) {
  return m.base && m.candidate && !m.base->values.empty() && !m.candidate->values.empty() &&
         m.base->failures.empty() && m.candidate->failures.empty();
}

std::string classes_text(const FamilyRow& row) {
  const std::string base = stats::big_o(row.base->complexity);
  const std::string candidate = stats::big_o(row.candidate->complexity);
  return base == candidate ? fmt::format("{} on both sides", base)
                           : fmt::format("{} -> {}", base, candidate);
}

void apply_approval(FamilyRow& row, const Approvals& approvals) {
  for (const Approval& approval : approvals.valid) {
    if (approval.benchmark != row.family || approval.metric != row.metric) continue;
    const std::string terms = fmt::format(
        "approval up to {} by {} ({}) until {}: {}", change(approval.max_ratio), approval.approver,
        approval.ticket, format_date(approval.expires), approval.reason);
    if (row.projection && row.projection->ratio && *row.projection->ratio <= approval.max_ratio) {
      row.verdict = Verdict::approved;
      row.reason += "; " + terms;
      row.approval = approval;
    } else {
      row.reason += fmt::format("; exceeds the {}", terms);
    }
    return;
  }
}

// Where the chosen curve misses a median by more than kMaxFamilyMiss, a text naming that size
// and the factor ("N = 3: 0.166 us against 305 ns fitted"); nullopt when the curve follows.
std::optional<std::string> size_it_misses(const stats::ComplexityFit& fit, const std::string& unit) {
  for (const stats::SizePoint& point : fit.points) {
    const double fitted = stats::project(fit.chosen(), point.n);
    if (fitted > 0.0 && point.median <= kMaxFamilyMiss * fitted &&
        point.median * kMaxFamilyMiss >= fitted) {
      continue;
    }
    return fmt::format("N = {}: {} measured, {} on the best curve ({})", size_text(point.n),
                       format_quantity(point.median, unit), format_quantity(fitted, unit),
                       stats::big_o(fit.complexity));
  }
  return std::nullopt;
}

// Each side's data rejects the other side's class clearly.
bool clearly_different(const stats::ComplexityFit& base, const stats::ComplexityFit& candidate) {
  return base.complexity != candidate.complexity &&
         candidate.evidence_against(base.complexity) >= stats::kClearEvidence &&
         base.evidence_against(candidate.complexity) >= stats::kClearEvidence;
}

void judge_family(FamilyRow& row, std::span<const BudgetRule> rules, const Approvals& approvals) {
  const stats::ComplexityFit& base = *row.base;
  const stats::ComplexityFit& candidate = *row.candidate;
  const stats::Projection& p = *row.projection;
  const std::string at = fmt::format("at N = {}", size_text(p.n));
  const double against_base = candidate.evidence_against(base.complexity);
  const double against_candidate = base.evidence_against(candidate.complexity);
  if (candidate.complexity > base.complexity && clearly_different(base, candidate)) {
    row.verdict = Verdict::complexity_regressed;
    const std::string projected =
        p.ratio ? fmt::format("{} {}", change(*p.ratio), at) : fmt::format("undefined {}", at);
    const std::string ci =
        p.ratio_ci ? fmt::format(" (CI {}…{})", change(p.ratio_ci->lo), change(p.ratio_ci->hi))
                   : "";
    row.reason = fmt::format(
        "{}: the candidate's data rejects {} by {:.1f} and the base's rejects {} by {:.1f} "
        "(QAIC, clear at {:g}); projected {}{}",
        classes_text(row), stats::big_o(base.complexity), against_base,
        stats::big_o(candidate.complexity), against_candidate, stats::kClearEvidence, projected,
        ci);
    row.severity = Severity::p1;
    apply_approval(row, approvals);
  } else {
    const Judgement judgement = judge_change(p.ratio, p.ratio_ci, row.threshold);
    row.verdict = judgement.verdict;
    std::string observed = judgement.reason;
    if (observed.starts_with("median ")) observed = observed.substr(7);
    const std::string under =
        p.base_complexity == p.candidate_complexity && base.complexity != candidate.complexity
            ? fmt::format(" (not clearly different: both projected as {})",
                          stats::big_o(p.base_complexity))
            : "";
    row.reason = fmt::format("{}{}; projected {}: {}", classes_text(row), under, at, observed);
    if (row.verdict == Verdict::regressed) {
      row.severity = *p.ratio >= 1.0 + 2.0 * row.threshold ? Severity::p1 : Severity::p2;
      apply_approval(row, approvals);
    } else if (row.verdict == Verdict::inconclusive) {
      row.severity = Severity::p2;
    }
  }
  if (passes(row.verdict)) row.severity = Severity::none;

  // The most specific complexity budget that matches the family.
  const BudgetRule* budget = nullptr;
  for (const BudgetRule& rule : rules) {
    if (!rule.complexity || !glob_match(rule.benchmark, row.family)) continue;
    if (budget == nullptr || glob_specificity(rule.benchmark) > glob_specificity(budget->benchmark))
      budget = &rule;
  }
  if (budget == nullptr) return;
  row.complexity_budget = budget->complexity;
  row.complexity_budget_rule = budget->location;
  if (candidate.complexity > *budget->complexity) {
    const std::string over = fmt::format(
        "fitted {} is worse than the {} complexity budget ({})", stats::big_o(candidate.complexity),
        stats::big_o(*budget->complexity), budget->location.to_string());
    if (passes(row.verdict)) {
      row.verdict = Verdict::over_budget;
      row.severity = Severity::p0;
    }
    row.reason = over + "; " + row.reason;
  }
}

}  // namespace

std::optional<FamilyKey> family_key(std::string_view benchmark) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = benchmark.find('/', start);
    parts.push_back(benchmark.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::size_t i = parts.size();
  while (i > 0 && is_suffix(parts[i - 1])) --i;
  if (i < 2) return std::nullopt;  // the size must follow a name
  const std::size_t at = i - 1;
  const std::optional<double> size = size_of(parts[at]);
  if (!size) return std::nullopt;
  std::string family;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k == at) continue;
    if (parts[k].empty()) return std::nullopt;
    if (!family.empty()) family += '/';
    family += parts[k];
  }
  return FamilyKey{family, *size};
}

FamilyJudgement judge_families(std::span<const Measurement> measurements,
                               std::span<const BudgetRule> rules, const Approvals& approvals,
                               const GateSettings& settings) {
  // Members by (family, metric), in family order.
  std::map<std::pair<std::string, std::string>, std::vector<Member>> groups;
  for (const Measurement& m : measurements) {
    if (!m.family || !m.primary || m.deterministic || !usable(m)) continue;
    const std::optional<FamilyKey> key = family_key(m.benchmark);
    if (!key) continue;
    groups[{key->family, m.metric}].push_back({&m, key->size});
  }

  FamilyJudgement out;
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return a.size < b.size; });
    const std::vector<stats::SizeRuns> base = side_runs(members, true);
    const std::vector<stats::SizeRuns> candidate = side_runs(members, false);
    std::optional<stats::ComplexityFit> base_fit = stats::fit_complexity(base);
    std::optional<stats::ComplexityFit> candidate_fit = stats::fit_complexity(candidate);
    if (!base_fit || !candidate_fit) continue;  // fewer than kMinFamilySizes distinct sizes

    const Measurement& first = *members.front().m;
    std::optional<std::string> miss = size_it_misses(*base_fit, first.unit);
    const char* side = "base";
    if (!miss) {
      miss = size_it_misses(*candidate_fit, first.unit);
      side = "candidate";
    }
    if (miss) {
      out.not_sized.push_back(fmt::format(
          "{} {}: not judged as a complexity family: on the {} side its times do not follow the "
          "size ({}); its cases are judged one by one (\"family\": false on the benchmark "
          "silences this)",
          key.first, key.second, side, *miss));
      continue;
    }
    FamilyRow row;
    row.family = key.first;
    row.spec = first.spec;
    row.metric = key.second;
    row.unit = first.unit;
    for (const Member& member : members) row.cases.push_back(member.m->benchmark);
    row.threshold = relative_threshold(rules, first, settings.default_threshold);
    row.confidence = first.confidence.value_or(settings.interval.confidence);
    const double target = first.project_to.value_or(kDefaultProjectionFactor * members.back().size);
    stats::ProjectionOptions projection;
    projection.confidence = row.confidence;
    projection.resamples = kProjectionResamples;
    projection.seed = settings.interval.seed;
    // Each side under its own class when the classes clearly differ; otherwise both under the
    // class they share best, so that noise in the choice does not become a projected change.
    stats::Complexity base_class = base_fit->complexity;
    stats::Complexity candidate_class = candidate_fit->complexity;
    if (!clearly_different(*base_fit, *candidate_fit))
      base_class = candidate_class = stats::common_complexity(*base_fit, *candidate_fit);
    row.projection = stats::project_ratio(base, *base_fit, base_class, candidate, *candidate_fit,
                                          candidate_class, target, projection);
    row.base = std::move(base_fit);
    row.candidate = std::move(candidate_fit);
    judge_family(row, rules, approvals);
    out.families.push_back(std::move(row));
  }

  for (const BudgetRule& rule : rules) {
    if (!rule.complexity) continue;
    const bool matched =
        std::any_of(out.families.begin(), out.families.end(),
                    [&](const FamilyRow& row) { return glob_match(rule.benchmark, row.family); });
    if (!matched) out.unmatched_rules.push_back(&rule);
  }
  return out;
}

}  // namespace perfguard::budgets
