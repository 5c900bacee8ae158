#include "pipeline/host.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace perfguard::pipeline {
namespace {

std::optional<std::string> first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return line;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "";
}

// Turbo boost: intel_pstate says no_turbo = 0, acpi-cpufreq says boost = 1.
std::optional<bool> turbo_enabled() {
  if (const auto no_turbo = first_line("/sys/devices/system/cpu/intel_pstate/no_turbo"))
    return *no_turbo == "0";
  if (const auto boost = first_line("/sys/devices/system/cpu/cpufreq/boost")) return *boost == "1";
  return std::nullopt;
}

}  // namespace

std::optional<std::array<double, 3>> read_load_average() {
  std::ifstream in("/proc/loadavg");
  std::array<double, 3> load{};
  if (!(in >> load[0] >> load[1] >> load[2])) return std::nullopt;
  return load;
}

reports::Host read_host(std::span<const int> pinned) {
  reports::Host host;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0) host.hostname = name;
  host.cpu_model = cpu_model();
  host.logical_cpus = std::thread::hardware_concurrency();
  host.pinned_cpus.assign(pinned.begin(), pinned.end());
  utsname uts{};
  if (uname(&uts) == 0) host.kernel = fmt::format("{} {}", uts.sysname, uts.release);
  host.load_before = read_load_average();
  host.governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  if (const auto aslr = first_line("/proc/sys/kernel/randomize_va_space")) {
    try {
      host.aslr = std::stoi(*aslr);
    } catch (const std::exception&) {  // unreadable: leave it unknown
    }
  }
  return host;
}

std::vector<std::string> noise_warnings(const reports::Host& host,
                                        std::optional<double> runnable_after_build) {
  std::vector<std::string> warnings;
  if (runnable_after_build && host.logical_cpus > 0) {
    if (*runnable_after_build >= 0.5 * host.logical_cpus) {
      warnings.push_back(fmt::format(
          "the machine is busy ({:.1f} tasks runnable besides perfguard after its build, on {} "
          "CPUs): expect wider intervals and more runs",
          *runnable_after_build, host.logical_cpus));
    }
  } else if (host.load_before && host.logical_cpus > 0 &&
             (*host.load_before)[0] > 0.5 * host.logical_cpus) {
    warnings.push_back(
        fmt::format("the machine is busy (load average {:.2f} on {} CPUs): expect wider intervals "
                    "and more runs",
                    (*host.load_before)[0], host.logical_cpus));
  }
  if (host.governor && *host.governor != "performance") {
    warnings.push_back(fmt::format(
        "cpufreq governor is '{}': 'performance' keeps clock speeds steady", *host.governor));
  }
  if (turbo_enabled().value_or(false)) {
    warnings.push_back(
        "turbo boost is on: clock speed follows temperature, which drifts during a run");
  }
  if (host.aslr && *host.aslr != 0) {
    warnings.push_back(
        "ASLR is on: memory layout changes from run to run (perfguard's interleaving averages it "
        "out)");
  }
  return warnings;
}

}  // namespace perfguard::pipeline
