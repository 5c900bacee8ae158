#include "history/csv_series.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/defaults.hpp"
#include "core/error.hpp"

namespace perfguard::history {
namespace {

// One line's fields: split at commas, surrounding spaces and one pair of quotes (double or
// single, as Otava's csv_options allow) removed. Quoted commas are not supported.
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) {
    const std::size_t first = field.find_first_not_of(" \t");
    const std::size_t last = field.find_last_not_of(" \t\r");
    field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
    if (field.size() >= 2 && (field.front() == '"' || field.front() == '\'') &&
        field.back() == field.front())
      field = field.substr(1, field.size() - 2);
    out.push_back(field);
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

std::vector<Series> parse_csv_series(const std::string& text, const std::string& name,
                                     const std::string& benchmark) {
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") != std::string::npos) header = fields(line);
  }
  if (header.empty())
    throw UsageError(fmt::format("{}: empty: expected a header time,commit,METRIC...", name));
  if (header.size() < 3 || header[0] != "time" || header[1] != "commit")
    throw UsageError(fmt::format("{}:{}: header must be time,commit and at least one metric column",
                                 name, number));
  std::vector<Series> series(header.size() - 2);
  for (std::size_t m = 0; m < series.size(); ++m) {
    series[m].benchmark = benchmark;
    series[m].metric = header[m + 2];
    if (series[m].metric.empty())
      throw UsageError(fmt::format("{}:{}: column {} has no name", name, number, m + 3));
    // No threshold travels with foreign data: perfguard's default.
    series[m].threshold = kDefaultThreshold;
  }
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> row = fields(line);
    if (row.size() != header.size())
      throw UsageError(fmt::format("{}:{}: expected {} fields, found {}", name, number,
                                   header.size(), row.size()));
    for (std::size_t m = 0; m < series.size(); ++m) {
      const std::string& cell = row[m + 2];
      if (cell.empty()) continue;
      errno = 0;
      char* end = nullptr;
      const double value = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() + cell.size() || errno == ERANGE || !std::isfinite(value))
        throw UsageError(fmt::format("{}:{}: column {}: '{}' is not a finite number", name, number,
                                     header[m + 2], cell));
      SeriesPoint point;
      point.run_id = static_cast<std::int64_t>(number);
      point.recorded_at = row[0];
      point.commit = row[1];
      point.median = value;
      series[m].points.push_back(point);
    }
  }
  return series;
}

std::vector<Series> read_csv_series(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("--csv {}: cannot read the file", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_csv_series(text.str(), path, std::filesystem::path(path).stem().string());
}

}  // namespace perfguard::history
