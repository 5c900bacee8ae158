// The detection benchmark's memory-bound workload: PASSES passes over a 48 MB array (larger
// than any cache), reading one 8-byte word per 64-byte cache line, so each pass streams the
// whole array from memory. Like workload.cpp, one source, separate binaries per slowdown, as a
// regressed build would be: a copy with PERFGUARD_SLOWDOWN f reads (f - 1)(PASSES + kSetUp)
// more passes, kSetUp being what filling the array and starting the process cost in passes
// (measured on the 2-core VM of README.md), so the whole run, not only its passes, takes about
// f times as long.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#ifndef PERFGUARD_SLOWDOWN
#define PERFGUARD_SLOWDOWN 1.0
#endif

namespace {
constexpr std::size_t kBytes = 48u << 20;
constexpr std::size_t kWords = kBytes / sizeof(std::uint64_t);
constexpr std::size_t kWordsPerLine = 64 / sizeof(std::uint64_t);
constexpr double kSetUp = 6.0;
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PASSES\n", argv[0]);
    return 64;
  }
  const double asked = std::strtod(argv[1], nullptr);
  const double passes = asked + (PERFGUARD_SLOWDOWN - 1.0) * (asked + kSetUp);
  std::vector<std::uint64_t> data(kWords);
  for (std::size_t i = 0; i < kWords; ++i) data[i] = i * 0x9e3779b97f4a7c15ULL;
  // Whole passes, then the fraction of one: the slowdown scales the lines read, not a rounding.
  const auto lines = static_cast<std::size_t>(passes * static_cast<double>(kWords / kWordsPerLine));
  std::uint64_t sum = 0;
  std::size_t line = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    sum += data[line * kWordsPerLine] ^ (sum >> 3);
    line = line + 1 == kWords / kWordsPerLine ? 0 : line + 1;
  }
  // Printing the result keeps the loop alive; the harness discards it.
  std::printf("%llu\n", static_cast<unsigned long long>(sum));
  return 0;
}
