// perfguard report DIR --format md|junit: re-render a gate's artifacts from its JSON.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "guard/commands.hpp"
#include "guard/output_files.hpp"
#include "guard/result_files.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::guard {
namespace {

struct ReportOptions {
  std::string dir;
  std::string format;
  std::optional<std::string> output;
};

int run_report(const ReportOptions& options) {
  const std::string file = (std::filesystem::path(options.dir) / "perf_comparison.json").string();
  const reports::Json document = reports::Json::parse(parse_json_text(read_text_file(file), file).dump());
  if (document.value("schema", "") != reports::kPerfComparisonSchema) {
    throw UsageError(fmt::format("{}: schema is not {}", file, reports::kPerfComparisonSchema));
  }
  const auto render = [&](std::ostream& out) {
    if (options.format == "md") {
      reports::write_markdown(out, document);
    } else {
      reports::write_junit(out, document);
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
  CLI::App* sub = app.add_subcommand("report", "Re-render a gate's reports from its perf_comparison.json");
  sub->add_option("DIR", options->dir, "Folder holding perf_comparison.json")->required();
  sub->add_option("--format", options->format, "md (Markdown) or junit (JUnit XML)")
      ->required()
      ->check(CLI::IsMember({"md", "junit"}));
  sub->add_option("--output,-o", options->output, "Write to this file (atomically) instead of standard output");
  return {sub, [options] { return run_report(*options); }};
}

}  // namespace perfguard::guard
