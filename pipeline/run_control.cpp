#include "pipeline/run_control.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "harness/process_runner.hpp"
#include "pipeline/output_files.hpp"

namespace perfguard::pipeline {

RunLock::RunLock(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw ExecutionError(
        fmt::format("cannot open lock {}: {}", path.string(), std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw UsageError(
        fmt::format("another perfguard run holds {}; wait for it to finish", path.string()));
  }
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

EventLog::EventLog(const std::filesystem::path& path, bool append)
    : out_(path, append ? std::ios::app : std::ios::trunc), path_(path.string()) {
  if (!out_) throw ExecutionError(fmt::format("cannot write {}", path_));
}

void EventLog::record(const std::string& stage, nlohmann::json details) {
  nlohmann::ordered_json line = {{"time", rfc3339_now()}, {"stage", stage}};
  line.update(details);
  const std::string text = line.dump() + '\n';
  const std::lock_guard<std::mutex> lock(mutex_);
  out_ << text;
  out_.flush();
}

namespace {

// The self-pipe: the handler only writes the signal number, which is async-signal-safe.
int g_pipe[2] = {-1, -1};

extern "C" void on_signal(int signal) {
  const auto byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
}

struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

}  // namespace

InterruptCleanup::InterruptCleanup(std::function<void(int)> cleanup) {
  PG_CHECK(g_pipe[0] < 0);  // one at a time
  if (::pipe2(g_pipe, O_CLOEXEC) != 0)
    throw ExecutionError("cannot create a pipe for signal handling");
  std::thread([cleanup = std::move(cleanup), read_end = g_pipe[0]] {
    unsigned char signal = 0;
    // End of file (the destructor closed the write end) means no signal came.
    if (::read(read_end, &signal, 1) != 1) {
      ::close(read_end);
      return;
    }
    harness::hold_other_threads();
    cleanup(signal);
    harness::kill_running_processes();
    std::_Exit(128 + signal);
  }).detach();
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &g_previous_int);
  ::sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptCleanup::~InterruptCleanup() {
  ::sigaction(SIGINT, &g_previous_int, nullptr);
  ::sigaction(SIGTERM, &g_previous_term, nullptr);
  ::close(g_pipe[1]);  // wakes the watcher thread, which returns
  g_pipe[0] = g_pipe[1] = -1;
}

void ignore_state_directory(const std::filesystem::path& state) {
  const std::filesystem::path file = state / ".gitignore";
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return;
  std::ofstream out(file);
  out << "# perfguard's worktrees, builds and lock; nothing here belongs in git.\n*\n";
}

}  // namespace perfguard::pipeline
