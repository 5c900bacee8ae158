// A tiny program for harness tests to run as a real child process, one behaviour per mode:
//   sleep MS        sleep, then exit 0
//   burn MS         spin on the CPU for MS of its own CPU time, then exit 0
//   alloc MB        allocate and touch MB mebibytes, then exit 0
//   exit K          exit with status K
//   signal NAME     raise SIGSEGV, SIGABRT or SIGKILL
//   hang PIDFILE    fork a grandchild, write "CHILD GRANDCHILD" pids to PIDFILE, both sleep forever
//   print BYTES     write BYTES 'x' to stdout, then exit 0
//   fail MESSAGE    write MESSAGE to stderr, then exit 1
//   env NAME        print the value of NAME (empty if unset)
//   pwd             print the working directory
//   affinity        print the CPUs it may run on, comma-separated
//   stdin           print how many bytes stdin had
//   count FILE      append one line to FILE (counts how often it ran), then exit 0
//   work N          N iterations of a fixed loop: the same instruction count every run
//   jitter N        like work, plus up to 10% more iterations chosen by the clock
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int usage() {
  std::fprintf(stderr, "usage: pg_helper MODE [ARG] (see the source)\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  const std::string arg = argc > 2 ? argv[2] : "";
  if (mode == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(arg.c_str())));
    return 0;
  }
  if (mode == "burn") {
    const double until = cpu_seconds() + std::atof(arg.c_str()) / 1000.0;
    volatile unsigned long sink = 0;
    while (cpu_seconds() < until) {
      for (int i = 0; i < 10000; ++i) sink = sink + static_cast<unsigned long>(i);
    }
    return 0;
  }
  if (mode == "alloc") {
    const std::size_t bytes = static_cast<std::size_t>(std::atol(arg.c_str())) << 20;
    std::vector<char> block(bytes);
    // Touch every page so it is resident, not just reserved.
    for (std::size_t i = 0; i < bytes; i += 4096) block[i] = static_cast<char>(i);
    std::printf("%d\n", block[bytes / 2]);
    return 0;
  }
  if (mode == "work" || mode == "jitter") {
    long iterations = std::atol(arg.c_str());
    if (mode == "jitter") {
      timespec now{};
      clock_gettime(CLOCK_REALTIME, &now);
      iterations += (now.tv_nsec / 1000) % (iterations / 10 + 1);
    }
    volatile unsigned long sink = 0;
    for (long i = 0; i < iterations; ++i) sink = sink + static_cast<unsigned long>(i);
    return 0;
  }
  if (mode == "exit") return std::atoi(arg.c_str());
  if (mode == "signal") {
    const int sig = arg == "SEGV" ? SIGSEGV : arg == "ABRT" ? SIGABRT : SIGKILL;
    signal(sig, SIG_DFL);
    raise(sig);
    return 0;
  }
  if (mode == "hang") {
    const pid_t grandchild = fork();
    if (grandchild == 0) {
      for (;;) pause();
    }
    FILE* file = std::fopen(arg.c_str(), "w");
    if (file == nullptr) return 2;
    std::fprintf(file, "%d %d\n", static_cast<int>(getpid()), static_cast<int>(grandchild));
    std::fclose(file);
    for (;;) pause();
  }
  if (mode == "print") {
    const long bytes = std::atol(arg.c_str());
    const std::string chunk(4096, 'x');
    for (long left = bytes; left > 0; left -= static_cast<long>(chunk.size())) {
      std::fwrite(chunk.data(), 1,
                  static_cast<std::size_t>(std::min<long>(left, static_cast<long>(chunk.size()))),
                  stdout);
    }
    return 0;
  }
  if (mode == "fail") {
    std::fprintf(stderr, "some noise\n%s\n", arg.c_str());
    return 1;
  }
  if (mode == "env") {
    const char* value = std::getenv(arg.c_str());
    std::printf("%s", value != nullptr ? value : "");
    return 0;
  }
  if (mode == "pwd") {
    char buffer[4096];
    if (getcwd(buffer, sizeof buffer) == nullptr) return 2;
    std::printf("%s", buffer);
    return 0;
  }
  if (mode == "affinity") {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 2;
    const char* separator = "";
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (!CPU_ISSET(cpu, &set)) continue;
      std::printf("%s%d", separator, cpu);
      separator = ",";
    }
    return 0;
  }
  if (mode == "stdin") {
    long count = 0;
    while (std::fgetc(stdin) != EOF) ++count;
    std::printf("%ld", count);
    return 0;
  }
  if (mode == "count") {
    FILE* file = std::fopen(arg.c_str(), "a");
    if (file == nullptr) return 2;
    std::fputs("ran\n", file);
    std::fclose(file);
    return 0;
  }
  return usage();
}
