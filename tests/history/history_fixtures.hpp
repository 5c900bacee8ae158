#pragma once
// Artifacts for the history tests: the golden perf_comparison.json (what the gate really
// writes), and small variations of it for one night of a series.
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace perfguard::history::fixtures {

inline Json golden_artifact() {
  std::ifstream in(std::string(PERFGUARD_SOURCE_DIR) + "/tests/golden/perf_comparison.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

struct Night {
  std::string time;    // generated_at
  std::string commit;  // the candidate's
  double median = 0.0;
  std::string benchmark = "parse";
  std::string metric = "wall_time";
  std::string hostname = "bench-1";
  // The night's ratio to its base (interval +-1%) and the base's commit; unset, the golden
  // artifact's (1.3, against 1111...).
  std::optional<double> ratio = std::nullopt;
  std::optional<std::string> base_commit = std::nullopt;
};

// The golden artifact reduced to one row per night given (its "parse" row, renamed and moved
// to the night's median, interval +-1%).
inline Json night_artifact(const std::vector<Night>& rows) {
  Json document = golden_artifact();
  const Json parse_row = [&] {
    for (const Json& row : document["results"])
      if (row["benchmark"] == "parse") return row;
    return Json();
  }();
  document["generated_at"] = rows.front().time;
  document["candidate"]["commit"] = rows.front().commit;
  document["host"]["hostname"] = rows.front().hostname;
  if (rows.front().base_commit) document["base"]["commit"] = *rows.front().base_commit;
  document["results"] = Json::array();
  for (const Night& night : rows) {
    Json row = parse_row;
    row["benchmark"] = night.benchmark;
    row["spec"] = night.benchmark;
    row["metric"] = night.metric;
    row["candidate"]["median"] = night.median;
    row["candidate"]["median_ci"] = Json::array({night.median * 0.99, night.median * 1.01});
    if (night.ratio) {
      row["ratio"] = *night.ratio;
      row["ratio_ci"] = Json::array({*night.ratio * 0.99, *night.ratio * 1.01});
    }
    document["results"].push_back(row);
  }
  return document;
}

inline Json night_artifact(const Night& night) { return night_artifact(std::vector<Night>{night}); }

}  // namespace perfguard::history::fixtures
