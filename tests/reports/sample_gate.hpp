#pragma once
// The fixed gate the golden files are rendered from: one of every verdict, budgets and
// approvals, a fixed date and host. Shared by the artifact and HTML tests, with the golden-file
// comparison itself.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "budgets/verdict.hpp"
#include "reports/artifacts.hpp"
#include "reports/html.hpp"

namespace perfguard::reports::fixtures {

// n values spread evenly over center * [0.99, 1.01] in a shuffled order: median = center.
inline std::vector<double> spread(double center, int n = 41) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(center * (0.99 + 0.02 * ((i * 7) % n) / (n - 1)));
  return values;
}

inline budgets::Measurement measured(const std::string& id, std::vector<double> base,
                                     std::vector<double> candidate) {
  budgets::Measurement m;
  m.spec = m.benchmark = id;
  m.metric = "wall_time";
  m.unit = "s";
  if (!base.empty()) m.base = budgets::SideSamples{std::move(base), {}};
  if (!candidate.empty()) m.candidate = budgets::SideSamples{std::move(candidate), {}};
  return m;
}

// What the gate judges: unchanged, regressed, approved, missing, crashed and a file size.
inline std::vector<budgets::Measurement> sample_measurements() {
  std::vector<budgets::Measurement> all = {measured("cli.startup", spread(0.010), spread(0.010)),
                                           measured("parse", spread(0.002), spread(0.0026)),
                                           measured("render", spread(0.5), spread(0.6)),
                                           measured("gone", spread(0.1), {})};
  all.push_back(measured("crashy", spread(0.1), spread(0.1)));
  all.back().candidate->failures = {"run 2: killed by SIGSEGV"};
  budgets::Measurement size = measured("binary.size", {4.0e6}, {4.1e6});
  size.metric = "file_size";
  size.unit = "bytes";
  size.deterministic = true;
  all.push_back(size);
  return all;
}

// One of everything: unchanged, regressed, approved, missing, crashed, budgets and approvals.
inline budgets::GateResult sample_gate() {
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;
  using std::chrono::year_month_day;
  const std::vector<budgets::Measurement> all = sample_measurements();

  budgets::BudgetRule p95;
  p95.benchmark = "cli.startup";
  p95.metric = "wall_time";
  p95.statistic = budgets::Statistic::p95;
  p95.max = 0.005;
  p95.location = {"perfguard.json", 14, 5};
  budgets::BudgetRule binary;
  binary.benchmark = "binary.size";
  binary.metric = "file_size";
  binary.statistic = budgets::Statistic::median;
  binary.max = 50e6;
  binary.location = {"perfguard.json", 16, 5};
  const std::vector<budgets::BudgetRule> rules = {p95, binary};

  budgets::Approvals approvals;
  budgets::Approval a;
  a.benchmark = "render";
  a.metric = "wall_time";
  a.max_ratio = 1.25;
  a.reason = "new layout engine";
  a.approver = "j.doe";
  a.ticket = "#482";
  a.created = year_month_day{year(2026), month(11), day(20)};
  a.expires = year_month_day{year(2026), month(12), day(10)};
  approvals.valid.push_back(a);
  approvals.invalid.push_back(
      {1, "parse", "expired on 2026-11-01", {"perfguard-approvals.json", 12, 5}});

  budgets::GateSettings settings;
  settings.today = year_month_day{year(2026), month(11), day(22)};
  return budgets::judge(all, rules, approvals, settings);
}

inline ArtifactContext sample_context() {
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;
  using std::chrono::year_month_day;
  ArtifactContext context;
  context.generated_at = "2026-11-22T01:02:03Z";
  context.host.hostname = "bench-1";
  context.host.cpu_model = "Example CPU @ 2.0GHz";
  context.host.logical_cpus = 2;
  context.host.pinned_cpus = {1};
  context.host.kernel = "6.1.0";
  context.host.load_before = std::array<double, 3>{0.5, 0.25, 0.125};
  context.host.load_after = std::array<double, 3>{0.75, 0.5, 0.25};
  context.host.governor = "performance";
  context.host.aslr = 2;
  context.base = {"v1.0.0", "1111111111111111111111111111111111111111"};
  context.candidate = {"HEAD", "2222222222222222222222222222222222222222"};
  context.settings.today = year_month_day{year(2026), month(11), day(22)};
  context.extra_settings = {{"seed", 42}};
  context.replay_prefix = "perfguard compare --base v1.0.0 --candidate HEAD";
  return context;
}

// Every side of every measurement as the journal would give it: what the page plots.
inline std::vector<SampleSeries> sample_series() {
  std::vector<SampleSeries> out;
  for (const budgets::Measurement& m : sample_measurements()) {
    if (m.base) out.push_back({m.benchmark, m.metric, "base", m.base->values});
    if (m.candidate) out.push_back({m.benchmark, m.metric, "candidate", m.candidate->values});
  }
  return out;
}

// Compares rendered output with tests/golden/NAME; PERFGUARD_UPDATE_GOLDEN=1 rewrites the file
// instead, after an intended change. Needs PERFGUARD_SOURCE_DIR (the repository root).
inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(PERFGUARD_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("PERFGUARD_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (PERFGUARD_UPDATE_GOLDEN=1 writes it)";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

}  // namespace perfguard::reports::fixtures
