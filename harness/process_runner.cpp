#include "harness/process_runner.hpp"

// Boost.Process 1.74 compiles its vfork launcher only when the feature-test macros ask for
// POSIX older than 2008 (which dropped vfork); glibc still has it, and it is what makes a
// spawn cheap (see launch below). Must precede the Boost headers.
#define BOOST_POSIX_HAS_VFORK 1

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string_view>
#include <system_error>
#include <thread>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <boost/process/posix.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/start_dir.hpp>
#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "harness/duration.hpp"
#include "harness/leftovers.hpp"

namespace perfguard::harness {
namespace bp = boost::process;
namespace {

using SteadyClock = std::chrono::steady_clock;

// The process groups of the commands running now, in slots read without a lock (0: free; a
// negative group: killed by kill_running_processes). More than a handful at once would need
// several runners in parallel.
static_assert(std::atomic<pid_t>::is_always_lock_free);
std::array<std::atomic<pid_t>, 16> g_running_groups{};

// Set by hold_other_threads: runs on threads other than the holder wait for the end.
std::atomic<bool> g_holding{false};
std::thread::id g_holder;

// Holds a slot for one child's process group from its spawn until just before it is reaped:
// after that the group id may be reused by an unrelated process.
class RunningGroup {
 public:
  explicit RunningGroup(pid_t group) noexcept {
    for (std::atomic<pid_t>& slot : g_running_groups) {
      pid_t free = 0;
      if (slot.compare_exchange_strong(free, group)) {
        slot_ = &slot;
        return;
      }
    }
  }
  ~RunningGroup() { release(); }
  RunningGroup(const RunningGroup&) = delete;
  RunningGroup& operator=(const RunningGroup&) = delete;

  // Frees the slot; true when kill_running_processes killed the group meanwhile.
  bool release() noexcept {
    const bool killed = slot_ != nullptr && slot_->exchange(0) < 0;
    slot_ = nullptr;
    return killed;
  }

 private:
  std::atomic<pid_t>* slot_ = nullptr;
};

// Runs in the forked child, before exec.
struct ChildSetup : bp::extend::handler {
  const cpu_set_t* cpus = nullptr;

  template <typename Executor>
  void on_exec_setup(Executor& exec) const {
    // A process group of its own, so that a timeout kills everything the command started.
    if (::setpgid(0, 0) != 0) fail(exec, "setpgid");
    // The child is outside perfguard's group, so Ctrl-C does not reach it: have the kernel
    // kill it when perfguard dies rather than leave a benchmark running unseen.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (cpus != nullptr && ::sched_setaffinity(0, sizeof(cpu_set_t), cpus) != 0) {
      fail(exec, "sched_setaffinity");
    }
  }

  // Reports the error through Boost's exec-error pipe (the parent throws process_error).
  template <typename Executor>
  static void fail(Executor& exec, const char* what) {
    exec.set_error(std::error_code(errno, std::system_category()), what);
    ::_exit(127);
  }
};

// vfork: the child borrows perfguard's memory until exec instead of copying its page tables,
// which is most of the cost of a spawn (posix_spawn, which hyperfine uses, does the same). The
// child setup only makes system calls, so sharing the memory is safe. clang-analyzer's
// unix.Vfork check rejects Boost's vfork launcher itself (the launcher stores vfork's result
// in a member, the idiom the check forbids), so the analyzer is shown the fork launcher: the
// same code path apart from the system call.
#ifdef __clang_analyzer__
struct ForkLauncher : bp::extend::handler {};
constexpr ForkLauncher kLauncher{};
#else
constexpr const auto& kLauncher = bp::posix::use_vfork;
#endif

// A captured stream: the parent's read end of a pipe, drained into a bounded buffer.
struct Capture {
  int fd = -1;
  std::size_t limit = 0;
  std::string text;
  bool truncated = false;

  // Reads whatever is available now; false once the writers have all closed.
  bool drain() {
    std::array<char, std::size_t{64} * 1024> buffer{};
    for (;;) {
      const ssize_t count = ::read(fd, buffer.data(), buffer.size());
      if (count > 0) {
        const auto n = static_cast<std::size_t>(count);
        const std::size_t room = limit - std::min(limit, text.size());
        text.append(buffer.data(), std::min(room, n));
        if (n > room) truncated = true;
        continue;
      }
      if (count == 0) return false;
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }
};

struct Reaped {
  int status = 0;
  rusage usage{};
  SteadyClock::time_point end;
  bool timed_out = false;
  bool interrupted = false;  // killed by kill_running_processes
};

void wait_blocking(pid_t pid, Reaped& reaped) {
  while (::wait4(pid, &reaped.status, 0, &reaped.usage) < 0) {
    PG_CHECK(errno == EINTR);
  }
}

// Waits for the child's end and reaps it, freeing its group's slot in between: until the
// reaping the process id, and so the group's, stays taken, so a kill cannot reach a stranger.
void reap(pid_t pid, RunningGroup& running, Reaped& reaped) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0) {
    PG_CHECK(errno == EINTR);
  }
  const std::unique_lock<std::mutex> lock = lock_reaping();  // no sweep takes it meanwhile
  reaped.interrupted = running.release();
  wait_blocking(pid, reaped);
}

// The children of the runs going on now (each leads its own group), for kill_leftovers.
std::vector<pid_t> running_children() {
  std::vector<pid_t> out;
  for (const std::atomic<pid_t>& slot : g_running_groups) {
    const pid_t group = slot.load();
    if (group != 0) out.push_back(group > 0 ? group : -group);
  }
  return out;
}

// Waits on a pidfd so that the timeout and the captured streams can be served in one
// thread; the child is reaped by wait4 afterwards for its rusage, once `running` is released.
Reaped wait_polling(pid_t pid, const ProcessSpec& spec, std::vector<Capture>& captures,
                    SteadyClock::time_point start, RunningGroup& running) {
  Reaped reaped;
  // syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C", so its wrapper does not link from C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error = errno;
    ::kill(-pid, SIGKILL);
    static_cast<void>(running.release());
    wait_blocking(pid, reaped);
    throw ExecutionError(
        fmt::format("pidfd_open: {} (perfguard needs Linux 5.3 or later)", std::strerror(error)));
  }
  for (Capture& capture : captures) {
    ::fcntl(capture.fd, F_SETFL, ::fcntl(capture.fd, F_GETFL) | O_NONBLOCK);
  }
  std::vector<bool> open(captures.size(), true);
  for (;;) {
    std::vector<pollfd> fds{{pidfd, POLLIN, 0}};
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < captures.size(); ++i) {
      if (!open[i]) continue;
      fds.push_back({captures[i].fd, POLLIN, 0});
      index.push_back(i);
    }
    timespec wait_for{};
    timespec* wait_limit = nullptr;
    if (spec.timeout) {
      const auto left =
          std::max(SteadyClock::duration::zero(), start + *spec.timeout - SteadyClock::now());
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      wait_for = {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
      wait_limit = &wait_for;
    }
    const int ready = ::ppoll(fds.data(), fds.size(), wait_limit, nullptr);
    if (ready < 0) {
      PG_CHECK(errno == EINTR);
      continue;
    }
    if (ready == 0) {
      reaped.end = SteadyClock::now();
      reaped.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    for (std::size_t k = 1; k < fds.size(); ++k) {
      if (fds[k].revents != 0) open[index[k - 1]] = captures[index[k - 1]].drain();
    }
    if ((fds[0].revents & POLLIN) != 0) {
      reaped.end = SteadyClock::now();
      break;
    }
  }
  ::close(pidfd);
  // What the child wrote before it exited; descendants still holding the pipe are not waited for.
  for (std::size_t i = 0; i < captures.size(); ++i) {
    if (open[i]) captures[i].drain();
  }
  reap(pid, running, reaped);
  return reaped;
}

double seconds(const timeval& tv) noexcept {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

}  // namespace

std::string describe_termination(const RunResult& result) {
  switch (result.termination) {
    case Termination::exited:
      return fmt::format("exit {}", result.exit_code);
    case Termination::signaled: {
      const char* name = ::sigabbrev_np(result.signal);
      return name != nullptr ? fmt::format("killed by SIG{}", name)
                             : fmt::format("killed by signal {}", result.signal);
    }
    case Termination::timed_out:
      return result.timeout ? fmt::format("timeout after {}", format_duration(*result.timeout))
                            : std::string("timeout");
  }
  PG_CHECK(false);
  return {};
}

std::string describe_failure(const RunResult& result) {
  std::string reason = describe_termination(result);
  std::string_view detail = result.stderr_text;
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
    detail.remove_suffix(1);
  if (const std::size_t newline = detail.rfind('\n'); newline != std::string_view::npos) {
    detail.remove_prefix(newline + 1);
  }
  if (!detail.empty()) reason += fmt::format(" ({})", detail);
  return reason;
}

SystemProcessRunner::SystemProcessRunner() { contain_descendants(); }

RunResult SystemProcessRunner::run(const ProcessSpec& spec) {
  PG_CHECK(!spec.argv.empty());
  while (g_holding.load() && std::this_thread::get_id() != g_holder) ::pause();
  const std::string& name = spec.argv[0];
  auto resolved = resolved_.find(name);
  if (resolved == resolved_.end()) {
    const std::string path =
        name.find('/') != std::string::npos ? name : bp::search_path(name).string();
    if (path.empty()) throw ExecutionError(fmt::format("cannot run '{}': not found in PATH", name));
    resolved = resolved_.emplace(name, path).first;
  }
  const boost::filesystem::path exe = resolved->second;
  const std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  const std::string directory = spec.working_directory.empty() ? "." : spec.working_directory;
  bp::environment environment = boost::this_process::environment();
  // set(), not operator[]: Boost 1.74's environment lookup compares a name with longer
  // entries past their end (boostorg/process#180, fixed in later releases; AddressSanitizer
  // reports it). set() checks the lengths first.
  for (const auto& [variable, value] : spec.environment) environment.set(variable, value);

  ChildSetup setup;
  cpu_set_t cpus;
  if (!spec.cpus.empty()) {
    CPU_ZERO(&cpus);
    for (const int cpu : spec.cpus) {
      PG_CHECK(cpu >= 0 && cpu < CPU_SETSIZE);
      CPU_SET(cpu, &cpus);
    }
    setup.cpus = &cpus;
  }

  const bool capture_out = spec.stdout_mode == OutputMode::capture;
  const bool capture_err = spec.stderr_mode == OutputMode::capture;
  std::optional<bp::pipe> out_pipe;
  std::optional<bp::pipe> err_pipe;
  if (capture_out) out_pipe.emplace();
  if (capture_err) err_pipe.emplace();

  const auto launch = [&](auto&& out, auto&& err) {
    return bp::child(bp::exe = exe, bp::args = args, bp::start_dir = directory, environment,
                     bp::std_in < bp::null, out, err, setup, kLauncher);
  };
  const auto spawn = [&]() -> bp::child {
    if (capture_out && capture_err) return launch(bp::std_out > *out_pipe, bp::std_err > *err_pipe);
    if (capture_out) return launch(bp::std_out > *out_pipe, bp::std_err > bp::null);
    if (capture_err) return launch(bp::std_out > bp::null, bp::std_err > *err_pipe);
    return launch(bp::std_out > bp::null, bp::std_err > bp::null);
  };

  RunResult result;
  const SteadyClock::time_point start = SteadyClock::now();
  bp::child child;
  // Spawned and listed as running under the reaping lock: a sweep of leftovers in another
  // thread (the interrupt cleanup's) must never take this child for one.
  std::unique_lock<std::mutex> spawning = lock_reaping();
  try {
    child = spawn();
  } catch (const bp::process_error& e) {
    throw ExecutionError(fmt::format("cannot run '{}': {}", spec.argv[0], e.code().message()));
  }
  const pid_t pid = child.id();
  RunningGroup running(pid);  // the child leads its own group
  spawning.unlock();
  // We reap the child ourselves with wait4 (Boost's wait has no rusage); a detached
  // bp::child never waits for or kills it behind our back.
  child.detach();

  Reaped reaped;
  if (!capture_out && !capture_err && !spec.timeout) {
    reap(pid, running, reaped);
    reaped.end = SteadyClock::now();
  } else {
    // Stdout first, then stderr, for those captured.
    std::vector<Capture> captures;
    if (capture_out) captures.push_back({out_pipe->native_source(), spec.capture_limit, {}, false});
    if (capture_err) captures.push_back({err_pipe->native_source(), spec.capture_limit, {}, false});
    reaped = wait_polling(pid, spec, captures, start, running);
    if (capture_out) {
      result.stdout_text = std::move(captures.front().text);
      result.stdout_truncated = captures.front().truncated;
    }
    if (capture_err) {
      result.stderr_text = std::move(captures.back().text);
      result.stderr_truncated = captures.back().truncated;
    }
  }

  // Killed because perfguard is being interrupted, which is about to end the process: this
  // run is no result, and reporting it as a failure would race that ending.
  while (reaped.interrupted) ::pause();
  // Whatever the command started and left running (background children, a daemon, a process
  // that setsid() out of the group a timeout kills) ends with its run.
  kill_leftovers(running_children());

  result.wall_time = std::chrono::duration<double>(reaped.end - start).count();
  result.user_time = seconds(reaped.usage.ru_utime);
  result.sys_time = seconds(reaped.usage.ru_stime);
  result.max_rss = static_cast<std::int64_t>(reaped.usage.ru_maxrss) * 1024;  // Linux: kilobytes
  if (reaped.timed_out) {
    result.termination = Termination::timed_out;
    result.timeout = spec.timeout;
  } else if (WIFSIGNALED(reaped.status)) {
    result.termination = Termination::signaled;
    result.signal = WTERMSIG(reaped.status);
  } else {
    result.termination = Termination::exited;
    result.exit_code = WEXITSTATUS(reaped.status);
  }
  return result;
}

void hold_other_threads() noexcept {
  g_holder = std::this_thread::get_id();
  g_holding.store(true);
}

void kill_running_processes() noexcept {
  for (std::atomic<pid_t>& slot : g_running_groups) {
    pid_t group = slot.load();
    if (group > 0 && slot.compare_exchange_strong(group, -group)) ::kill(-group, SIGKILL);
  }
}

RunResult FakeProcessRunner::run(const ProcessSpec& spec) {
  calls_.push_back(spec);
  return script_(spec, calls_.size() - 1);
}

}  // namespace perfguard::harness
