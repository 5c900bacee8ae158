#include "pipeline/interrupted_run.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "budgets/approvals.hpp"
#include "budgets/config.hpp"
#include "core/json_source.hpp"
#include "harness/schedule.hpp"
#include "pipeline/compare_plan.hpp"
#include "pipeline/gate_output.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/run_identity.hpp"
#include "pipeline/sample_series.hpp"
#include "pipeline/selection.hpp"

namespace perfguard::pipeline {
namespace {

constexpr std::string_view kUnfinished = "the run did not finish: ";

// A benchmark's journaled runs, cut to the rounds every variant completed.
harness::BenchmarkResult complete_rounds(const std::string& id,
                                         const std::vector<harness::RunRecord>& all) {
  std::vector<harness::RunRecord> records;
  std::map<std::string, std::size_t> per_variant;
  for (const harness::RunRecord& r : all) {
    if (r.benchmark != id) continue;
    if (!r.warmup) ++per_variant[r.variant];
    if (!r.warmup || r.outcome.failed()) records.push_back(r);
  }
  std::size_t rounds = 0;
  if (!per_variant.empty()) {
    rounds =
        std::min_element(per_variant.begin(), per_variant.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->second;
  }
  // Each variant's runs are numbered from 0 in the order they ran.
  std::erase_if(records, [&](const harness::RunRecord& r) {
    return !r.warmup && r.run >= rounds && !r.outcome.failed();
  });
  harness::BenchmarkResult result;
  result.id = id;
  result.samples = harness::collect_sample_sets(records);
  result.runs = rounds;
  return result;
}

}  // namespace

bool is_interrupted_run(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / kRunFile, ec) ||
      !std::filesystem::exists(dir / kJournalFile, ec))
    return false;
  const std::filesystem::path artifact = dir / "perf_comparison.json";
  if (!std::filesystem::exists(artifact, ec)) return true;
  try {
    const nlohmann::json document = nlohmann::json::parse(read_text_file(artifact.string()));
    if (document.contains("interrupted")) return false;  // judged from the journal already
    const nlohmann::json& failures = document.at("gate").at("failures");
    return document.at("results").empty() && !failures.empty() &&
           failures.at(0).get<std::string>().starts_with(kUnfinished);
  } catch (const nlohmann::json::exception&) {
    return false;  // not ours to judge: `report` says what is wrong with it
  }
}

budgets::GateResult judge_interrupted_run(const std::filesystem::path& dir) {
  const RunIdentity identity = read_run_identity(dir / kRunFile);
  const budgets::Config config = budgets::parse_config(identity.config_text, identity.config_path);
  const std::optional<std::string> only =
      identity.settings.contains("only") && identity.settings["only"].is_string()
          ? std::optional<std::string>(identity.settings["only"].get<std::string>())
          : std::nullopt;
  std::vector<budgets::BenchmarkSpec> selected;
  std::vector<std::string> selected_ids;
  std::vector<std::string> skipped;
  for (const budgets::BenchmarkSpec& spec : config.benchmarks) {
    const bool chosen =
        !only || budgets::glob_match(*only, spec.id) || only->rfind(spec.id + "/", 0) == 0;
    if (chosen) selected.push_back(spec);
    (chosen ? selected_ids : skipped).push_back(spec.id);
  }
  const SelectedBudgets rules = budgets_for_selection(config.budgets, only, selected_ids);

  const std::vector<harness::RunRecord> records = read_run_records(dir / kJournalFile);
  harness::ScheduleResult result;
  std::map<std::string, std::size_t> rounds;
  for (const budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind == budgets::BenchmarkKind::file_size) continue;
    result.benchmarks.push_back(complete_rounds(spec.id, records));
    rounds[spec.id] = result.benchmarks.back().runs;
  }
  // File sizes are measured while planning and never journaled: unknown here.
  std::vector<budgets::Measurement> file_sizes;
  for (const budgets::BenchmarkSpec& spec : selected) {
    if (spec.kind != budgets::BenchmarkKind::file_size) continue;
    budgets::Measurement m = measurement_for(spec, spec.id, "file_size");
    m.cut_short = "interrupted: file sizes are not in the journal";
    file_sizes.push_back(std::move(m));
  }
  std::vector<budgets::Measurement> measurements =
      to_measurements(result, selected, std::move(file_sizes));
  for (budgets::Measurement& m : measurements) {
    if (!m.cut_short.empty()) continue;
    const std::size_t runs = rounds[m.spec];
    m.cut_short = fmt::format("interrupted at {} run{} per side", runs, runs == 1 ? "" : "s");
  }

  budgets::GateSettings settings;
  settings.interval.confidence =
      identity.settings.value("confidence", settings.interval.confidence);
  settings.default_threshold = identity.settings.value("threshold", settings.default_threshold);
  settings.method = recorded_ratio_method(identity.settings, (dir / kRunFile).string());
  settings.today = budgets::today_utc();
  budgets::GateResult gate = budgets::judge(measurements, rules.rules, {}, settings);
  const std::string why = "the run was interrupted: judged from its journal alone";
  gate.failures.insert(gate.failures.begin(), why);
  gate.passed = false;
  if (gate.exit_code == kExitGatePassed) gate.exit_code = kExitGateFailed;

  reports::ArtifactContext context;
  context.generated_at = rfc3339_now();
  context.host = identity.host;
  context.base = identity.base;
  context.candidate = identity.candidate;
  context.settings = settings;
  context.selection = selection_record(only, std::move(skipped), rules.skipped, false);
  context.extra_settings = identity.settings;
  context.extra_settings.erase("only");  // the selection records it
  context.extra_settings["command"] = "report";
  context.interrupted = {{"from_journal", (dir / kJournalFile).string()}, {"reason", why}};
  write_gate_artifacts(dir, gate, context, sample_series(measurements));
  return gate;
}

}  // namespace perfguard::pipeline
