#pragma once
// `perfguard check`'s rules over a gate's artifacts, read back from disk: each rule a function
// returning what it found wrong, so a release pipeline can fail closed on any of them.
// guard/cmd_check.cpp reads the flags, runs the rules and prints the findings.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfguard::reports {

// One broken rule: the file, the rule ("present", "parse", "schema", "fresh", "complete",
// "commit", "verdict", "same run") and why.
struct Finding {
  std::string file;
  std::string rule;
  std::string why;

  // "FILE: RULE: WHY", the line `perfguard check` prints.
  [[nodiscard]] std::string text() const;
  friend bool operator==(const Finding&, const Finding&) = default;
};

// An artifact as read from disk, checked against its JSON Schema.
struct Artifact {
  std::string file;
  const char* schema = nullptr;  // the id it must carry: kPerfComparisonSchema, ...
  nlohmann::json document;
  // Where the document breaks its schema ("at line 3, column 5: gate lacks \"passed\""), if it does.
  std::optional<std::string> violation;
};

// What the rules hold the artifacts to.
struct CheckRules {
  double max_age_seconds = 24 * 3600.0;
  std::string max_age_text = "24h";  // as the user wrote it, for messages
  std::optional<std::string> base;   // expected commit SHA, or a prefix of >= 7
  std::optional<std::string> candidate;
  bool allow_partial = false;  // accept a run narrowed by --only
};

// Clocks of two machines disagree a little; an artifact from further in the future is wrong.
inline constexpr std::chrono::seconds kClockSkew{300};

// Reads `file` and checks it against the schema `schema`; a "present" (missing) or "parse"
// (unreadable, invalid JSON) finding when it cannot be read.
[[nodiscard]] std::optional<Artifact> load_artifact(const std::string& file, const char* schema,
                                                    std::vector<Finding>& findings);

// The document's "schema" id is exactly the artifact's, and it conforms to that schema. The
// other rules read fields the schema guarantees, so check_artifact() stops at this one.
[[nodiscard]] std::vector<Finding> check_schema(const Artifact& artifact);

// "generated_at" is RFC 3339, not after `now` plus kClockSkew, and at most max_age old.
[[nodiscard]] std::vector<Finding> check_fresh(const Artifact& artifact, const CheckRules& rules,
                                               std::chrono::sys_seconds now);

// settings.partial is present and false (a run narrowed by --only judged some benchmarks, not
// the release), unless rules.allow_partial; and the run is not one shard of several
// (settings.shard with count > 1; docs/scale-out.md), whatever the rules allow.
[[nodiscard]] std::vector<Finding> check_complete(const Artifact& artifact,
                                                  const CheckRules& rules);

// The base or candidate commit (`side`) starts with `expected`, when one is expected.
[[nodiscard]] std::vector<Finding> check_commit(const Artifact& artifact, const char* side,
                                                const std::optional<std::string>& expected);

// The gate passed: gate.passed is true and gate.verdict is "pass".
[[nodiscard]] std::vector<Finding> check_verdict(const Artifact& artifact);

// Every rule above over one artifact, in that order.
[[nodiscard]] std::vector<Finding> check_artifact(const Artifact& artifact, const CheckRules& rules,
                                                  std::chrono::sys_seconds now);

// Both artifacts come from one run: the same generated_at, base and candidate. Nothing when
// either has failed already (not an object, or breaking its schema).
[[nodiscard]] std::vector<Finding> check_same_run(const Artifact& first, const Artifact& second);

}  // namespace perfguard::reports
