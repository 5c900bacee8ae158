// perfguard stats FILE [--base BASE] [--json]: honest statistics over timing samples.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "budgets/verdict.hpp"
#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "inputs/sample_file.hpp"
#include "reports/stats_report.hpp"
#include "stats/compare.hpp"

namespace perfguard::guard {
namespace {

struct StatsOptions {
  std::string file;
  std::optional<std::string> base;
  std::optional<std::string> benchmark;
  bool json = false;
  std::string threshold{kDefaultThresholdText};
  std::string confidence = "0.95";
  std::string method = "exact";
  std::size_t resamples = stats::kDefaultResamples;
  std::uint64_t seed = stats::kDefaultSeed;
};

stats::IntervalMethod interval_method(const std::string& name) {
  if (name == "exact") return stats::IntervalMethod::exact;
  if (name == "percentile") return stats::IntervalMethod::percentile;
  if (name == "bca") return stats::IntervalMethod::bca;
  throw UsageError(fmt::format("--ci-method {}: expected exact, percentile or bca", name));
}

reports::SampleSource source_of(const std::string& path, const inputs::SampleInput& input) {
  return {path, input.label, input.unit};
}

int run_stats(const StatsOptions& options) {
  reports::StatsSettings settings;
  settings.threshold = threshold_flag("--threshold", options.threshold);
  settings.interval.confidence = confidence_flag("--confidence", options.confidence);
  settings.interval.method = interval_method(options.method);
  if (options.resamples == 0) throw UsageError("--resamples 0: needs at least 1 resample");
  settings.interval.resamples = options.resamples;
  settings.interval.seed = options.seed;

  const inputs::SampleInput candidate = inputs::read_samples(options.file, options.benchmark);
  if (!options.base) {
    const stats::Summary summary = *stats::summarize(candidate.values, settings.interval);
    const reports::SampleSource source = source_of(options.file, candidate);
    if (options.json) {
      reports::write_json(std::cout, reports::stats_json(summary, source, settings));
    } else {
      reports::write_summary_text(std::cout, summary, source, settings);
    }
    return kExitGatePassed;
  }

  const inputs::SampleInput base = inputs::read_samples(*options.base, options.benchmark);
  if (base.unit != candidate.unit) {
    const auto shown = [](const std::string& unit) {
      return unit.empty() ? std::string("no unit") : unit;
    };
    throw UsageError(fmt::format("{} is in {} but {} is in {}: convert one so both share a unit",
                                 *options.base, shown(base.unit), options.file,
                                 shown(candidate.unit)));
  }
  const stats::Comparison comparison =
      *stats::compare(base.values, candidate.values, settings.interval);
  const budgets::Judgement judgement = budgets::judge_change(comparison, settings.threshold);
  const reports::SampleSource base_source = source_of(*options.base, base);
  const reports::SampleSource candidate_source = source_of(options.file, candidate);
  if (options.json) {
    reports::write_json(std::cout, reports::comparison_json(comparison, judgement, base_source,
                                                            candidate_source, settings));
  } else {
    reports::write_comparison_text(std::cout, comparison, judgement, base_source, candidate_source,
                                   settings);
  }
  return kExitGatePassed;
}

}  // namespace

Command add_stats_command(CLI::App& app) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* sub =
      app.add_subcommand("stats", "Statistics of a sample file, or of a candidate against a base");
  sub->footer(
      "FILE: one number per line, a JSON array, hyperfine --export-json output, or Google "
      "Benchmark\n"
      "JSON (per-repetition real_time). '-' reads standard input. Units are kept as given.\n"
      "Percentiles that need more samples than given (p95 < 20, p99 < 100) are reported as\n"
      "insufficient. With --base: ratio of medians with its CI, Mann-Whitney U and Welch t\n"
      "p-values, Hodges-Lehmann shift, and the verdict (regressed, improved, unchanged,\n"
      "inconclusive). Exit 0 on success, 2 on bad input.");
  sub->add_option("FILE", options->file, "Candidate samples (or the only sample)")->required();
  sub->add_option("--base", options->base, "Base samples to compare FILE against");
  sub->add_option("--benchmark", options->benchmark,
                  "Google Benchmark run name or hyperfine command to take from the files");
  sub->add_flag("--json", options->json, "Print JSON (stable keys) instead of a table");
  sub->add_option("--threshold", options->threshold, "Largest slowdown that is not a regression")
      ->default_str(std::string(kDefaultThresholdText));
  sub->add_option("--confidence", options->confidence, "Confidence level of the intervals")
      ->default_str("0.95");
  sub->add_option(
         "--ci-method", options->method,
         "Intervals: exact (exact bootstrap law, no resampling), percentile or bca (resampling)")
      ->default_str("exact");
  sub->add_option("--resamples", options->resamples, "Bootstrap resamples for percentile/bca")
      ->default_val(stats::kDefaultResamples);
  sub->add_option("--seed", options->seed, "Seed of the bootstrap resampling")
      ->default_val(stats::kDefaultSeed);
  return {sub, [options] { return run_stats(*options); }};
}

}  // namespace perfguard::guard
