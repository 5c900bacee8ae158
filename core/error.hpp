#pragma once
// The user- and environment-facing failures of perfguard. Each carries the process exit
// code it maps to (docs/design.md): main catches perfguard::Error once and prints "error: ...".
// A crashed benchmark or a regression is data in a result, never one of these.
#include <stdexcept>
#include <string>

namespace perfguard {

inline constexpr int kExitGatePassed = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitExecution = 3;

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, int exit_code)
      : std::runtime_error(message), exit_code_(exit_code) {}
  [[nodiscard]] int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// Bad command line, config or input file: exit 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, kExitUsage) {}
};

// The environment failed us: git, a build, spawning, an unwritable output: exit 3.
class ExecutionError : public Error {
 public:
  explicit ExecutionError(const std::string& message) : Error(message, kExitExecution) {}
};

}  // namespace perfguard
