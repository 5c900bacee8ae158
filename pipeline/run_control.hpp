#pragma once
// What keeps a `perfguard compare` run orderly: one run per repository at a time, a journal of
// its stages, and cleanup that happens even when the user presses Ctrl-C.
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace perfguard::pipeline {

// An exclusive lock on a file (flock), held for the object's lifetime. A second run on the same
// repository fails at once with UsageError naming the lock, instead of both corrupting
// .perfguard/.
class RunLock {
 public:
  explicit RunLock(const std::filesystem::path& path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

// events.jsonl: one line per stage ({"time": RFC 3339, "stage": "...", ...details}), flushed as
// it happens so an interrupted run shows how far it got. A resumed run appends to its log.
class EventLog {
 public:
  explicit EventLog(const std::filesystem::path& path, bool append = false);
  // Safe to call from several threads: the interrupt cleanup records from its own thread
  // while the main thread may be recording too; each line is written whole.
  void record(const std::string& stage, nlohmann::json details = nlohmann::json::object());

 private:
  std::mutex mutex_;
  std::ofstream out_;
  std::string path_;
};

// While alive, SIGINT and SIGTERM run `cleanup` on a thread of its own (not in the signal
// handler: cleanup spawns git), then kill the process groups of the commands still running
// (harness::kill_running_processes: everything they started) and end the process with 128 +
// the signal's number. The main thread stays where it was meanwhile: in a benchmark's run.
class InterruptCleanup {
 public:
  explicit InterruptCleanup(std::function<void(int signal)> cleanup);
  ~InterruptCleanup();
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;
};

// .perfguard/ (worktrees, builds, the lock) is perfguard's own: a .gitignore of "*" inside it
// keeps it out of `git status` without touching the project's .gitignore. Written once, when
// absent; a failure to write it is not worth failing the gate for, so it is ignored.
void ignore_state_directory(const std::filesystem::path& state);

}  // namespace perfguard::pipeline
