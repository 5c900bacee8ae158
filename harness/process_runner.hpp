#pragma once
// Running one process and measuring it: the harness's only door to the operating system, behind
// an interface so schedules can be tested with a scripted fake (hyperfine's Executor and
// MockExecutor are the model).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace perfguard::harness {

enum class OutputMode {
  discard,  // /dev/null
  capture,  // into a buffer of at most ProcessSpec::capture_limit bytes
};

// Captured output beyond this is dropped (and the result says so): a benchmark that prints
// without end must not exhaust perfguard's memory.
inline constexpr std::size_t kDefaultCaptureLimit = 1 << 20;

struct ProcessSpec {
  // argv[0] is looked up in PATH unless it contains a '/'; no shell is involved (wrap the
  // command in {"sh", "-c", ...} to have one).
  std::vector<std::string> argv;
  std::string working_directory;  // empty: perfguard's own
  // Set on top of perfguard's environment; the rest is inherited.
  std::vector<std::pair<std::string, std::string>> environment;
  OutputMode stdout_mode = OutputMode::discard;
  OutputMode stderr_mode = OutputMode::discard;
  std::size_t capture_limit = kDefaultCaptureLimit;  // per captured stream
  // Longer runs have their whole process group killed (SIGKILL) and are recorded as timed out.
  std::optional<std::chrono::nanoseconds> timeout;
  std::vector<int> cpus;  // sched_setaffinity of the child; empty: not pinned
};

enum class Termination { exited, signaled, timed_out };

struct RunResult {
  Termination termination = Termination::exited;
  int exit_code = 0;                                // when exited
  int signal = 0;                                   // when signaled
  std::optional<std::chrono::nanoseconds> timeout;  // the limit, when timed out
  // From just before the spawn to the reaping of the child, steady clock. Includes the
  // fork/exec cost, as hyperfine's does.
  double wall_time = 0.0;
  // The child's rusage from wait4: CPU seconds of the child and of the descendants it waited
  // for. max_rss is the peak resident set in bytes; Linux counts the child's pre-exec copy of
  // perfguard too (its anonymous memory, about 1 MB), as it does under GNU time.
  double user_time = 0.0;
  double sys_time = 0.0;
  std::int64_t max_rss = 0;
  std::string stdout_text;  // captured streams only
  std::string stderr_text;
  bool stdout_truncated = false;
  bool stderr_truncated = false;

  [[nodiscard]] bool succeeded() const noexcept {
    return termination == Termination::exited && exit_code == 0;
  }
};

// "exit 3", "killed by SIGSEGV", "timeout after 5s"; "exit 0" for a success.
[[nodiscard]] std::string describe_termination(const RunResult& result);

// describe_termination() and, when stderr was captured, its last non-empty line -- usually the
// only explanation a failing program gives: "exit 1 (error: no such file)".
[[nodiscard]] std::string describe_failure(const RunResult& result);

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the process to its end, or to its timeout. A process that cannot be started (not
  // found, not executable, bad CPU list) throws perfguard::ExecutionError.
  [[nodiscard]] virtual RunResult run(const ProcessSpec& spec) = 0;
};

// The real runner: Boost.Process to spawn (stdin from /dev/null, the child in a process group
// of its own, killed if perfguard dies), wait4 for the child's rusage, a pidfd to wait with a
// timeout while draining captured output.
// After each run it kills whatever the command left running (harness/leftovers.hpp).
class SystemProcessRunner final : public ProcessRunner {
 public:
  // Makes perfguard the reaper of everything its runs start (contain_descendants()).
  SystemProcessRunner();
  [[nodiscard]] RunResult run(const ProcessSpec& spec) override;

 private:
  // PATH lookups by program name: a schedule runs the same few programs hundreds of times,
  // and each lookup is a stat() per PATH entry.
  std::map<std::string, std::string> resolved_;
};

// Kills (SIGKILL) the process groups of the commands SystemProcessRunner is running right now.
// Their groups are not perfguard's, so Ctrl-C at a terminal does not reach them, and the
// parent-death signal reaches only the direct child: the interrupt cleanup calls this just
// before it ends the process, so that nothing a benchmark started outlives perfguard. A run
// killed this way never returns from SystemProcessRunner::run (its thread waits for the end).
// Async-signal-safe.
void kill_running_processes() noexcept;

// Called by the interrupt cleanup's thread before it cleans up: from then on a run that another
// thread starts waits for the process to end instead (the cleanup may be removing the worktree
// it would run in), while the cleanup's own runs (git) go ahead.
void hold_other_threads() noexcept;

// A scripted runner for tests: answers each run with the script's result and remembers the
// specs it was given.
class FakeProcessRunner final : public ProcessRunner {
 public:
  using Script = std::function<RunResult(const ProcessSpec& spec, std::size_t call)>;
  explicit FakeProcessRunner(Script script) : script_(std::move(script)) {}
  [[nodiscard]] RunResult run(const ProcessSpec& spec) override;
  [[nodiscard]] const std::vector<ProcessSpec>& calls() const noexcept { return calls_; }

 private:
  Script script_;
  std::vector<ProcessSpec> calls_;
};

}  // namespace perfguard::harness
