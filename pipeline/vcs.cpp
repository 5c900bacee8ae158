#include "pipeline/vcs.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"

namespace perfguard::pipeline {
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

std::vector<std::string> GitVcs::uncommitted_changes() {
  // -z: paths verbatim, NUL-terminated; entries are "XY path" (renames add the old path).
  const harness::RunResult result =
      git({"status", "--porcelain", "-z", "--untracked-files=no", "--ignore-submodules"});
  if (!result.succeeded()) {
    throw ExecutionError(
        fmt::format("git status failed: {}", harness::describe_failure(result)));
  }
  std::vector<std::string> paths;
  const std::string& text = result.stdout_text;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\0', at), text.size());
    const std::string entry = text.substr(at, end - at);
    at = end + 1;
    if (entry.size() < 4) continue;
    paths.push_back(entry.substr(3));
    // A rename or copy is followed by its source path: skip it.
    if (entry[0] == 'R' || entry[0] == 'C') at = std::min(text.find('\0', at), text.size()) + 1;
  }
  return paths;
}

std::vector<std::string> GitVcs::first_parent_path(const std::string& good,
                                                  const std::string& bad) {
  const harness::RunResult ancestor = git({"merge-base", "--is-ancestor", good, bad});
  if (ancestor.termination == harness::Termination::exited && ancestor.exit_code == 1) {
    throw UsageError(fmt::format("--good {} is not an ancestor of --bad {}", good.substr(0, 12),
                                 bad.substr(0, 12)));
  }
  if (!ancestor.succeeded()) {
    throw ExecutionError(
        fmt::format("git merge-base failed: {}", harness::describe_failure(ancestor)));
  }
  const harness::RunResult result =
      git({"rev-list", "--first-parent", "--reverse", good + ".." + bad});
  if (!result.succeeded()) {
    throw ExecutionError(fmt::format("git rev-list failed: {}", harness::describe_failure(result)));
  }
  std::vector<std::string> path;
  std::istringstream lines(result.stdout_text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) path.push_back(line);
  }
  return path;
}

CommitInfo GitVcs::commit_info(const std::string& sha) {
  // One field a line; the subject is one line by definition (%s).
  const harness::RunResult result =
      git({"show", "-s", "--format=%H%n%s%n%an <%ae>%n%aI", sha, "--"});
  if (!result.succeeded()) {
    throw ExecutionError(fmt::format("git show {} failed: {}", sha.substr(0, 12),
                                     harness::describe_failure(result)));
  }
  std::istringstream lines(result.stdout_text);
  CommitInfo info;
  std::getline(lines, info.sha);
  std::getline(lines, info.subject);
  std::getline(lines, info.author);
  std::getline(lines, info.date);
  return info;
}

void FakeVcs::add_commit(const std::string& sha, std::map<std::string, std::string> files,
                         const std::vector<std::string>& refs) {
  commits_[sha] = std::move(files);
  for (const std::string& ref : refs) refs_[ref] = sha;
}

std::optional<std::string> FakeVcs::resolve(const std::string& ref) {
  if (commits_.contains(ref)) return ref;
  const auto found = refs_.find(ref);
  if (found == refs_.end()) return std::nullopt;
  return found->second;
}

void FakeVcs::add_worktree(const std::string& commit, const std::filesystem::path& path) {
  const auto found = commits_.find(commit);
  if (found == commits_.end()) throw ExecutionError(fmt::format("no commit {}", commit));
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  for (const auto& [name, content] : found->second) {
    const std::filesystem::path file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }
  worktrees_.push_back(path);
}

void FakeVcs::remove_worktree(const std::filesystem::path& path) noexcept {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  worktrees_.erase(std::remove(worktrees_.begin(), worktrees_.end(), path), worktrees_.end());
}

void FakeVcs::set_info(const std::string& sha, CommitInfo info) {
  info.sha = sha;
  infos_[sha] = std::move(info);
}

std::vector<std::string> FakeVcs::first_parent_path(const std::string& good,
                                                    const std::string& bad) {
  std::vector<std::string> path;
  for (std::string at = bad; at != good;) {
    path.push_back(at);
    const auto parent = parents_.find(at);
    if (parent == parents_.end()) {
      throw UsageError(fmt::format("--good {} is not an ancestor of --bad {}", good.substr(0, 12),
                                   bad.substr(0, 12)));
    }
    at = parent->second;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

CommitInfo FakeVcs::commit_info(const std::string& sha) {
  const auto found = infos_.find(sha);
  if (found != infos_.end()) return found->second;
  return CommitInfo{.sha = sha, .subject = "", .author = "", .date = ""};
}

std::vector<std::filesystem::path> FakeVcs::prune_worktrees(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> removed;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return removed;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    removed.push_back(entry.path());
  for (const auto& path : removed) remove_worktree(path);
  return removed;
}

}  // namespace perfguard::pipeline
