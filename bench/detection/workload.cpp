// The detection benchmark's workload: a CPU-bound loop (a serial xorshift chain the compiler
// cannot shorten) of ITERATIONS steps, times PERFGUARD_SLOWDOWN. One source, two binaries:
// detection_workload (1.0) and detection_workload_slow (1 + the configured percentage), so the
// slower copy is a separate program, as a regressed build would be.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifndef PERFGUARD_SLOWDOWN
#define PERFGUARD_SLOWDOWN 1.0
#endif

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s ITERATIONS\n", argv[0]);
    return 64;
  }
  const auto iterations =
      static_cast<std::uint64_t>(std::strtod(argv[1], nullptr) * PERFGUARD_SLOWDOWN);
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  // Printing the result keeps the loop alive; the harness discards it.
  std::printf("%llu\n", static_cast<unsigned long long>(x));
  return 0;
}
