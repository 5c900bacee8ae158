#include "corpus.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace wordfreq {
namespace {

constexpr std::size_t kVocabularySize = 8000;

// splitmix64: small, fast and identical everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

std::vector<std::string> make_vocabulary(Random& random) {
  constexpr std::string_view kOnsets[] = {"b", "c", "d", "f", "g", "h", "k",  "l",  "m",  "n",
                                          "p", "r", "s", "t", "v", "w", "br", "st", "th", "ch"};
  constexpr std::string_view kVowels[] = {"a", "e", "i", "o", "u", "ea", "ou", "io"};
  constexpr std::string_view kCodas[] = {"", "", "", "n", "r", "s", "t", "ng", "ck"};
  std::vector<std::string> vocabulary;
  vocabulary.reserve(kVocabularySize);
  while (vocabulary.size() < kVocabularySize) {
    std::string word;
    const std::size_t syllables = 2 + random.below(3) + random.below(3);  // 2..6, mostly 3-5
    for (std::size_t s = 0; s < syllables; ++s) {
      word += kOnsets[random.below(std::size(kOnsets))];
      word += kVowels[random.below(std::size(kVowels))];
      word += kCodas[random.below(std::size(kCodas))];
    }
    vocabulary.push_back(std::move(word));  // duplicates only make a word a bit more frequent
  }
  return vocabulary;
}

}  // namespace

std::string generate_corpus(std::size_t words, std::uint64_t seed) {
  Random random(seed);
  const std::vector<std::string> vocabulary = make_vocabulary(random);

  // Zipf with exponent 1: the word of rank k has weight 1/k. Drawn by binary search in the
  // cumulative weights, scaled to integers so that no floating point is involved in a draw.
  std::vector<std::uint64_t> cumulative(vocabulary.size());
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < vocabulary.size(); ++k) {
    total += 1'000'000'000u / (k + 1);
    cumulative[k] = total;
  }

  std::string text;
  text.reserve(words * 8);
  bool sentence_start = true;
  for (std::size_t i = 0; i < words; ++i) {
    const std::uint64_t draw = random.next() % total;
    const auto rank = static_cast<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), draw) - cumulative.begin());
    std::string_view word = vocabulary[rank];
    if (sentence_start) {
      text += static_cast<char>(word.front() - 'a' + 'A');
      word.remove_prefix(1);
    }
    text += word;
    const std::size_t punctuation = random.below(100);
    sentence_start = punctuation < 6;
    if (sentence_start) {
      text += '.';
    } else if (punctuation < 12) {
      text += ',';
    }
    text += random.below(12) == 0 ? '\n' : ' ';
  }
  text += '\n';
  return text;
}

}  // namespace wordfreq
