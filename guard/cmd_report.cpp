// perfguard report DIR --format md|junit|html: re-render a gate's reports from its artifacts.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_source.hpp"
#include "guard/commands.hpp"
#include "pipeline/interrupted_run.hpp"
#include "pipeline/output_files.hpp"
#include "pipeline/sample_series.hpp"
#include "reports/artifact_schema.hpp"
#include "reports/artifacts.hpp"
#include "reports/html.hpp"

namespace perfguard::guard {

using pipeline::read_sample_series;
using pipeline::write_file_atomically;
namespace {

struct ReportOptions {
  std::string dir;
  std::string format;
  std::optional<std::string> output;
};

// The artifact, checked against its schema before any renderer reads a field of it: a broken
// or foreign file is one line naming where it breaks the schema, exit 2. JsonSource keeps the
// parsed document as nlohmann::json; the renderers read perfguard::Json, converted value by
// value (no text in between).
Json read_artifact(const std::filesystem::path& path, const char* schema) {
  const std::string file = path.string();
  const JsonSource source = JsonSource::parse(read_text_file(file), file);
  const nlohmann::json& document = source.document();
  const auto id = document.is_object() ? document.find("schema") : document.end();
  if (!document.is_object() || id == document.end() || *id != schema)
    throw UsageError(fmt::format("{}: schema is not {}", file, schema));
  if (const std::optional<reports::SchemaViolation> violation =
          reports::schema_violation(document, schema)) {
    throw source.error_at(violation->pointer,
                          fmt::format("{}; not a valid {} artifact", violation->text(), schema));
  }
  return Json(document);
}

int run_report(const ReportOptions& options) {
  const std::filesystem::path dir(options.dir);
  // An interrupted compare left its journal but no judged gate: judge what it measured first.
  if (pipeline::is_interrupted_run(dir)) {
    const budgets::GateResult gate = pipeline::judge_interrupted_run(dir);
    std::cerr << fmt::format(
        "perfguard: note: {} holds an interrupted run: judged from its journal, {} rows, the "
        "gate fails (artifacts marked \"interrupted\" written there)\n",
        dir.string(), gate.rows.size());
  }
  const Json document =
      read_artifact(dir / "perf_comparison.json", reports::kPerfComparisonSchema);
  // The page also draws the budget summary and the runs, when the folder has them.
  Json summary = nullptr;
  std::vector<reports::SampleSeries> samples;
  if (options.format == "html") {
    if (std::filesystem::exists(dir / "budget_summary.json")) {
      summary = read_artifact(dir / "budget_summary.json", reports::kBudgetSummarySchema);
    }
    if (std::filesystem::exists(dir / "samples.jsonl"))
      samples = read_sample_series(dir / "samples.jsonl");
  }
  const auto render = [&](std::ostream& out) {
    if (options.format == "md") {
      reports::write_markdown(out, document);
    } else if (options.format == "junit") {
      reports::write_junit(out, document);
    } else {
      reports::write_html(out, document, summary, samples);
    }
  };
  if (options.output) {
    write_file_atomically(*options.output, render);
  } else {
    render(std::cout);
  }
  return kExitGatePassed;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* sub =
      app.add_subcommand("report", "Re-render a gate's reports from its perf_comparison.json");
  sub->footer(
      "html also draws budget_summary.json and the runs in samples.jsonl when DIR has them; "
      "without\n"
      "samples.jsonl its plots show each side's summary statistics. Each artifact is checked "
      "against\n"
      "its JSON Schema first: a broken one is exit 2, naming the line and column where it "
      "breaks it.\n"
      "A folder an interrupted compare left (run.json and samples.jsonl, no judged gate) is "
      "judged\n"
      "from its journal first: artifacts marked \"interrupted\" are written into DIR, every "
      "row\n"
      "inconclusive with how far it got (\"interrupted at 7 runs per side\"), the gate failing.");
  sub->add_option("DIR", options->dir, "Folder holding perf_comparison.json")->required();
  sub->add_option("--format", options->format,
                  "md (Markdown), junit (JUnit XML) or html (the index.html page)")
      ->required()
      ->check(CLI::IsMember({"md", "junit", "html"}));
  sub->add_option("--output,-o", options->output,
                  "Write to this file (atomically) instead of standard output");
  return {sub, [options] { return run_report(*options); }};
}

}  // namespace perfguard::guard
