#pragma once
// `perfguard bisect` without its command line: the first commit on the first-parent path from
// good to bad at which one benchmark regressed, each step judged by pipeline::compare against
// good (docs/bisect.md). The search itself (bisect_path) takes a "judge this commit" function,
// so it is tested without git or processes.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/compare.hpp"
#include "pipeline/vcs.hpp"
#include "reports/bisect_output.hpp"

namespace perfguard::pipeline {

using reports::BisectResult;
using reports::BisectSearch;
using reports::BisectStatus;
using reports::BisectStep;
using reports::StepOutcome;

// Measures `commit` against good. `attempt` is 1, or 2 for the retry with more runs of a step
// that came out inconclusive.
using JudgeCommit = std::function<BisectStep(const std::string& commit, std::size_t attempt)>;

// The search over `path` (first-parent commits after good, oldest first; the last one is bad).
// bad is judged first; then the midpoint of the commits between the last clean and the first
// regressed one, a skipped commit's nearest neighbours in its place (as git bisect skip), an
// inconclusive one once more at attempt 2. It stops when one commit is left (found), when only
// skipped commits are left to split the range, or when a step stays inconclusive (unsplit).
[[nodiscard]] BisectSearch bisect_path(const std::vector<std::string>& path,
                                       const JudgeCommit& judge);

// What bisect is asked, flag values already checked. `compare` carries the config, --only, the
// schedule and gate settings each step uses; its base/candidate/out are set per step.
struct BisectRequest {
  std::string good;
  std::string bad;
  std::optional<std::string> metric;  // default: the benchmark's primary metric
  std::filesystem::path out = "perfguard-bisect";
  CompareRequest compare;
  std::size_t retry_max_runs = 0;  // the retry's --max-runs (its --min-runs stays)
};

// Resolves good and bad, checks that --only names one benchmark, then searches with
// pipeline::compare per step into <out>/step-NN-<sha12>, and writes <out>/bisect.json.
// Errors: UsageError (2) for an unknown ref, good not an ancestor of bad, --only matching no
// or several benchmarks, a metric the benchmark is not judged on; ExecutionError (3) when good
// or bad cannot be built or measured.
[[nodiscard]] BisectResult bisect(const BisectRequest& request, CompareIo io);

// The same with git (in request.compare.repo) and real processes.
[[nodiscard]] BisectResult bisect(const BisectRequest& request);

}  // namespace perfguard::pipeline
