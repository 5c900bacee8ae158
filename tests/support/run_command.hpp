#pragma once
// Runs a real program for end-to-end tests and captures what it printed and its exit code.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace perfguard::tests {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// argv[0] is a path; `stdin_text` is fed to standard input.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// The whole content of the file at `path`, as bytes; empty when it cannot be read.
std::string slurp(const std::filesystem::path& path);

// Whether process `pid` has ended: no such process, or a zombie nobody reaped yet.
bool process_gone(pid_t pid);

}  // namespace perfguard::tests
