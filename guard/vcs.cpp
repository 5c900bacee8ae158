#include "guard/vcs.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace perfguard::guard {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace

GitVcs::GitVcs(harness::ProcessRunner& runner, std::filesystem::path dir)
    : runner_(runner), dir_(std::move(dir)) {}

harness::RunResult GitVcs::git(std::vector<std::string> args) {
  harness::ProcessSpec spec;
  spec.argv = {"git", "-C", dir_.string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.stdout_mode = harness::OutputMode::capture;
  spec.stderr_mode = harness::OutputMode::capture;
  // git must never stop to ask (a pager, a credential prompt).
  spec.environment = {{"GIT_TERMINAL_PROMPT", "0"}, {"GIT_PAGER", "cat"}, {"LC_ALL", "C"}};
  return runner_.run(spec);
}

std::filesystem::path GitVcs::toplevel() {
  const harness::RunResult result = git({"rev-parse", "--show-toplevel"});
  if (!result.succeeded()) {
    throw UsageError(fmt::format("{} is not inside a git repository ({})", dir_.string(),
                                 harness::describe_failure(result)));
  }
  return trimmed(result.stdout_text);
}

std::optional<std::string> GitVcs::resolve(const std::string& ref) {
  // "--end-of-options" keeps a ref that starts with '-' from being read as an option.
  const harness::RunResult result =
      git({"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"});
  if (!result.succeeded()) return std::nullopt;
  return trimmed(result.stdout_text);
}

void GitVcs::add_worktree(const std::string& commit, const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) remove_worktree(path);
  (void)git({"worktree", "prune"});
  const harness::RunResult result =
      git({"worktree", "add", "--detach", "--force", path.string(), commit});
  if (!result.succeeded()) {
    throw ExecutionError(fmt::format("git worktree add {} {} failed: {}", path.string(),
                                     commit.substr(0, 12), harness::describe_failure(result)));
  }
}

void GitVcs::remove_worktree(const std::filesystem::path& path) noexcept {
  try {
    (void)git({"worktree", "remove", "--force", path.string()});
    std::error_code ec;
    std::filesystem::remove_all(path, ec);  // whatever git did not know about
    (void)git({"worktree", "prune"});
  } catch (
      ...) {  // NOLINT(bugprone-empty-catch): cleanup must not throw; the folder is reported by the caller
  }
}

std::vector<std::filesystem::path> GitVcs::prune_worktrees(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> removed;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    removed.push_back(entry.path());
  for (const auto& path : removed) remove_worktree(path);
  for (const auto& path : removed) {
    if (std::filesystem::exists(path, ec)) {
      throw ExecutionError(fmt::format("cannot remove the stale worktree {}", path.string()));
    }
  }
  (void)git({"worktree", "prune"});
  return removed;
}

}  // namespace perfguard::guard
