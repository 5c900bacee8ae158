#include "inputs/result_file.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_source.hpp"
#include "inputs/gbench_json.hpp"
#include "inputs/hyperfine_json.hpp"
#include "stats/descriptive.hpp"

namespace perfguard::inputs {

using nlohmann::json;

std::string out_of_range_message(std::string_view where, std::string_view shown) {
  return fmt::format(
      "{}: {} is outside the range of samples perfguard accepts (0, or {:g} to {:g})", where, shown,
      stats::kSmallestSample, stats::kLargestSample);
}

std::optional<double> seconds_per(std::string_view unit) noexcept {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "s") return 1.0;
  return std::nullopt;
}

void to_seconds(ResultFile& file) {
  for (ResultSet& set : file.sets) {
    if (const std::optional<double> scale = seconds_per(set.unit)) {
      for (double& v : set.values) v *= *scale;
      // A new string moved in, not operator=(const char*): g++ 12 misreads the latter's
      // inlined copy as overlapping (-Wrestrict, GCC bug 105651).
      set.unit = std::string("s");
    }
  }
}

std::size_t set_for(ResultFile& file, const std::string& benchmark, const std::string& metric,
                    bool primary) {
  const auto found = std::find_if(file.sets.begin(), file.sets.end(), [&](const ResultSet& s) {
    return s.benchmark == benchmark && s.metric == metric;
  });
  if (found != file.sets.end()) return static_cast<std::size_t>(found - file.sets.begin());
  file.sets.push_back({benchmark, metric, "", primary, {}, {}, ""});
  return file.sets.size() - 1;
}

ResultFile parse_result_document(const json& document, const std::string& origin) {
  try {
    if (document.is_object() && document.contains("benchmarks"))
      return gbench_result_file(read_gbench(document), origin);
    if (document.is_object() && document.contains("results"))
      return read_hyperfine(document, origin);
  } catch (const json::exception& e) {
    // A shape the readers did not foresee: still one line naming the file, exit 2.
    const std::string_view what = e.what();
    const std::size_t tag_end = what.find("] ");
    throw UsageError(
        fmt::format("{}: unexpected content: {}", origin,
                    tag_end == std::string_view::npos ? what : what.substr(tag_end + 2)));
  }
  throw UsageError(
      fmt::format("{}: a JSON object without \"results\" (hyperfine --export-json) or "
                  "\"benchmarks\" (Google Benchmark --benchmark_format=json)",
                  origin));
}

ResultFile read_result_file(const std::string& path) {
  ResultFile file =
      parse_result_document(JsonSource::parse(read_text_file(path), path).document(), path);
  to_seconds(file);
  return file;
}

}  // namespace perfguard::inputs
