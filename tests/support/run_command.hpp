#pragma once
// Runs a real program for end-to-end tests and captures what it printed and its exit code.
#include <string>
#include <vector>

namespace perfguard::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// argv[0] is a path; `stdin_text` is fed to standard input.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "");

}  // namespace perfguard::testing
