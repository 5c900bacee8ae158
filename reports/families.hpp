#pragma once
// Complexity families in the artifacts (docs/complexity.md): the "families" array of
// perf_comparison.json and budget_summary.json, its Markdown table and JUnit test cases, and
// the log-log plot per family on index.html. Renderers read the JSON document, like the others.
#include <iosfwd>
#include <string>
#include <vector>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"

namespace perfguard::reports {

// One object per family (schema: reports/schema/perf_comparison.schema.json, $defs/family).
[[nodiscard]] Json families_json(const budgets::GateResult& gate, const ArtifactContext& context);

// "### Complexity families": one row per family, failing first. Nothing without families.
void write_family_markdown(std::ostream& out, const Json& perf_comparison);

struct JunitCase {
  std::string classname;
  std::string name;
  bool failed = false;
  std::string type;
  std::string message;
  std::string details;
};
// One test case per family, named "complexity METRIC".
[[nodiscard]] std::vector<JunitCase> family_junit_cases(const Json& perf_comparison);

// The "Complexity" section of index.html: per family, both sides' medians and fitted curves on
// log-log axes, extended dashed to the projected size, with the projection marked.
void write_family_plots(std::ostream& out, const Json& perf_comparison);

}  // namespace perfguard::reports
