#include "reports/time_output.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <span>

#include <fmt/format.h>

#include "budgets/units.hpp"
#include "core/check.hpp"
#include "harness/cpu_list.hpp"
#include "reports/format.hpp"
#include "reports/stats_report.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::reports {
namespace {

// A time unit for people (budgets/units.hpp), chosen once per command (or table) so numbers
// line up: three decimals in seconds, one below.
struct TimeUnit {
  budgets::DisplayUnit display;
  int decimals;
};

TimeUnit unit_for(double seconds) {
  budgets::DisplayUnit display = budgets::display_unit(seconds, "s");
  return {display, display.name == "s" ? 3 : 1};
}

std::string show(double seconds, const TimeUnit& unit) {
  return budgets::format_fixed(seconds, unit.display, unit.decimals);
}

std::string show_bytes(double bytes) { return budgets::format_quantity(bytes, "bytes"); }

std::string percent(double level) { return fmt::format("{:.3g}%", level * 100.0); }

// What a comparison's ratio is, in the summary line (docs/design.md, "Verdict rules").
std::string_view ratio_words(stats::RatioMethod method) noexcept {
  switch (method) {
    case stats::RatioMethod::median_ratio:
      return "ratio of medians";
    case stats::RatioMethod::paired_sign:
      return "median of the per-round ratios";
    case stats::RatioMethod::paired_signed_rank:
      return "Hodges-Lehmann centre of the per-round ratios";
  }
  return "ratio of medians";
}

double mean_of(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *stats::mean(values);
}

Json number(double value) {
  PG_CHECK(std::isfinite(value));
  return value;
}

Json interval_json(const std::optional<stats::Interval>& ci) {
  if (!ci) return nullptr;
  return Json::array({number(ci->lo), number(ci->hi)});
}

std::string stop_text(const TimeReport& report) {
  switch (report.stop_reason) {
    case harness::StopReason::decided:
      return fmt::format("settled at look {} (planned up to {} runs)", report.looks,
                         report.planned_runs);
    case harness::StopReason::planned_runs:
      return report.looks > 1
                 ? fmt::format("all {} planned runs, {} looks", report.planned_runs, report.looks)
                 : std::string("as planned");
    case harness::StopReason::max_time:
      return fmt::format("--max-time reached (planned {} runs)", report.planned_runs);
    case harness::StopReason::out_of_time:
      return "the time budget ran out before the minimum runs";
    case harness::StopReason::failed:
      return "a run failed";
  }
  return "";
}

}  // namespace

std::string_view to_string(TimeMetric metric) noexcept {
  return metric == TimeMetric::cpu_time ? "cpu_time" : "wall_time";
}

std::optional<TimeMetric> parse_time_metric(std::string_view text) noexcept {
  if (text == "wall_time") return TimeMetric::wall_time;
  if (text == "cpu_time") return TimeMetric::cpu_time;
  return std::nullopt;
}

std::string format_seconds(double seconds) { return show(seconds, unit_for(seconds)); }

void write_time_text(std::ostream& out, const TimeReport& report) {
  const std::string level = percent(report.confidence);
  for (std::size_t i = 0; i < report.commands.size(); ++i) {
    const TimedCommand& command = report.commands[i];
    out << fmt::format("Benchmark {}: {}\n", i + 1, command.command);
    if (!command.summary) {
      out << "  no successful runs\n\n";
      continue;
    }
    const stats::Summary& s = *command.summary;
    const TimeUnit unit = unit_for(s.mean);
    out << fmt::format("  Time (mean ± σ):     {:>10} ± {:>9}    [User: {}, System: {}]\n",
                       show(s.mean, unit), s.stddev ? show(*s.stddev, unit) : "n/a",
                       show(mean_of(command.user), unit), show(mean_of(command.system), unit));
    out << fmt::format("  Range (min … max):   {:>10} … {:>9}    {} run{}\n", show(s.min, unit),
                       show(s.max, unit), s.n, s.n == 1 ? "" : "s");
    out << fmt::format("  Median:              {:>10}  {}\n", show(s.median, unit),
                       s.median_ci ? fmt::format("[{} … {}] {} CI", show(s.median_ci->lo, unit),
                                                 show(s.median_ci->hi, unit), level)
                                   : "(an interval needs 2 runs)");
    if (s.p95) {
      out << fmt::format("  p95:                 {:>10}  {}\n", show(*s.p95, unit),
                         s.p95_ci ? fmt::format("[{} … {}] {} CI", show(s.p95_ci->lo, unit),
                                                show(s.p95_ci->hi, unit), level)
                                  : "");
    } else {
      out << fmt::format("  p95:                 needs at least {} runs\n", stats::kMinSamplesP95);
    }
    if (!command.max_rss.empty()) {
      out << fmt::format("  Max RSS (median):    {:>10}\n",
                         show_bytes(*stats::median(command.max_rss)));
    }
    for (const std::string& warning : command.warnings) out << "  Warning: " << warning << '\n';
    out << '\n';
  }
  if (!report.comparisons.empty()) {
    out << fmt::format(
        "Summary: each command vs. '{}' ({}{}, {} CI; threshold {})\n", report.commands[0].command,
        ratio_words(report.comparisons.front().comparison.method),
        report.settings.metric == TimeMetric::cpu_time ? " of CPU time (user + system)" : "", level,
        percent(report.settings.threshold));
    for (const TimedComparison& c : report.comparisons) {
      const stats::Comparison& comparison = c.comparison;
      out << fmt::format(
          "  '{}': {}", report.commands[c.command].command,
          comparison.ratio ? fmt::format("{:.3f}×", *comparison.ratio) : std::string("n/a"));
      if (comparison.ratio_ci)
        out << fmt::format(" [{:.3f} … {:.3f}]", comparison.ratio_ci->lo, comparison.ratio_ci->hi);
      out << fmt::format("  {}: {}\n", budgets::to_string(c.judgement.verdict), c.judgement.reason);
    }
  }
  out << fmt::format("{} run{} per command{}; {}\n", report.runs, report.runs == 1 ? "" : "s",
                     report.commands.size() > 1 ? ", interleaved in random order" : "",
                     stop_text(report));
}

Json time_settings_json(const TimeSettings& settings, std::string_view metric) {
  return {
      {"metric", std::string(metric)},
      {"threshold", number(settings.threshold)},
      {"alpha", number(settings.alpha)},
      {"spending", "pocock"},
      {"seed", settings.seed},
      {"warmup", settings.warmup},
      {"min_runs", settings.min_runs},
      {"max_runs", settings.max_runs ? Json(*settings.max_runs) : Json(nullptr)},
      {"max_time", settings.max_time ? number(*settings.max_time) : Json(nullptr)},
      {"timeout", settings.timeout ? number(*settings.timeout) : Json(nullptr)},
      {"shell", settings.shell ? Json(*settings.shell) : Json(nullptr)},
      {"cpus", harness::format_cpu_list(settings.cpus)},
      {"pinned", settings.pinned},
      {"ratio_method", std::string(stats::to_string(settings.ratio_method))},
  };
}

Json time_json(const TimeReport& report, const std::string& generated_at) {
  const TimeSettings& settings = report.settings;
  Json document;
  document["schema"] = kTimeSchema;
  document["perfguard_version"] = PERFGUARD_VERSION;
  document["generated_at"] = generated_at;
  document["settings"] = time_settings_json(settings, to_string(settings.metric));
  document["confidence"] = number(report.confidence);
  document["runs"] = report.runs;
  document["planned_runs"] = report.planned_runs;
  document["looks"] = report.looks;
  document["stop_reason"] = std::string(harness::to_string(report.stop_reason));

  Json results = Json::array();
  for (const TimedCommand& command : report.commands) {
    Json result;
    result["command"] = command.command;
    const std::optional<stats::Summary>& s = command.summary;
    result["mean"] = s ? number(s->mean) : Json(nullptr);
    result["stddev"] = s && s->stddev ? number(*s->stddev) : Json(nullptr);
    result["median"] = s ? number(s->median) : Json(nullptr);
    result["user"] = s ? number(mean_of(command.user)) : Json(nullptr);
    result["system"] = s ? number(mean_of(command.system)) : Json(nullptr);
    result["min"] = s ? number(s->min) : Json(nullptr);
    result["max"] = s ? number(s->max) : Json(nullptr);
    result["times"] = command.times;
    result["exit_codes"] = command.exit_codes;
    Json memory = Json::array();
    for (const double bytes : command.max_rss) memory.push_back(static_cast<std::int64_t>(bytes));
    result["memory_usage_byte"] = std::move(memory);
    result["user_times"] = command.user;
    result["system_times"] = command.system;
    result["statistics"] = s ? summary_json(*s) : Json(nullptr);
    result["warnings"] = command.warnings;
    results.push_back(std::move(result));
  }
  document["results"] = std::move(results);

  Json comparisons = Json::array();
  for (const TimedComparison& c : report.comparisons) {
    const stats::Comparison& comparison = c.comparison;
    comparisons.push_back({
        {"command", report.commands[c.command].command},
        {"base", report.commands[0].command},
        {"metric", std::string(to_string(settings.metric))},
        {"ratio", comparison.ratio ? number(*comparison.ratio) : Json(nullptr)},
        {"ratio_ci", interval_json(comparison.ratio_ci)},
        {"method", std::string(stats::to_string(comparison.method))},
        {"paired_rounds",
         stats::is_paired(comparison.method) ? Json(comparison.paired_rounds) : Json(nullptr)},
        {"confidence", number(report.confidence)},
        {"verdict", std::string(budgets::to_string(c.judgement.verdict))},
        {"reason", c.judgement.reason},
        {"mann_whitney_p",
         comparison.mann_whitney ? number(comparison.mann_whitney->p) : Json(nullptr)},
        {"welch_p", comparison.welch ? number(comparison.welch->p) : Json(nullptr)},
    });
  }
  document["comparisons"] = std::move(comparisons);
  return document;
}

void write_time_markdown(std::ostream& out, const TimeReport& report) {
  const auto first = std::find_if(report.commands.begin(), report.commands.end(),
                                  [](const TimedCommand& c) { return c.summary.has_value(); });
  const TimeUnit unit = unit_for(first != report.commands.end() ? first->summary->mean : 1.0);
  const auto value = [&](double seconds) {
    return fmt::format("{:.{}f}", seconds / unit.display.factor, unit.decimals);
  };
  out << fmt::format(
      "| Command | Mean [{0}] | Median [{0}] | Min [{0}] | Max [{0}] | Relative (median{1}) | "
      "Verdict |\n",
      unit.display.name, report.settings.metric == TimeMetric::cpu_time ? " CPU time" : "");
  out << "|:---|---:|---:|---:|---:|---:|:---|\n";
  for (std::size_t i = 0; i < report.commands.size(); ++i) {
    const TimedCommand& command = report.commands[i];
    // A command is code in Markdown; a '|' or a newline inside would end the cell.
    const std::string name = markdown_cell(command.command);
    if (!command.summary) {
      out << fmt::format("| `{}` | | | | | | no successful runs |\n", name);
      continue;
    }
    const stats::Summary& s = *command.summary;
    std::string relative = i == 0 ? "1.00" : "";
    std::string verdict = i == 0 ? "base" : "";
    for (const TimedComparison& c : report.comparisons) {
      if (c.command != i || !c.comparison.ratio) continue;
      relative = fmt::format("{:.3f}", *c.comparison.ratio);
      if (c.comparison.ratio_ci)
        relative +=
            fmt::format(" [{:.3f}, {:.3f}]", c.comparison.ratio_ci->lo, c.comparison.ratio_ci->hi);
      verdict = std::string(budgets::to_string(c.judgement.verdict));
    }
    out << fmt::format("| `{}` | {}{} | {} | {} | {} | {} | {} |\n", name, value(s.mean),
                       s.stddev ? " ± " + value(*s.stddev) : "", value(s.median), value(s.min),
                       value(s.max), relative, verdict);
  }
}

}  // namespace perfguard::reports
