#include "wordfreq.hpp"

#include <algorithm>

namespace wordfreq {
namespace {

// The planted regression of perfguard's demo. When true, every word is copied into a
// std::string before it is looked up, instead of being looked up by string_view: the same
// counts, but a copy per word and a heap allocation per word too long for the small-string
// buffer (15 characters in libstdc++; 40% of the corpus's words). About 25% slower; see
// README.md for the one-line change that flips it.
constexpr bool kSlowPath = false;

bool is_letter(unsigned char c) { return static_cast<unsigned>((c | 0x20u) - 'a') < 26u; }

// Calls on_word with each space-separated word of normalized text.
template <typename OnWord>
void for_each_word(std::string_view normalized, OnWord&& on_word) {
  std::size_t begin = normalized.find_first_not_of(' ');
  while (begin != std::string_view::npos) {
    const std::size_t end = std::min(normalized.find(' ', begin), normalized.size());
    on_word(normalized.substr(begin, end - begin));
    begin = normalized.find_first_not_of(' ', end);
  }
}

}  // namespace

std::string normalize(std::string_view text) {
  std::string out(text.size(), ' ');
  std::transform(text.begin(), text.end(), out.begin(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return is_letter(c) ? static_cast<char>(c | 0x20u) : ' ';
  });
  return out;
}

std::vector<std::string_view> tokenize(std::string_view normalized) {
  std::vector<std::string_view> words;
  for_each_word(normalized, [&words](std::string_view word) { words.push_back(word); });
  return words;
}

WordCounts count_words(std::string_view text) {
  const std::string normalized = normalize(text);
  WordCounts counts;
  for_each_word(normalized, [&counts](std::string_view word) {
    if constexpr (kSlowPath) {
      ++counts[std::string(word)];
    } else if (const auto it = counts.find(word); it != counts.end()) {
      ++it->second;
    } else {
      counts.emplace(word, 1);
    }
  });
  return counts;
}

std::vector<WordCount> top_words(const WordCounts& counts, std::size_t n) {
  std::vector<const WordCounts::value_type*> entries;
  entries.reserve(counts.size());
  for (const auto& entry : counts) entries.push_back(&entry);
  n = std::min(n, entries.size());
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n),
                    entries.end(), [](const auto* a, const auto* b) {
                      return a->second != b->second ? a->second > b->second : a->first < b->first;
                    });
  std::vector<WordCount> top;
  top.reserve(n);
  for (std::size_t i = 0; i < n; ++i) top.push_back({entries[i]->first, entries[i]->second});
  return top;
}

}  // namespace wordfreq
