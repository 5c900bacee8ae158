#include "pipeline/settle.hpp"

#include <sys/resource.h>

#include <charconv>
#include <fstream>
#include <string>
#include <thread>

namespace perfguard::pipeline {

std::optional<double> runnable_besides_reader(std::string_view line) {
  // Skip the three averages; the fourth field is "running/total".
  std::size_t pos = 0;
  for (int field = 0; field < 3; ++field) {
    pos = line.find(' ', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    pos = line.find_first_not_of(' ', pos);
    if (pos == std::string_view::npos) return std::nullopt;
  }
  const std::size_t slash = line.find('/', pos);
  if (slash == std::string_view::npos) return std::nullopt;
  int running = 0;
  const auto [end, error] = std::from_chars(line.data() + pos, line.data() + slash, running);
  if (error != std::errc() || end != line.data() + slash || running < 0) return std::nullopt;
  // The reader itself is running while it reads.
  return running > 0 ? running - 1 : 0;
}

std::optional<double> sample_runnable() {
  // Ten readings 100 ms apart: a single one catches whoever happens to be on a CPU.
  constexpr int kReadings = 10;
  double sum = 0.0;
  for (int i = 0; i < kReadings; ++i) {
    std::ifstream in("/proc/loadavg");
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    const std::optional<double> running = runnable_besides_reader(line);
    if (!running) return std::nullopt;
    sum += *running;
    if (i + 1 < kReadings) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return sum / kReadings;
}

double children_cpu_seconds() {
  rusage usage{};
  if (getrusage(RUSAGE_CHILDREN, &usage) != 0) return 0.0;
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

Settled settle(unsigned cpus, const RunnableSampler& sample,
               const std::function<void(std::chrono::seconds)>& sleep, std::chrono::seconds limit,
               std::chrono::seconds step) {
  Settled settled;
  const double quiet = 0.5 * cpus;
  for (;;) {
    settled.runnable = sample();
    if (!settled.runnable || *settled.runnable < quiet || settled.waited + step > limit)
      return settled;
    sleep(step);
    settled.waited += step;
  }
}

}  // namespace perfguard::pipeline
