#pragma once
// Building one revision for `perfguard compare`: the config's build steps, run in the
// revision's worktree into .perfguard/builds/<sha>, and not run again while the same commit was
// built with the same steps (a stamp file holds the steps' digest).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "harness/process_runner.hpp"

namespace perfguard::pipeline {

struct RevisionPaths {
  std::filesystem::path worktree;
  std::filesystem::path build;
};

// {build} and {worktree}, the only substitutions (docs/config.md), in every argument.
[[nodiscard]] std::vector<std::string> substitute(const std::vector<std::string>& argv,
                                                  const RevisionPaths& paths);

// A digest of the build steps (FNV-1a, 64 bits, hex): what besides the commit decides a build.
[[nodiscard]] std::string build_digest(const std::vector<std::vector<std::string>>& steps);

enum class BuildOutcome { built, reused };

// A build step that failed: an ExecutionError (exit 3) that `perfguard bisect` can tell from
// other failures, to skip the commit (docs/bisect.md).
class BuildFailed : public ExecutionError {
 public:
  using ExecutionError::ExecutionError;
};

// Runs the steps in order in the worktree, output appended to <build>/build.log. A failing step
// throws BuildFailed (exit 3) naming it, with the log's last lines.
BuildOutcome build_revision(harness::ProcessRunner& runner,
                            const std::vector<std::vector<std::string>>& steps,
                            const RevisionPaths& paths, const std::string& digest);

// The last `lines` lines of a file, for error messages.
[[nodiscard]] std::string tail_of(const std::filesystem::path& file, std::size_t lines);

}  // namespace perfguard::pipeline
