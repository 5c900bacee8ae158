#include "harness/duration.hpp"

#include <fmt/format.h>

namespace perfguard::harness {

std::string format_duration(std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  if (seconds >= 100.0) return fmt::format("{:.0f}s", seconds);
  if (seconds >= 1.0) return fmt::format("{:.3g}s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.3g}ms", seconds * 1e3);
  return fmt::format("{:.3g}us", seconds * 1e6);
}

}  // namespace perfguard::harness
