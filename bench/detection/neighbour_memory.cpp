// A memory-hungry neighbour for the detection benchmark: copies between two 64 MB arrays in
// spells of random length (0.2-1.5 s), idle for spells of the same law in between, as other
// jobs' builds and tests come and go on a CI host. Runs until killed. Seeded by its argument.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  constexpr std::size_t kBytes = 64u << 20;
  std::vector<char> a(kBytes, 1);
  std::vector<char> b(kBytes, 2);
  std::mt19937_64 generator(argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1);
  std::uniform_real_distribution<double> spell(0.2, 1.5);
  using clock = std::chrono::steady_clock;
  for (;;) {
    const auto busy_until = clock::now() + std::chrono::duration<double>(spell(generator));
    while (clock::now() < busy_until) {
      std::memcpy(b.data(), a.data(), kBytes);
      std::memcpy(a.data(), b.data(), kBytes);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(spell(generator)));
  }
}
