#pragma once
// What a run leaves behind. A command may start background children and exit, double-fork a
// daemon, or setsid() out of the process group that a timeout kills; none of that may outlive
// its run (docs/gate.md, "Processes"). Two mechanisms, the second where the system allows it:
//
//  - perfguard is the child subreaper (PR_SET_CHILD_SUBREAPER): whatever a run orphans is
//    re-parented to perfguard instead of init, and after each run perfguard kills (SIGKILL)
//    and reaps every such process, whatever its process group or session, until none is left.
//  - With a writable cgroup v2, perfguard moves itself, once at start, into a cgroup of its own
//    (perfguard-<pid>, under its cgroup), so every process it starts is born there. A small
//    watcher process, outside it, kills the cgroup (cgroup.kill) when perfguard dies in any
//    way -- SIGKILL included -- and removes it. Moving each run's child in before exec would
//    put a cgroup migration (about 10 ms, with as much jitter) inside every measured time.
//    PERFGUARD_NO_CGROUP=1 in the environment leaves the cgroup out (the subreaper alone then
//    covers everything but a SIGKILL of perfguard).
#include <sys/resource.h>
#include <sys/types.h>

#include <mutex>
#include <span>

namespace perfguard::harness {

// Once per process; SystemProcessRunner's constructor calls it, so call it from a thread that
// lives as long as the runs (the watcher notices the death of the thread that started it).
void contain_descendants() noexcept;

// After a run's own child was reaped: kills and reaps every process left behind by runs, except
// the children in `running` (runs still going on in other threads; with any, the cgroup is
// left alone, as it holds theirs too). Takes lock_reaping(), so that it never reaps a child
// that another thread is about to.
void kill_leftovers(std::span<const pid_t> running) noexcept;

// Held by SystemProcessRunner from taking its child off the running list to reaping it.
[[nodiscard]] std::unique_lock<std::mutex> lock_reaping();

}  // namespace perfguard::harness
