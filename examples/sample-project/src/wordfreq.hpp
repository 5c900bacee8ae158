#pragma once
// Word frequencies: a word is a maximal run of ASCII letters, compared lower-cased.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wordfreq {

// Lets the counts be looked up by std::string_view without building a std::string.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const noexcept {
    return std::hash<std::string_view>{}(word);
  }
};

using WordCounts = std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>>;

struct WordCount {
  std::string word;
  std::size_t count = 0;
};

// Lower-cases ASCII letters and turns every other byte into a space, so that the words of
// `text` are exactly the space-separated runs of the result.
[[nodiscard]] std::string normalize(std::string_view text);

// The words of normalized text, as views into it.
[[nodiscard]] std::vector<std::string_view> tokenize(std::string_view normalized);

// How often each word occurs in `text`.
[[nodiscard]] WordCounts count_words(std::string_view text);

// The `n` most frequent words, most frequent first; ties in alphabetical order.
[[nodiscard]] std::vector<WordCount> top_words(const WordCounts& counts, std::size_t n);

}  // namespace wordfreq
