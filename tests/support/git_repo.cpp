#include "tests/support/git_repo.hpp"

#include <fstream>
#include <stdexcept>
#include <utility>

namespace perfguard::tests {

GitRepo::GitRepo(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  git({"init", "-q", "-b", "main"});
  git({"config", "user.email", "test@perfguard.invalid"});
  git({"config", "user.name", "perfguard test"});
}

void GitRepo::write(const std::string& name, std::string_view content) const {
  const std::filesystem::path file = dir_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
}

CommandResult GitRepo::git(std::vector<std::string> args) const {
  args.insert(args.begin(), {"/usr/bin/git", "-C", dir_.string()});
  CommandResult r = run_command(args);
  if (r.exit_code != 0)
    throw std::runtime_error("git " + args[3] + " failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err);
  return r;
}

std::string GitRepo::commit(const std::string& message) const {
  git({"add", "-A"});
  git({"commit", "-q", "-m", message});
  return rev_parse("HEAD");
}

std::string GitRepo::rev_parse(const std::string& ref) const {
  std::string sha = git({"rev-parse", ref}).out;
  while (!sha.empty() && sha.back() == '\n') sha.pop_back();
  return sha;
}

}  // namespace perfguard::tests
