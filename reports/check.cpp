#include "reports/check.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_source.hpp"
#include "core/rfc3339.hpp"
#include "reports/artifact_schema.hpp"

namespace perfguard::reports {

using nlohmann::json;

std::string Finding::text() const { return fmt::format("{}: {}: {}", file, rule, why); }

std::optional<Artifact> load_artifact(const std::string& file, const char* schema,
                                      std::vector<Finding>& findings) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    findings.push_back({file, "present", "missing"});
    return std::nullopt;
  }
  try {
    const JsonSource source = JsonSource::parse(read_text_file(file), file);
    std::optional<std::string> violation;
    if (const auto v = schema_violation(source.document(), schema)) {
      const SourceLocation at = source.location(v->pointer);
      violation = fmt::format("at line {}, column {}: {}", at.line, at.column, v->text());
    }
    return Artifact{file, schema, source.document(), violation};
  } catch (const UsageError& e) {
    findings.push_back({file, "parse", e.what()});
    return std::nullopt;
  }
}

std::vector<Finding> check_schema(const Artifact& a) {
  const json& doc = a.document;
  if (!doc.is_object()) return {{a.file, "parse", "not a JSON object"}};
  const json schema = doc.value("schema", json(""));
  if (schema != a.schema) {
    return {
        {a.file, "schema",
         fmt::format("is '{}', expected '{}'",
                     schema.is_string() ? schema.get<std::string>() : schema.dump(), a.schema)}};
  }
  if (a.violation) return {{a.file, "schema", *a.violation}};
  return {};
}

std::vector<Finding> check_fresh(const Artifact& a, const CheckRules& rules,
                                 std::chrono::sys_seconds now) {
  const std::string generated = a.document.value("generated_at", "");
  const std::optional<std::chrono::sys_seconds> when = parse_rfc3339(generated);
  if (!when) {
    return {{a.file, "fresh", fmt::format("generated_at '{}' is not an RFC 3339 time", generated)}};
  }
  if (*when > now + kClockSkew) {
    return {{a.file, "fresh", fmt::format("generated_at {} is in the future", generated)}};
  }
  if (std::chrono::duration<double>(now - *when).count() > rules.max_age_seconds) {
    return {
        {a.file, "fresh",
         fmt::format("generated_at {} is older than --max-age {}", generated, rules.max_age_text)}};
  }
  return {};
}

std::vector<Finding> check_complete(const Artifact& a, const CheckRules& rules) {
  const json& settings = a.document.value("settings", json());
  const json& partial = settings.is_object() ? settings.value("partial", json()) : json();
  if (!partial.is_boolean()) {
    return {{a.file, "complete",
             "settings.partial is missing: cannot tell whether the run judged every benchmark"}};
  }
  // One shard of several judged only its benchmarks; --allow-partial does not change that.
  const json& shard = settings.value("shard", json());
  if (shard.is_object() && shard.value("count", json()).is_number_integer() &&
      shard["count"].get<long long>() > 1) {
    return {{a.file, "complete",
             fmt::format("a single shard ({}/{}) is not a whole gate: join every shard's folder "
                         "with perfguard merge",
                         shard.value("index", json()).dump(), shard["count"].dump())}};
  }
  if (!partial.get<bool>() || rules.allow_partial) return {};
  const json& only = settings.value("only", json());
  const json& benchmarks = settings.value("skipped_benchmarks", json());
  const json& budgets = settings.value("skipped_budgets", json());
  return {{a.file, "complete",
           fmt::format("a partial run (--only {}: {} benchmarks and {} budgets left out); "
                       "--allow-partial accepts it",
                       only.is_string() ? only.get<std::string>() : "?",
                       benchmarks.is_array() ? benchmarks.size() : 0,
                       budgets.is_array() ? budgets.size() : 0)}};
}

std::vector<Finding> check_commit(const Artifact& a, const char* side,
                                  const std::optional<std::string>& expected) {
  if (!expected) return {};
  const json& revision = a.document.value(side, json());
  const std::string commit =
      revision.is_object() && revision.contains("commit") && revision["commit"].is_string()
          ? revision["commit"].get<std::string>()
          : "";
  // A full SHA, or an abbreviation of at least 7 characters, as git prints them.
  const bool matches = expected->size() >= 7 && !commit.empty() && commit.rfind(*expected, 0) == 0;
  if (matches) return {};
  return {{a.file, "commit",
           fmt::format("{} commit is '{}', expected {}", side, commit.empty() ? "unknown" : commit,
                       *expected)}};
}

std::vector<Finding> check_verdict(const Artifact& a) {
  const json& gate = a.document.value("gate", json());
  if (gate.is_object() && gate.value("passed", false) && gate.value("verdict", "") == "pass")
    return {};
  std::string why = "the gate did not pass";
  if (gate.is_object() && gate.contains("failures") && gate["failures"].is_array() &&
      !gate["failures"].empty()) {
    why += fmt::format(" ({} failures; first: {})", gate["failures"].size(),
                       gate["failures"][0].dump());
  }
  return {{a.file, "verdict", why}};
}

std::vector<Finding> check_artifact(const Artifact& a, const CheckRules& rules,
                                    std::chrono::sys_seconds now) {
  // The rules after the schema read the fields it guarantees; a document that breaks it
  // cannot be judged, which fails.
  std::vector<Finding> findings = check_schema(a);
  if (!findings.empty()) return findings;
  for (std::vector<Finding> found :
       {check_fresh(a, rules, now), check_complete(a, rules), check_commit(a, "base", rules.base),
        check_commit(a, "candidate", rules.candidate), check_verdict(a)}) {
    findings.insert(findings.end(), found.begin(), found.end());
  }
  return findings;
}

std::vector<Finding> check_same_run(const Artifact& a, const Artifact& b) {
  // A document that is not an object, or breaks its schema, has failed already.
  if (!a.document.is_object() || !b.document.is_object() || a.violation || b.violation) return {};
  std::vector<Finding> findings;
  for (const char* key : {"generated_at", "base", "candidate"}) {
    if (a.document.value(key, json()) != b.document.value(key, json())) {
      findings.push_back({b.file, "same run", fmt::format("\"{}\" differs from {}", key, a.file)});
    }
  }
  return findings;
}

}  // namespace perfguard::reports
