#pragma once
// A throwaway git repository for end-to-end tests: commits made with a fixed identity, so the
// tests that plant a change at one commit and look for it read as a list of commits.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/run_command.hpp"

namespace perfguard::tests {

class GitRepo {
 public:
  // `git init` on branch main at `dir` (created when missing). Throws std::runtime_error, as
  // every method does, when git fails, with git's own message.
  explicit GitRepo(std::filesystem::path dir);

  [[nodiscard]] const std::filesystem::path& path() const { return dir_; }

  // Writes `content` to `name` (relative to the repository top), replacing the file.
  void write(const std::string& name, std::string_view content) const;
  // Runs git in the repository; its output.
  CommandResult git(std::vector<std::string> args) const;
  // Commits everything in the work tree (added, changed, removed); returns the new SHA.
  std::string commit(const std::string& message) const;
  [[nodiscard]] std::string rev_parse(const std::string& ref) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace perfguard::tests
