// perfguard check [DIR]: fail-closed validation of a gate's artifacts for a release pipeline.
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_source.hpp"
#include "core/error.hpp"
#include "guard/cli_values.hpp"
#include "guard/commands.hpp"
#include "reports/artifact_schema.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::guard {
namespace {

using nlohmann::json;

struct CheckOptions {
  std::string dir = "perfguard-reports";
  std::string max_age = "24h";
  std::optional<std::string> base;
  std::optional<std::string> candidate;
  bool allow_partial = false;
};

// Clocks of two machines disagree a little; an artifact from further in the future is wrong.
constexpr std::chrono::seconds kClockSkew{300};

// "2026-11-22T01:02:03Z" (fractional seconds and +hh:mm offsets allowed) -> time point.
std::optional<std::chrono::sys_seconds> parse_rfc3339(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const auto number = [&](std::size_t at, std::size_t width, auto& out) {
    if (at + width > text.size()) return false;
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + width, out);
    return ec == std::errc{} && end == text.data() + at + width;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':' ||
      !number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  std::chrono::minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    unsigned oh = 0, om = 0;
    if (!number(at + 1, 2, oh) || !number(at + 4, 2, om)) return std::nullopt;
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (text[at] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) - offset;
}

struct Artifact {
  std::string file;
  const char* schema;
  json document;
  // Where the document breaks its schema ("at line 3, column 5: gate lacks \"passed\""), if it does.
  std::optional<std::string> violation;
};

class Checker {
 public:
  explicit Checker(const CheckOptions& options) : options_(options) {}

  void fail(const std::string& file, const std::string& rule, const std::string& why) {
    problems_.push_back(fmt::format("{}: {}: {}", file, rule, why));
  }

  std::optional<Artifact> load(const std::string& name, const char* schema) {
    const std::string file = (std::filesystem::path(options_.dir) / name).string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      fail(file, "present", "missing");
      return std::nullopt;
    }
    try {
      const JsonSource source = JsonSource::parse(read_text_file(file), file);
      std::optional<std::string> violation;
      if (const auto v = reports::schema_violation(source.document(), schema)) {
        const budgets::SourceLocation at = source.location(v->pointer);
        violation = fmt::format("at line {}, column {}: {}", at.line, at.column, v->text());
      }
      return Artifact{file, schema, source.document(), violation};
    } catch (const UsageError& e) {
      fail(file, "parse", e.what());
      return std::nullopt;
    }
  }

  void check(const Artifact& a, double max_age_seconds) {
    const json& doc = a.document;
    if (!doc.is_object()) return fail(a.file, "parse", "not a JSON object");
    const json schema = doc.value("schema", json(""));
    if (schema != a.schema) {
      return fail(
          a.file, "schema",
          fmt::format("is '{}', expected '{}'",
                      schema.is_string() ? schema.get<std::string>() : schema.dump(), a.schema));
    }
    // The rules below read the fields the schema guarantees; a document that breaks it cannot
    // be judged, which fails.
    if (a.violation) return fail(a.file, "schema", *a.violation);

    const std::string generated = doc.value("generated_at", "");
    const std::optional<std::chrono::sys_seconds> when = parse_rfc3339(generated);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!when) {
      fail(a.file, "fresh", fmt::format("generated_at '{}' is not an RFC 3339 time", generated));
    } else if (*when > now + kClockSkew) {
      fail(a.file, "fresh", fmt::format("generated_at {} is in the future", generated));
    } else if (std::chrono::duration<double>(now - *when).count() > max_age_seconds) {
      fail(a.file, "fresh",
           fmt::format("generated_at {} is older than --max-age {}", generated, options_.max_age));
    }

    check_complete(a);
    check_commit(a, "base", options_.base);
    check_commit(a, "candidate", options_.candidate);

    const json& gate = doc.value("gate", json());
    if (!gate.is_object() || !gate.value("passed", false) || gate.value("verdict", "") != "pass") {
      std::string why = "the gate did not pass";
      if (gate.is_object() && gate.contains("failures") && gate["failures"].is_array() &&
          !gate["failures"].empty()) {
        why += fmt::format(" ({} failures; first: {})", gate["failures"].size(),
                           gate["failures"][0].dump());
      }
      fail(a.file, "verdict", why);
    }
  }

  // A run narrowed by --only judged some benchmarks, not the release.
  void check_complete(const Artifact& a) {
    const json& settings = a.document.value("settings", json());
    const json& partial = settings.is_object() ? settings.value("partial", json()) : json();
    if (!partial.is_boolean()) {
      fail(a.file, "complete",
           "settings.partial is missing: cannot tell whether the run judged every benchmark");
      return;
    }
    if (!partial.get<bool>() || options_.allow_partial) return;
    const json& only = settings.value("only", json());
    const json& benchmarks = settings.value("skipped_benchmarks", json());
    const json& budgets = settings.value("skipped_budgets", json());
    fail(a.file, "complete",
         fmt::format("a partial run (--only {}: {} benchmarks and {} budgets left out); "
                     "--allow-partial accepts it",
                     only.is_string() ? only.get<std::string>() : "?",
                     benchmarks.is_array() ? benchmarks.size() : 0,
                     budgets.is_array() ? budgets.size() : 0));
  }

  void check_commit(const Artifact& a, const char* side,
                    const std::optional<std::string>& expected) {
    if (!expected) return;
    const json& revision = a.document.value(side, json());
    const std::string commit = revision.is_object() && revision["commit"].is_string()
                                   ? revision["commit"].get<std::string>()
                                   : "";
    // A full SHA, or an abbreviation of at least 7 characters, as git prints them.
    const bool matches =
        expected->size() >= 7 && !commit.empty() && commit.rfind(*expected, 0) == 0;
    if (!matches) {
      fail(a.file, "commit",
           fmt::format("{} commit is '{}', expected {}", side, commit.empty() ? "unknown" : commit,
                       *expected));
    }
  }

  // Both artifacts must come from one run.
  void check_same_run(const Artifact& a, const Artifact& b) {
    // A document that is not an object, or breaks its schema, has failed already.
    if (!a.document.is_object() || !b.document.is_object() || a.violation || b.violation) return;
    for (const char* key : {"generated_at", "base", "candidate"}) {
      if (a.document.value(key, json()) != b.document.value(key, json())) {
        fail(b.file, "same run", fmt::format("\"{}\" differs from {}", key, a.file));
      }
    }
  }

  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

 private:
  const CheckOptions& options_;
  std::vector<std::string> problems_;
};

int run_check(const CheckOptions& options) {
  const double max_age = duration_flag("--max-age", options.max_age);
  for (const auto& [flag, sha] :
       {std::pair{"--base", options.base}, std::pair{"--candidate", options.candidate}}) {
    if (sha &&
        (sha->size() < 7 || sha->find_first_not_of("0123456789abcdef") != std::string::npos)) {
      throw UsageError(
          fmt::format("{} {}: expected a commit SHA (at least 7 hex digits)", flag, *sha));
    }
  }
  Checker checker(options);
  const std::optional<Artifact> comparison =
      checker.load("perf_comparison.json", reports::kPerfComparisonSchema);
  const std::optional<Artifact> summary =
      checker.load("budget_summary.json", reports::kBudgetSummarySchema);
  if (comparison) checker.check(*comparison, max_age);
  if (summary) checker.check(*summary, max_age);
  if (comparison && summary) checker.check_same_run(*comparison, *summary);

  for (const std::string& problem : checker.problems()) std::cout << problem << '\n';
  if (!checker.problems().empty()) return kExitGateFailed;
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
      "by --only, unless --allow-partial). Prints one line per problem (file: rule: why).\n"
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
