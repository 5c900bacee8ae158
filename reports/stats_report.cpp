#include "reports/stats_report.hpp"

#include <array>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "core/check.hpp"
#include "reports/json_helpers.hpp"

namespace perfguard::reports {
namespace {

struct Percentile {
  const char* key;
  double p;
  std::optional<double> stats::Summary::*field;
};
constexpr std::array<Percentile, 6> kPercentiles{{{"p5", 0.05, &stats::Summary::p5},
                                                  {"p25", 0.25, &stats::Summary::p25},
                                                  {"p75", 0.75, &stats::Summary::p75},
                                                  {"p90", 0.90, &stats::Summary::p90},
                                                  {"p95", 0.95, &stats::Summary::p95},
                                                  {"p99", 0.99, &stats::Summary::p99}}};

std::string needs(std::size_t required, std::size_t have) {
  return fmt::format("needs at least {} samples, have {}", required, have);
}

Json settings_json(const StatsSettings& settings) {
  Json out = {{"confidence", json_number(settings.interval.confidence)},
              {"threshold", json_number(settings.threshold)},
              {"interval_method", std::string(to_string(settings.interval.method))}};
  if (settings.interval.method != stats::IntervalMethod::exact) {
    out["resamples"] = settings.interval.resamples;
    out["seed"] = settings.interval.seed;
  }
  return out;
}

Json source_json(const SampleSource& source) {
  return {{"path", source.path},
          {"label", source.label.empty() ? Json(nullptr) : Json(source.label)},
          {"unit", source.unit.empty() ? Json(nullptr) : Json(source.unit)}};
}

// Numbers for people: five significant digits, the unit after.
std::string show(double value, const std::string& unit) {
  return unit.empty() ? fmt::format("{:.5g}", value) : fmt::format("{:.5g} {}", value, unit);
}
std::string show(const std::optional<double>& value, const std::string& unit,
                 const std::string& missing) {
  return value ? show(*value, unit) : missing;
}
std::string show(const std::optional<stats::Interval>& ci, const std::string& unit) {
  if (!ci) return "n/a (needs at least 2 samples)";
  return fmt::format("[{:.5g}, {:.5g}]{}", ci->lo, ci->hi, unit.empty() ? "" : " " + unit);
}

std::string outliers_text(const std::optional<stats::Outliers>& outliers) {
  if (!outliers) return "n/a (needs at least 4 samples)";
  if (outliers->total() == 0) return "none";
  std::string text = fmt::format("{} (", outliers->total());
  const std::array<std::pair<std::size_t, const char*>, 4> classes{
      {{outliers->low_severe, "low severe"},
       {outliers->low_mild, "low mild"},
       {outliers->high_mild, "high mild"},
       {outliers->high_severe, "high severe"}}};
  const char* separator = "";
  for (const auto& [count, name] : classes) {
    if (count == 0) continue;
    text += fmt::format("{}{} {}", separator, count, name);
    separator = ", ";
  }
  return text + ")";
}

// The rows of a summary table: label, value text.
std::vector<std::pair<std::string, std::string>> summary_rows(const stats::Summary& s,
                                                              const std::string& unit,
                                                              double confidence) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("n", std::to_string(s.n));
  rows.emplace_back("median", show(s.median, unit));
  rows.emplace_back(fmt::format("median {:g}% CI", confidence * 100.0), show(s.median_ci, unit));
  rows.emplace_back("mean", show(s.mean, unit));
  rows.emplace_back("stddev", show(s.stddev, unit, "n/a (needs at least 2 samples)"));
  rows.emplace_back("cv", s.cv ? fmt::format("{:.1f}%", *s.cv * 100.0) : "n/a");
  rows.emplace_back("mad", show(s.mad, unit));
  rows.emplace_back("min", show(s.min, unit));
  rows.emplace_back("max", show(s.max, unit));
  for (const Percentile& p : kPercentiles) {
    const std::optional<double>& value = s.*(p.field);
    rows.emplace_back(
        p.key, show(value, unit,
                    fmt::format("insufficient (needs {})", stats::min_samples_for_quantile(p.p))));
  }
  rows.emplace_back("outliers", outliers_text(s.outliers));
  return rows;
}

std::string p_value(const std::optional<double>& p) {
  return p ? fmt::format("{:.3g}", *p) : "n/a";
}

}  // namespace

std::string_view to_string(stats::IntervalMethod method) noexcept {
  switch (method) {
    case stats::IntervalMethod::exact:
      return "exact";
    case stats::IntervalMethod::percentile:
      return "percentile";
    case stats::IntervalMethod::bca:
      return "bca";
  }
  return "exact";
}

Json summary_json(const stats::Summary& s) {
  Json out = {{"n", s.n},
              {"mean", json_number(s.mean)},
              {"stddev", json_number(s.stddev)},
              {"median", json_number(s.median)},
              {"mad", json_number(s.mad)},
              {"min", json_number(s.min)},
              {"max", json_number(s.max)}};
  Json insufficient = Json::object();
  for (const Percentile& p : kPercentiles) {
    const std::optional<double>& value = s.*(p.field);
    out[p.key] = json_number(value);
    if (!value) insufficient[p.key] = needs(stats::min_samples_for_quantile(p.p), s.n);
  }
  out["cv"] = json_number(s.cv);
  out["median_ci"] = json_interval(s.median_ci);
  out["p95_ci"] = json_interval(s.p95_ci);
  out["p99_ci"] = json_interval(s.p99_ci);
  if (s.outliers) {
    out["outliers"] = {{"low_severe", s.outliers->low_severe},
                       {"low_mild", s.outliers->low_mild},
                       {"high_mild", s.outliers->high_mild},
                       {"high_severe", s.outliers->high_severe}};
  } else {
    out["outliers"] = nullptr;
    insufficient["outliers"] = needs(stats::min_samples_for_quantile(0.25), s.n);
  }
  if (!s.stddev) insufficient["stddev"] = needs(stats::kMinSamplesStddev, s.n);
  if (!s.median_ci) insufficient["median_ci"] = needs(2, s.n);
  out["insufficient"] = insufficient;
  return out;
}

Json stats_json(const stats::Summary& summary, const SampleSource& source,
                const StatsSettings& settings) {
  Json out = {{"schema", kStatsSchema},
              {"source", source_json(source)},
              {"settings", settings_json(settings)}};
  out.update(summary_json(summary));
  return out;
}

Json comparison_json(const stats::Comparison& c, const budgets::Judgement& judgement,
                     const SampleSource& base, const SampleSource& candidate,
                     const StatsSettings& settings) {
  Json out = {
      {"schema", kStatsSchema},
      {"settings", settings_json(settings)},
      {"base", summary_json(c.base)},
      {"candidate", summary_json(c.candidate)},
      {"ratio", json_number(c.ratio)},
      {"ratio_ci", json_interval(c.ratio_ci)},
      {"mann_whitney_p", c.mann_whitney ? json_number(c.mann_whitney->p) : Json(nullptr)},
      {"mann_whitney_method",
       c.mann_whitney
           ? Json(c.mann_whitney->method == stats::PValueMethod::exact ? "exact" : "asymptotic")
           : Json(nullptr)},
      {"welch_p", c.welch ? json_number(c.welch->p) : Json(nullptr)},
      {"hodges_lehmann", json_number(c.hodges_lehmann)},
      {"verdict", std::string(budgets::to_string(judgement.verdict))},
      {"reason", judgement.reason}};
  out["base"]["source"] = source_json(base);
  out["candidate"]["source"] = source_json(candidate);
  return out;
}

void write_json(std::ostream& out, const Json& document) { out << document.dump(2) << '\n'; }

void write_summary_text(std::ostream& out, const stats::Summary& summary,
                        const SampleSource& source, const StatsSettings& settings) {
  out << source.path << (source.label.empty() ? "" : "  [" + source.label + "]") << '\n';
  for (const auto& [label, value] :
       summary_rows(summary, source.unit, settings.interval.confidence)) {
    out << fmt::format("  {:<16} {}\n", label, value);
  }
}

void write_comparison_text(std::ostream& out, const stats::Comparison& c,
                           const budgets::Judgement& judgement, const SampleSource& base,
                           const SampleSource& candidate, const StatsSettings& settings) {
  const std::string& unit = candidate.unit;
  const auto base_rows = summary_rows(c.base, unit, settings.interval.confidence);
  const auto candidate_rows = summary_rows(c.candidate, unit, settings.interval.confidence);
  PG_CHECK(base_rows.size() == candidate_rows.size());
  out << fmt::format("  {:<16} {:<34} {}\n", "", "base: " + base.path,
                     "candidate: " + candidate.path);
  for (std::size_t i = 0; i < base_rows.size(); ++i) {
    out << fmt::format("  {:<16} {:<34} {}\n", base_rows[i].first, base_rows[i].second,
                       candidate_rows[i].second);
  }
  const double confidence = settings.interval.confidence;
  out << '\n';
  out << fmt::format("  {:<22} {}\n", "ratio of medians",
                     c.ratio ? fmt::format("{:.4f}", *c.ratio) : "n/a");
  out << fmt::format(
      "  {:<22} {}\n", fmt::format("ratio {:g}% CI", confidence * 100.0),
      c.ratio_ci ? fmt::format("[{:.4f}, {:.4f}]", c.ratio_ci->lo, c.ratio_ci->hi) : "n/a");
  out << fmt::format(
      "  {:<22} {}\n", "Hodges-Lehmann shift",
      c.hodges_lehmann ? fmt::format("{:+.5g}{}", *c.hodges_lehmann, unit.empty() ? "" : " " + unit)
                       : "n/a");
  out << fmt::format(
      "  {:<22} {}{}\n", "Mann-Whitney U p",
      p_value(c.mann_whitney ? std::optional<double>(c.mann_whitney->p) : std::nullopt),
      c.mann_whitney ? (c.mann_whitney->method == stats::PValueMethod::exact ? " (exact)"
                                                                             : " (normal approx.)")
                     : "");
  out << fmt::format("  {:<22} {}\n", "Welch t p",
                     p_value(c.welch ? std::optional<double>(c.welch->p) : std::nullopt));
  out << fmt::format("  {:<22} {}: {}\n", "verdict", budgets::to_string(judgement.verdict),
                     judgement.reason);
}

}  // namespace perfguard::reports
