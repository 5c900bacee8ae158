#include "harness/leftovers.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace perfguard::harness {
namespace {

std::mutex g_reaping;  // lock_reaping(): kill_leftovers against a runner reaping its child
std::string g_cgroup;  // its folder; empty without one
pid_t g_watcher = 0;   // the process that kills the cgroup when perfguard dies

// perfguard's cgroup v2 folder: the cgroup2 mount point joined with the "0::" line of
// /proc/self/cgroup; empty when there is no cgroup2 mount.
std::string own_cgroup_folder() {
  std::ifstream mounts("/proc/self/mountinfo");
  std::string line;
  std::string mount_point;
  while (std::getline(mounts, line)) {
    // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"
    const auto dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, device, root;
    fields >> id >> parent >> device >> root >> mount_point;
    if (root != "/") mount_point.clear();  // a bind mount of a sub-tree: paths would not match
    break;
  }
  if (mount_point.empty()) return {};
  std::ifstream cgroups("/proc/self/cgroup");
  while (std::getline(cgroups, line)) {
    if (line.starts_with("0::")) return mount_point + line.substr(3);
  }
  return {};
}

// The watcher: forked while perfguard may already run threads, so only async-signal-safe calls.
// It waits for the parent-death signal, then kills the cgroup and removes it.
[[noreturn]] void watch(const char* kill_path, const char* folder, pid_t parent) {
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGTERM);
  sigprocmask(SIG_BLOCK, &wanted, nullptr);
  ::setpgid(0, 0);  // Ctrl-C at a terminal is perfguard's to handle, not the watcher's
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  const int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
  ::syscall(SYS_close_range, 3U, ~0U, 0U);  // no pipe or lock of perfguard's stays open here
  if (::getppid() == parent) {
    int signal = 0;
    sigwait(&wanted, &signal);
  }
  const int fd = ::open(kill_path, O_WRONLY);
  if (fd >= 0) {
    (void)!::write(fd, "1", 1);
    ::close(fd);
  }
  for (int attempt = 0; attempt < 1000 && ::rmdir(folder) != 0 && errno == EBUSY; ++attempt) {
    const timespec pause{0, 5'000'000};
    ::nanosleep(&pause, nullptr);
  }
  ::_exit(0);
}

void make_run_cgroup() {
  const std::string own = own_cgroup_folder();
  if (own.empty()) return;
  const std::string folder = own + "/perfguard-" + std::to_string(::getpid());
  if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) return;
  const int procs = ::open((folder + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (procs < 0 || !std::filesystem::exists(folder + "/cgroup.kill")) {
    if (procs >= 0) ::close(procs);
    ::rmdir(folder.c_str());
    return;
  }
  const std::string kill_path = folder + "/cgroup.kill";
  const pid_t parent = ::getpid();
  const pid_t watcher = ::fork();
  if (watcher == 0) watch(kill_path.c_str(), folder.c_str(), parent);
  if (watcher < 0) {
    ::close(procs);
    ::rmdir(folder.c_str());
    return;
  }
  // perfguard itself moves in, once: its children are born inside the cgroup. Moving each
  // child in before exec instead costs a cgroup migration (about 10 ms, with as much jitter)
  // inside every measured run.
  const bool moved = ::write(procs, "0", 1) == 1;
  ::close(procs);
  if (!moved) {
    ::kill(watcher, SIGKILL);
    ::waitpid(watcher, nullptr, 0);
    ::rmdir(folder.c_str());
    return;
  }
  g_watcher = watcher;
  g_cgroup = folder;
}

// perfguard's children now: every thread's /proc/self/task/TID/children.
std::vector<pid_t> children() {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream list(task.path() / "children");
    pid_t pid = 0;
    while (list >> pid) out.push_back(pid);
  }
  return out;
}

}  // namespace

void contain_descendants() noexcept {
  static std::once_flag once;
  std::call_once(once, [] {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const char* no_cgroup = std::getenv("PERFGUARD_NO_CGROUP");
    if (no_cgroup != nullptr && std::string_view(no_cgroup) == "1") return;
    try {
      make_run_cgroup();
    } catch (...) {  // NOLINT(bugprone-empty-catch): no cgroup; the subreaper still covers runs
    }
  });
}

void kill_leftovers(std::span<const pid_t> running) noexcept {
  const std::lock_guard<std::mutex> lock(g_reaping);
  try {
    // Killing an orphan re-parents its own children to perfguard: rounds until none is left.
    for (int round = 0; round < 1000; ++round) {
      std::vector<pid_t> strays = children();
      std::erase_if(strays, [&](pid_t pid) {
        return pid == g_watcher || std::find(running.begin(), running.end(), pid) != running.end();
      });
      if (strays.empty()) return;
      for (const pid_t pid : strays) ::kill(pid, SIGKILL);
      for (const pid_t pid : strays) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
      }
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): reading /proc failed; nothing more to do
  }
}

std::unique_lock<std::mutex> lock_reaping() { return std::unique_lock<std::mutex>(g_reaping); }

}  // namespace perfguard::harness
