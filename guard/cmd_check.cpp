// perfguard check [DIR]: fail-closed validation of a gate's artifacts for a release pipeline.
// Reads the flags, runs the rules (reports/check.hpp) and prints one line per finding.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "reports/artifacts.hpp"
#include "reports/check.hpp"

namespace perfguard::guard {
namespace {

struct CheckOptions {
  std::string dir = "perfguard-reports";
  std::string max_age = "24h";
  std::optional<std::string> base;
  std::optional<std::string> candidate;
  bool allow_partial = false;
};

int run_check(const CheckOptions& options) {
  reports::CheckRules rules;
  rules.max_age_seconds = duration_flag("--max-age", options.max_age);
  rules.max_age_text = options.max_age;
  for (const auto& [flag, sha] :
       {std::pair{"--base", options.base}, std::pair{"--candidate", options.candidate}}) {
    if (sha &&
        (sha->size() < 7 || sha->find_first_not_of("0123456789abcdef") != std::string::npos)) {
      throw UsageError(
          fmt::format("{} {}: expected a commit SHA (at least 7 hex digits)", flag, *sha));
    }
  }
  rules.base = options.base;
  rules.candidate = options.candidate;
  rules.allow_partial = options.allow_partial;

  const auto file = [&](const char* name) {
    return (std::filesystem::path(options.dir) / name).string();
  };
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::vector<reports::Finding> findings;
  const std::optional<reports::Artifact> comparison = reports::load_artifact(
      file("perf_comparison.json"), reports::kPerfComparisonSchema, findings);
  const std::optional<reports::Artifact> summary =
      reports::load_artifact(file("budget_summary.json"), reports::kBudgetSummarySchema, findings);
  for (const std::optional<reports::Artifact>& artifact : {comparison, summary}) {
    if (!artifact) continue;
    const std::vector<reports::Finding> found = reports::check_artifact(*artifact, rules, now);
    findings.insert(findings.end(), found.begin(), found.end());
  }
  if (comparison && summary) {
    const std::vector<reports::Finding> found = reports::check_same_run(*comparison, *summary);
    findings.insert(findings.end(), found.begin(), found.end());
  }

  for (const reports::Finding& finding : findings) std::cout << finding.text() << '\n';
  if (!findings.empty()) return kExitGateFailed;
  std::cout << fmt::format("ok: {} holds a passing gate (generated {})\n", options.dir,
                           comparison->document.value("generated_at", ""));
  return kExitGatePassed;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* sub = app.add_subcommand("check", "Fail-closed validation of a gate's artifacts");
  sub->footer(
      "Checks that perf_comparison.json and budget_summary.json are present, parse, carry the\n"
      "exact schema ids and conform to those schemas, were generated within --max-age by the same\n"
      "run, name the expected commits, and record a passing gate of a complete run (not narrowed\n"
      "by --only, unless --allow-partial; never a single shard of several: join the shards with\n"
      "perfguard merge). Prints one line per problem (file: rule: why).\n"
      "Exit 0 all good, 1 any problem, 2 usage error.");
  sub->add_option("DIR", options->dir, "Folder holding the artifacts")
      ->default_str("perfguard-reports");
  sub->add_option("--max-age", options->max_age, "Oldest acceptable generated_at")
      ->default_str("24h");
  sub->add_option("--base", options->base, "Expected base commit SHA (or a prefix of >= 7)");
  sub->add_option("--candidate", options->candidate,
                  "Expected candidate commit SHA (or a prefix of >= 7)");
  sub->add_flag("--allow-partial", options->allow_partial,
                "Accept a run narrowed by --only (settings.partial)");
  return {sub, [options] { return run_check(*options); }};
}

}  // namespace perfguard::guard
