// gen_corpus OUTPUT WORDS: writes the deterministic corpus of WORDS words to OUTPUT.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

#include "corpus.hpp"

int main(int argc, char** argv) {
  std::size_t words = 0;
  const std::string_view count = argc == 3 ? argv[2] : "";
  const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), words);
  if (argc != 3 || count.empty() || error != std::errc{} || end != count.data() + count.size()) {
    std::cerr << "usage: gen_corpus OUTPUT WORDS\n";
    return 2;
  }
  const std::string path = argv[1];
  const std::string temp = path + ".tmp";
  const std::string text = wordfreq::generate_corpus(words);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) {
      std::cerr << "gen_corpus: cannot write " << temp << '\n';
      return 1;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::cerr << "gen_corpus: cannot rename " << temp << " to " << path << '\n';
    return 1;
  }
  return 0;
}
