#include "history/change_report.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <regex>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rfc3339.hpp"
#include "history/csv_series.hpp"
#include "history/trend_page.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::history {
namespace {

std::vector<stats::SeriesValue> values_of(const Series& series) {
  std::vector<stats::SeriesValue> values;
  values.reserve(series.points.size());
  for (const SeriesPoint& point : series.points) {
    stats::SeriesValue value{point.median, std::nullopt};
    if (point.median_lo && point.median_hi && point.confidence > 0.0 && point.confidence < 1.0 &&
        *point.median_hi >= *point.median_lo)
      value.sigma =
          stats::sigma_from_interval({*point.median_lo, *point.median_hi}, point.confidence);
    values.push_back(value);
  }
  return values;
}

// A commit for a table cell: 12 characters of a SHA, anything else as it is.
std::string short_commit(const std::string& commit) {
  const bool sha = commit.size() == 40 && std::all_of(commit.begin(), commit.end(), [](char c) {
                     return std::isxdigit(static_cast<unsigned char>(c));
                   });
  if (commit.empty()) return "?";
  return sha ? commit.substr(0, 12) : commit;
}

std::string percent(std::optional<double> change) {
  return change ? fmt::format("{:+.1f}%", *change * 100.0) : std::string("n/a");
}

void check_since(const std::string& since) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)");
  if (!std::regex_match(since, kDate) && !std::regex_match(since, kTime))
    throw UsageError(fmt::format(
        "--since {}: expected a date (2026-11-01) or an RFC 3339 UTC time (2026-11-01T02:00:00Z)",
        since));
}

// history.html into `folder` (created when missing), through a temporary file renamed into
// place, so a reader never sees half a page.
void write_page(const std::filesystem::path& folder, const std::vector<Series>& all,
                const std::vector<Step>& steps) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    throw ExecutionError(
        fmt::format("--out {}: cannot create the folder: {}", folder.string(), ec.message()));
  const std::filesystem::path page = folder / "history.html";
  const std::filesystem::path temp = folder / ".history.html.tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    errno = 0;
    if (file) write_trend_page(file, all, steps, rfc3339_now());
    file.flush();
    if (!file) {
      const std::string why = errno != 0 ? std::strerror(errno) : "write failed";
      std::filesystem::remove(temp, ec);
      throw ExecutionError(fmt::format("cannot write {}: {}", page.string(), why));
    }
  }
  std::filesystem::rename(temp, page, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw ExecutionError(fmt::format("cannot write {}: {}", page.string(), ec.message()));
  }
}

}  // namespace

std::optional<Series> ratio_series(const Series& medians) {
  if (medians.kind != SeriesKind::median || medians.points.empty()) return std::nullopt;
  const std::string& base = medians.points.front().base_commit;
  const bool common =
      !base.empty() &&
      std::all_of(medians.points.begin(), medians.points.end(), [&](const SeriesPoint& p) {
        return p.base_commit == base && p.ratio && std::isfinite(*p.ratio);
      });
  if (!common) return std::nullopt;
  Series ratios = medians;
  ratios.kind = SeriesKind::ratio;
  ratios.base_commit = base;
  ratios.unit.clear();
  for (SeriesPoint& point : ratios.points) {
    point.median = *point.ratio;
    point.median_lo = point.ratio_lo;
    point.median_hi = point.ratio_hi;
  }
  return ratios;
}

std::vector<Series> with_ratio_series(std::vector<Series> medians) {
  std::vector<Series> all;
  all.reserve(medians.size() * 2);
  for (Series& series : medians) {
    std::optional<Series> ratios = ratio_series(series);
    all.push_back(std::move(series));
    if (ratios) all.push_back(std::move(*ratios));
  }
  return all;
}

const char* kind_name(SeriesKind kind) noexcept {
  return kind == SeriesKind::ratio ? "ratio" : "median";
}

SeriesCount count_series(const std::vector<Series>& all) {
  SeriesCount count;
  for (const Series& series : all)
    ++(series.kind == SeriesKind::ratio ? count.ratios : count.medians);
  return count;
}

std::vector<Step> find_steps(const std::vector<Series>& all,
                             const stats::ChangePointOptions& detector) {
  std::vector<Step> steps;
  for (const Series& series : all) {
    for (const stats::ChangePoint& change : stats::change_points(values_of(series), detector)) {
      Step step;
      step.benchmark = series.benchmark;
      step.metric = series.metric;
      step.unit = series.unit;
      step.hostname = series.hostname;
      step.host_fingerprint = series.host_fingerprint;
      step.kind = series.kind;
      step.base_commit = series.base_commit;
      step.index = change.index;
      step.points = series.points.size();
      const SeriesPoint& before = series.points[change.index - 1];
      const SeriesPoint& after = series.points[change.index];
      step.commit_before = before.commit;
      step.commit_after = after.commit;
      step.time_before = before.recorded_at;
      step.time_after = after.recorded_at;
      step.change = change;
      step.threshold = series.threshold;
      step.regression = change.change && *change.change > series.threshold;
      steps.push_back(std::move(step));
    }
  }
  return steps;
}

std::optional<std::string> bisect_command(const Step& step) {
  if (!step.regression || step.commit_before.empty() || step.commit_after.empty() ||
      step.commit_before == step.commit_after)
    return std::nullopt;
  return fmt::format("perfguard bisect --good {} --bad {} --only {} --metric {}",
                     reports::shell_quote(step.commit_before),
                     reports::shell_quote(step.commit_after), reports::shell_quote(step.benchmark),
                     reports::shell_quote(step.metric));
}

Json steps_json(const std::vector<Step>& steps, SeriesCount series) {
  Json document = Json::object();
  document["schema"] = kHistorySchema;
  document["series"] = series.medians;
  document["ratio_series"] = series.ratios;
  document["regressions"] =
      std::count_if(steps.begin(), steps.end(), [](const Step& s) { return s.regression; });
  Json rows = Json::array();
  for (const Step& step : steps) {
    Json row = Json::object();
    row["benchmark"] = step.benchmark;
    row["metric"] = step.metric;
    row["kind"] = kind_name(step.kind);
    row["base_commit"] = step.kind == SeriesKind::ratio ? Json(step.base_commit) : Json(nullptr);
    row["unit"] = step.unit;
    row["host"] = step.hostname;
    row["host_fingerprint"] = step.host_fingerprint;
    row["index"] = step.index;
    row["points"] = step.points;
    row["commit_before"] = step.commit_before;
    row["commit_after"] = step.commit_after;
    row["time_before"] = step.time_before;
    row["time_after"] = step.time_after;
    row["before"] = step.change.before;
    row["after"] = step.change.after;
    row["change"] = step.change.change ? Json(*step.change.change) : Json(nullptr);
    row["t"] = std::isinf(step.change.t) ? Json(nullptr) : Json(step.change.t);
    row["p_value"] = step.change.p_value;
    row["threshold"] = step.threshold;
    row["regression"] = step.regression;
    row["bisect_command"] = step.bisect_command ? Json(*step.bisect_command) : Json(nullptr);
    rows.push_back(std::move(row));
  }
  document["change_points"] = std::move(rows);
  return document;
}

void write_steps_table(std::ostream& out, const std::vector<Step>& steps, SeriesCount series) {
  // "3 series", or "3 series and 2 ratio series" when some have a common base.
  const std::string counted = series.ratios == 0 ? fmt::format("{} series", series.medians)
                                                 : fmt::format("{} series and {} ratio series",
                                                               series.medians, series.ratios);
  if (steps.empty()) {
    out << fmt::format("no change points in {}\n", counted);
    return;
  }
  std::vector<std::vector<std::string>> table = {{"benchmark", "metric", "series", "host",
                                                  "last before", "first after", "before", "after",
                                                  "change", "p", "regression"}};
  for (const Step& step : steps) {
    const std::string unit = step.unit.empty() ? "" : " " + step.unit;
    table.push_back(
        {step.benchmark, step.metric, kind_name(step.kind),
         step.hostname.empty() ? "-" : step.hostname, short_commit(step.commit_before),
         short_commit(step.commit_after), fmt::format("{:.6g}{}", step.change.before, unit),
         fmt::format("{:.6g}{}", step.change.after, unit), percent(step.change.change),
         fmt::format("{:.2g}", step.change.p_value),
         step.regression ? fmt::format("yes (> {:.3g}%)", step.threshold * 100.0) : "no"});
  }
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  for (const auto& row : table) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
  const auto regressions =
      std::count_if(steps.begin(), steps.end(), [](const Step& s) { return s.regression; });
  out << fmt::format("{} change point{} in {}, {} regression{}\n", steps.size(),
                     steps.size() == 1 ? "" : "s", counted, regressions,
                     regressions == 1 ? "" : "s");
  // A step seen in a series and in its ratio series is one bisect.
  std::vector<std::string> commands;
  for (const Step& step : steps) {
    if (step.bisect_command &&
        std::find(commands.begin(), commands.end(), *step.bisect_command) == commands.end())
      commands.push_back(*step.bisect_command);
  }
  if (!commands.empty()) out << "to find the commit of each regression:\n";
  for (const std::string& command : commands) out << "  " << command << '\n';
}

int history_report(const HistoryRequest& request, std::ostream& out) {
  std::vector<Series> all;
  if (request.csv) {
    if (request.history) throw UsageError("--csv and --history: give one source of series");
    if (request.filter.since)
      throw UsageError(
          "--since applies to a history store; --csv series have no common time format");
    all = read_csv_series(*request.csv);
    std::erase_if(all, [&](const Series& s) {
      return (request.filter.metric && s.metric != *request.filter.metric) ||
             (request.filter.benchmark_glob &&
              fnmatch(request.filter.benchmark_glob->c_str(), s.benchmark.c_str(), 0) != 0);
    });
  } else {
    if (request.filter.since) check_since(*request.filter.since);
    const std::string location = request.history.value_or(kDefaultHistoryPath);
    // Reading never creates a store: a path that is not there is a mistake to report.
    if (!is_postgresql_url(location) && !std::filesystem::exists(location))
      throw UsageError(
          fmt::format("--history {}: no such file (compare and diff write it)", location));
    Store store = Store::open(location);
    all = with_ratio_series(store.series(request.filter));
  }
  std::vector<Step> steps = find_steps(all, request.detector);
  // A CSV file's series are not perfguard benchmarks of a repository: nothing to bisect.
  if (!request.csv)
    for (Step& step : steps) step.bisect_command = bisect_command(step);
  if (request.out) write_page(*request.out, all, steps);
  if (request.json) {
    out << steps_json(steps, count_series(all)).dump(2) << '\n';
  } else {
    write_steps_table(out, steps, count_series(all));
  }
  const bool regressed =
      std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.regression; });
  return request.fail_on_regression && regressed ? kExitGateFailed : kExitGatePassed;
}

}  // namespace perfguard::history
