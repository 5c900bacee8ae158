#include "pipeline/merge.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "core/error.hpp"
#include "core/json_source.hpp"
#include "harness/sample_set.hpp"
#include "harness/schedule.hpp"
#include "pipeline/compare_plan.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/run_identity.hpp"
#include "pipeline/sample_series.hpp"
#include "pipeline/selection.hpp"
#include "reports/artifacts.hpp"
#include "reports/check.hpp"
#include "stats/compare.hpp"

namespace perfguard::pipeline {
namespace {

using nlohmann::json;

// One shard's folder, read and checked.
struct ShardFolder {
  std::filesystem::path dir;
  json document;  // perf_comparison.json
  json shard;     // its settings.shard
  std::vector<harness::RunRecord> runs;
  std::string what;  // "shard 2/3 (DIR)", for messages
};

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The method a shard's rows in rounds were judged by: settings.ratio_method, which shards
// measured before it was recorded lack (they used the default).
json ratio_method_of(const json& settings) {
  return settings.value("ratio_method", json(stats::to_string(budgets::kDefaultRatioMethod)));
}

ShardFolder read_shard(const std::filesystem::path& dir) {
  std::vector<reports::Finding> findings;
  const std::string file = (dir / "perf_comparison.json").string();
  std::optional<reports::Artifact> artifact =
      reports::load_artifact(file, reports::kPerfComparisonSchema, findings);
  if (artifact) {
    const std::vector<reports::Finding> broken = reports::check_schema(*artifact);
    findings.insert(findings.end(), broken.begin(), broken.end());
  }
  if (!findings.empty()) throw UsageError(findings.front().text());
  ShardFolder folder;
  folder.dir = dir;
  folder.document = std::move(artifact->document);
  const json& settings = folder.document["settings"];
  if (!settings.contains("shard") || !settings["shard"].is_object()) {
    throw UsageError(fmt::format(
        "{}: not a shard (no settings.shard): measure each shard with perfguard compare "
        "--shard I/N",
        file));
  }
  folder.shard = settings["shard"];
  for (const char* key : {"index", "count", "benchmarks", "selection", "config_digest", "replay"}) {
    if (!folder.shard.contains(key))
      throw UsageError(fmt::format("{}: settings.shard lacks \"{}\"", file, key));
  }
  folder.what = fmt::format("shard {}/{} ({})", text_of(folder.shard["index"]),
                            text_of(folder.shard["count"]), dir.string());
  const std::filesystem::path journal = dir / "samples.jsonl";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(journal, ec)) {
    throw UsageError(
        fmt::format("{}: cannot read the shard's runs: no such file", journal.string()));
  }
  folder.runs = read_run_records(journal);
  return folder;
}

// What every shard of one gate must share, each compared with the first shard's.
void check_same_gate(const std::vector<ShardFolder>& shards) {
  const ShardFolder& first = shards.front();
  const auto same = [&](const ShardFolder& other, const json& mine, const json& theirs,
                        const std::string& what) {
    if (mine == theirs) return;
    throw UsageError(fmt::format("{}: {} {} differs from {} in {}: the shards are not of one gate",
                                 other.dir.string(), what, text_of(theirs), text_of(mine),
                                 first.dir.string()));
  };
  for (const ShardFolder& other : shards) {
    same(other, first.document["base"]["commit"], other.document["base"]["commit"],
         "the base commit");
    same(other, first.document["candidate"]["commit"], other.document["candidate"]["commit"],
         "the candidate commit");
    same(other, first.shard["config_digest"], other.shard["config_digest"], "the config digest");
    same(other, first.shard["count"], other.shard["count"], "the shard count");
    same(other, first.shard["selection"], other.shard["selection"], "the selection");
    for (const char* key : {"confidence", "interval_method", "default_threshold", "only"}) {
      same(other, first.document["settings"].value(key, json()),
           other.document["settings"].value(key, json()), fmt::format("settings.{}", key));
    }
    // Re-judged with one method, rows judged by another would change their verdicts.
    same(other, ratio_method_of(first.document["settings"]),
         ratio_method_of(other.document["settings"]), "settings.ratio_method");
  }
}

// Every index from 1 to N exactly once; the shards come back in index order.
std::vector<ShardFolder> in_index_order(std::vector<ShardFolder> shards) {
  const std::size_t count = shards.front().shard["count"].get<std::size_t>();
  std::map<std::size_t, std::size_t> by_index;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::size_t index = shards[i].shard["index"].get<std::size_t>();
    if (const auto [at, fresh] = by_index.emplace(index, i); !fresh) {
      throw UsageError(fmt::format("{}: shard {}/{} is given twice (also {}): give each shard once",
                                   shards[i].dir.string(), index, count,
                                   shards[at->second].dir.string()));
    }
  }
  for (std::size_t index = 1; index <= count; ++index) {
    if (!by_index.contains(index)) {
      throw UsageError(fmt::format(
          "shard {}/{} is missing: a merged gate needs every shard's folder (given {} of {})",
          index, count, shards.size(), count));
    }
  }
  std::vector<ShardFolder> ordered;
  for (const auto& [index, i] : by_index) ordered.push_back(std::move(shards[i]));
  return ordered;
}

reports::Host host_of(const json& j) {
  reports::Host host;
  const auto text = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  const auto load = [&](const char* key) -> std::optional<std::array<double, 3>> {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != 3) return std::nullopt;
    return std::array<double, 3>{j[key][0].get<double>(), j[key][1].get<double>(),
                                 j[key][2].get<double>()};
  };
  host.hostname = text("hostname");
  host.cpu_model = text("cpu_model");
  host.logical_cpus = j.value("logical_cpus", 0U);
  host.pinned_cpus = j.value("pinned_cpus", std::vector<int>{});
  host.kernel = text("kernel");
  host.load_before = load("load_before");
  host.load_after = load("load_after");
  if (j.contains("governor") && j["governor"].is_string())
    host.governor = j["governor"].get<std::string>();
  if (j.contains("aslr") && j["aslr"].is_number_integer()) host.aslr = j["aslr"].get<int>();
  return host;
}

// `where`: the file the settings are from, for errors.
budgets::GateSettings settings_of(const json& settings, std::string_view where,
                                  std::chrono::year_month_day today) {
  budgets::GateSettings out;
  out.interval.confidence = settings["confidence"].get<double>();
  const std::string method = settings["interval_method"].get<std::string>();
  out.interval.method = method == "bca"          ? stats::IntervalMethod::bca
                        : method == "percentile" ? stats::IntervalMethod::percentile
                                                 : stats::IntervalMethod::exact;
  out.interval.resamples = settings.value("resamples", out.interval.resamples);
  out.interval.seed = settings.value("seed", out.interval.seed);
  out.default_threshold = settings["default_threshold"].get<double>();
  out.method = recorded_ratio_method(settings, where);
  out.today = today;
  return out;
}

// A file size is measured while planning, not run: its one value per side is the row's median
// (n = 1), its failures the row's.
std::optional<budgets::SideSamples> file_size_side(const json& row, const char* side) {
  budgets::SideSamples samples;
  samples.failures = row["failures"][side].get<std::vector<std::string>>();
  if (row[side].is_object()) samples.values.push_back(row[side]["median"].get<double>());
  if (samples.values.empty() && samples.failures.empty()) return std::nullopt;
  return samples;
}

// The measurements of one shard: its runs grouped as the schedule grouped them, at the
// confidence its rows were judged at, and its file sizes.
std::vector<budgets::Measurement> measurements_of(
    const ShardFolder& shard, const std::vector<budgets::BenchmarkSpec>& specs) {
  harness::ScheduleResult result;
  std::vector<budgets::Measurement> file_sizes;
  const json& rows = shard.document["results"];
  for (const budgets::BenchmarkSpec& spec : specs) {
    if (spec.kind == budgets::BenchmarkKind::file_size) {
      for (const json& row : rows) {
        if (row["spec"] != spec.id) continue;
        budgets::Measurement m = measurement_for(spec, spec.id, row["metric"].get<std::string>());
        m.base = file_size_side(row, "base");
        m.candidate = file_size_side(row, "candidate");
        file_sizes.push_back(std::move(m));
      }
      continue;
    }
    harness::BenchmarkResult benchmark;
    benchmark.id = spec.id;
    std::vector<harness::RunRecord> runs;
    std::copy_if(shard.runs.begin(), shard.runs.end(), std::back_inserter(runs),
                 [&](const harness::RunRecord& run) { return run.benchmark == spec.id; });
    benchmark.samples = harness::collect_sample_sets(runs);
    for (const json& row : rows) {
      if (row["spec"] == spec.id && row["confidence"].is_number()) {
        benchmark.confidence = row["confidence"].get<double>();
        break;
      }
    }
    result.benchmarks.push_back(std::move(benchmark));
  }
  return to_measurements(result, specs, std::move(file_sizes));
}

void write_joined_journal(const std::filesystem::path& out,
                          const std::vector<ShardFolder>& shards) {
  write_file_atomically(out / "samples.jsonl", [&](std::ostream& journal) {
    for (const ShardFolder& shard : shards) {
      const std::string text = read_text_file((shard.dir / "samples.jsonl").string());
      journal << text;
      if (!text.empty() && text.back() != '\n') journal << '\n';
    }
  });
}

}  // namespace

budgets::GateResult merge(const MergeRequest& request) {
  // A merge refused half-way must not leave an earlier passing gate in --out.
  invalidate_gate_artifacts(request.out);
  if (request.shards.empty()) throw UsageError("merge: no shard folders given");
  std::vector<ShardFolder> shards;
  for (const std::filesystem::path& dir : request.shards) shards.push_back(read_shard(dir));
  check_same_gate(shards);
  shards = in_index_order(std::move(shards));

  const std::string config_file = request.config.string();
  const std::string digest = config_digest(read_text_file(config_file));
  if (digest != text_of(shards.front().shard["config_digest"])) {
    throw UsageError(fmt::format(
        "--config {}: not the config the shards were measured with (digest {}, the shards' {})",
        config_file, digest, text_of(shards.front().shard["config_digest"])));
  }
  const budgets::Config config = budgets::load_config(config_file);

  // Every benchmark in one shard at most, and each one the config's.
  std::map<std::string, const ShardFolder*> measured_by;
  std::vector<budgets::Measurement> measurements;
  reports::ArtifactContext context;
  json merged_shards = json::array();
  for (const ShardFolder& shard : shards) {
    std::vector<budgets::BenchmarkSpec> specs;
    for (const json& id_json : shard.shard["benchmarks"]) {
      // A benchmark of the config, or a case of its one Google Benchmark binary ("spec/case").
      const std::string id = id_json.get<std::string>();
      const auto spec = std::find_if(config.benchmarks.begin(), config.benchmarks.end(),
                                     [&](const budgets::BenchmarkSpec& s) {
                                       return s.id == id || id.rfind(s.id + "/", 0) == 0;
                                     });
      if (spec == config.benchmarks.end()) {
        throw UsageError(
            fmt::format("{}: benchmark {} is not in {}", shard.dir.string(), id, config_file));
      }
      if (const auto [at, fresh] = measured_by.emplace(id, &shard); !fresh) {
        throw UsageError(
            fmt::format("{}: benchmark {} was measured by {} too: the shards do not "
                        "split one selection",
                        shard.dir.string(), id, at->second->dir.string()));
      }
      if (std::none_of(specs.begin(), specs.end(),
                       [&](const budgets::BenchmarkSpec& s) { return s.id == spec->id; }))
        specs.push_back(*spec);
      context.row_hosts[id] = host_of(shard.document["host"]);
    }
    std::vector<budgets::Measurement> joined = measurements_of(shard, specs);
    std::move(joined.begin(), joined.end(), std::back_inserter(measurements));
    merged_shards.push_back({{"index", shard.shard["index"]},
                             {"count", shard.shard["count"]},
                             {"folder", shard.dir.string()},
                             {"generated_at", shard.document["generated_at"]},
                             {"host", shard.document["host"]},
                             {"benchmarks", shard.shard["benchmarks"]}});
  }

  // Shards split differently (another previous run in one job's --out) leave a hole.
  for (const json& id : shards.front().shard["selection"]) {
    if (!measured_by.contains(id.get<std::string>())) {
      throw UsageError(fmt::format(
          "benchmark {} of the selection was measured by no shard: the shards were split "
          "differently (give every job the same previous run in --out, or none)",
          id.get<std::string>()));
    }
  }

  // The budgets of the joined selection, judged over every shard's rows at once.
  const json& first = shards.front().document;
  const json& first_settings = first["settings"];
  const std::optional<std::string> only =
      first_settings.contains("only") ? std::optional(first_settings["only"].get<std::string>())
                                      : std::nullopt;
  std::vector<std::string> ids;
  for (const auto& [id, shard] : measured_by) ids.push_back(id);
  const SelectedBudgets rules = budgets_for_selection(config.budgets, only, ids);
  budgets::Approvals approvals;
  if (config.approvals) {
    approvals = budgets::load_approvals(
        (std::filesystem::path(config.path).parent_path() / *config.approvals).string(),
        request.today);
  }
  context.settings = settings_of(
      first_settings, (shards.front().dir / "perf_comparison.json").string(), request.today);
  budgets::GateResult gate = budgets::judge(measurements, rules.rules, approvals, context.settings);
  // A shard that did not finish measured only part of its benchmarks: the merged gate fails.
  for (const ShardFolder& shard : shards) {
    for (const json& failure : shard.document["gate"]["failures"]) {
      const std::string line = failure.get<std::string>();
      if (line.rfind(kUnfinishedFailure, 0) != 0) continue;
      gate.failures.push_back(fmt::format("{}: {}", shard.what, line));
      gate.passed = false;
      // A shard that failed to execute (git, a build) makes the merge exit 3; one interrupted,
      // 1: the merge itself was not.
      const int shard_exit = shard.document["gate"]["exit_code"].get<int>();
      gate.exit_code =
          std::max(gate.exit_code, shard_exit == kExitExecution ? kExitExecution : kExitGateFailed);
    }
  }

  context.generated_at = rfc3339_now();
  // The header names one host; each row names its own ("host").
  context.host = host_of(first["host"]);
  context.base = {first["base"]["ref"].get<std::string>(), text_of(first["base"]["commit"])};
  context.candidate = {first["candidate"]["ref"].get<std::string>(),
                       text_of(first["candidate"]["commit"])};
  context.selection.only = only;
  context.selection.partial = first_settings["partial"].get<bool>();
  if (context.selection.partial) {
    context.selection.skipped_benchmarks =
        first_settings.value("skipped_benchmarks", std::vector<std::string>{});
    context.selection.skipped_budgets = rules.skipped;
  }
  context.extra_settings = {{"command", "merge"}};
  context.merged_shards = reports::Json(merged_shards);
  context.replay_prefix = text_of(shards.front().shard["replay"]);
  ensure_directory(request.out);
  write_joined_journal(request.out, shards);
  write_gate_artifacts(request.out, gate, context, sample_series(measurements));
  return gate;
}

}  // namespace perfguard::pipeline
