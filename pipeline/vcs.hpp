#pragma once
// The version-control side of `perfguard compare`, behind an interface so the pipeline can be
// tested without git (I/O behind a small interface, as hyperfine's Executor; FakeVcs is its
// MockExecutor).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/process_runner.hpp"

namespace perfguard::pipeline {

// What `perfguard bisect` reports about a commit.
struct CommitInfo {
  std::string sha;
  std::string subject;
  std::string author;  // "Name <email>"
  std::string date;    // the author date, ISO 8601 as git prints it (%aI)
};

class Vcs {
 public:
  virtual ~Vcs() = default;
  // The repository's top folder.
  [[nodiscard]] virtual std::filesystem::path toplevel() = 0;
  // The full commit SHA a ref names; nullopt when it names no commit.
  [[nodiscard]] virtual std::optional<std::string> resolve(const std::string& ref) = 0;
  // A detached checkout of `commit` at `path` (replacing a stale one left by a killed run).
  virtual void add_worktree(const std::string& commit, const std::filesystem::path& path) = 0;
  // Removes a checkout made by add_worktree; never throws (it runs during cleanup).
  virtual void remove_worktree(const std::filesystem::path& path) noexcept = 0;
  // Removes every checkout under `folder` (left by runs that were killed before their cleanup)
  // and git's records of checkouts whose folders are gone; returns the folders removed. Only
  // under the run lock: no other run can be using them.
  virtual std::vector<std::filesystem::path> prune_worktrees(
      const std::filesystem::path& folder) = 0;
  // Tracked files with uncommitted changes (staged or not), relative to the top folder.
  [[nodiscard]] virtual std::vector<std::string> uncommitted_changes() = 0;
  // The commits on the first-parent path from `good` (excluded) to `bad` (included), oldest
  // first; both are full SHAs. UsageError when good is not an ancestor of bad.
  [[nodiscard]] virtual std::vector<std::string> first_parent_path(const std::string& good,
                                                                   const std::string& bad) = 0;
  // Subject, author and date of a commit (a full SHA).
  [[nodiscard]] virtual CommitInfo commit_info(const std::string& sha) = 0;
};

// git, run as a process (never through a shell). Failures are ExecutionError (exit 3) with
// git's own last line of complaint.
class GitVcs final : public Vcs {
 public:
  // `dir`: anywhere inside the repository. The runner must outlive this.
  GitVcs(harness::ProcessRunner& runner, std::filesystem::path dir);
  [[nodiscard]] std::filesystem::path toplevel() override;
  [[nodiscard]] std::optional<std::string> resolve(const std::string& ref) override;
  void add_worktree(const std::string& commit, const std::filesystem::path& path) override;
  void remove_worktree(const std::filesystem::path& path) noexcept override;
  std::vector<std::filesystem::path> prune_worktrees(const std::filesystem::path& folder) override;
  [[nodiscard]] std::vector<std::string> uncommitted_changes() override;
  [[nodiscard]] std::vector<std::string> first_parent_path(const std::string& good,
                                                           const std::string& bad) override;
  [[nodiscard]] CommitInfo commit_info(const std::string& sha) override;

 private:
  harness::RunResult git(std::vector<std::string> args);

  harness::ProcessRunner& runner_;
  std::filesystem::path dir_;
};

// A repository in memory, for tests: commits are named by SHA and refs, each holding files
// (path -> content) that add_worktree writes into the worktree's folder. No git, no processes.
class FakeVcs final : public Vcs {
 public:
  explicit FakeVcs(std::filesystem::path top) : top_(std::move(top)) {}

  // A commit `sha` with `files`, also reachable as each of `refs`.
  void add_commit(const std::string& sha, std::map<std::string, std::string> files,
                  const std::vector<std::string>& refs = {});
  void set_uncommitted_changes(std::vector<std::string> paths) { changes_ = std::move(paths); }
  // The first parent of `sha` and what commit_info tells of it (its sha is filled in).
  void set_parent(const std::string& sha, const std::string& parent) { parents_[sha] = parent; }
  void set_info(const std::string& sha, CommitInfo info);

  [[nodiscard]] std::filesystem::path toplevel() override { return top_; }
  [[nodiscard]] std::optional<std::string> resolve(const std::string& ref) override;
  void add_worktree(const std::string& commit, const std::filesystem::path& path) override;
  void remove_worktree(const std::filesystem::path& path) noexcept override;
  std::vector<std::filesystem::path> prune_worktrees(const std::filesystem::path& folder) override;
  [[nodiscard]] std::vector<std::string> uncommitted_changes() override { return changes_; }
  [[nodiscard]] std::vector<std::string> first_parent_path(const std::string& good,
                                                           const std::string& bad) override;
  [[nodiscard]] CommitInfo commit_info(const std::string& sha) override;

  // The worktrees added and not yet removed, in order.
  [[nodiscard]] const std::vector<std::filesystem::path>& worktrees() const noexcept {
    return worktrees_;
  }

 private:
  std::filesystem::path top_;
  std::map<std::string, std::map<std::string, std::string>> commits_;  // sha -> files
  std::map<std::string, std::string> refs_;                            // ref -> sha
  std::vector<std::string> changes_;
  std::vector<std::filesystem::path> worktrees_;
  std::map<std::string, std::string> parents_;  // sha -> first parent
  std::map<std::string, CommitInfo> infos_;
};

}  // namespace perfguard::pipeline
