#pragma once
// FNV-1a, 64 bits (Fowler, Noll, Vo): a small hash, stable across platforms and releases, for
// the digests perfguard writes into its artifacts (build steps, config text, history keys).
#include <cstdint>
#include <string_view>

namespace perfguard {

inline constexpr std::uint64_t kFnv1aOffsetBasis = 14695981039346656037ULL;

// Mixes `bytes` into `hash`; start from kFnv1aOffsetBasis, or from an earlier result to hash
// several pieces as one byte string.
[[nodiscard]] constexpr std::uint64_t fnv1a(std::string_view bytes,
                                            std::uint64_t hash = kFnv1aOffsetBasis) noexcept {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;  // the FNV prime
  }
  return hash;
}

}  // namespace perfguard
