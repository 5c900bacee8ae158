#pragma once
// A deterministic text corpus for the benchmarks: the same bytes for the same arguments on
// every machine (no std::random distributions, whose results vary between libraries).
#include <cstddef>
#include <cstdint>
#include <string>

namespace wordfreq {

// `words` words drawn from a fixed vocabulary of pronounceable pseudo-words of 2 to 6
// syllables with a Zipf-like frequency, some capitalized, with punctuation and line breaks.
[[nodiscard]] std::string generate_corpus(std::size_t words, std::uint64_t seed = 20261122);

}  // namespace wordfreq
